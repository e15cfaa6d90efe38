"""Validated cycles and a shared case for the plan, library and report tests."""

from ceds.assessments import services as assessment_services
from ceds.assessments.answers import parse_answer
from ceds.frameworks.models import Item

LOW = {
    "GV-01": {"choice": "1"},
    "GV-02": {"choice": "1"},
    "GV-03": {"choice": "no"},
    "GV-04": {"value": "10"},
    "SV-001": {"status": "planned"},
    "SV-002": {"status": "absent"},
}


def validated_cycle(world, version, period, answers):
    """Open, answer, submit and validate one cycle of city A."""
    assessment = assessment_services.open_assessment(world["a_coordinator"], world.city_a, version, period)
    for code, data in answers.items():
        item = Item.objects.get(framework_version=version, code=code)
        assessment_services.save_answer(world["a_coordinator"], assessment, item, parse_answer(item.data, data), 0)
    assessment_services.submit(world["a_coordinator"], assessment)
    assessment_services.validate(world["secretariat"], assessment)
    return assessment


CASE = {
    "title": "One-stop civil registry kiosk",
    "year": "2024",
    "what": "Kiosks in five district offices issue certificates.",
    "why": "Residents queued for hours.",
    "results": "Waiting time fell from two hours to ten minutes.",
    "contact": "cio@seoul.example",
    "categories": ["services"],
    "sections": ["GV", "SV"],  # sections of the test content ("kinds")
}

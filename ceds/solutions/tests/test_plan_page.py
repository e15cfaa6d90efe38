import io

import pytest
from django.core.management import call_command

from ceds.assessments import services as assessment_services
from ceds.assessments.answers import parse_answer
from ceds.assessments.models import SectionTarget
from ceds.frameworks.models import FrameworkVersion, Item
from ceds.frameworks.tests.helpers import FIXTURE


@pytest.fixture
def validated(world):
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    assessment = assessment_services.open_assessment(world["a_coordinator"], world.city_a, version, "2025")
    for code, data in {
        "GV-01": {"choice": "1"},
        "GV-02": {"choice": "1"},
        "GV-03": {"choice": "no"},
        "GV-04": {"value": "10"},
        "SV-001": {"status": "planned"},
        "SV-002": {"status": "absent"},
    }.items():
        item = Item.objects.get(framework_version=version, code=code)
        assessment_services.save_answer(world["a_coordinator"], assessment, item, parse_answer(item.data, data), 0)
    assessment_services.submit(world["a_coordinator"], assessment)
    assessment_services.validate(world["secretariat"], assessment)
    return assessment


def test_plan_shows_gaps_recommendations_and_roadmap(world, validated, client_for):
    page = client_for(world["a_viewer"]).get(f"/assessments/{validated.pk}/plan/?budget=200000&staff=3")
    assert page.status_code == 200
    plan = page.context["plan"]
    assert plan.gaps[0].code == "GV-01", "weight 2, level 1, and two modules build on its closer"
    codes = [r.code for r in plan.recommendations]
    assert codes.index("strategy") < codes.index("e-mail")
    assert plan.roadmap.phases[1] == ["strategy"] and plan.roadmap.phases[2] == ["e-mail"]
    text = page.content.decode()
    assert "Necessary" in text and "Priority" in text and "Year 1" in text


def test_coordinator_sets_a_target_and_the_gaps_follow(world, validated, client_for):
    client = client_for(world["a_coordinator"])
    assert client.post(f"/assessments/{validated.pk}/plan/targets/GV/", {"target": "5"}).status_code == 302
    assert SectionTarget.objects.get(assessment=validated).level == 5
    plan = client.get(f"/assessments/{validated.pk}/plan/").context["plan"]
    assert plan.targets["GV"]["target"] == 5 and plan.targets["GV"]["set_by_city"]
    assert all(g.target == 5 for g in plan.gaps if g.section == "GV")
    bad = client.post(f"/assessments/{validated.pk}/plan/targets/GV/", {"target": "9"}, follow=True)
    assert "A target is a level from 1 to 5." in bad.content.decode()


def test_module_and_practice_pages_are_public(world, validated, client):
    module = client.get("/modules/strategy/")
    assert module.status_code == 200 and "Deployment steps" in module.content.decode()
    practices = client.get("/practices/?category=urban_management")
    assert [p.code for p in practices.context["practices"]] == ["sample-case"]

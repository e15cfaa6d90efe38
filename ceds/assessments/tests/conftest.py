import io

import pytest
from django.core.management import call_command

from ceds.content.tests.helpers import FIXTURE
from ceds.frameworks.models import FrameworkVersion

# Complete answers for the "kinds" test framework (all six item kinds).
COMPLETE = {
    "GV-01": {"choice": "3"},
    "GV-02": {"choice": "2"},
    "GV-03": {"choice": "yes"},
    "GV-04": {"value": "55"},
    "SV-001": {"status": "operating", "level": "4", "utilization": "70", "systems": "ipMail System (plus Mail)"},
    "SV-002": {"status": "planned"},
}


@pytest.fixture
def kinds(db):
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    return FrameworkVersion.objects.get(framework_id="kinds", version=1)


@pytest.fixture
def assessment(world, kinds):
    from ceds.assessments import services

    return services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2026")


def answer_all(client, assessment, answers=COMPLETE):
    from ceds.assessments.models import Answer

    for code, data in answers.items():
        current = Answer.objects.filter(assessment=assessment, item__code=code).first()
        response = client.post(
            f"/assessments/{assessment.pk}/items/{code}/", {**data, "base_version": current.version if current else 0}
        )
        assert response.status_code == 302, (code, response.content[:400])

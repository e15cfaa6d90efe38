"""Shared fixtures: a token for every persona, the test framework and a draft of city A."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from ceds.api.tokens import create_token, revoke_token
from ceds.assessments import services as workflow
from ceds.assessments.answers import parse_answer
from ceds.content.tests.helpers import FIXTURE
from ceds.frameworks.models import FrameworkVersion, Item

# Every answer of the test framework ("kinds"), as form-like data.
FULL = {
    "GV-01": {"choice": "2"},
    "GV-02": {"choice": "3"},
    "GV-03": {"choice": "yes"},
    "GV-04": {"value": "40"},
    "SV-001": {"status": "operating", "level": "3", "utilization": "40"},
    "SV-002": {"status": "planned"},
}


@pytest.fixture
def api_world(world):
    """The personas with a token each, the test framework, and a draft of city A."""
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    draft = workflow.open_assessment(world["a_coordinator"], world.city_a, version, "2026")
    world.extra = {"version": version, "draft": draft, "tokens": {}}
    for name, user in world.users.items():
        world.extra["tokens"][name] = create_token(user, "tests")[1]
    revoked, secret = create_token(world["a_coordinator"], "revoked")
    revoke_token(world["a_coordinator"], revoked)
    world.extra["tokens"]["revoked_token"] = secret
    expired, secret = create_token(world["a_coordinator"], "expired", days=30)
    expired.expires_at = expired.created_at  # as if 30 days had passed
    expired.save()
    world.extra["tokens"]["expired_token"] = secret
    return world


@pytest.fixture
def api(api_world):
    """api(persona) -> a client sending that persona's token (None: anonymous)."""

    def make(persona):
        if persona in (None, "anonymous"):
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {api_world.extra['tokens'][persona]}")

    return make


def fill(world, assessment, answers=FULL):
    for code, data in answers.items():
        item = Item.objects.get(framework_version=assessment.framework_version, code=code)
        workflow.save_answer(world["a_coordinator"], assessment, item, parse_answer(item.data, data), 0)


def validated(world, period="2025", sharing=None):
    assessment = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], period)
    fill(world, assessment)
    workflow.submit(world["a_coordinator"], assessment)
    workflow.validate(world["regional"], assessment)
    if sharing:
        workflow.publish(world["a_coordinator"], assessment, sharing)
    assessment.refresh_from_db()
    return assessment

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


def good_requests(world):
    """(method, path) -> (persona, path parameters, query, body): one request that must succeed."""
    from ceds.assessments import services as workflow
    from ceds.indices.models import ReferenceIndex, ReferenceValue
    from ceds.solutions.models import Practice

    draft = world.extra["draft"]
    fill(world, draft)
    # A second, submitted assessment for the validator's operations.
    submitted = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], "2025")
    fill(world, submitted)
    workflow.submit(world["a_coordinator"], submitted)
    returned = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], "2024")
    fill(world, returned)
    workflow.submit(world["a_coordinator"], returned)
    published = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], "2023")
    fill(world, published)
    workflow.submit(world["a_coordinator"], published)
    workflow.validate(world["regional"], published)
    workflow.publish(world["a_coordinator"], published, "named")
    corrected = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], "2021")
    fill(world, corrected)
    workflow.submit(world["a_coordinator"], corrected)
    workflow.validate(world["regional"], corrected)
    editing = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], "2022")
    fill(world, editing)
    index = ReferenceIndex.objects.create(code="egdi", year=2024, name="UN EGDI", components=["egdi"])
    ReferenceValue.objects.create(index=index, country_id="KR", rank=4, values={"egdi": 0.97})
    practice = Practice.objects.published().order_by("code").first().code
    d, co = draft.pk, "a_coordinator"
    return {
        ("GET", "/api/v1/frameworks/"): (co, {}, {}, None),
        ("GET", "/api/v1/frameworks/{framework}/{version}/"): (co, {"framework": "kinds", "version": 1}, {}, None),
        ("GET", "/api/v1/cities/"): (co, {}, {"region": "asia_pacific"}, None),
        ("GET", "/api/v1/cities/{slug}/"): (co, {"slug": "seoul"}, {}, None),
        ("PUT", "/api/v1/cities/{slug}/profile/"): (
            co,
            {"slug": "seoul"},
            {},
            {"population_band": "over_5m", "budget_band": "large", "ict_staff": 90, "internet_penetration": 97},
        ),
        ("PUT", "/api/v1/cities/{slug}/budgets/{year}/"): (
            co,
            {"slug": "seoul", "year": 2025},
            {},
            {"currency": "KRW", "planned": 250},
        ),
        ("GET", "/api/v1/assessments/"): (co, {}, {"status": "draft", "city": "seoul"}, None),
        ("POST", "/api/v1/assessments/"): (co, {}, {}, {"city": "seoul", "framework": "kinds", "period": "2019"}),
        ("GET", "/api/v1/assessments/{id}/"): (co, {"id": d}, {}, None),
        ("POST", "/api/v1/assessments/{id}/submit/"): (co, {"id": d}, {}, None),
        ("POST", "/api/v1/assessments/{id}/validate/"): ("regional", {"id": submitted.pk}, {}, None),
        ("POST", "/api/v1/assessments/{id}/return/"): (
            "regional",
            {"id": returned.pk},
            {},
            {"comments": [{"item": "GV-01", "comment": "Attach the strategy."}]},
        ),
        ("POST", "/api/v1/assessments/{id}/publish/"): (co, {"id": published.pk}, {}, {"sharing": "anonymous"}),
        ("POST", "/api/v1/assessments/{id}/reopen/"): (
            "secretariat",
            {"id": corrected.pk},
            {},
            {"reason": "GV-01 was entered one level too low."},
        ),
        ("GET", "/api/v1/assessments/{id}/answers/"): (co, {"id": d}, {}, None),
        ("GET", "/api/v1/assessments/{id}/answers/{code}/"): (co, {"id": d, "code": "GV-01"}, {}, None),
        ("PUT", "/api/v1/assessments/{id}/answers/{code}/"): (
            co,
            {"id": editing.pk, "code": "GV-01"},
            {},
            {"kind": "level", "base_version": 1, "value": 4},
        ),
        ("GET", "/api/v1/assessments/{id}/scores/"): (co, {"id": d}, {}, None),
        ("GET", "/api/v1/assessments/{id}/scores/{key}/"): (co, {"id": d, "key": "overall"}, {}, None),
        ("GET", "/api/v1/assessments/{id}/benchmarks/"): (co, {"id": published.pk}, {}, None),
        ("GET", "/api/v1/assessments/{id}/plan/"): (co, {"id": d}, {"horizon": 3, "budget": "unlimited"}, None),
        ("GET", "/api/v1/assessments/{id}/report.pdf"): (co, {"id": d}, {}, None),
        ("PUT", "/api/v1/assessments/{id}/targets/{code}/"): (co, {"id": d, "code": "GV"}, {}, {"level": 4}),
        ("GET", "/api/v1/assessments/{id}/actions/"): (co, {"id": d}, {}, None),
        ("POST", "/api/v1/assessments/{id}/actions/"): (
            co,
            {"id": d},
            {},
            {"title": "Train staff", "status": "planned"},
        ),
        ("GET", "/api/v1/modules/"): (co, {}, {}, None),
        ("GET", "/api/v1/modules/{code}/"): (co, {"code": "strategy"}, {}, None),
        ("GET", "/api/v1/practices/"): (co, {}, {}, None),
        ("GET", "/api/v1/practices/{code}/"): (co, {"code": practice}, {}, None),
        ("GET", "/api/v1/open-data/"): (co, {}, {}, None),
        ("GET", "/api/v1/open-data/{framework}/dictionary/"): (co, {"framework": "kinds"}, {}, None),
        **{
            ("GET", f"/api/v1/open-data/{{framework}}/{{period}}.{fmt}"): (
                co,
                {"framework": "kinds", "period": "2023"},
                {},
                None,
            )
            for fmt in ("csv", "json", "xlsx")
        },
        ("GET", "/api/v1/indices/"): (co, {}, {}, None),
        ("GET", "/api/v1/indices/{code}/{year}/"): (co, {"code": "egdi", "year": 2024}, {}, None),
    }

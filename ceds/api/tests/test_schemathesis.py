"""The live OpenAPI schema, exercised by schemathesis as a city coordinator who has a draft.

Two tests: every operation answered 2xx at least once by a known-good request validated
against the schema, and a bounded property-based run over every operation in which no
response is a server error or breaks the schema.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from ceds.api.tests.fixtures import fill

CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]


# Loaded from the running application when the module is collected (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Like Django's test client: keep the test's database connection open across requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_errors_or_breaks_its_schema(case, api_world):
    token = api_world.extra["tokens"]["a_coordinator"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def _good_requests(world):
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
        ("POST", "/api/v1/assessments/"): (co, {}, {}, {"city": "seoul", "framework": "kinds", "period": "2027"}),
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


def test_every_operation_succeeds_once(api_world):
    good = _good_requests(api_world)
    seen = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        assert key in good, f"no known-good request for {key}"
        seen.add(key)
        persona, path_parameters, query, body = good[key]
        kwargs = {"path_parameters": path_parameters, "query": query}
        if body is not None:
            kwargs.update(body=body, media_type="application/json")
        case = operation.Case(**kwargs)
        token = api_world.extra["tokens"][persona]
        response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        assert 200 <= response.status_code < 300, (key, response.status_code, response.content[:300])
    assert seen == set(good)

"""The API permission matrix: every endpoint and method, every persona, the exact status.

Personas are the page personas, each calling with a personal token, plus a revoked and an
expired token (city A's coordinator's) and no token at all. Endpoints are enumerated from the URLconf,
so a new endpoint without a rule fails test_every_endpoint_has_a_rule.
"""

import pytest
from django.urls import URLPattern, get_resolver

from ceds.core.tests.personas import PERSONAS as PAGE_PERSONAS

PERSONAS = [*PAGE_PERSONAS, "revoked_token", "expired_token"]


def row(*statuses):
    assert len(statuses) == len(PERSONAS)
    return dict(zip(PERSONAS, statuses, strict=True))


#                   a_co a_ct a_vw b_co b_ct b_vw reg  sec  ana  out  anon revoked expired
PUBLIC = row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401, 401)
SIGNED_IN = row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401)
READ_CITY_A = row(200, 200, 200, 404, 404, 404, 200, 200, 200, 404, 401, 401, 401)
RESULTS_OF_DRAFT = row(200, 404, 404, 404, 404, 404, 200, 200, 200, 404, 401, 401, 401)
NOBODY = row(404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 401, 401, 401)
MANAGE_CITY_A = row(200, 403, 403, 404, 404, 404, 403, 200, 403, 404, 401, 401, 401)
EDIT_DRAFT = row(200, 403, 403, 404, 404, 404, 403, 403, 403, 404, 401, 401, 401)
CREATE_IN_CITY_A = row(201, 403, 403, 404, 404, 404, 403, 403, 403, 404, 401, 401, 401)
# Allowed but not possible in this state (a draft with missing answers): 409 says why.
MANAGER_BUT_NOT_NOW = row(409, 403, 403, 404, 404, 404, 403, 403, 403, 404, 401, 401, 401)
VALIDATOR_BUT_NOT_NOW = row(403, 403, 403, 404, 404, 404, 409, 409, 409, 404, 401, 401, 401)

# (url name, method) -> (expected statuses, JSON body)
RULES = {
    ("schema", "get"): (PUBLIC, None),
    ("docs", "get"): (PUBLIC, None),
    ("frameworks", "get"): (PUBLIC, None),
    ("framework", "get"): (PUBLIC, None),
    ("cities", "get"): (PUBLIC, None),
    ("city", "get"): (PUBLIC, None),
    ("city_profile", "put"): (
        MANAGE_CITY_A,
        {"population_band": "over_5m", "budget_band": "large", "ict_staff": 90, "internet_penetration": 97},
    ),
    ("city_budget", "put"): (MANAGE_CITY_A, {"currency": "KRW", "planned": 250, "actual": 200}),
    ("assessments", "get"): (SIGNED_IN, None),
    ("assessments", "post"): (CREATE_IN_CITY_A, {"city": "seoul", "framework": "kinds", "period": "2023"}),
    ("assessment", "get"): (READ_CITY_A, None),
    ("submit", "post"): (MANAGER_BUT_NOT_NOW, None),
    ("return", "post"): (VALIDATOR_BUT_NOT_NOW, {"comments": [{"item": "GV-01", "comment": "Attach the plan."}]}),
    ("validate", "post"): (VALIDATOR_BUT_NOT_NOW, None),
    ("publish", "post"): (MANAGER_BUT_NOT_NOW, {"sharing": "named"}),
    # The secretariat reopens validated results; city A's draft is not one (409).
    ("reopen", "post"): (
        row(403, 403, 403, 404, 404, 404, 403, 409, 409, 404, 401, 401, 401),
        {"reason": "A typo in GV-01."},
    ),
    ("answers", "get"): (READ_CITY_A, None),
    ("answer", "get"): (READ_CITY_A, None),
    ("answer", "put"): (EDIT_DRAFT, {"kind": "level", "base_version": 1, "value": 4}),
    ("scores", "get"): (RESULTS_OF_DRAFT, None),
    ("explanation", "get"): (RESULTS_OF_DRAFT, None),
    ("benchmarks", "get"): (NOBODY, None),  # benchmarks compare validated results only
    ("report", "get"): (RESULTS_OF_DRAFT, None),
    ("plan", "get"): (RESULTS_OF_DRAFT, None),
    ("target", "put"): (EDIT_DRAFT, {"level": 4}),
    ("actions", "get"): (READ_CITY_A, None),
    ("actions", "post"): (CREATE_IN_CITY_A, {"title": "Train staff", "linked_items": ["GV-01"]}),
    ("modules", "get"): (PUBLIC, None),
    ("module", "get"): (PUBLIC, None),
    ("practices", "get"): (PUBLIC, None),
    ("practice", "get"): (PUBLIC, None),
    ("open_data", "get"): (PUBLIC, None),
    ("open_data_dictionary", "get"): (PUBLIC, None),
    ("open_data_csv", "get"): (PUBLIC, None),
    ("open_data_json", "get"): (PUBLIC, None),
    ("open_data_xlsx", "get"): (PUBLIC, None),
    ("indices", "get"): (PUBLIC, None),
    ("index_values", "get"): (PUBLIC, None),
}


def _endpoints():
    """(name, methods) of every API URL, methods read from the view class."""
    resolver = get_resolver()
    api = next(p for p in resolver.url_patterns if getattr(p, "namespace", None) == "api")
    for entry in api.url_patterns:
        assert isinstance(entry, URLPattern)
        view = entry.callback.cls
        methods = {m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)}
        yield entry.name, methods


def test_every_endpoint_has_a_rule():
    declared = {(name, method) for name, methods in _endpoints() for method in methods}
    assert declared == set(RULES), (sorted(declared - set(RULES)), sorted(set(RULES) - declared))


@pytest.fixture
def matrix(api_world):
    from ceds.assessments import services as workflow
    from ceds.frameworks.models import Item
    from ceds.indices.models import ReferenceIndex
    from ceds.solutions.models import Practice

    draft = api_world.extra["draft"]
    item = Item.objects.get(framework_version=draft.framework_version, code="GV-01")
    workflow.save_answer(api_world["a_coordinator"], draft, item, {"value": 3}, 0)
    ReferenceIndex.objects.create(code="egdi", year=2024, name="UN EGDI", components=["egdi"])
    practice = Practice.objects.published().order_by("code").first()
    api_world.extra["kwargs"] = {
        "framework": "kinds",
        "version": 1,
        "slug": "seoul",
        "year": 2025,
        "pk": draft.pk,
        "code": "GV-01",
        "key": "overall",
        "period": "2026",
        "fmt": "csv",
    }
    api_world.extra["special_codes"] = {
        "module": "strategy",
        "target": "GV",
        "practice": practice.code if practice else "x",
        "index_values": "egdi",
    }
    api_world.extra["special_years"] = {"index_values": 2024}
    return api_world


def _url(name, world):
    from django.urls import reverse

    pattern = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api")
    entry = next(e for e in pattern.url_patterns if e.name == name)
    kwargs = dict(world.extra["kwargs"])
    kwargs["code"] = world.extra["special_codes"].get(name, kwargs["code"])
    kwargs["year"] = world.extra["special_years"].get(name, kwargs["year"])
    wanted = set(entry.pattern.converters)
    return reverse(f"api:{name}", kwargs={k: v for k, v in kwargs.items() if k in wanted})


def _fingerprint():
    from ceds.assessments.models import Answer, Assessment, Comment
    from ceds.cities.models import BudgetYear, CityProfile
    from ceds.core.models import AuditEvent
    from ceds.solutions.models import Action

    return (
        list(Assessment.objects.order_by("pk").values()),
        list(Answer.objects.order_by("pk").values()),
        list(Comment.objects.order_by("pk").values_list("pk", "body")),
        list(Action.objects.order_by("pk").values()),
        list(CityProfile.objects.order_by("pk").values()),
        list(BudgetYear.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method"), sorted(RULES))
def test_api_matrix(name, method, persona, matrix, api):
    expected, body = RULES[(name, method)]
    client = api(None if persona == "anonymous" else persona)
    before = _fingerprint()
    call = getattr(client, method)
    if body is None:
        response = call(_url(name, matrix))
    else:
        response = call(_url(name, matrix), body, content_type="application/json")
    assert response.status_code == expected[persona], (
        f"{method.upper()} {name} as {persona}: {response.content[:300]!r}"
    )
    if response.status_code >= 400:
        assert _fingerprint() == before, f"refused {method.upper()} {name} as {persona} changed the database"
        if name not in ("docs",):
            assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    elif method != "get":
        assert _fingerprint() != before, f"accepted {method.upper()} {name} as {persona} changed nothing"


def test_another_citys_object_looks_exactly_like_a_missing_one(matrix, api):
    client = api("b_coordinator")
    draft = matrix.extra["draft"].pk
    for suffix in ("", "answers/", "scores/", "actions/", "report.pdf"):
        hidden = client.get(f"/api/v1/assessments/{draft}/{suffix}")
        missing = client.get(f"/api/v1/assessments/999999/{suffix}")
        assert (hidden.status_code, hidden.content) == (missing.status_code, missing.content) == (404, missing.content)

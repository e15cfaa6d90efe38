"""The API does what the pages do: same rules, same services, one error format."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from ceds.api.tests.fixtures import fill, validated
from ceds.assessments.models import Answer, Assessment
from ceds.core.models import AuditEvent


def _json(response):
    return json.loads(response.content)


def test_the_whole_cycle_through_the_api(api_world, api):
    coordinator, regional = api("a_coordinator"), api("regional")
    created = coordinator.post(
        "/api/v1/assessments/",
        {"city": "seoul", "framework": "kinds", "period": "2023"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    for code, body in {
        "GV-01": {"kind": "level", "value": 2},
        "GV-02": {"kind": "scale", "value": 2},
        "GV-03": {"kind": "binary", "value": True},
        "GV-04": {"kind": "number", "value": 40},
        "SV-001": {"kind": "service", "status": "operating", "level": 3, "utilization": 40},
        "SV-002": {"kind": "service", "status": "planned"},
    }.items():
        saved = coordinator.put(
            f"/api/v1/assessments/{pk}/answers/{code}/", {"base_version": 0, **body}, content_type="application/json"
        )
        assert saved.status_code == 200, (code, saved.content)
    scores = coordinator.get(f"/api/v1/assessments/{pk}/scores/").json()
    assert scores["provisional"] is True and scores["computed_at"] is None and scores["overall_score"] is not None
    assert coordinator.post(f"/api/v1/assessments/{pk}/submit/").json()["status"] == "submitted"
    assert coordinator.post(f"/api/v1/assessments/{pk}/validate/").status_code == 403
    assert regional.post(f"/api/v1/assessments/{pk}/validate/").json()["status"] == "validated"
    published = coordinator.post(
        f"/api/v1/assessments/{pk}/publish/", {"sharing": "named"}, content_type="application/json"
    )
    assert published.json()["status"] == "published" and published.json()["sharing"] == "named"
    scores = coordinator.get(f"/api/v1/assessments/{pk}/scores/").json()
    assert scores["provisional"] is False and scores["computed_at"]
    explanation = coordinator.get(f"/api/v1/assessments/{pk}/scores/overall/").json()
    assert explanation["name"] == "Overall" and explanation["contributions"]
    report = coordinator.get(f"/api/v1/assessments/{pk}/report.pdf")
    assert report["Content-Type"] == "application/pdf" and report.content.startswith(b"%PDF")
    # The same audit trail as the pages.
    actions = set(AuditEvent.objects.filter(object_id=str(pk)).values_list("action", flat=True))
    assert {
        "assessment.open",
        "answer.save",
        "assessment.submit",
        "assessment.validate",
        "assessment.publish",
    } <= actions


def test_return_needs_comments_on_known_items(api_world, api):
    draft = api_world.extra["draft"]
    fill(api_world, draft)
    api("a_coordinator").post(f"/api/v1/assessments/{draft.pk}/submit/")
    regional = api("regional")
    bad = regional.post(
        f"/api/v1/assessments/{draft.pk}/return/",
        {"comments": [{"item": "XX-99", "comment": "?"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "XX-99" in bad.json()["detail"]
    empty = regional.post(f"/api/v1/assessments/{draft.pk}/return/", {"comments": []}, content_type="application/json")
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "comments"
    blank = regional.post(
        f"/api/v1/assessments/{draft.pk}/return/",
        {"comments": [{"item": "GV-01", "comment": "  "}]},
        content_type="application/json",
    )
    assert blank.status_code == 400
    returned = regional.post(
        f"/api/v1/assessments/{draft.pk}/return/",
        {"comments": [{"item": "GV-01", "comment": "Attach the strategy."}]},
        content_type="application/json",
    )
    assert returned.json()["status"] == "returned"


def test_answer_conflict_returns_the_current_answer(api_world, api):
    draft = api_world.extra["draft"]
    url = f"/api/v1/assessments/{draft.pk}/answers/GV-01/"
    first = api("a_coordinator").put(
        url, {"kind": "level", "base_version": 0, "value": 3}, content_type="application/json"
    )
    assert first.json()["version"] == 1
    late = api("a_coordinator").put(
        url, {"kind": "level", "base_version": 0, "value": 4}, content_type="application/json"
    )
    assert late.status_code == 409 and late["Content-Type"] == "application/problem+json"
    body = late.json()
    assert body["code"] == "conflict" and body["errors"][0]["field"] == "base_version"
    assert body["current"] == {**first.json(), "value": 3, "choice": None}
    assert Answer.objects.get(assessment=draft, item__code="GV-01").value == {"value": 3}
    cleared = api("a_coordinator").put(
        url, {"kind": "level", "base_version": 1, "choice": "clear"}, content_type="application/json"
    )
    assert cleared.status_code == 204 and not Answer.objects.filter(assessment=draft).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "level", "value": 3}, "base_version"),
        ({"kind": "level", "base_version": -1, "value": 3}, "base_version"),
        ({"kind": "level", "base_version": "0", "value": 3}, "base_version"),
        ({"kind": "level", "base_version": 0, "value": 9}, "value"),
        ({"kind": "level", "base_version": 0, "value": "three"}, "value"),
        ({"kind": "level", "base_version": 0, "value": "3"}, "value"),
        ({"kind": "level", "base_version": 0, "choice": "maybe"}, "choice"),
        ({"kind": "level", "base_version": 0}, "value"),
        ({"kind": "scale", "base_version": 0, "value": 3}, "kind"),
        ({"base_version": 0, "value": 3}, "kind"),
    ],
)
def test_bad_answers_name_the_field_and_save_nothing(api_world, api, body, field):
    draft = api_world.extra["draft"]
    response = api("a_coordinator").put(
        f"/api/v1/assessments/{draft.pk}/answers/GV-01/", body, content_type="application/json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] == "Invalid input"
    assert problem["errors"][0]["field"] == field and field in problem["detail"]
    assert not Answer.objects.filter(assessment=draft).exists()


def test_service_answers_are_checked_like_the_form(api_world, api):
    draft = api_world.extra["draft"]
    url = f"/api/v1/assessments/{draft.pk}/answers/SV-001/"
    response = api("a_coordinator").put(
        url,
        {"kind": "service", "base_version": 0, "status": "planned", "utilization": 30},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "utilization"
    response = api("a_coordinator").put(
        url, {"kind": "service", "base_version": 0, "status": "operating"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "level"


def test_opening_an_assessment_reports_each_problem_by_field(api_world, api):
    client = api("a_coordinator")
    bad = client.post(
        "/api/v1/assessments/",
        {"city": "seoul", "framework": "kinds", "period": "next year"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "period"
    unknown = client.post(
        "/api/v1/assessments/",
        {"city": "seoul", "framework": "nope", "period": "2027"},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "framework"
    twice = client.post(
        "/api/v1/assessments/",
        {"city": "seoul", "framework": "kinds", "period": "2026"},
        content_type="application/json",
    )
    assert twice.status_code == 409 and "already has an assessment" in twice.json()["detail"]
    assert twice.json()["code"] == "duplicate_period"
    for period in ("0529-PrJ", "1888", "2026-H3", 2026):
        wrong = client.post(
            "/api/v1/assessments/",
            {"city": "seoul", "framework": "kinds", "period": period},
            content_type="application/json",
        )
        assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "period", period
    other_city = client.post(
        "/api/v1/assessments/",
        {"city": "barcelona", "framework": "kinds", "period": "2027"},
        content_type="application/json",
    )
    assert other_city.status_code == 404
    assert Assessment.objects.count() == 1
    not_json = client.post("/api/v1/assessments/", "city=seoul", content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 415


def test_lists_filter_paginate_and_order_stably(api_world, api):
    validated(api_world, "2024")
    validated(api_world, "2025")
    client = api("secretariat")
    everything = client.get("/api/v1/assessments/").json()
    assert [a["period"] for a in everything["results"]] == ["2026", "2025", "2024"]
    assert client.get("/api/v1/assessments/?status=validated&city=seoul").json()["count"] == 2
    assert client.get("/api/v1/assessments/?region=europe").json()["count"] == 0
    assert client.get("/api/v1/assessments/?period=2025&framework=kinds").json()["count"] == 1
    pages = [client.get(f"/api/v1/assessments/?page_size=1&page={n}").json()["results"][0]["id"] for n in (1, 2, 3)]
    assert len(set(pages)) == 3
    bad = client.get("/api/v1/assessments/?status=finished")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "status"
    assert client.get("/api/v1/assessments/?page=99").status_code == 404
    for query, name in [
        ("region=zzz", "region"),
        ("city=atlantis", "city"),
        ("framework=nope", "framework"),
        ("period=1888", "period"),
        ("status=", "status"),
        ("page_size=abc", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page=abc", "page"),
    ]:
        wrong = client.get(f"/api/v1/assessments/?{query}")
        assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == name, query
    for url, name in [
        ("/api/v1/cities/?region=zzz", "region"),
        ("/api/v1/cities/?kind=", "kind"),
        ("/api/v1/cities/?country=XX", "country"),
        ("/api/v1/practices/?year=0.5", "year"),
        ("/api/v1/practices/?origin=moon", "origin"),
    ]:
        wrong = client.get(url)
        assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == name, url
    # Another city's coordinator sees none of city A's assessments.
    assert api("b_coordinator").get("/api/v1/assessments/").json()["count"] == 0


def test_city_details_show_profile_and_budgets_only_to_readers(api_world, api):
    public = api("anonymous").get("/api/v1/cities/seoul/").json()
    assert public["name"] == "Seoul" and public["profile"] is None and public["budgets"] is None
    own = api("a_viewer").get("/api/v1/cities/seoul/").json()
    assert own["profile"]["ict_staff"] == 40
    assert api("b_viewer").get("/api/v1/cities/seoul/").json()["profile"] is None


def test_city_profile_and_budget_are_changed_by_the_coordinator_with_form_rules(api_world, api):
    client = api("a_coordinator")
    profile = client.put(
        "/api/v1/cities/seoul/profile/",
        {
            "population_band": "over_5m",
            "budget_band": "large",
            "ict_staff": 90,
            "internet_penetration": 97,
            "income_group": "high",
        },
        content_type="application/json",
    )
    assert profile.status_code == 200 and profile.json()["ict_staff"] == 90
    for body, name in [
        ({"population_band": "over_5m", "budget_band": "large", "ict_staff": 90, "income_group": {}}, "income_group"),
        ({"population_band": "over_5m", "budget_band": "large"}, "ict_staff"),
        ({"population_band": "over_5m", "budget_band": "large", "ict_staff": "90"}, "ict_staff"),
    ]:
        wrong = client.put("/api/v1/cities/seoul/profile/", body, content_type="application/json")
        assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == name, body
    assert client.get("/api/v1/cities/seoul/").json()["profile"]["income_group"] == "high"
    for body, name in [({"planned": 10}, "currency"), ({"currency": "USD", "planned": "10"}, "planned")]:
        wrong = client.put("/api/v1/cities/seoul/budgets/2025/", body, content_type="application/json")
        assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == name, body
    bad = client.put(
        "/api/v1/cities/seoul/budgets/2025/", {"currency": "US$", "planned": 10}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "currency"
    split = client.put(
        "/api/v1/cities/seoul/budgets/2025/",
        {"currency": "KRW", "planned": 100, "planned_admin": 80, "planned_life": 40},
        content_type="application/json",
    )
    assert split.status_code == 400 and split.json()["errors"][0]["field"] == "planned_admin"
    good = client.put(
        "/api/v1/cities/seoul/budgets/2025/",
        {"currency": "krw", "planned": 100, "actual": 90},
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["currency"] == "KRW" and good.json()["year"] == 2025
    assert (
        api("a_viewer")
        .put("/api/v1/cities/seoul/budgets/2025/", {"currency": "USD", "planned": 1}, content_type="application/json")
        .status_code
        == 403
    )


def test_benchmarks_hide_groups_under_five_and_drafts(api_world, api):
    own = validated(api_world, "2025", sharing="named")
    draft = api_world.extra["draft"]
    assert api("a_coordinator").get(f"/api/v1/assessments/{draft.pk}/benchmarks/").status_code == 404
    rows = api("a_coordinator").get(f"/api/v1/assessments/{own.pk}/benchmarks/").json()
    assert rows, "the city belongs to peer groups"
    assert {r["figure"] for r in rows} >= {"overall"} and {r["group_kind"] for r in rows} >= {"all", "region"}
    assert all(not r["shown"] and r["median"] is None and r["percentile"] is None for r in rows), (
        "one city is not a peer group"
    )


def test_provisional_results_only_for_those_who_may_see_them(api_world, api):
    draft = api_world.extra["draft"]
    fill(api_world, draft)
    assert api("a_coordinator").get(f"/api/v1/assessments/{draft.pk}/scores/").json()["provisional"] is True
    assert api("regional").get(f"/api/v1/assessments/{draft.pk}/scores/").status_code == 200
    assert api("a_viewer").get(f"/api/v1/assessments/{draft.pk}/scores/").status_code == 404
    assert api("a_viewer").get(f"/api/v1/assessments/{draft.pk}/report.pdf").status_code == 404


def test_action_plan_read_by_the_city_written_by_the_coordinator(api_world, api):
    draft = api_world.extra["draft"]
    url = f"/api/v1/assessments/{draft.pk}/actions/"
    bad = api("a_coordinator").post(
        url, {"title": "Train staff", "linked_items": ["ZZ-1"]}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "linked_items"
    made = api("a_coordinator").post(
        url, {"title": "Train staff", "status": "planned", "linked_items": ["gv-01"]}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["linked_items"] == ["GV-01"]
    assert api("a_viewer").get(url).json()["count"] == 1
    assert api("a_viewer").post(url, {"title": "x"}, content_type="application/json").status_code == 403


def test_rate_limit_per_token(api_world, api, monkeypatch):
    from django.core.cache import cache

    from ceds.api.auth import TokenRateThrottle

    cache.clear()
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    client = api("a_viewer")
    statuses = [client.get("/api/v1/frameworks/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/frameworks/")
    assert int(limited["Retry-After"]) > 0 and limited.json()["title"] == "Too many requests"
    assert api("b_viewer").get("/api/v1/frameworks/").status_code == 200, "each token has its own budget"
    cache.clear()


def test_open_data_has_named_results_only_in_three_formats(api_world, api, world):
    world.city_a.local_names = {"ko": "서울특별시"}
    world.city_a.save()
    named = validated(api_world, "2025", sharing="named")
    dataset = api("anonymous").get("/api/v1/open-data/").json()
    assert dataset["licence"] == "CC-BY-4.0"
    assert dataset["datasets"] == [
        {
            "framework": "kinds",
            "period": "2025",
            "cities": 1,
            "links": {f: f"/api/v1/open-data/kinds/2025.{f}" for f in ("csv", "json", "xlsx")},
        }
    ]
    page = api("anonymous").get("/open-data/").content.decode()
    assert all(f'href="/api/v1/open-data/kinds/2025.{f}"' in page for f in ("csv", "json", "xlsx")), page
    assert api("a_coordinator").get(f"/api/v1/assessments/{named.pk}/").json()["links"]["open_data"] == (
        "/api/v1/open-data/kinds/2025.json"
    )
    raw = api("anonymous").get("/api/v1/open-data/kinds/2025.csv").content
    assert raw.startswith(b"\xef\xbb\xbfcity,city_name,city_name_local,"), "UTF-8 with a byte-order mark"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["city_name"] == "Seoul" and rows[0]["city_name_local"] == "서울특별시"
    assert [r["city"] for r in rows] == ["seoul"] and float(rows[0]["overall_score"]) == round(
        named.snapshots.get().overall_score, 2
    )
    document = api("anonymous").get("/api/v1/open-data/kinds/2025.json").json()
    assert {c["name"] for c in document["columns"]} >= {"overall_score", "section_GV_score", "part_A_level"}
    assert document["rows"][0]["region"] == "asia_pacific"
    book = load_workbook(io.BytesIO(api("anonymous").get("/api/v1/open-data/kinds/2025.xlsx").content))
    assert book["data"]["A2"].value == "seoul" and book["dictionary"]["B1"].value == "CC-BY-4.0"
    header = [c.value for c in book["data"][1]]
    validated_at = book["data"].cell(2, header.index("validated_at") + 1)
    assert validated_at.is_date and validated_at.value.date() == named.validated_at.date()
    assert validated_at.number_format == "yyyy-mm-dd"
    period = book["data"].cell(2, header.index("period") + 1)
    assert period.value == "2025" and period.data_type == "s" and period.number_format == "@"
    assert book["data"].cell(2, header.index("city_name_local") + 1).value == "서울특별시"
    assert document["rows"][0]["validated_at"] == named.validated_at.date().isoformat()
    dictionary = api("anonymous").get("/api/v1/open-data/kinds/dictionary/").json()["columns"]
    assert [c["name"] for c in dictionary][:3] == ["city", "city_name", "city_name_local"]
    # Anonymous sharing removes the city from every file.
    from ceds.assessments import services as workflow

    workflow.publish(world["a_coordinator"], named, "anonymous")
    assert api("anonymous").get("/api/v1/open-data/").json()["datasets"] == []
    assert api("anonymous").get("/api/v1/open-data/kinds/2025.csv").content.decode().count("\n") == 1
    assert api("anonymous").get("/api/v1/open-data/kinds/2025.pdf").status_code == 404
    assert api("anonymous").get("/api/v1/open-data/nope/2025.csv").status_code == 404


def test_the_secretariat_sets_the_open_data_licence(world, client_for):
    page = client_for(None).get("/open-data/")
    assert page.status_code == 200 and "Creative Commons Attribution 4.0" in page.content.decode()
    assert (
        client_for(world["a_coordinator"]).post("/open-data/", {"licence": "CC0-1.0", "attribution": "x"}).status_code
        == 403
    )
    client_for(world["secretariat"]).post("/open-data/", {"licence": "CC0-1.0", "attribution": "WeGO"})
    assert client_for(None).get("/api/v1/open-data/").json()["licence"] == "CC0-1.0"
    assert AuditEvent.objects.filter(action="opendata.licence").exists()


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    spec = json.loads(schema.content)
    assert spec["openapi"].startswith("3.") and "/api/v1/assessments/{id}/submit/" in spec["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs
    assert client.get("/api/v1/docs/?script=").status_code == 200


@pytest.mark.parametrize("debug", [False, True])
def test_every_unknown_api_path_is_a_problem_document(api_world, api, settings, debug):
    settings.DEBUG = debug
    client = api("a_coordinator")
    for method, url in [
        ("get", "/api/v1/nope/"),
        ("get", "/api/v1/assessments/abc/"),
        ("get", "/api/v1/assessments/999999/"),
        ("get", "/api/v1/assessments/1/answers/GV-01/extra/"),
        ("post", "/api/v1/frameworks/x/y/z/"),
        ("delete", "/api/v1/open-data/kinds/2025.pdf"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json" and response.json()["code"] == "not_found"


def test_workflow_state_errors_are_409_with_a_code(api_world, api):
    draft = api_world.extra["draft"]
    coordinator = api("a_coordinator")
    incomplete = coordinator.post(f"/api/v1/assessments/{draft.pk}/submit/")
    assert incomplete.status_code == 409 and incomplete.json()["code"] == "incomplete"
    early = coordinator.post(
        f"/api/v1/assessments/{draft.pk}/publish/", {"sharing": "named"}, content_type="application/json"
    )
    assert early.status_code == 409 and early.json()["code"] == "invalid_transition"
    published = validated(api_world, "2025", sharing="named")
    again = coordinator.post(f"/api/v1/assessments/{published.pk}/submit/")
    assert again.status_code == 409 and again.json()["code"] in ("incomplete", "invalid_transition")
    locked = coordinator.put(
        f"/api/v1/assessments/{published.pk}/answers/GV-01/",
        {"kind": "level", "base_version": 1, "value": 4},
        content_type="application/json",
    )
    assert locked.status_code == 409 and locked.json()["code"] == "assessment_locked"


def test_benchmarks_are_there_on_the_first_read_after_validation(api_world, api):
    own = validated(api_world, "2025")
    rows = api("a_coordinator").get(f"/api/v1/assessments/{own.pk}/benchmarks/").json()
    assert rows and all(r["n"] == 0 and not r["shown"] for r in rows)
    api("a_coordinator").post(
        f"/api/v1/assessments/{own.pk}/publish/", {"sharing": "named"}, content_type="application/json"
    )
    after = api("a_coordinator").get(f"/api/v1/assessments/{own.pk}/benchmarks/").json()
    assert [(r["figure"], r["group_kind"]) for r in after] == [(r["figure"], r["group_kind"]) for r in rows]
    assert all(r["n"] == 1 for r in after)


def test_answers_read_in_the_shape_they_are_written(api_world, api):
    draft = api_world.extra["draft"]
    fill(api_world, draft)
    client = api("a_coordinator")
    answers = client.get(f"/api/v1/assessments/{draft.pk}/answers/").json()["results"]
    by_item = {a["item"]: a for a in answers}
    assert by_item["GV-01"]["kind"] == "level" and by_item["GV-01"]["value"] == 2 and by_item["GV-01"]["choice"] is None
    assert by_item["GV-03"]["value"] is True and by_item["SV-002"]["status"] == "planned"
    assert by_item["SV-001"]["utilization"] == 40 and by_item["SV-002"]["level"] is None
    for code, answer in by_item.items():
        written = client.put(
            f"/api/v1/assessments/{draft.pk}/answers/{code}/",
            {**answer, "base_version": answer["version"]},
            content_type="application/json",
        )
        assert written.status_code == 200, (code, written.content)
        assert {k: v for k, v in written.json().items() if k not in ("version", "updated_at")} == {
            k: v for k, v in answer.items() if k not in ("version", "updated_at")
        }
    na = client.put(
        f"/api/v1/assessments/{draft.pk}/answers/GV-01/",
        {"kind": "level", "base_version": by_item["GV-01"]["version"] + 1, "choice": "dont_know"},
        content_type="application/json",
    )
    assert na.json()["choice"] == "dont_know" and na.json()["value"] is None


def test_an_unknown_filter_value_with_a_percent_sign_is_a_400_naming_it(api_world, api):
    response = api("a_coordinator").get("/api/v1/cities/", {"region": "50%d of %(x)s"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "region" and "50%d of %(x)s" in body["errors"][0]["message"]

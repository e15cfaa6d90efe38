"""Dashboard, explanations, benchmarks, history, map and rankings: content, privacy and query counts."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceds.assessments import services
from ceds.assessments.models import Assessment
from ceds.benchmarks.models import Leaderboard, PeerStat
from ceds.benchmarks.tests.helpers import ANSWERS, published_peers, validated_result
from ceds.cities.models import BudgetYear
from ceds.frameworks.models import FrameworkVersion, Item


def test_dashboard_shows_headline_tables_charts_and_budget(world, kinds, client_for):
    BudgetYear.objects.create(city=world.city_a, year=2025, planned=1000, actual=870)
    validated_result(world, kinds, "2024", {**ANSWERS, "GV-01": {"choice": "2"}})
    current = validated_result(world, kinds, "2025")
    published_peers(kinds, "2025", 6)
    page = client_for(world["a_viewer"]).get(f"/assessments/{current.pk}/dashboard/")
    assert page.status_code == 200
    text = page.content.decode()
    snapshot = current.snapshots.get(is_current=True)
    assert f"{snapshot.overall_score:.1f}" in text
    assert page.context["radar"] is None, "one dimension only: no radar"
    assert 'role="img"' in text
    assert "Operation (%)" in text and f'href="/assessments/{current.pk}/services/"' in text
    assert "87.0 %" in text, "budget execution rate"
    assert "As-is and to-be" in text
    services = client_for(world["a_viewer"]).get(f"/assessments/{current.pk}/services/")
    assert services.status_code == 200 and "ipMail System (plus Mail)" in services.content.decode()
    filtered = client_for(world["a_viewer"]).get(f"/assessments/{current.pk}/services/?status=developing")
    services_rows = [r["item"].code for r in filtered.context["services"]]
    assert services_rows == ["SV-002"]


def test_every_figure_explains_itself(world, kinds, client_for):
    current = validated_result(world, kinds, "2025")
    client = client_for(world["a_viewer"])
    overall = client.get(f"/assessments/{current.pk}/explain/overall/")
    assert overall.status_code == 200
    shown = sum(c["points"] for c in overall.context["contributions"])
    assert shown == pytest.approx(overall.context["figure"]["score"])
    section = client.get(f"/assessments/{current.pk}/explain/section:GV/")
    assert [c["key"] for c in section.context["contributions"]] == [
        "item:GV-01",
        "item:GV-02",
        "item:GV-03",
        "item:GV-04",
    ]
    assert client.get(f"/assessments/{current.pk}/explain/item:GV-01/").status_code == 200
    assert client.get(f"/assessments/{current.pk}/explain/section:XX/").status_code == 404


def test_benchmark_page_shows_peer_statistics_and_hides_small_groups(world, kinds, client_for):
    current = validated_result(world, kinds, "2025")
    published_peers(kinds, "2025", 3)
    page = client_for(world["a_coordinator"]).get(f"/assessments/{current.pk}/benchmark/")
    text = page.content.decode()
    assert "No peer comparison: 4 cities share a validated result for 2025 or 2024; at least 5" in text
    assert "latest validated result of 2025 or 2024" in text, "the page says which periods are peers"
    published_peers(kinds, "2025", 5, start=3)  # 9 results, 3 of them anonymous: too few anonymous ones
    page = client_for(world["a_coordinator"]).get(f"/assessments/{current.pk}/benchmark/")
    text = page.content.decode()
    assert "too few of the results shared anonymously" in text and "Median</th>" in text
    assert not any(r["peer"].shown for r in page.context["rows"])
    ranking = page.context["ranking"]
    assert any(r["own"] for r in ranking) and len(ranking) == 6, "named peers and the own city, never anonymous"
    assert {r["label"] for r in ranking} <= {"Seoul"} | {f"Peer {n}" for n in (1, 2, 4, 5, 7)}
    published_peers(kinds, "2025", 7, start=8)  # 16 results, 5 of them anonymous
    page = client_for(world["a_coordinator"]).get(f"/assessments/{current.pk}/benchmark/")
    assert page.context["rows"] and all(r["peer"].shown for r in page.context["rows"])
    assert "a city in" not in page.content.decode()


def test_benchmark_page_compares_with_one_peer_group_at_a_time(world, kinds, client_for):
    current = validated_result(world, kinds, "2025")
    published_peers(kinds, "2025", 8)
    client = client_for(world["a_coordinator"])
    page = client.get(f"/assessments/{current.pk}/benchmark/")
    assert page.context["group"] == "all" and {r["peer"].group_kind for r in page.context["rows"]} == {"all"}
    groups = {g["kind"]: g for g in page.context["groups"]}
    assert groups["region"]["value"] == world.city_a.region.name
    assert 'href="?group=region"' in page.content.decode() and 'aria-current="page">All cities' in page.content.decode()
    region = client.get(f"/assessments/{current.pk}/benchmark/?group=region")
    rows = region.context["rows"]
    assert {r["peer"].group_kind for r in rows} == {"region"} and rows[0]["key"] == "overall"
    assert all(r["peer"].group_value == world.city_a.region.code for r in rows)
    unknown = client.get(f"/assessments/{current.pk}/benchmark/?group=planet")
    assert unknown.context["group"] == "all", "a group the city is not in falls back to all cities"


def test_history_and_compare(world, kinds, client_for):
    older = validated_result(world, kinds, "2024", {**ANSWERS, "GV-01": {"choice": "2"}})
    newer = validated_result(world, kinds, "2025")
    client = client_for(world["a_viewer"])
    history = client.get(f"/assessments/{newer.pk}/history/")
    assert history.context["periods"] == ["2024", "2025"]
    compare = client.get(f"/assessments/{newer.pk}/compare/{older.pk}/")
    changes = compare.context["changes"]
    assert [c["code"] for c in changes] == ["GV-01"]
    # GV-01 weighs 2 of the 2+3+1+2 = 8 weight in GV; from level 2 (25) to 4 (75) adds 50 × 2/8 = 12.5 points.
    assert changes[0]["delta"] == pytest.approx(12.5)


def test_a_cycle_and_the_one_before_are_read_in_one_query_each(world, kinds):
    from ceds.benchmarks.results import previous_cycle, results_for

    first = validated_result(world, kinds, "2023", {**ANSWERS, "GV-01": {"choice": "1"}})
    second = validated_result(world, kinds, "2024", {**ANSWERS, "GV-01": {"choice": "2"}})
    third = Assessment.objects.select_related("framework_version").get(pk=validated_result(world, kinds, "2025").pk)
    stored = third.snapshots.get(is_current=True)
    with CaptureQueriesContext(connection) as captured:
        results, summary, previous = (
            results_for(third, False),
            results_for(third, False, summary=True),
            previous_cycle(third),
        )
    assert len(captured) == 3
    assert results.figures == stored.figures and not results.provisional and results.computed_at == stored.computed_at
    assert summary.figures == stored.summary and "item:GV-01" not in summary.figures
    assert (
        "contributions" not in summary.figures["overall"]
        and summary.figures["overall"]["score"] == stored.overall_score
    )
    assert (previous.assessment_id, previous.period) == (second.pk, "2024")
    assert previous.scores == second.snapshots.get(is_current=True).scores
    assert previous_cycle(first) is None, "no earlier cycle"
    draft = services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2026", carry_forward=True)
    assert results_for(draft, may_see_provisional=True).provisional and previous_cycle(draft).period == "2025"
    assert results_for(draft, may_see_provisional=False) is None


def test_map_and_rankings_show_named_results_only(world, kinds, client_for):
    validated_result(world, kinds, "2025", sharing="named")
    published_peers(kinds, "2025", 3)
    anonymous = client_for(None)
    page = anonymous.get("/map/?framework=kinds")
    text = page.content.decode()
    assert page.status_code == 200 and "Seoul" in text and 'href="/public/cities/seoul/"' in text
    names = {r.name for r in page.context["results"]}
    assert names == {"Seoul", "Peer 1", "Peer 2"}, "Peer 0 shares anonymously"
    ranking = anonymous.get("/rankings/?framework=kinds").context["page"]
    assert {r.name for r in ranking} == {"Seoul", "Peer 1", "Peer 2"}, "Peer 0 shares anonymously"
    scores = [r.overall_score for r in ranking]
    assert scores == sorted(scores, reverse=True) and ranking[0].href.startswith("/public/cities/")
    assert anonymous.get("/public/cities/seoul/").status_code == 200
    assert anonymous.get("/public/cities/peer-0/").status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["dashboard", "services", "benchmark", "history", "report", "map", "rankings", "api"])
def test_query_counts_do_not_grow_with_the_number_of_cities(world, kinds, client_for, path):
    current = validated_result(world, kinds, "2025")
    client = client_for(world["a_coordinator"])
    url = {
        "dashboard": f"/assessments/{current.pk}/dashboard/",
        "benchmark": f"/assessments/{current.pk}/benchmark/",
        "history": f"/assessments/{current.pk}/history/",
        "services": f"/assessments/{current.pk}/services/",
        "report": f"/assessments/{current.pk}/report/",
        "api": "/api/v1/assessments/",
        "map": "/map/?framework=kinds",
        "rankings": "/rankings/?framework=kinds",
    }[path]
    published_peers(kinds, "2025", 10)
    _queries(client, url)  # a process parses a framework definition on first use: not counted
    few = _queries(client, url)
    published_peers(kinds, "2025", 190, start=10)
    many = _queries(client, url)
    assert few == many, f"{path}: {few} queries at 10 cities, {many} at 200"


def test_dashboard_of_the_ceds_golden_city_shows_the_radar_and_every_table(world, client_for):
    """The real CeDS framework: radar of six dimensions, internal/external rows, domain table."""
    from pathlib import Path

    import yaml

    from ceds.assessments.scoring import store_snapshot

    call_command("load_content", stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="ceds", version=1)
    fixture = Path(__file__).resolve().parents[2] / "assessments" / "tests" / "fixtures" / "golden_city.yaml"
    answers = yaml.safe_load(fixture.read_text(encoding="utf-8"))["answers"]
    assessment = Assessment.objects.create(
        city=world.city_a, framework_version=version, period="2025", status="validated"
    )
    items = {i.code: i for i in Item.objects.filter(framework_version=version)}
    from ceds.assessments.models import Answer

    Answer.objects.bulk_create(Answer(assessment=assessment, item=items[c], value=v) for c, v in answers.items())
    store_snapshot(assessment)
    page = client_for(world["a_viewer"]).get(f"/assessments/{assessment.pk}/dashboard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert page.context["radar"] is not None and len(page.context["radar"]["axes"]) == 6
    assert "48.0" in text, "the golden example's overall score"
    assert f"/assessments/{assessment.pk}/explain/group:A/internal/" in text
    average = page.context["domains"]["average"]
    assert average["extra"]["total"] == 105 and round(average["score"], 1) == 46.6
    # Dimensions are numbered 1-6 through Part A, as on the radar; each overall says what it is.
    assert "4. ICT Network" in text and "1. ICT Network" not in text
    assert "Mean of e-Government maturity + e-Government systems" in text
    assert "Overall level of e-Government maturity" in text
    explain = client_for(world["a_viewer"]).get(f"/assessments/{assessment.pk}/explain/group:A/internal/")
    assert explain.status_code == 200


def test_a_new_cycle_is_compared_with_each_citys_latest_result_of_the_window(world, kinds, client_for):
    published_peers(kinds, "2025", 15)  # Peer 0, 3, 6, 9 and 12 share anonymously
    validated_result(world, kinds, "2025")
    current = validated_result(world, kinds, "2026")  # the first city of the new cycle
    page = client_for(world["a_coordinator"]).get(f"/assessments/{current.pk}/benchmark/")
    text = page.content.decode()
    assert "latest validated result of 2026 or 2025." in text, "the page says which periods are peers"
    overall = next(r["peer"] for r in page.context["rows"] if r["key"] == "overall")
    assert overall.shown and overall.n == 16, "15 peers of 2025 and Seoul once, with its 2026 result"
    leaders = Leaderboard.objects.get(framework_version=kinds, period="2026").entries
    assert [e["city"] for e in leaders].count("Seoul") == 1 and len(leaders) == 11
    assert (
        PeerStat.objects.get(framework_version=kinds, period="2027", group_kind="all", figure_key="overall").n == 1
    ), "a result is a peer of the next period too"


def test_rankings_default_to_the_latest_period_with_five_published_results(world, kinds, client):
    published_peers(kinds, "2025", 8)  # five of them by name
    validated_result(world, kinds, "2026")
    page = client.get("/rankings/?framework=kinds")
    assert page.context["period"] == "2025" and "Period shown: 2025." in page.content.decode()
    assert "at least 5 cities published" in page.content.decode()
    chosen = client.get("/rankings/?framework=kinds&period=2026")
    assert chosen.context["period"] == "2026" and [s.name for s in chosen.context["page"]] == ["Seoul"]
    assert "at least 5 cities published" not in chosen.content.decode()

import io

import pytest
from django.core.management import call_command

from ceds.assessments import services as assessment_services
from ceds.assessments.models import SectionTarget
from ceds.content.tests.helpers import FIXTURE
from ceds.frameworks.models import FrameworkVersion
from ceds.solutions.tests.helpers import LOW, validated_cycle


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
    assert [p.code for p in client.get("/practices/?q=SEOUL").context["practices"]] == ["sample-case"]
    assert client.get("/practices/?q=nowhere").context["practices"] == []


def test_action_plan_adopt_edit_and_follow_up_in_the_next_cycle(world, validated, client_for):
    from ceds.solutions.models import Action

    coordinator = client_for(world["a_coordinator"])
    assert coordinator.post(f"/assessments/{validated.pk}/actions/adopt/strategy/").status_code == 302
    coordinator.post(f"/assessments/{validated.pk}/actions/adopt/strategy/")  # adopting twice keeps one
    action = Action.objects.get()
    assert action.linked_items == ["GV-01", "GV-02", "GV-03", "GV-04"]
    response = coordinator.post(
        f"/assessments/{validated.pk}/actions/{action.pk}/",
        {
            "title": action.title,
            "owner": "CIO office",
            "due_date": "2026-06-30",
            "status": "done",
            "note": "Approved by council",
            "linked": "GV-01, XX-99",
        },
    )
    assert "Not items of this framework: XX-99" in str(response.context["form"].errors)
    coordinator.post(
        f"/assessments/{validated.pk}/actions/{action.pk}/",
        {
            "title": action.title,
            "owner": "CIO office",
            "due_date": "2026-06-30",
            "status": "done",
            "note": "Approved",
            "linked": "GV-01",
        },
    )
    action.refresh_from_db()
    assert (action.status, action.linked_items, action.owner) == ("done", ["GV-01"], "CIO office")
    own = coordinator.post(
        f"/assessments/{validated.pk}/actions/",
        {"new-title": "Train 40 staff", "new-status": "planned", "new-linked": "GV-04"},
    )
    assert own.status_code == 302 and Action.objects.count() == 2
    assert client_for(world["a_viewer"]).post(f"/assessments/{validated.pk}/actions/adopt/e-mail/").status_code == 403
    assert client_for(world["a_viewer"]).get(f"/assessments/{validated.pk}/actions/").status_code == 200

    # The next cycle: GV-01 rose from 1 to 4; the comparison shows the action and the move.
    newer = validated_cycle(world, validated.framework_version, "2026", {**LOW, "GV-01": {"choice": "4"}})
    page = coordinator.get(f"/assessments/{newer.pk}/compare/{validated.pk}/")
    rows = {r["action"].title: r for r in page.context["actions"]}
    done = rows[action.title]
    assert done["action"].status == "done" and done["moves"] == [{"code": "GV-01", "before": 1, "after": 4}]


def test_validation_works_out_the_default_roadmap_and_pages_read_it(world, validated, client_for, monkeypatch):
    from ceds.solutions import planning
    from ceds.solutions.models import RoadmapMemo

    assert RoadmapMemo.objects.count() == 1, "validation planned the default roadmap"
    planned = RoadmapMemo.objects.get().roadmap

    def must_not_plan(*args, **kwargs):
        raise AssertionError("the stored roadmap should have been read")

    monkeypatch.setattr(planning, "plan", must_not_plan)
    page = client_for(world["a_viewer"]).get(f"/assessments/{validated.pk}/plan/")
    assert page.status_code == 200
    roadmap = page.context["plan"].roadmap
    assert roadmap.phases == {int(k): v for k, v in planned["phases"].items()}
    assert roadmap.planned_score == planned["planned_score"]


def test_a_different_budget_is_planned_afresh_and_stored(world, validated, client_for):
    from ceds.solutions.models import RoadmapMemo

    client = client_for(world["a_viewer"])
    small = client.get(f"/assessments/{validated.pk}/plan/?budget=1000&staff=1").context["plan"].roadmap
    assert RoadmapMemo.objects.count() == 2
    again = client.get(f"/assessments/{validated.pk}/plan/?budget=1000&staff=1").context["plan"].roadmap
    assert RoadmapMemo.objects.count() == 2 and again == small


def test_the_plan_names_the_best_peers_sharing_by_name_for_each_gap(world, validated, client_for):
    from ceds.benchmarks.tests.helpers import published_peers
    from ceds.solutions.services import learn_from

    version = validated.framework_version
    published_peers(version, "2025", 9)  # Peer 0, 3 and 6 share anonymously
    assessment_services.publish(world["a_coordinator"], validated, "named")
    peers = learn_from(validated, ["GV"])["GV"]
    names = [city["name"] for _score, city in peers]
    assert len(names) == 3 and "Seoul" not in names, "the city itself is not offered as its own example"
    assert not {"Peer 0", "Peer 3", "Peer 6"} & set(names), "anonymous results are never named"
    scores = [score for score, _city in peers]
    assert scores == sorted(scores, reverse=True)
    page = client_for(world["a_viewer"]).get(f"/assessments/{validated.pk}/plan/")
    assert f"{names[0]} scores" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [("horizon=0", "Horizon"), ("horizon=50", "Horizon"), ("budget=-5", "Annual budget"), ("staff=abc", "Staff")],
)
def test_bad_roadmap_input_names_the_field_and_changes_nothing(world, validated, client_for, query, field):
    client = client_for(world["a_coordinator"])
    default = client.get(f"/assessments/{validated.pk}/plan/").context["plan"]
    page = client.get(f"/assessments/{validated.pk}/plan/?{query}")
    assert page.status_code == 200
    assert field in page.content.decode() and page.context["roadmap_form"].errors
    assert page.context["plan"].roadmap.phases == default.roadmap.phases


def test_unlimited_budget_and_a_horizon_replan(world, validated, client_for):
    plan = (
        client_for(world["a_coordinator"])
        .get(f"/assessments/{validated.pk}/plan/?horizon=2&budget=unlimited&staff=unlimited")
        .context["plan"]
    )
    assert plan.horizon == 2 and plan.roadmap.horizon == 2 and plan.budget == "unlimited"
    assert len(plan.roadmap.years) == 2


def test_what_the_answers_show_in_place_is_listed_and_never_planned_again(world, client_for):
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    answers = {**LOW, "SV-001": {"status": "operating", "level": "4", "utilization": "60"}}
    assessment = validated_cycle(world, FrameworkVersion.objects.get(framework_id="kinds"), "2025", answers)
    page = client_for(world["a_coordinator"]).get(f"/assessments/{assessment.pk}/plan/?budget=unlimited&staff=10")
    plan = page.context["plan"]
    scheduled = {code for codes in plan.roadmap.phases.values() for code in codes}
    assert plan.done == ["e-mail"] and "e-mail" not in scheduled and "strategy" in scheduled
    text = page.content.decode()
    assert "already in place" in text and "Official e-mail" in text.split("already in place")[1]


def test_the_plan_in_the_api_separates_roadmap_done_and_exclusions(world, validated, client_for):
    client = client_for(world["a_viewer"])
    body = client.get(f"/api/v1/assessments/{validated.pk}/plan/?horizon=3&budget=unlimited&staff=unlimited").json()
    assert body["horizon"] == 3 and body["budget"] == "unlimited" and body["staff"] == "unlimited"
    assert body["gaps"][0]["item"] == "GV-01" and body["gaps"][0]["priority"] > 0
    recommendation = next(r for r in body["recommendations"] if r["module"] == "strategy")
    assert recommendation["necessary"] is True and isinstance(recommendation["reasonable"], bool)
    assert recommendation["reasons"] and set(recommendation["cost"]) == {"one_off", "yearly", "staff", "years", "route"}
    assert [year["year"] for year in body["roadmap"]] == [1, 2, 3]
    assert "strategy" in body["roadmap"][0]["starting"]
    placed = {c for year in body["roadmap"] for c in year["starting"]}
    assert not placed & {e["module"] for e in body["excluded"]} and not placed & set(body["done"])
    page_plan = client.get(f"/assessments/{validated.pk}/plan/?horizon=3&budget=unlimited&staff=unlimited")
    assert page_plan.context["plan"].roadmap.phases == {y["year"]: y["starting"] for y in body["roadmap"]}


@pytest.mark.parametrize(
    ("query", "field"),
    [("horizon=0", "horizon"), ("horizon=50", "horizon"), ("budget=-5", "budget"), ("staff=abc", "staff")],
)
def test_bad_plan_input_in_the_api_names_the_field(world, validated, client_for, query, field):
    response = client_for(world["a_viewer"]).get(f"/api/v1/assessments/{validated.pk}/plan/?{query}")
    assert response.status_code == 400
    assert field in str(response.json())


def test_default_budget_is_the_citys_share_of_its_latest_budget_in_dollars(world):
    from decimal import Decimal

    from ceds.cities.models import BudgetYear, CityProfile
    from ceds.solutions.services import default_capacity

    CityProfile.objects.update_or_create(
        city=world.city_a,
        defaults={"population_band": "over_5m", "budget_band": "large", "ict_staff": 40, "new_projects_share": 25},
    )
    BudgetYear.objects.create(city=world.city_a, year=2024, currency="USD", planned=Decimal("1000000"))
    BudgetYear.objects.create(city=world.city_a, year=2025, currency="KRW", planned=Decimal("137905260000"))
    city = type(world.city_a).objects.get(pk=world.city_a.pk)
    capacity = default_capacity(city)
    # KRW 137,905,260,000 at 1,379.0526 won to the dollar (Fed G.5, June 2024) = USD 100 million; 25 % of it.
    assert (capacity.budget, capacity.staff, capacity.budget_year, capacity.converted) == (25_000_000, 10.0, 2025, True)
    BudgetYear.objects.create(city=world.city_a, year=2026, currency="XOF", planned=Decimal("5000000"))
    unknown = default_capacity(city)
    assert unknown.converted is False and unknown.budget == 5_000_000, "25 % of the large band's USD 20 million"


def test_national_platforms_and_the_share_are_kept_through_the_api(world, client_for):
    import json

    from ceds.cities.models import CityProfile

    client = client_for(world["a_coordinator"])
    url = f"/api/v1/cities/{world.city_a.slug}/profile/"
    body = {"population_band": "over_5m", "budget_band": "large", "ict_staff": 90, "internet_penetration": 97}
    sent = {**body, "national_platforms": ["e_id", "e_procurement"], "new_projects_share": 40}
    assert client.put(url, json.dumps(sent), content_type="application/json").status_code == 200
    # A client that leaves the new fields out keeps what is stored.
    assert client.put(url, json.dumps(body), content_type="application/json").status_code == 200
    profile = CityProfile.objects.get(city=world.city_a)
    assert (profile.national_platforms, profile.new_projects_share) == (["e_id", "e_procurement"], 40)
    bad = client.put(url, json.dumps({**body, "national_platforms": ["moon_base"]}), content_type="application/json")
    assert bad.status_code == 400 and "national_platforms" in str(bad.json())
    assert CityProfile.objects.get(city=world.city_a).national_platforms == ["e_id", "e_procurement"]

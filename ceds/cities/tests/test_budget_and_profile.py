from decimal import Decimal

from ceds.cities.models import BudgetYear, CityProfile
from ceds.core.models import AuditEvent


def test_coordinator_updates_the_profile_and_the_change_is_audited(world, client_for):
    client = client_for(world["a_coordinator"])
    response = client.post(
        f"/cities/{world.city_a.slug}/profile/",
        {
            "population_band": "over_5m",
            "budget_band": "large",
            "ict_staff": "120",
            "internet_penetration": "97",
            "income_group": "high",
        },
    )
    assert response.status_code == 302
    profile = CityProfile.objects.get(city=world.city_a)
    assert (profile.population_band, profile.ict_staff, profile.updated_by) == ("over_5m", 120, world["a_coordinator"])
    event = AuditEvent.objects.get(action="profile.update")
    assert event.actor == world["a_coordinator"]
    assert event.city == world.city_a
    assert event.changes["ict_staff"] == [40, 120]
    assert event.changes["population_band"] == ["1m_5m", "over_5m"]


def test_bad_profile_input_names_the_field_and_saves_nothing(world, client_for):
    response = client_for(world["a_coordinator"]).post(
        f"/cities/{world.city_a.slug}/profile/",
        {"population_band": "huge", "budget_band": "large", "ict_staff": "-3", "internet_penetration": "140"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"population_band", "ict_staff", "internet_penetration"}
    assert CityProfile.objects.get(city=world.city_a).population_band == "1m_5m"
    assert not AuditEvent.objects.exists()


def test_budget_year_with_domain_split_and_execution_rate(world, client_for):
    client = client_for(world["a_coordinator"])
    response = client.post(
        f"/cities/{world.city_a.slug}/budget/new/",
        {
            "year": "2025",
            "currency": "krw",
            "planned": "1000000",
            "actual": "870000",
            "planned_admin": "400000",
            "actual_admin": "390000",
            "planned_life": "600000",
            "actual_life": "480000",
        },
    )
    assert response.status_code == 302
    budget = BudgetYear.objects.get(city=world.city_a, year=2025)
    assert budget.currency == "KRW"
    assert budget.execution_rate == Decimal("87.0")
    rows = {row["code"]: row for row in budget.domain_rows()}
    assert rows["life"]["rate"] == Decimal("80.0")
    page = client.get(f"/cities/{world.city_a.slug}/")
    assert "87.0 %" in page.content.decode()


def test_domain_split_larger_than_total_is_refused(world, client_for):
    response = client_for(world["a_coordinator"]).post(
        f"/cities/{world.city_a.slug}/budget/new/",
        {"year": "2025", "currency": "USD", "planned": "100", "planned_admin": "80", "planned_life": "40"},
    )
    assert response.status_code == 200
    assert "adds up to more than its total" in str(response.context["form"].errors)
    assert not BudgetYear.objects.exists()


def test_a_year_cannot_be_entered_twice(world, client_for):
    BudgetYear.objects.create(city=world.city_a, year=2024, planned=10)
    response = client_for(world["a_coordinator"]).post(
        f"/cities/{world.city_a.slug}/budget/new/", {"year": "2024", "currency": "USD", "planned": "20"}
    )
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert BudgetYear.objects.get().planned == 10


def test_delete_is_audited_with_the_old_values(world, client_for):
    BudgetYear.objects.create(city=world.city_a, year=2024, planned=10, actual=9)
    response = client_for(world["a_coordinator"]).post(f"/cities/{world.city_a.slug}/budget/2024/delete/")
    assert response.status_code == 302
    assert not BudgetYear.objects.exists()
    event = AuditEvent.objects.get(action="budget.delete")
    assert event.changes["planned"] == ["10.00", None]


def test_audit_log_is_append_only(world):
    from ceds.core import audit

    event = audit.record(world["secretariat"], "test", world.city_a)
    event.action = "tampered"
    for attempt in (
        event.save,
        event.delete,
        AuditEvent.objects.all().delete,
        lambda: AuditEvent.objects.update(action="x"),
    ):
        try:
            attempt()
        except PermissionError:
            continue
        raise AssertionError(f"{attempt} changed the audit log")
    assert AuditEvent.objects.get().action == "test"


def test_secretariat_reads_the_audit_log(world, client_for):
    from ceds.core import audit

    audit.record(world["a_coordinator"], "profile.update", world.city_a, {"ict_staff": [1, 2]}, world.city_a)
    page = client_for(world["analyst"]).get("/audit/")
    assert page.status_code == 200
    assert "profile.update" in page.content.decode()

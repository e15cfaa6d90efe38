"""Writes to cities, profiles, memberships and budgets. Each is atomic and audit-logged."""

from django.db import transaction

from ceds.cities.models import BudgetYear, City, CityProfile, Membership
from ceds.core import audit

PROFILE_FIELDS = CityProfile.EDITABLE_FIELDS
BUDGET_FIELDS = tuple(
    f.name for f in BudgetYear._meta.get_fields() if f.concrete and f.name not in ("id", "city", "year")
)
MEMBERSHIP_FIELDS = ("kind", "status", "since", "partner_assessments_enabled")


@transaction.atomic
def update_profile(actor, city: City, data: dict) -> CityProfile:
    profile, created = CityProfile.objects.select_for_update().get_or_create(
        city=city, defaults={**data, "updated_by": actor}
    )
    before = {} if created else audit.snapshot(profile, PROFILE_FIELDS)
    for field, value in data.items():
        setattr(profile, field, value)
    profile.updated_by = actor
    profile.save()
    audit.record(actor, "profile.update", profile, audit.diff(before, audit.snapshot(profile, PROFILE_FIELDS)), city)
    return profile


@transaction.atomic
def save_budget_year(actor, city: City, year: int, data: dict) -> BudgetYear:
    budget, created = BudgetYear.objects.select_for_update().get_or_create(city=city, year=year, defaults=data)
    before = {} if created else audit.snapshot(budget, BUDGET_FIELDS)
    for field, value in data.items():
        setattr(budget, field, value)
    budget.save()
    audit.record(
        actor,
        "budget.create" if created else "budget.update",
        budget,
        audit.diff(before, audit.snapshot(budget, BUDGET_FIELDS)),
        city,
    )
    return budget


@transaction.atomic
def delete_budget_year(actor, budget: BudgetYear) -> None:
    audit.record(actor, "budget.delete", budget, audit.diff(audit.snapshot(budget, BUDGET_FIELDS), {}), budget.city)
    budget.delete()


@transaction.atomic
def create_city(actor, data: dict, membership: dict) -> City:
    city = City.objects.create(**data)
    Membership.objects.create(city=city, **membership)
    audit.record(actor, "city.create", city, {k: [None, audit._plain(v)] for k, v in data.items()}, city)
    return city


@transaction.atomic
def update_membership(actor, city: City, data: dict) -> Membership:
    membership, created = Membership.objects.select_for_update().get_or_create(city=city, defaults=data)
    before = {} if created else audit.snapshot(membership, MEMBERSHIP_FIELDS)
    for field, value in data.items():
        setattr(membership, field, value)
    membership.save()
    refresh_public_listing(city)
    audit.record(
        actor, "membership.update", membership, audit.diff(before, audit.snapshot(membership, MEMBERSHIP_FIELDS)), city
    )
    return membership


def refresh_public_listing(city: City) -> None:
    """The public map copies a city's name, region and membership: re-list it after a change."""
    from ceds.benchmarks.models import PublicResult
    from ceds.benchmarks.services import refresh_public_results

    for framework_id in PublicResult.objects.filter(city=city).values_list("framework_id", flat=True).distinct():
        refresh_public_results(framework_id, [city.pk])

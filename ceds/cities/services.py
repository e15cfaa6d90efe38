"""Writes to cities, profiles, memberships and budgets. Each is atomic and audit-logged."""

from django.db import transaction

from ceds.cities.models import BudgetYear, City, CityProfile, Membership
from ceds.cities.signals import send_city_changed
from ceds.core import audit

PROFILE_FIELDS = CityProfile.EDITABLE_FIELDS
BUDGET_FIELDS = tuple(
    f.name for f in BudgetYear._meta.get_fields() if f.concrete and f.name not in ("id", "city", "year")
)
MEMBERSHIP_FIELDS = ("kind", "status", "since", "partner_assessments_enabled")


@transaction.atomic
def update_profile(actor, city: City, data: dict) -> CityProfile:
    """The profile's fields, and the city's time zone when `data` has "timezone" (one audit event)."""
    data = dict(data)
    zone_change = {}
    if "timezone" in data:
        zone = data.pop("timezone")
        if zone != city.timezone:
            zone_change = {"timezone": [city.timezone, zone]}
            city.timezone = zone
            city.full_clean(validate_unique=False, validate_constraints=False)
            city.save(update_fields=["timezone"])
    profile, created = CityProfile.objects.select_for_update().get_or_create(
        city=city, defaults={**data, "updated_by": actor}
    )
    before = {} if created else audit.snapshot(profile, PROFILE_FIELDS)
    for field, value in data.items():
        setattr(profile, field, value)
    profile.updated_by = actor
    profile.save()
    changes = {**audit.diff(before, audit.snapshot(profile, PROFILE_FIELDS)), **zone_change}
    audit.record(actor, "profile.update", profile, changes, city)
    send_city_changed([city.pk], {f"profile.{field}" for field in changes})
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
    changes = audit.diff(before, audit.snapshot(membership, MEMBERSHIP_FIELDS))
    audit.record(actor, "membership.update", membership, changes, city)
    send_city_changed([city.pk], {f"membership.{field}" for field in changes})
    return membership

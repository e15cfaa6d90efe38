"""Cities left without an active coordinator, for those who follow them.

A city whose coordinator left (hand-over never done, account deactivated or erased, role removed)
cannot open, submit or publish an assessment. The secretariat and the city's regional office see
such cities listed (the city list, the role home pages) so they can appoint someone.
"""

from django.db.models import Exists, OuterRef, QuerySet

from ceds.accounts import roles
from ceds.accounts.models import CityRole, RegionRole
from ceds.cities.models import City, Membership


def with_coordinator_flag(cities: QuerySet) -> QuerySet:
    """Annotate `has_coordinator`: someone with an active account holds the coordinator role."""
    coordinators = CityRole.objects.filter(
        city_id=OuterRef("pk"), role=CityRole.Role.COORDINATOR, user__is_active=True
    ).order_by()
    return cities.annotate(has_coordinator=Exists(coordinators))


def cities_without_coordinator(user) -> QuerySet:
    """Active member cities the user follows as validator that have no active coordinator.

    The secretariat follows every city, a regional office the cities of its regions; anyone else
    gets an empty queryset. Ordered by name; two queries whatever the number of cities.
    """
    cities = City.objects.filter(membership__status=Membership.Status.ACTIVE)
    if not roles.is_secretariat(user):
        if not getattr(user, "is_authenticated", False):
            return City.objects.none()
        region_ids = list(RegionRole.objects.filter(user=user).values_list("region_id", flat=True))
        if not region_ids:
            return City.objects.none()
        cities = cities.filter(region_id__in=region_ids)
    return (
        with_coordinator_flag(cities).filter(has_coordinator=False).select_related("country", "region").order_by("name")
    )

"""Who may do what: the single place where role rules live.

Pages, the API and management commands ask these functions; views never compare roles
themselves. Reading and writing are separate questions.
"""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from ceds.accounts.models import CityRole, RegionRole, User


def is_secretariat(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.secretariat_role)


def is_secretariat_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.secretariat_role == User.SecretariatRole.ADMIN)


def is_regional_coordinator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.region_roles.exists())


def needs_two_factor(user) -> bool:
    """Secretariat and regional staff see many cities' drafts; they must use TOTP."""
    return is_secretariat(user) or is_regional_coordinator(user)


def readable_cities_filter(user) -> Q | None:
    """A Q over City for the cities the user may read; None means every city.

    The user's few cities and regions are looked up first, so the filter is a list of ids
    along an index: no join and DISTINCT over every city.
    """
    if is_secretariat(user):
        return None
    city_ids = list(CityRole.objects.filter(user=user).values_list("city_id", flat=True))
    region_ids = list(RegionRole.objects.filter(user=user).values_list("region_id", flat=True))
    condition = Q(pk__in=city_ids)
    if region_ids:
        condition |= Q(region_id__in=region_ids)
    return condition


def can_read_city(user, city) -> bool:
    """Read the city's assessments and results: its team, its regional coordinator, the secretariat."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_secretariat(user):
        return True
    return city_role(user, city) is not None or RegionRole.objects.filter(user=user, region_id=city.region_id).exists()


def readable_cities(user, cities: QuerySet) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return cities.none()
    condition = readable_cities_filter(user)
    return cities if condition is None else cities.filter(condition)


def city_role(user, city) -> str | None:
    """The user's role in the city; asked once per request.

    Remembered on the user object, which Django loads anew for every request; services that
    grant or remove a role call forget_city_roles() on the users they were given.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    known = user.__dict__.setdefault("_ceds_city_roles", {})
    city_id = getattr(city, "pk", city)
    if city_id not in known:
        known[city_id] = CityRole.objects.filter(user=user, city_id=city_id).values_list("role", flat=True).first()
    return known[city_id]


def city_role_subquery(user, city_field: str):
    """The user's role in the row's city, to annotate a query with (NULL when none)."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    # Unordered: a user has one role per city, and the model's ordering would join two tables.
    roles = CityRole.objects.filter(user_id=user_id, city_id=OuterRef(city_field)).order_by()
    return Subquery(roles.values("role")[:1])


def forget_city_roles(*users) -> None:
    """After a role is granted or removed: the next question asks the database again."""
    for user in users:
        user.__dict__.pop("_ceds_city_roles", None)


def remember_city_role(user, city_id: int, role: str | None) -> None:
    """Record a role read along with another query, so city_role() need not ask again."""
    if getattr(user, "is_authenticated", False):
        user.__dict__.setdefault("_ceds_city_roles", {})[city_id] = role


def can_manage_city(user, city) -> bool:
    """Edit the profile and budget, invite colleagues: the city's coordinator or a secretariat admin."""
    return is_secretariat_admin(user) or city_role(user, city) == CityRole.Role.COORDINATOR


def can_manage_cities(user) -> bool:
    """Create cities and change memberships: secretariat admins only."""
    return is_secretariat_admin(user)


# -- assessments -------------------------------------------------------------------------


def is_regional_coordinator_of(user, city) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.region_roles.filter(region_id=city.region_id).exists()
    )


def can_open_assessment(user, city) -> bool:
    return city_role(user, city) == CityRole.Role.COORDINATOR


def can_manage_assessment(user, assessment) -> bool:
    """Assign sections, submit, publish, see provisional results: the city's coordinator."""
    return city_role(user, assessment.city) == CityRole.Role.COORDINATOR


def can_validate(user, assessment) -> bool:
    """Validate or return a submission: the secretariat or the city's regional coordinator."""
    return is_secretariat(user) or is_regional_coordinator_of(user, assessment.city)


def can_see_provisional(user, assessment) -> bool:
    return can_manage_assessment(user, assessment) or can_validate(user, assessment)


def editable_section_ids(user, assessment) -> set[int] | None:
    """Sections the user may answer now: None means all; an empty set means none."""
    if assessment.status not in assessment.OPEN_STATUSES:
        return set()
    role = city_role(user, assessment.city)
    if role == CityRole.Role.COORDINATOR:
        return None
    if role == CityRole.Role.CONTRIBUTOR:
        return set(assessment.assignments.filter(assignee=user).values_list("section_id", flat=True))
    return set()


def can_edit_section(user, assessment, section) -> bool:
    allowed = editable_section_ids(user, assessment)
    return allowed is None or section.pk in allowed


def can_set_target(user, assessment, section) -> bool:
    """A section's target level: the coordinator's at any time (the action plan follows the
    results), and while the assessment is open whoever may answer the section (a to-be level
    the framework asks for is answered with the section)."""
    return can_manage_assessment(user, assessment) or can_edit_section(user, assessment, section)


def can_send_reminders(user, assessment) -> bool:
    return can_manage_assessment(user, assessment) or is_regional_coordinator_of(user, assessment.city)


def can_comment(user, assessment) -> bool:
    """The city's coordinators and contributors, and its validators; viewers only read."""
    role = city_role(user, assessment.city)
    return role in (CityRole.Role.COORDINATOR, CityRole.Role.CONTRIBUTOR) or can_validate(user, assessment)


def can_reopen(user, assessment) -> bool:
    """Reopen a validated or published result for a correction: the secretariat only.

    The secretariat answers for the published figures across cities, so a correction after
    validation is its decision (the city or regional office asks it).
    """
    return is_secretariat(user)

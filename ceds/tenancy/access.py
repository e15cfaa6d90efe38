"""The only way views load city-owned objects.

Another city's object and a missing object are both a 404, so ids in URLs reveal nothing.
A user who may read an object but not change it gets a 403 on a write.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from ceds.accounts import roles
from ceds.assessments.models import Assessment
from ceds.cities.models import City
from ceds.frameworks.models import framework_version


def get_city_for(user, slug: str, write: bool = False) -> City:
    city = roles.readable_cities(user, City.objects.select_related("country", "region")).filter(slug=slug).first()
    if city is None:
        raise Http404("No such city")
    if write and not roles.can_manage_city(user, city):
        raise PermissionDenied
    return city


def get_assessment_for(user, pk: int, write: bool = False):
    """An assessment of a city the user may read; 404 otherwise. `write` needs the coordinator."""
    found = (
        # The city joined, the version only for its checksum: each joined model costs building
        # time on every page (measured in bench/), and a process keeps the versions it has read.
        Assessment.objects.select_related("city")
        .annotate(
            reader_role=roles.city_role_subquery(user, "city_id"), version_checksum=F("framework_version__checksum")
        )
        .filter(pk=pk)
        .order_by()[:1]  # the model's default ordering joins the city table for nothing here
    )
    assessment = next(iter(found), None)
    if assessment is not None:
        roles.remember_city_role(user, assessment.city_id, assessment.reader_role)
    if assessment is None or not roles.can_read_city(user, assessment.city):
        raise Http404("No such assessment")
    assessment.framework_version = framework_version(assessment.framework_version_id, assessment.version_checksum)
    if write and not roles.can_manage_assessment(user, assessment):
        raise PermissionDenied
    return assessment

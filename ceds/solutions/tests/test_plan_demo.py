"""Acceptance over the demo cities: recommendations follow each city's circumstances."""

import io

import pytest
from django.core.management import call_command

from ceds.assessments.models import Assessment
from ceds.benchmarks.results import results_for
from ceds.cities.models import City
from ceds.solutions import planning, services

pytestmark = pytest.mark.heavy  # seeds the whole demo (about 40 s): the first CI pass only


def _necessary(city) -> set[str]:
    assessment = (
        Assessment.objects.filter(
            city=city, framework_version__framework_id="ceds", status__in=["validated", "published"]
        )
        .order_by("-period")
        .first()
    )
    plan = services.build_plan(assessment, results_for(assessment, True).figures)
    return {r.code for r in plan.recommendations if r.necessary}


def test_necessary_modules_differ_with_circumstances_and_stay_few(db):
    call_command("load_content", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    cities = list(City.objects.filter(profile__isnull=False).select_related("profile"))
    necessary = {city.slug: _necessary(city) for city in cities}
    assert max(len(codes) for codes in necessary.values()) <= planning.MAX_NECESSARY == 15
    small = min((c for c in cities if c.profile.income_group == "low"), key=lambda c: c.population or 0)
    seoul, other = necessary["seoul"], necessary[small.slug]
    shared = len(seoul & other) / len(seoul | other)
    assert shared < 0.6, f"Seoul and {small.slug} share {shared:.0%} of their necessary modules"

"""Shared test fixtures: two cities and named personas for every role."""

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("ci", deadline=None, max_examples=60)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=30)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Fixtures for API personas (tokens) and filled assessments, shared by several apps' tests.
pytest_plugins = ["ceds.api.tests.fixtures"]

PASSWORD = "a-long-test-password-1"  # noqa: S105 — test accounts only


@dataclass
class World:
    city_a: object
    city_b: object
    region_a: object
    region_b: object
    users: dict
    extra: dict | None = None

    def __getitem__(self, name):
        return self.users[name]


@pytest.fixture
def world(db):
    from ceds.accounts.models import CityRole, RegionRole, User
    from ceds.cities.models import City, CityProfile, Country, Membership, Region

    asia = Region.objects.create(code="asia_pacific", names={"en": "Asia & Pacific", "ko": "아시아·태평양"})
    europe = Region.objects.create(code="europe", names={"en": "Europe"})
    korea = Country.objects.create(code="KR", alpha3="KOR", numeric="410", name_en="Korea, Republic of", region=asia)
    spain = Country.objects.create(code="ES", alpha3="ESP", numeric="724", name_en="Spain", region=europe)
    city_a = City.objects.create(
        slug="seoul",
        name="Seoul",
        country=korea,
        region=asia,
        latitude=37.566,
        longitude=126.9784,
        population=10349312,
        timezone="Asia/Seoul",
    )
    city_b = City.objects.create(
        slug="barcelona",
        name="Barcelona",
        country=spain,
        region=europe,
        latitude=41.3888,
        longitude=2.159,
        population=1620343,
        timezone="Europe/Madrid",
    )
    for city in (city_a, city_b):
        Membership.objects.create(city=city, kind="member", since=2010)
        CityProfile.objects.create(city=city, population_band="1m_5m", budget_band="medium", ict_staff=40)
    users = {}

    def make(name, **extra):
        users[name] = User.objects.create_user(f"{name}@example.org", PASSWORD, first_name=name, **extra)
        return users[name]

    for prefix, city in (("a", city_a), ("b", city_b)):
        for role in ("coordinator", "contributor", "viewer"):
            CityRole.objects.create(user=make(f"{prefix}_{role}"), city=city, role=role)
    RegionRole.objects.create(user=make("regional"), region=asia)
    make("secretariat", secretariat_role="admin", is_staff=True, is_superuser=True)
    make("analyst", secretariat_role="analyst")
    make("outsider")
    return World(city_a, city_b, asia, europe, users)


@pytest.fixture
def kinds(world):
    """The "kinds" test framework (every item kind) loaded with the test content; its version 1."""
    import io

    from django.core.management import call_command

    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    return FrameworkVersion.objects.get(framework_id="kinds")


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user, backend="ceds.accounts.backends.CedsAuthenticationBackend")
        return c

    return make


@pytest.fixture(autouse=True)
def _reset_language():
    """A request leaves its language active in the thread; the next test starts from English."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _forget_version_items():
    """A process keeps a used version's item rows (frameworks.models.version_items): right in a
    deployment, where a version's rows never go, but a test database flushed between tests can hand
    the same version id to rows with other item ids."""
    yield
    from ceds.frameworks import models

    models._items.clear()

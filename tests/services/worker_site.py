"""A small site in its own SQLite file, driven from a child process, for the real-worker tests.

    python -m tests.services.worker_site setup      migrate, load the test framework, two users and
                                                    two submitted assessments of one city (prints ids)
    python -m tests.services.worker_site validate ID...  validate them: with a broker, the reports are queued

The test process cannot share its in-memory test database with a Celery worker, so the site, the
validating "app server" and the worker all use the file named by DATABASE_URL.
"""

import io
import os
import sys


def setup() -> list[int]:
    from django.core.management import call_command

    from ceds.accounts.models import CityRole, RegionRole, User
    from ceds.api.tests.fixtures import fill
    from ceds.assessments import services as workflow
    from ceds.cities.models import City, CityProfile, Country, Membership, Region
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion

    call_command("migrate", verbosity=0)
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    # load_content brings the regions and countries.
    region, _ = Region.objects.get_or_create(code="europe", defaults={"names": {"en": "Europe"}})
    country, _ = Country.objects.get_or_create(
        code="ES", defaults={"alpha3": "ESP", "numeric": "724", "name_en": "Spain", "region": region}
    )
    city = City.objects.create(
        slug="barcelona",
        name="Barcelona",
        country=country,
        region=region,
        latitude=41.39,
        longitude=2.16,
        population=1620343,
    )
    Membership.objects.create(city=city, kind="member", since=2010)
    CityProfile.objects.create(city=city, population_band="1m_5m", budget_band="medium", ict_staff=40)
    coordinator = User.objects.create_user("a_coordinator@example.org", "a-long-test-password-1")
    regional = User.objects.create_user("regional@example.org", "a-long-test-password-1")
    CityRole.objects.create(user=coordinator, city=city, role="coordinator")
    RegionRole.objects.create(user=regional, region=region)
    version = FrameworkVersion.objects.get(framework_id="kinds")
    submitted = []
    for period in ("2024", "2025"):
        assessment = workflow.open_assessment(coordinator, city, version, period)
        fill({"a_coordinator": coordinator}, assessment)
        workflow.submit(coordinator, assessment)
        submitted.append(assessment.pk)
    return submitted


def validate(pks: list[int]) -> None:
    from ceds.accounts.models import User
    from ceds.assessments import services as workflow
    from ceds.assessments.models import Assessment

    for pk in pks:
        workflow.validate(User.objects.get(email="regional@example.org"), Assessment.objects.get(pk=pk))


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceds.settings")
    import django

    django.setup()
    if argv[0] == "setup":
        print(" ".join(str(pk) for pk in setup()))
    elif argv[0] == "validate":
        validate([int(pk) for pk in argv[1:]])
    else:
        raise SystemExit(f"unknown step {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])

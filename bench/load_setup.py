"""Prepare a PostgreSQL database for the load test (bench/locustfile.py).

Creates the database if needed, migrates, loads the content and the demo data, then gives
every demo city a load-test coordinator (a normal account, so it signs in without DEBUG)
and a draft for 2026 carried forward from its last cycle. Writes bench/.load-users.json.
Idempotent: a second run reuses what is there.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ceds_bench python bench/load_setup.py
"""

import io
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "load-test-password-2026"  # noqa: S105 — a throwaway bench database


def ensure_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            connection.execute(f'create database "{name}"')


def main() -> None:
    url = os.environ["DATABASE_URL"]
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceds.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_content", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    from ceds.accounts.models import CityRole, User
    from ceds.assessments import services
    from ceds.assessments.models import Assessment
    from ceds.cities.models import City
    from ceds.frameworks.models import FrameworkVersion

    version = FrameworkVersion.objects.filter(framework_id="ceds").order_by("-version").first()
    users = []
    # Cities that may open assessments (active members and partners with assessments enabled).
    cities = [
        c
        for c in City.objects.filter(assessments__is_demo=True).distinct().order_by("slug")
        if c.membership.may_open_assessments
    ]
    for city in cities:
        email = f"load.{city.slug}@example.org"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, PASSWORD, first_name="Load")
            CityRole.objects.create(user=user, city=city, role="coordinator")
        draft = Assessment.objects.filter(city=city, framework_version=version, period="2026").first()
        if draft is None:
            draft = services.open_assessment(user, city, version, "2026", carry_forward=True)
        validated = (
            Assessment.objects.filter(city=city, framework_version=version, status__in=["validated", "published"])
            .order_by("-period")
            .first()
        )
        if validated is None or draft.status not in Assessment.OPEN_STATUSES:
            continue  # no official results to read yet, or its 2026 cycle is submitted (the demo's Taipei)
        users.append({"email": email, "password": PASSWORD, "draft": draft.pk, "validated": validated.pk})
    codes = list(version.items.order_by("position").filter(kind="level").values_list("code", flat=True))
    (ROOT / "bench" / ".load-users.json").write_text(json.dumps({"users": users, "level_items": codes}, indent=1))
    print(f"{len(users)} load-test coordinators, each with a 2026 draft and a validated cycle")


if __name__ == "__main__":
    main()

"""Synthetic cities for the page benchmarks, written to PostgreSQL with COPY.

`grow_to(n)` adds cities until there are n: each gets a profile, a membership, a coordinator
account, ten cycles of the CeDS framework (2016–2025) with a validated score snapshot each,
and the complete answers (90 questions, 110 services) of its latest cycle. Names and
coordinates come from the gazetteer, largest places first, suffixed " 2", " 3"… once it runs
out. Scored answer sets are drawn from a pool computed once by the real engine, so every
snapshot is one the engine produced for the answers beside it. Peer statistics and the
public results are then rebuilt by the same services the platform runs on publication.

Sharing is mixed as in life: 60 % publish by name, 25 % anonymously, 15 % keep results private.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tqdm import tqdm

PERIODS = [str(year) for year in range(2016, 2026)]
POOL_SIZE = 150
BATCH = 250  # cities per COPY round
STATUSES = ["absent", "planned", "developing", "operating"]
EMAIL = "coordinator-{}@bench.ceds.local"


@dataclass
class Scored:
    answers: dict
    figures: str  # JSON text, serialized once
    scores: str
    summary: str
    overall_score: float | None
    overall_level: int | None


def _answers(definition: dict, rnd: random.Random, mean: float) -> dict:
    """A complete answer set around a city's mean level (1–5)."""

    def level() -> int:
        return max(1, min(5, round(rnd.gauss(mean, 0.9))))

    out = {}
    for part in definition["parts"]:
        for group in part["groups"]:
            for section in group["sections"]:
                for item in section["items"]:
                    if item["kind"] == "level":
                        out[item["id"]] = {"na": True} if rnd.random() < 0.03 else {"value": level()}
                    elif item["kind"] == "service":
                        status = STATUSES[min(3, max(0, round(rnd.gauss(mean - 1.5, 1.0))))]
                        answer: dict = {"status": status}
                        if status in ("developing", "operating"):
                            answer["level"] = level()
                        if status == "operating":
                            answer["utilization"] = rnd.randint(5, 95)
                        out[item["id"]] = answer
    return out


def scored_pool(definition: dict, size: int = POOL_SIZE, seed: int = 7) -> list[Scored]:
    from ceds.assessments.models import summary_figures, summary_scores
    from ceds.scoring.engine import Engine

    engine = Engine(definition)
    rnd = random.Random(seed)
    pool = []
    for index in range(size):
        answers = _answers(definition, rnd, 1.2 + 3.6 * index / max(1, size - 1))
        figures = engine.score(answers).to_dict()
        overall = figures["overall"]
        pool.append(
            Scored(
                answers,
                json.dumps(figures),
                json.dumps(summary_scores(figures)),
                json.dumps(summary_figures(figures)),
                overall["score"],
                overall["level"],
            )
        )
    return pool


def _copy(cursor, model, rows: list[dict]) -> None:
    """COPY rows given as {field name: value}, all with the same fields."""
    if not rows:
        return
    fields = list(rows[0])
    names = ", ".join(model._meta.get_field(f).column for f in fields)
    with cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[f] for f in fields])


def _next_id(cursor, model) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


def _reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def grow_to(target: int, progress: bool = True) -> int:
    """Add synthetic cities until there are `target`; returns how many were added."""
    import yaml
    from django.conf import settings
    from django.db import connection, transaction

    from ceds.accounts.models import CityRole, User
    from ceds.assessments.models import Answer, Assessment, ScoreSnapshot
    from ceds.cities.models import (
        DEFAULT_NEW_PROJECTS_SHARE,
        City,
        CityProfile,
        Country,
        Membership,
        Place,
        PopulationBand,
    )
    from ceds.frameworks.models import FrameworkVersion, Item

    existing = City.objects.count()
    if existing >= target:
        return 0
    version = FrameworkVersion.objects.filter(framework_id="ceds").order_by("-version").first()
    definition = version.definition
    item_ids = dict(Item.objects.filter(framework_version=version).values_list("code", "id"))
    pool = scored_pool(definition)
    regions = dict(Country.objects.filter(region__isnull=False).values_list("code", "region_id"))
    places = [p for p in Place.objects.order_by("-population", "geonameid") if p.country in regions]
    income = yaml.safe_load((settings.CONTENT_DIR / "demo" / "income_groups.yaml").read_text())["countries"]
    rnd = random.Random(target)
    now = datetime.now(UTC)
    unusable_password = "!bench"  # noqa: S105 — the "!" prefix is Django's unusable password
    added = 0
    bar = tqdm(total=target - existing, desc=f"cities → {target:,}", unit="city", disable=not progress, file=sys.stderr)
    raw = connection.connection  # psycopg 3
    while existing + added < target:
        count = min(BATCH, target - existing - added)
        with transaction.atomic(), raw.cursor() as cursor:
            city_id, user_id = _next_id(cursor, City), _next_id(cursor, User)
            assessment_id, snapshot_id = _next_id(cursor, Assessment), _next_id(cursor, ScoreSnapshot)
            rows: dict = defaultdict(list)  # model -> rows for COPY
            for offset in range(count):
                number = existing + added + offset
                place = places[number % len(places)]
                round_ = number // len(places)
                cid, uid = city_id + offset, user_id + offset
                rows[City].append(
                    {
                        "id": cid,
                        "slug": f"bench-{number}",
                        "name": place.name if round_ == 0 else f"{place.name} {round_ + 1}",
                        "local_names": "{}",
                        "kind": City.Kind.CITY,
                        "country": place.country,
                        "region": regions[place.country],
                        "latitude": place.latitude,
                        "longitude": place.longitude,
                        "population": place.population,
                        "population_source": "GeoNames",
                        "timezone": place.timezone,
                        "portal_url": "",
                        "geonameid": place.geonameid,
                        "created_at": now,
                        "report_revision": 0,
                    }
                )
                rows[CityProfile].append(
                    {
                        "city": cid,
                        "population_band": PopulationBand.for_population(place.population),
                        "budget_band": rnd.choice(["small", "medium", "large"]),
                        "ict_staff": rnd.randint(2, 400),
                        "internet_penetration": rnd.randint(40, 99),
                        "income_group": income.get(place.country, ""),
                        # COPY writes every column: the model's defaults are not applied.
                        "national_platforms": "[]",
                        "new_projects_share": DEFAULT_NEW_PROJECTS_SHARE,
                        "updated_at": now,
                    }
                )
                kind = rnd.choices(["member", "friendship_member", "partner"], [70, 15, 15])[0]
                rows[Membership].append(
                    {
                        "city": cid,
                        "kind": kind,
                        "status": "active",
                        "since": rnd.randint(2010, 2024),
                        "partner_assessments_enabled": kind == "partner",
                    }
                )
                rows[User].append(
                    {
                        "id": uid,
                        "password": unusable_password,
                        "is_superuser": False,
                        "first_name": "",
                        "last_name": "",
                        "is_staff": False,
                        "is_active": True,
                        "date_joined": now,
                        "email": EMAIL.format(number),
                        "language": "",
                        "secretariat_role": "",
                        "is_demo": False,
                    }
                )
                rows[CityRole].append({"user": uid, "city": cid, "role": CityRole.Role.COORDINATOR, "granted_at": now})
                sharing = rnd.choices(["named", "anonymous", "private"], [60, 25, 15])[0]
                published = sharing != "private"
                base = rnd.randrange(POOL_SIZE // 2)
                for cycle, period in enumerate(PERIODS):
                    index = offset * len(PERIODS) + cycle
                    validated_at = datetime(int(period), 11, 1, tzinfo=UTC)
                    rows[Assessment].append(
                        {
                            "id": assessment_id + index,
                            "city": cid,
                            "framework_version": version.pk,
                            "period": period,
                            "status": Assessment.Status.PUBLISHED if published else Assessment.Status.VALIDATED,
                            "sharing": sharing,
                            "created_at": validated_at - timedelta(days=60),
                            "updated_at": validated_at,
                            "submitted_at": validated_at - timedelta(days=10),
                            "validated_at": validated_at,
                            "published_at": validated_at + timedelta(days=5) if published else None,
                            "is_demo": False,
                        }
                    )
                    scored = pool[min(POOL_SIZE - 1, base + cycle * rnd.randint(0, 6))]
                    rows[ScoreSnapshot].append(
                        {
                            "id": snapshot_id + index,
                            "assessment": assessment_id + index,
                            "computed_at": validated_at,
                            "overall_score": scored.overall_score,
                            "overall_level": scored.overall_level,
                            "figures": scored.figures,
                            "scores": scored.scores,
                            "summary": scored.summary,
                            "is_current": True,
                        }
                    )
                    if cycle == len(PERIODS) - 1:
                        rows[Answer].extend(
                            {
                                "assessment": assessment_id + index,
                                "item": item_ids[code],
                                "value": json.dumps(value),
                                "version": 1,
                                "carried_forward": False,
                                "updated_at": validated_at,
                            }
                            for code, value in scored.answers.items()
                        )
            for model, model_rows in rows.items():
                _copy(cursor, model, model_rows)
        added += count
        bar.update(count)
    bar.close()
    _reset_sequences([City, User, Assessment, ScoreSnapshot, Answer, CityProfile, Membership, CityRole])
    refresh_derived(version.pk)
    # Vacuumed and analysed now, so that autovacuum does not run during the measurements.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return added


def refresh_derived(version_id: int) -> None:
    """What publication maintains: peer statistics and leaderboards per period, the public map."""
    from ceds.benchmarks import services as benchmarks
    from ceds.frameworks.models import FrameworkVersion

    for period in tqdm(PERIODS, desc="peer statistics", unit="period", file=sys.stderr):
        benchmarks.recompute(version_id, period)
    benchmarks.refresh_public_results(FrameworkVersion.objects.get(pk=version_id).framework_id)

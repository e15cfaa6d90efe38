"""Demo data: real WeGO member cities with invented (clearly demo) circumstances and users.

Cities, coordinates and populations are real (content/demo/cities.yaml, from GeoNames and
cited statistics). Profiles and budgets are illustrative figures derived deterministically
from population and the country's World Bank income group, so every run gives the same data.
"""

import hashlib
from decimal import Decimal

import yaml
from django.conf import settings
from django.db import transaction

from ceds.accounts.models import CityRole, RegionRole, User
from ceds.cities.models import BudgetBand, BudgetYear, City, CityProfile, Country, Membership, PopulationBand, Region

DEMO_PASSWORD = "ceds-demo-2026"  # noqa: S105 — printed by `make run`; demo accounts only sign in with DEBUG on
DEMO_DOMAIN = "demo.ceds.local"
CITY_A, CITY_B = "seoul", "barcelona"
DEMO_REGION = "asia_pacific"
BUDGET_YEARS = (2023, 2024, 2025)

# Typical share of residents online by income group: an illustrative default for demo
# profiles only (coordinators replace it with their own statistics).
_INTERNET_BY_INCOME = {"high": 93, "upper_middle": 80, "lower_middle": 55, "low": 25}
# Demo e-government budget in USD per resident per year, by income group.
_BUDGET_PER_RESIDENT = {
    "high": Decimal("12"),
    "upper_middle": Decimal("4"),
    "lower_middle": Decimal("1.2"),
    "low": Decimal("0.3"),
}


def _jitter(key: str, spread: float) -> Decimal:
    """A stable factor in [1 - spread, 1 + spread] for a key (same on every run)."""
    digest = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return Decimal(str(round(1 - spread + 2 * spread * digest, 3)))


def _budget_band(amount: Decimal) -> str:
    if amount < 100_000:
        return BudgetBand.MINIMAL
    if amount < 1_000_000:
        return BudgetBand.SMALL
    if amount < 10_000_000:
        return BudgetBand.MEDIUM
    return BudgetBand.LARGE


def demo_users() -> list[dict]:
    users = [
        {
            "email": f"admin@{DEMO_DOMAIN}",
            "first_name": "Sam",
            "last_name": "Admin",
            "secretariat_role": "admin",
            "label": "Secretariat admin",
        },
        {
            "email": f"analyst@{DEMO_DOMAIN}",
            "first_name": "Ana",
            "last_name": "Analyst",
            "secretariat_role": "analyst",
            "label": "Secretariat analyst",
        },
        {
            "email": f"asia.office@{DEMO_DOMAIN}",
            "first_name": "Li",
            "last_name": "Regional",
            "region": DEMO_REGION,
            "label": "Regional coordinator, Asia & Pacific",
        },
    ]
    for slug in (CITY_A, CITY_B):
        for role in CityRole.Role.values:
            users.append(
                {
                    "email": f"{slug}.{role}@{DEMO_DOMAIN}",
                    "first_name": slug.title(),
                    "last_name": role.title(),
                    "city": slug,
                    "role": role,
                    "label": f"{role.title()}, {slug.title()}",
                }
            )
    return users


@transaction.atomic
def seed(content_dir=None) -> list[dict]:
    content_dir = content_dir or settings.CONTENT_DIR
    if not Region.objects.exists():
        from ceds.content.loader import load_geography

        load_geography(content_dir)
    income = yaml.safe_load((content_dir / "demo" / "income_groups.yaml").read_text(encoding="utf-8"))["countries"]
    entries = yaml.safe_load((content_dir / "demo" / "cities.yaml").read_text(encoding="utf-8"))
    entries = entries["cities"] if isinstance(entries, dict) else entries
    regions = {r.code: r for r in Region.objects.all()}
    for entry in entries:
        city, _ = City.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "local_names": entry.get("local_names") or {},
                "kind": entry["kind"],
                "country": Country.objects.get(code=entry["country"]),
                "region": regions[entry["region"]],
                "latitude": Decimal(str(entry["latitude"])),
                "longitude": Decimal(str(entry["longitude"])),
                "population": entry.get("population"),
                "population_source": (entry.get("population_source") or "")[:200],
                "timezone": entry.get("timezone") or "UTC",
                "portal_url": entry.get("portal_url") or "",
                "geonameid": entry.get("geonameid"),
            },
        )
        membership = entry.get("membership") or {}
        Membership.objects.update_or_create(
            city=city,
            defaults={"kind": membership.get("kind", "member"), "since": membership.get("since"), "status": "active"},
        )
        group = income.get(entry["country"], "upper_middle")
        population = entry.get("population") or 100_000
        annual = (_BUDGET_PER_RESIDENT[group] * population * _jitter(city.slug, 0.3)).quantize(Decimal("1000"))
        CityProfile.objects.update_or_create(
            city=city,
            defaults={
                "population_band": PopulationBand.for_population(population),
                "budget_band": _budget_band(annual),
                "ict_staff": max(2, min(400, int(annual / 150_000))),
                "internet_penetration": _INTERNET_BY_INCOME[group],
                "income_group": group,
            },
        )
        for offset, year in enumerate(BUDGET_YEARS):
            planned = (annual * (1 + Decimal("0.06") * offset)).quantize(Decimal("1000"))
            actual = (planned * _jitter(f"{city.slug}-{year}", 0.15) * Decimal("0.9")).quantize(Decimal("1000"))
            BudgetYear.objects.update_or_create(
                city=city, year=year, defaults={"currency": "USD", "planned": planned, "actual": actual}
            )
    users = demo_users()
    for spec in users:
        user, _created = User.objects.get_or_create(
            email=spec["email"],
            defaults={"first_name": spec["first_name"], "last_name": spec["last_name"], "is_demo": True},
        )
        user.is_demo = True
        user.secretariat_role = spec.get("secretariat_role", "")
        user.is_staff = user.is_superuser = spec.get("secretariat_role") == "admin"
        user.set_password(DEMO_PASSWORD)
        user.save()
        if "region" in spec:
            RegionRole.objects.get_or_create(user=user, region=regions[spec["region"]])
        if "city" in spec:
            CityRole.objects.update_or_create(
                user=user, city=City.objects.get(slug=spec["city"]), defaults={"role": spec["role"]}
            )
    return users


# -- demo assessments ----------------------------------------------------------------------

DEMO_PERIODS = ("2023", "2024", "2025")
# Typical readiness (mean level) by income group, for generated demo answers only.
_BASE_LEVEL = {"high": 3.2, "upper_middle": 2.6, "lower_middle": 2.1, "low": 1.6}


def _demo_answer(item, mean: float, rnd) -> dict:
    level = max(1, min(5, round(rnd.gauss(mean, 0.8))))
    if item.kind == "level":
        return {"value": level}
    if item.kind == "service":
        if level >= 3:
            return {
                "status": "operating",
                "level": level,
                "utilization": max(5, min(100, int(rnd.gauss(level * 16, 12)))),
            }
        if level == 2:
            if rnd.random() < 0.5:
                return {"status": "developing", "level": 2}
            return {"status": "operating", "level": 2, "utilization": int(rnd.uniform(5, 40))}
        return {"status": rnd.choice(["planned", "absent"])}
    if item.kind == "text":
        return {"value": "Demo data: a generated note on challenges and successes."}
    if item.kind == "scale":
        top = item.data["points"]["max"]
        return {"value": min(top, round((level - 1) * top / 4))}
    if item.kind == "binary":
        return {"value": level >= 3}
    return {"value": level}


@transaction.atomic
def seed_assessments(framework_id: str = "ceds") -> int:
    """Three validated cycles for every demo city, with a mix of sharing levels (idempotent).

    When the framework has several versions, the last demo period uses the newest and the
    earlier ones the version before it, so demo cities have cycles on both (history and
    comparison across versions, through the crosswalk). The second demo city stays on the
    older version throughout, so its draft (seed_drafts) shows answers carried through the
    crosswalk to the newest version, marked to confirm."""
    import random

    from ceds.assessments.models import Answer, Assessment, ScoreSnapshot, SectionTarget
    from ceds.benchmarks.services import pooled_versions, recompute, refresh_public_results
    from ceds.frameworks.models import FrameworkVersion, Item, Section
    from ceds.scoring.engine import Engine

    versions = list(FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version")[:2])
    if not versions:
        return 0
    newest, older = versions[0], versions[-1]
    by_period = {period: (newest if i == len(DEMO_PERIODS) - 1 else older) for i, period in enumerate(DEMO_PERIODS)}
    used = list({v.pk: v for v in by_period.values()}.values())
    items = {v.pk: list(Item.objects.filter(framework_version=v)) for v in used}
    engines = {v.pk: Engine(v.definition) for v in used}
    existing = set(
        Assessment.objects.filter(framework_version__framework_id=framework_id, period__in=DEMO_PERIODS).values_list(
            "city_id", "period"
        )
    )
    created = 0
    for city in City.objects.select_related("profile").order_by("slug"):
        income = getattr(getattr(city, "profile", None), "income_group", "") or "upper_middle"
        digest = int(hashlib.sha256(city.slug.encode()).hexdigest()[:8], 16)
        sharing = ("named", "named", "named", "anonymous", "anonymous", "private")[digest % 6]
        if city.slug in (CITY_A, CITY_B):
            sharing = "named"
        base = _BASE_LEVEL[income] + (digest % 7 - 3) * 0.12
        for cycle, period in enumerate(DEMO_PERIODS):
            if (city.pk, period) in existing:
                continue
            version = older if city.slug == CITY_B else by_period[period]
            rnd = random.Random(f"{city.slug}-{period}")
            answers = {item.code: _demo_answer(item, base + 0.25 * cycle, rnd) for item in items[version.pk]}
            status = Assessment.Status.PUBLISHED if sharing != "private" or cycle < 2 else Assessment.Status.VALIDATED
            assessment = Assessment.objects.create(
                city=city,
                framework_version=version,
                period=period,
                status=status,
                is_demo=True,
                sharing=sharing if status == Assessment.Status.PUBLISHED else "private",
                validated_at=_demo_validated_at(period),
            )
            Answer.objects.bulk_create(
                Answer(assessment=assessment, item=item, value=answers[item.code]) for item in items[version.pk]
            )
            result = engines[version.pk].score(answers)
            ScoreSnapshot.objects.create(
                assessment=assessment,
                overall_score=result.overall.score,
                overall_level=result.overall.level,
                figures=result.to_dict(),
            )
            created += 1
    for version in used:
        engine = engines[version.pk]
        targets = list(Section.objects.filter(framework_version=version, takes_target=True))
        for assessment in Assessment.objects.filter(
            framework_version=version, is_demo=True, targets__isnull=True, snapshots__is_current=True
        ).distinct():
            # To-be levels two to five years out: one or two levels above today, at most 5.
            figures = assessment.snapshots.get(is_current=True).figures
            for section in targets:
                now = (figures.get(f"section:{section.code}") or {}).get("level") or 1
                SectionTarget.objects.create(
                    assessment=assessment, section=section, level=min(5, now + 1 + (section.pk % 2))
                )
            if targets:
                snapshot = assessment.snapshots.get(is_current=True)
                snapshot.figures = engine.score(
                    dict(assessment.answers.values_list("item__code", "value")),
                    dict(SectionTarget.objects.filter(assessment=assessment).values_list("section__code", "level")),
                ).to_dict()
                snapshot.save(update_fields=["figures"])
    # Demo results made before validation dates were recorded get theirs now.
    for period in DEMO_PERIODS:
        Assessment.objects.filter(
            framework_version__framework_id=framework_id, period=period, is_demo=True, validated_at__isnull=True
        ).update(validated_at=_demo_validated_at(period))
    for period in DEMO_PERIODS:
        done: set[int] = set()
        for version in used:
            if version.pk not in done:  # recompute() pools the versions that compare, and writes for each
                recompute(version.pk, period)
                done.update(pooled_versions(version.pk))
    refresh_public_results(framework_id)
    return created


def _demo_validated_at(period: str):
    """A demo cycle is validated in the March after its year (never in the future)."""
    from datetime import UTC, datetime

    from django.utils import timezone

    return min(datetime(int(period[:4]) + 1, 3, 31, 12, tzinfo=UTC), timezone.now())


def seed_drafts(framework_id: str = "ceds", period: str = "2026") -> int:
    """Open this year's draft for the two demo cities, carried forward, so the workflow can be tried."""
    from ceds.assessments import services
    from ceds.assessments.models import Assessment
    from ceds.frameworks.models import FrameworkVersion

    version = FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version").first()
    opened = 0
    for slug in (CITY_A, CITY_B):
        city = City.objects.get(slug=slug)
        if (
            version is None
            or Assessment.objects.filter(
                city=city, framework_version__framework_id=framework_id, period=period
            ).exists()
        ):
            continue
        coordinator = User.objects.get(email=f"{slug}.coordinator@{DEMO_DOMAIN}")
        draft = services.open_assessment(coordinator, city, version, period, carry_forward=True)
        Assessment.objects.filter(pk=draft.pk).update(is_demo=True)
        opened += 1
    return opened

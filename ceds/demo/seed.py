"""Demo data: real WeGO member cities with invented (clearly demo) circumstances and users.

Cities, coordinates and populations are real (content/demo/cities.yaml, from GeoNames and
cited statistics). Profiles and budgets are illustrative figures derived deterministically
from population and the country's World Bank income group, so every run gives the same data.
"""

import hashlib
from datetime import timedelta
from decimal import Decimal

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ceds.accounts.models import CityRole, RegionRole, User
from ceds.cities.models import BudgetBand, BudgetYear, City, CityProfile, Country, Membership, PopulationBand, Region
from ceds.core import notify

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
            # Demo partners take part in the assessment (the secretariat's switch), so their cycles open.
            defaults={
                "kind": membership.get("kind", "member"),
                "since": membership.get("since"),
                "status": "active",
                "partner_assessments_enabled": membership.get("kind") == "partner",
            },
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


def _desk_coordinator(city: City) -> User:
    """The coordinator account a demo city's cycles are entered with. Only the two demo cities'
    accounts sign in (their logins are printed); the others have no usable password."""
    if city.slug in (CITY_A, CITY_B):
        return User.objects.get(email=f"{city.slug}.coordinator@{DEMO_DOMAIN}")
    user, created = User.objects.get_or_create(
        email=f"{city.slug}.coordinator@{DEMO_DOMAIN}",
        defaults={"first_name": city.name, "last_name": "Coordinator", "is_demo": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    CityRole.objects.get_or_create(user=user, city=city, defaults={"role": CityRole.Role.COORDINATOR})
    return user


def _validator() -> User:
    return User.objects.get(email=f"analyst@{DEMO_DOMAIN}")


def _targets(assessment) -> dict:
    """To-be levels two to five years out: one or two levels above today's, at most 5."""
    from ceds.assessments.scoring import compute
    from ceds.frameworks.models import Section

    sections = list(Section.objects.filter(framework_version=assessment.framework_version, takes_target=True))
    if not sections:
        return {}
    result = compute(assessment)
    return {
        section: min(5, (result.figures[f"section:{section.code}"].level or 1) + 1 + (section.pk % 2))
        for section in sections
        if f"section:{section.code}" in result.figures
    }


def _past_cycle(city, version, newest, period: str, answers: dict, sharing: str, publish: bool, items: list) -> None:
    """One past cycle through the workflow: opened and answered by the city's coordinator, who
    sets the targets and submits it; validated by the secretariat's analyst; published unless
    `publish` is off. Dated in the past afterwards (the workflow stamps today)."""
    from ceds.assessments import services
    from ceds.assessments.models import Assessment

    coordinator = _desk_coordinator(city)
    assessment = services.open_assessment(coordinator, city, version, period, record_past=version != newest)
    Assessment.objects.filter(pk=assessment.pk).update(is_demo=True)
    services.save_answers(coordinator, assessment, {item: answers[item.code] for item in items})
    for section, level in _targets(assessment).items():
        services.set_target(coordinator, assessment, section, level)
    services.submit(coordinator, assessment)
    services.validate(_validator(), assessment, issue_now=False)
    validated_at = _demo_validated_at(period)
    Assessment.objects.filter(pk=assessment.pk).update(
        submitted_at=validated_at - timedelta(days=14), validated_at=validated_at
    )
    if publish:
        assessment.refresh_from_db()
        services.publish(coordinator, assessment, sharing)
        Assessment.objects.filter(pk=assessment.pk).update(published_at=validated_at)


@transaction.atomic
def seed_assessments(framework_id: str = "ceds") -> int:
    """Three validated cycles for every demo city, with a mix of sharing levels (idempotent),
    each through the workflow services (open, answer, set targets, submit, validate, publish),
    telling nobody: these are past cycles.

    When the framework has several versions, the last demo period uses the newest and the
    earlier ones the version before it, so demo cities have cycles on both (history and
    comparison across versions, through the crosswalk). The second demo city stays on the
    older version throughout, so its draft (seed_drafts) shows answers carried through the
    crosswalk to the newest version, marked to confirm. Reports are issued on their first view."""
    import random

    from ceds.assessments.models import Assessment
    from ceds.frameworks.models import FrameworkVersion, Item

    versions = list(FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version")[:2])
    if not versions:
        return 0
    newest, older = versions[0], versions[-1]
    by_period = {period: (newest if i == len(DEMO_PERIODS) - 1 else older) for i, period in enumerate(DEMO_PERIODS)}
    items = {v.pk: list(Item.objects.filter(framework_version=v).select_related("section")) for v in (newest, older)}
    existing = set(
        Assessment.objects.filter(framework_version__framework_id=framework_id, period__in=DEMO_PERIODS).values_list(
            "city_id", "period"
        )
    )
    created = 0
    from ceds.benchmarks.services import batched

    with notify.quiet(), batched():
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
                # A private city publishes its earlier results privately and leaves its latest validated.
                publish = sharing != "private" or cycle < 2
                _past_cycle(city, version, newest, period, answers, sharing, publish, items[version.pk])
                created += 1
    return created


def _demo_validated_at(period: str):
    """A demo cycle is validated in the March after its year (never in the future)."""
    from datetime import UTC, datetime

    from django.utils import timezone

    return min(datetime(int(period[:4]) + 1, 3, 31, 12, tzinfo=UTC), timezone.now())


def scenario(content_dir=None) -> dict:
    content_dir = content_dir or settings.CONTENT_DIR
    return yaml.safe_load((content_dir / "demo" / "scenario.yaml").read_text(encoding="utf-8"))


@transaction.atomic
def seed_drafts(framework_id: str = "ceds", period: str = "2026") -> int:
    """This year's cycles, left where each role has a next task (content/demo/scenario.yaml):
    Seoul's returned to its contributor's section, Barcelona's in progress with an overdue
    section, an Asia & Pacific city's waiting for validation. Through the workflow services,
    with their e-mails and notices."""
    from ceds.frameworks.models import FrameworkVersion

    plan = scenario()
    if plan["framework"] != framework_id or plan["period"] != period:
        return 0
    version = FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version").first()
    if version is None:
        return 0
    steps = {CITY_A: _seoul_returned, CITY_B: _barcelona_in_progress, plan["submitted"]["city"]: _submitted}
    opened = 0
    for slug, step in steps.items():
        city = City.objects.filter(slug=slug).first()
        if (
            city is None
            or city.assessments.filter(framework_version__framework_id=framework_id, period=period).exists()
        ):
            continue
        step(city, version, period, plan)
        opened += 1
    return opened


def _open_draft(city, version, period):
    from ceds.assessments import services
    from ceds.assessments.models import Assessment

    draft = services.open_assessment(_desk_coordinator(city), city, version, period, carry_forward=True)
    Assessment.objects.filter(pk=draft.pk).update(is_demo=True)
    return draft


def _assign(draft, spec: list[dict]) -> None:
    from ceds.assessments import services
    from ceds.frameworks.models import Section

    contributor = User.objects.get(email=f"{draft.city.slug}.contributor@{DEMO_DOMAIN}")
    today = timezone.localdate()
    for entry in spec:
        section = Section.objects.get(framework_version=draft.framework_version, code=entry["section"])
        services.assign_section(
            _desk_coordinator(draft.city), draft, section, contributor, today + timedelta(days=entry["due_in_days"])
        )


def _complete(draft, actor, sections=None) -> None:
    """Confirm the carried answers and answer the rest (of `sections`, or all), as `actor`.
    Free-text notes carried forward stay to confirm: they do not block submission."""
    import random

    from ceds.assessments import services
    from ceds.frameworks.models import Item

    income = getattr(getattr(draft.city, "profile", None), "income_group", "") or "upper_middle"
    rnd = random.Random(f"{draft.city.slug}-{draft.period}")
    items = Item.objects.filter(framework_version=draft.framework_version).select_related("section")
    if sections is not None:
        items = items.filter(section__code__in=sections)
    answers = {a.item_id: a for a in draft.answers.all()}
    values = {}
    for item in items.order_by("position"):
        answer = answers.get(item.pk)
        if answer is None:
            values[item] = _demo_answer(item, _BASE_LEVEL[income] + 0.75, rnd)
        elif answer.carried_forward and item.kind != "text":
            values[item] = answer.value
    services.save_answers(actor, draft, values)


def _seoul_returned(city, version, period, plan) -> None:
    from ceds.assessments import services
    from ceds.frameworks.models import Item

    spec = plan["seoul"]
    draft = _open_draft(city, version, period)
    _assign(draft, spec["assignments"])
    contributor = User.objects.get(email=f"{city.slug}.contributor@{DEMO_DOMAIN}")
    _complete(draft, contributor, [entry["section"] for entry in spec["assignments"]])
    _complete(draft, _desk_coordinator(city))
    services.submit(_desk_coordinator(city), draft)
    office = User.objects.get(email=f"asia.office@{DEMO_DOMAIN}")
    notes = {Item.objects.get(framework_version=version, code=r["item"]): r["comment"] for r in spec["returned"]}
    services.return_assessment(office, draft, notes)


def _barcelona_in_progress(city, version, period, plan) -> None:
    draft = _open_draft(city, version, period)
    _assign(draft, plan["barcelona"]["assignments"])


def _submitted(city, version, period, plan) -> None:
    from ceds.assessments import services
    from ceds.assessments.models import Assessment

    draft = _open_draft(city, version, period)
    _complete(draft, _desk_coordinator(city))
    services.submit(_desk_coordinator(city), draft)
    Assessment.objects.filter(pk=draft.pk).update(
        submitted_at=timezone.now() - timedelta(days=plan["submitted"]["days_ago"])
    )

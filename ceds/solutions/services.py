"""Assembling a city's plan from its stored results, and the writes the plan page makes."""

import dataclasses
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ceds.accounts import roles
from ceds.assessments.models import Assessment, SectionTarget
from ceds.assessments.scoring import answers_for
from ceds.assessments.uploads import check_upload
from ceds.benchmarks.anonymity import NAMED, may_aggregate, may_list
from ceds.benchmarks.models import Leaderboard, PeerGroup, PeerStat
from ceds.benchmarks.results import own_is_anonymous_member
from ceds.cities.currency import to_usd
from ceds.cities.models import DEFAULT_NEW_PROJECTS_SHARE, BudgetYear
from ceds.core import audit
from ceds.core.i18n import localized
from ceds.solutions import guide, planning
from ceds.solutions.models import Action, Module, Practice, RoadmapMemo

# A representative annual e-government budget per band (USD): the default when the city has
# recorded no budget year in a currency we can convert.
BUDGET_OF_BAND = {"minimal": 50_000, "small": 500_000, "medium": 5_000_000, "large": 20_000_000}


@dataclass(frozen=True)
class Capacity:
    """The roadmap's default yearly budget (USD) and staff, and where they come from (shown on the page)."""

    budget: float
    staff: float
    share: int
    budget_year: int | None = None
    planned: float | None = None  # the budget year's planned amount, in its currency
    currency: str = "USD"
    converted: bool = True  # False: the budget year's currency has no rate; the band's figure is used


def default_capacity(city) -> Capacity:
    """The share of the city's latest planned e-government budget (in USD) and of its ICT staff."""
    profile = getattr(city, "profile", None)
    share = profile.new_projects_share if profile is not None else DEFAULT_NEW_PROJECTS_SHARE
    staff = round((profile.ict_staff if profile is not None else 0) * share / 100, 1)
    latest = BudgetYear.objects.filter(city=city).order_by("-year").first()
    if latest is not None:
        usd = to_usd(latest.planned, latest.currency)
        if usd is not None:
            budget = round(float(usd) * share / 100, -3)
            return Capacity(budget, staff, share, latest.year, float(latest.planned), latest.currency)
    band = BUDGET_OF_BAND.get(profile.budget_band if profile is not None else "", 500_000)
    return Capacity(
        round(band * share / 100, -3),
        staff,
        share,
        latest.year if latest else None,
        float(latest.planned) if latest else None,
        latest.currency if latest else "USD",
        converted=latest is None,
    )


def modules_by_code() -> dict[str, dict]:
    return dict(Module.objects.values_list("code", "data"))


def profile_of(city) -> dict:
    profile = getattr(city, "profile", None)
    if profile is None:
        return {}
    return {
        "population_band": profile.population_band,
        "budget_band": profile.budget_band,
        "ict_staff": profile.ict_staff,
        "internet_penetration": profile.internet_penetration,
        "income_group": profile.income_group,
        "national_platforms": list(profile.national_platforms or []),
    }


def plan_targets(assessment: Assessment, definition: dict, figures: dict) -> dict[str, dict]:
    """Per section: current level, the city's target or the default, and where the default comes from."""
    chosen = dict(SectionTarget.objects.filter(assessment=assessment).values_list("section__code", "level"))
    own_anonymous = own_is_anonymous_member(assessment)
    upper = {
        key.removeprefix("section:"): q3
        for key, q3, n, anonymous in PeerStat.objects.filter(
            framework_version_id=assessment.framework_version_id,
            period=assessment.period,
            group_kind=PeerGroup.ALL,
            figure_key__startswith="section:",
            q3__isnull=False,
        ).values_list("figure_key", "q3", "n", "anonymous")
        # A quartile of other cities' scores: the k >= 5 rule of ceds.benchmarks.anonymity.
        if may_aggregate(n, anonymous, own_anonymous)
    }
    out = {}
    for part in definition["parts"]:
        for group in part["groups"]:
            for section in group["sections"]:
                code = section["id"]
                figure = figures.get(f"section:{code}") or {}
                current = figure.get("level") or 1
                quartile_level = planning.level_of_score(definition, upper[code]) if code in upper else None
                default = planning.default_target(current, quartile_level)
                out[code] = {
                    "section": section,
                    "current": current,
                    "default": default,
                    "target": chosen.get(code, default),
                    "set_by_city": code in chosen,
                    "quartile_level": quartile_level,
                }
    return out


@dataclass
class Plan:
    targets: dict
    gaps: list
    recommendations: list
    roadmap: planning.Roadmap | None
    budget: float | str  # or "unlimited"
    staff: float | str
    practices: dict
    horizon: int = planning.DEFAULT_HORIZON
    done: list = dataclasses.field(default_factory=list)  # modules the city's answers show in place
    capacity: Capacity | None = None  # the defaults and their basis
    band: str | None = None  # the city's population band, whose costs the plan uses
    efforts: dict = dataclasses.field(default_factory=dict)  # module -> planning.Effort for this city

    @property
    def groups(self) -> dict[str, list]:
        """Recommendations as the page shows them: necessary now, reasonable later, not for this city."""
        return {
            "necessary": [r for r in self.recommendations if r.necessary],
            "later": [r for r in self.recommendations if not r.necessary and r.reasonable],
            "unsuited": [r for r in self.recommendations if not r.reasonable],
        }


def build_plan(
    assessment: Assessment,
    figures: dict,
    budget: float | str | None = None,
    staff: float | str | None = None,
    horizon: int = planning.DEFAULT_HORIZON,
) -> Plan:
    """The city's plan: gaps, recommendations and a roadmap over the whole module library.

    Budget and staff default to the city's own figures (default_capacity); "unlimited" lifts a limit.
    """
    definition = assessment.framework_version.definition
    modules = modules_by_code()
    targets = plan_targets(assessment, definition, figures)
    gap_list = planning.gaps(definition, figures, {c: t["target"] for c, t in targets.items()}, modules)
    profile = profile_of(assessment.city)
    answers = answers_for(assessment)
    # What the city already has is derived from its answers (through the version's crosswalk).
    done = planning.done_modules(definition, answers, modules, assessment.framework_version.crosswalk)
    capacity = default_capacity(assessment.city)
    budget = budget if budget is not None else capacity.budget
    staff = staff if staff is not None else capacity.staff
    # "unlimited" reaches the planner as None (no constraint).
    budget_limit = None if budget == "unlimited" else float(budget)
    staff_limit = None if staff == "unlimited" else float(staff)
    band = profile.get("population_band")
    verdicts = {code: planning.fits(module, profile) for code, module in modules.items()}
    recommendations = planning.recommend(gap_list, modules, profile, done, verdicts)
    efforts = {code: planning.effort_for(modules[code], band, verdicts[code].route) for code in modules}
    excluded = {
        code: _("not reasonable for the city: %(why)s") % {"why": "; ".join(v.against)}
        for code, v in verdicts.items()
        if not v.ok and code not in done
    }
    candidates = sorted(modules)
    roadmap = memoized_plan(
        assessment.framework_version,
        answers,
        candidates,
        modules,
        budget_limit,
        staff_limit,
        done,
        gap_list,
        horizon,
        efforts,
        excluded,
    )
    key_sections = {g.section for g in gap_list[: planning.KEY_GAPS]}
    published = list(Practice.objects.published()) if key_sections else []
    practices = {
        code: [p for p in published if code in p.data.get("sections", [])][:3] for code in sorted(key_sections)
    }
    return Plan(
        targets,
        gap_list,
        recommendations,
        roadmap,
        budget,
        staff,
        practices,
        horizon,
        sorted(done),
        capacity,
        band,
        efforts,
    )


def memoized_plan(
    version,
    answers,
    candidates,
    modules,
    budget,
    staff,
    done=frozenset(),
    gap_list=(),
    horizon=planning.DEFAULT_HORIZON,
    efforts=None,
    excluded=None,
) -> planning.Roadmap:
    """planning.plan, read from RoadmapMemo when the same inputs were planned before.

    The framework enters the digest by its checksum (a version is immutable once used).
    """
    efforts = efforts or {code: planning.effort_for(module) for code, module in modules.items()}
    gap_inputs = [dataclasses.asdict(g) for g in gap_list]
    effort_inputs = {c: dataclasses.asdict(e) for c, e in sorted(efforts.items())}
    # Of a module the planner reads only what it raises and needs first (its cost is in efforts):
    # the digest leaves out the guide's texts, which are most of the library's bytes.
    graph = {code: [m["raises"], m.get("prerequisites", [])] for code, m in modules.items()}
    inputs = [
        "mip-3",
        get_language(),  # the reasons are sentences in the reader's language
        version.checksum,
        answers,
        candidates,
        graph,
        budget,
        staff,
        sorted(done),
        gap_inputs,
        horizon,
        effort_inputs,
        excluded or {},
    ]
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
    stored = RoadmapMemo.objects.filter(digest=digest).values_list("roadmap", flat=True).first()
    if stored is not None:
        return planning.Roadmap(**{**stored, "phases": {int(k): v for k, v in stored["phases"].items()}})
    roadmap = planning.plan(
        version.definition,
        answers,
        candidates,
        modules,
        budget,
        staff,
        done=set(done),
        horizon=horizon,
        gap_list=list(gap_list),
        efforts=efforts,
        excluded=excluded,
    )
    RoadmapMemo.objects.get_or_create(digest=digest, defaults={"roadmap": dataclasses.asdict(roadmap)})
    return roadmap


def learn_from(assessment: Assessment, section_codes, limit: int = 3) -> dict[str, list]:
    """Peer cities sharing by name that score highest on each section (same framework and period).

    {section code: [(score, {"name": city name})]}, read from the period's leaderboard.
    """
    board = (
        Leaderboard.objects.filter(framework_version_id=assessment.framework_version_id, period=assessment.period)
        .values_list("section_leaders", flat=True)
        .first()
    ) or {}
    return {
        code: [
            (leader["score"], {"name": leader["city"]})
            for leader in board.get(f"section:{code}", [])
            # Written for named results only; an entry of an older board without sharing is named.
            if leader["city_id"] != assessment.city_id and may_list(leader.get("sharing", NAMED))
        ][:limit]
        for code in section_codes
    }


ACTION_FIELDS = ("title", "owner", "due_date", "status", "note", "linked_items")


def _require_manager(actor, assessment):
    if not roles.can_manage_assessment(actor, assessment):
        raise PermissionDenied


@transaction.atomic
def adopt_module(actor, assessment: Assessment, module: Module):
    """Put a recommended module into the action plan, linked to the items it raises."""
    _require_manager(actor, assessment)
    action, created = Action.objects.get_or_create(
        assessment=assessment,
        module=module,
        step=None,
        defaults={
            "city": assessment.city,
            "title": localized(module.title)[:200],
            "linked_items": sorted(module.data["raises"]),
        },
    )
    if created:
        audit.record(actor, "action.adopt", assessment, {"action": [None, action.title]}, assessment.city)
    return action


@transaction.atomic
def adopt_module_steps(actor, assessment: Assessment, module: Module, start, owner: str | None = None) -> list:
    """Put each step of a module into the action plan: due at the end of its weeks from `start`.

    `owner` is given to every step; without one, a step's owner is the roles it names. A step
    adopted before is left as the city has edited it. Returns the actions created.
    """
    _require_manager(actor, assessment)
    steps = module.data.get("steps", [])
    adopted = set(
        Action.objects.filter(assessment=assessment, module=module, step__isnull=False).values_list("step", flat=True)
    )
    title = localized(module.title)
    created = []
    for step, due in zip(guide.timeline(steps), guide.due_dates(steps, start), strict=True):
        if step.number in adopted:
            continue
        created.append(
            Action(
                city=assessment.city,
                assessment=assessment,
                module=module,
                step=step.number,
                title=f"{title}: {step.number}. {localized(step.title)}"[:200],
                owner=(owner or ", ".join(step.roles))[:120],
                due_date=due,
                linked_items=sorted(module.data["raises"]),
            )
        )
    Action.objects.bulk_create(created)
    if created:
        audit.record(
            actor,
            "action.adopt_steps",
            assessment,
            {"module": [None, module.code], "steps": [None, [a.step for a in created]], "start": [None, str(start)]},
            assessment.city,
        )
    return created


@transaction.atomic
def save_action(actor, assessment: Assessment, data: dict, action=None):
    _require_manager(actor, assessment)
    if action is None:
        action = Action(city=assessment.city, assessment=assessment)
        before = {}
    else:
        before = audit.snapshot(action, ACTION_FIELDS)
    for field_name, value in data.items():
        setattr(action, field_name, value)
    action.save()
    audit.record(
        actor, "action.save", assessment, audit.diff(before, audit.snapshot(action, ACTION_FIELDS)), assessment.city
    )
    return action


# -- cases shared by cities ------------------------------------------------------------------


def _practice_data(data: dict) -> dict:
    return {
        "title": {"en": data["title"]},
        "summary": {"en": data["what"]},
        "why": {"en": data["why"]},
        "results": {"en": data["results"]},
        "contact": data["contact"],
        "categories": data["categories"],
        "sections": data["sections"],
        "source": data.get("source") or "",
    }


@transaction.atomic
def submit_practice(actor, city, data: dict, attachment=None):
    """A city coordinator shares a case; the secretariat reviews it before anyone else sees it."""
    if roles.city_role(actor, city) != "coordinator":
        raise PermissionDenied
    practice = Practice(
        code=f"city-{city.slug}-{uuid.uuid4().hex[:8]}",
        origin=Practice.Origin.CITY,
        status=Practice.Status.SUBMITTED,
        title={"en": data["title"]},
        city_name=city.name,
        country=city.country_id,
        year=data["year"],
        data={**_practice_data(data), "source": f"{city.name}, shared on CeDS"},
        city=city,
        submitted_by=actor,
    )
    _attach(practice, attachment)
    practice.save()
    audit.record(actor, "practice.submit", practice, {"title": [None, data["title"]]}, city)
    return practice


@transaction.atomic
def revise_practice(actor, practice, data: dict, attachment=None):
    if practice.submitted_by_id != actor.pk or practice.status != Practice.Status.CHANGES:
        raise PermissionDenied
    practice.title, practice.year = {"en": data["title"]}, data["year"]
    practice.data = {**practice.data, **_practice_data(data), "source": practice.data.get("source", "")}
    practice.status = Practice.Status.SUBMITTED
    _attach(practice, attachment)
    practice.save()
    audit.record(actor, "practice.revise", practice, {"status": ["changes_requested", "submitted"]}, practice.city)
    return practice


def _attach(practice, attachment) -> None:
    if attachment is None:
        return
    kind = check_upload(attachment, django_settings.EVIDENCE_MAX_BYTES)
    practice.attachment_name = attachment.name[-200:]
    practice.attachment_type = kind.content_type
    practice.attachment.save(f"{practice.code}", attachment, save=False)


@transaction.atomic
def review_practice(actor, practice, publish: bool, note: str = ""):
    if not roles.is_secretariat(actor):
        raise PermissionDenied
    if practice.origin != Practice.Origin.CITY or practice.status != Practice.Status.SUBMITTED:
        raise ValidationError("only submitted city cases are reviewed")
    if not publish and not note.strip():
        raise ValidationError("say what to change")
    before = practice.status
    practice.status = Practice.Status.PUBLISHED if publish else Practice.Status.CHANGES
    practice.review_note = note.strip()
    practice.save()
    audit.record(actor, "practice.review", practice, {"status": [before, practice.status]}, practice.city)
    return practice

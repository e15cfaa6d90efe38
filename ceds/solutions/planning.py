"""From scores to a plan: gaps, their priority, recommended modules and a phased roadmap.

Pure functions on plain data (the framework definition, a snapshot's figures, the modules
as loaded from content/, the city's circumstances); the arithmetic is documented in
docs/methodology.md ("7. Gaps, priorities and the roadmap").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceds.scoring.engine import Engine

# Representative one-off cost of a module per cost band, in USD (the band's middle).
COST_OF_BAND = {"low": 25_000, "medium": 150_000, "high": 600_000, "very_high": 2_000_000}
PHASES = 3
EXACT_LIMIT = 10  # candidates up to which the roadmap is searched exhaustively (2^10 plans)


@dataclass
class Gap:
    code: str
    section: str
    title: dict
    current: int
    target: int
    weight: float
    foundational: int  # 1 + modules that build (directly or through prerequisites) on the module closing it
    closing: list[str] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return max(0, self.target - self.current)

    @property
    def priority(self) -> float:
        return self.weight * self.gap * self.foundational


def level_of_score(definition: dict, score: float | None) -> int:
    if score is None:
        return 1
    for entry in sorted(definition["levels"], key=lambda lv: -lv["min"]):
        if score >= entry["min"] - 1e-9:
            return entry["level"]
    return 1


def default_target(current: int, upper_quartile_level: int | None) -> int:
    """One level up (capped at 5), or the peer group's upper-quartile level if higher."""
    return max(min(5, current + 1), upper_quartile_level or 0)


def dependents(modules: dict[str, dict]) -> dict[str, set[str]]:
    """For each module, every module that builds on it directly or through prerequisites."""
    direct: dict[str, set[str]] = {code: set() for code in modules}
    for code, module in modules.items():
        for prerequisite in module.get("prerequisites", []):
            direct.setdefault(prerequisite, set()).add(code)
    closure: dict[str, set[str]] = {}

    def visit(code: str) -> set[str]:
        if code not in closure:
            closure[code] = set()
            found = set()
            for child in direct.get(code, ()):
                found |= {child} | visit(child)
            closure[code] = found
        return closure[code]

    for code in modules:
        visit(code)
    return closure


def item_sections(definition: dict) -> dict[str, tuple[str, dict]]:
    return {
        item["id"]: (section["id"], item)
        for part in definition["parts"]
        for group in part["groups"]
        for section in group["sections"]
        for item in section.get("items", [])
        if item["kind"] != "text"
    }


def gaps(definition: dict, figures: dict, targets: dict[str, int], modules: dict[str, dict]) -> list[Gap]:
    """Every scored item below its section's target, ranked by priority (highest first)."""
    builds_on = dependents(modules)
    closers: dict[str, list[str]] = {}
    for code, module in modules.items():
        for item in module["raises"]:
            closers.setdefault(item, []).append(code)
    found = []
    for code, (section, item) in item_sections(definition).items():
        figure = figures.get(f"item:{code}") or {}
        if figure.get("state") in ("na", "hidden"):
            continue
        current = figure.get("level") or 1
        target = targets.get(section)
        if target is None or current >= target:
            continue
        closing = sorted(closers.get(code, []))
        foundational = 1 + max((len(builds_on.get(m, ())) for m in closing), default=0)
        found.append(
            Gap(
                code,
                section,
                item.get("title", {}),
                current,
                target,
                float(item.get("weight") or 1),
                foundational,
                closing,
            )
        )
    found.sort(key=lambda g: (-g.priority, g.code))
    return found


@dataclass
class Recommendation:
    code: str
    module: dict
    closes: list[Gap]
    necessary: bool
    reasonable: bool
    reasons: list[str]
    unsuited: list[str]


def fits(module: dict, profile: dict) -> tuple[bool, list[str], list[str]]:
    """Whether a module's declared circumstances match the city's; reasons for and against."""
    rule = module.get("reasonable_when") or {}
    why, against = [], []
    checks = [
        ("population_bands", profile.get("population_band"), _("population band %(value)s")),
        ("budget_bands", profile.get("budget_band"), _("budget band %(value)s")),
    ]
    for key, value, label in checks:
        allowed = rule.get(key)
        if allowed:
            (why if value in allowed else against).append(label % {"value": value or _("unknown")})
    if rule.get("min_ict_staff") is not None:
        staff = profile.get("ict_staff") or 0
        (why if staff >= rule["min_ict_staff"] else against).append(
            _("%(staff)s ICT staff (needs %(needed)s)") % {"staff": staff, "needed": rule["min_ict_staff"]}
        )
    if rule.get("min_internet_penetration") is not None:
        share = profile.get("internet_penetration")
        ok = share is not None and share >= rule["min_internet_penetration"]
        (why if ok else against).append(
            _("internet use %(share)s %%") % {"share": share if share is not None else _("unknown")}
        )
    return not against, why, against


def recommend(gap_list: list[Gap], modules: dict[str, dict], profile: dict) -> list[Recommendation]:
    """Modules that close gaps, necessary or reasonable, ordered so prerequisites come first."""
    by_module: dict[str, list[Gap]] = {}
    for gap in gap_list:
        for code in gap.closing:
            if modules[code]["raises"].get(gap.code, 0) > gap.current:
                by_module.setdefault(code, []).append(gap)
    chosen = set(by_module)
    # Prerequisites of recommended modules are recommended too.
    frontier = list(chosen)
    while frontier:
        for prerequisite in modules[frontier.pop()].get("prerequisites", []):
            if prerequisite not in chosen:
                chosen.add(prerequisite)
                frontier.append(prerequisite)
    builds_on = dependents(modules)
    necessary: dict[str, str] = {}
    for code in sorted(chosen):
        for gap in by_module.get(code, []):
            others = len(builds_on.get(code, set()) & chosen)
            if gap.current <= 2 and others:
                necessary[code] = ngettext(
                    "recommended because %(item)s is at level %(level)s and %(n)s other recommended module "
                    "builds on the module that closes it",
                    "recommended because %(item)s is at level %(level)s and %(n)s other recommended modules "
                    "build on the module that closes it",
                    others,
                ) % {"item": gap.code, "level": gap.current, "n": others}
                break
    # A prerequisite of a necessary module is necessary.
    for code in list(necessary):
        for prerequisite in _ancestors(code, modules):
            necessary.setdefault(prerequisite, _("a prerequisite of %(module)s, which is necessary") % {"module": code})
    result = []
    for code in _topological(sorted(chosen), modules, key=lambda c: -sum(g.priority for g in by_module.get(c, []))):
        ok, why, against = fits(modules[code], profile)
        reasons = []
        if code in necessary:
            reasons.append(necessary[code])
        if ok:
            reasons.append(
                _("fits the city's circumstances (%(why)s)") % {"why": ", ".join(why)}
                if why
                else _("fits the city's circumstances")
            )
        if code not in by_module:
            reasons.append(_("a prerequisite of other recommended modules"))
        result.append(
            Recommendation(code, modules[code], by_module.get(code, []), code in necessary, ok, reasons, against)
        )
    return result


def _ancestors(code: str, modules: dict[str, dict]) -> list[str]:
    seen: list[str] = []
    stack = list(modules[code].get("prerequisites", []))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.append(current)
            stack.extend(modules[current].get("prerequisites", []))
    return seen


def _topological(codes: list[str], modules: dict[str, dict], key) -> list[str]:
    """Prerequisites first; among modules that are ready, the highest priority first."""
    remaining, done, order = set(codes), set(), []
    while remaining:
        ready = [
            c for c in remaining if all(p in done or p not in remaining for p in modules[c].get("prerequisites", []))
        ]
        ready.sort(key=lambda c: (key(c), c))
        nxt = ready[0]
        order.append(nxt)
        done.add(nxt)
        remaining.remove(nxt)
    return order


# -- the roadmap ---------------------------------------------------------------------------


@dataclass
class Roadmap:
    phases: dict[int, list[str]]
    gain: float
    baseline: float | None
    planned_score: float | None
    left_out: dict[str, str]
    exact: bool


def apply_raises(definition: dict, answers: dict[str, dict], module_codes, modules: dict[str, dict]) -> dict[str, dict]:
    """The answers as they would be once the modules are deployed (levels raised, services in operation)."""
    items = item_sections(definition)
    raised = dict(answers)
    for code in module_codes:
        for item_code, level in modules[code]["raises"].items():
            if item_code not in items:
                continue
            kind = items[item_code][1]["kind"]
            current = raised.get(item_code) or {}
            if current.get("na"):
                continue
            if kind == "level":
                if current.get("dont_know") or (current.get("value") or 0) < level:
                    raised[item_code] = {"value": level}
            elif kind == "service":
                ok = current.get("status") == "operating" and (current.get("level") or 0) >= level
                if not ok:
                    raised[item_code] = {
                        "status": "operating",
                        "level": level,
                        **({"utilization": current["utilization"]} if "utilization" in current else {}),
                    }
    return raised


def plan(
    definition: dict,
    answers: dict[str, dict],
    candidates: list[str],
    modules: dict[str, dict],
    annual_budget: float,
    staff: float,
    done: set[str] | frozenset[str] = frozenset(),
) -> Roadmap:
    """Choose and order modules into three yearly phases within budget and staff capacity,
    maximising the overall score the scoring engine gives once they are deployed.

    A module starts in one phase and uses its cost and staff in that phase; its prerequisites
    must be done already or in an earlier phase. Up to EXACT_LIMIT candidates the search is
    exhaustive; beyond, modules are added greedily by gain per cost.
    """
    engine = Engine(definition)
    baseline = engine.score(answers).overall.score

    def score_of(selection) -> float:
        return engine.score(apply_raises(definition, answers, selection, modules)).overall.score or 0.0

    cost = {c: COST_OF_BAND[modules[c]["effort"]["cost_band"]] for c in candidates}
    need = {c: float(modules[c]["effort"]["staff"]) for c in candidates}
    left_out: dict[str, str] = {}
    usable = []
    for code in candidates:
        missing = [p for p in modules[code].get("prerequisites", []) if p not in done and p not in candidates]
        if cost[code] > annual_budget:
            left_out[code] = _("costs about USD %(cost)s in its year; the annual budget is USD %(budget)s") % {
                "cost": f"{cost[code]:,}",
                "budget": f"{annual_budget:,.0f}",
            }
        elif need[code] > staff:
            left_out[code] = _("needs %(need)s staff; capacity is %(staff)s") % {
                "need": f"{need[code]:g}",
                "staff": f"{staff:g}",
            }
        elif missing:
            left_out[code] = _("needs %(modules)s first") % {"modules": ", ".join(missing)}
        else:
            usable.append(code)
    for code in list(usable):  # drop modules whose prerequisites were dropped
        if any(p in left_out for p in _ancestors(code, modules)):
            usable.remove(code)
            left_out[code] = _("a prerequisite does not fit")
    exact = len(usable) <= EXACT_LIMIT
    best: tuple[float, float, tuple[str, ...]] = (baseline or 0.0, 0.0, ())
    best_schedule: dict[str, int] = {}
    if exact:
        for size in range(1, len(usable) + 1):
            for subset in itertools.combinations(sorted(usable), size):
                chosen = set(subset)
                if any(p not in chosen and p not in done for c in subset for p in modules[c].get("prerequisites", [])):
                    continue
                schedule = _schedule(subset, modules, cost, need, annual_budget, staff, done)
                if schedule is None:
                    continue
                gained = score_of(subset)
                total = sum(cost[c] for c in subset)
                if (gained, -total) > (best[0], -best[1]) or (
                    gained == best[0] and total == best[1] and subset < best[2]
                ):
                    best, best_schedule = (gained, total, subset), schedule
    else:
        chosen: list[str] = []
        current = baseline or 0.0
        while True:
            options = []
            for code in sorted(set(usable) - set(chosen)):
                trial = [*chosen, code]
                if any(p not in trial and p not in done for p in modules[code].get("prerequisites", [])):
                    continue
                schedule = _schedule(tuple(trial), modules, cost, need, annual_budget, staff, done)
                if schedule is None:
                    continue
                value = score_of(trial)
                options.append(((value - current) / cost[code], value, code, schedule))
            options = [o for o in options if o[1] > current + 1e-9]
            if not options:
                break
            options.sort(key=lambda o: (-o[0], o[2]))
            _ratio, current, code, best_schedule = options[0]
            chosen.append(code)
        best = (current, sum(cost[c] for c in chosen), tuple(chosen))
    for code in usable:
        if code not in best[2]:
            left_out[code] = "adds too little to the score for its cost, or does not fit beside the chosen modules"
    phases = {phase: sorted(c for c, p in best_schedule.items() if p == phase) for phase in range(1, PHASES + 1)}
    planned = best[0] if best[2] else baseline
    return Roadmap(phases, (planned or 0.0) - (baseline or 0.0), baseline, planned, left_out, exact)


def _schedule(subset, modules, cost, need, budget, staff, done) -> dict[str, int] | None:
    """A phase for each module within budget and staff per phase, prerequisites earlier; None if impossible.

    Depth-first over modules in prerequisite order, trying the earliest phase first, so the
    answer is deterministic and exact for the small sets it is used on.
    """
    order = _topological(list(subset), modules, key=lambda c: 0)
    spent = [0.0] * (PHASES + 1)
    used = [0.0] * (PHASES + 1)
    placed: dict[str, int] = {}

    def place(index: int) -> bool:
        if index == len(order):
            return True
        code = order[index]
        earliest = 1 + max((placed[p] for p in modules[code].get("prerequisites", []) if p in placed), default=0)
        for phase in range(earliest, PHASES + 1):
            if spent[phase] + cost[code] <= budget + 1e-9 and used[phase] + need[code] <= staff + 1e-9:
                spent[phase] += cost[code]
                used[phase] += need[code]
                placed[code] = phase
                if place(index + 1):
                    return True
                spent[phase] -= cost[code]
                used[phase] -= need[code]
                del placed[code]
        return False

    return dict(placed) if place(0) else None

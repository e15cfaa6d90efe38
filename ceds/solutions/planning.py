"""From scores to a plan: gaps, their priority, recommended modules and a phased roadmap.

Pure functions on plain data (the framework definition, a snapshot's figures, the modules
as loaded from content/, the city's circumstances); the arithmetic is documented in
docs/methodology.md ("7. Gaps, priorities and the roadmap").
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ceds.scoring.engine import Engine

# Representative one-off cost of a module per cost band, in USD (the band's middle).
COST_OF_BAND = {"low": 25_000, "medium": 150_000, "high": 600_000, "very_high": 2_000_000}
DEFAULT_HORIZON = 5
MAX_HORIZON = 10
RUNNING_SHARE = 0.15  # yearly running cost as a share of the one-off cost, where a module states none
# A re-plan answers within a second: HiGHS stops at this limit with the best roadmap found so far
# and reports how far from the proven best it may be (Roadmap.gap).
SOLVER_SECONDS = 0.8


@dataclass
class Gap:
    code: str
    section: str
    title: dict
    current: int
    target: int
    weight: float
    dependants: int  # modules that build (directly or through prerequisites) on the module closing it
    closing: list[str] = field(default_factory=list)
    library_size: int = 1  # modules in the library, which bounds the foundation term

    @property
    def gap(self) -> int:
        return max(0, self.target - self.current)

    @property
    def foundation(self) -> float:
        """1 for an item nothing builds on, up to 2 for the one everything builds on (logarithmic)."""
        most = max(1, self.library_size - 1)
        return 1 + math.log1p(min(self.dependants, most)) / math.log1p(most)

    @property
    def priority(self) -> float:
        return round(self.weight * self.gap * self.foundation, 6)


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
        dependants = max((len(builds_on.get(m, ())) for m in closing), default=0)
        weight = float(item.get("weight") or 1)
        found.append(
            Gap(code, section, item.get("title", {}), current, target, weight, dependants, closing, len(modules))
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
    route: str = "own"  # "cheaper" when the city takes the module's cheaper route


KEY_GAPS = 10  # the report's key gaps: the highest priorities
MAX_NECESSARY = 15  # necessary modules a city is asked to start with, prerequisites included
MID_BAND = "500k_1m"  # whose cost a module shows when the city's population band is unknown

NATIONAL_PLATFORMS = {
    "e_id": _lazy("national digital identity"),
    "e_payment": _lazy("national payment gateway"),
    "e_procurement": _lazy("national e-procurement system"),
    "interoperability": _lazy("national interoperability platform"),
    "government_cloud": _lazy("national government cloud"),
    "document_exchange": _lazy("national document exchange"),
    "open_data": _lazy("national open data portal"),
}
INCOME_GROUPS = {
    "low": _lazy("low income"),
    "lower_middle": _lazy("lower-middle income"),
    "upper_middle": _lazy("upper-middle income"),
    "high": _lazy("high income"),
}


@dataclass(frozen=True)
class Fit:
    ok: bool
    why: list[str]
    against: list[str]
    route: str = "own"


def _platforms(names) -> str:
    return ", ".join(str(NATIONAL_PLATFORMS.get(n, n)) for n in names)


def fits(module: dict, profile: dict) -> Fit:
    """Whether a module's declared circumstances match the city's, with the condition behind each verdict."""
    rule = module.get("reasonable_when") or {}
    why, against = [], []
    checks = [
        ("population_bands", profile.get("population_band"), _("population band %(value)s")),
        ("budget_bands", profile.get("budget_band"), _("budget band %(value)s")),
        ("income_groups", profile.get("income_group"), "%(value)s"),
    ]
    for key, value, label in checks:
        allowed = rule.get(key)
        if allowed:
            shown = INCOME_GROUPS.get(value, value) if key == "income_groups" else value
            (why if value in allowed else against).append(label % {"value": shown or _("unknown")})
    if rule.get("min_ict_staff") is not None:
        staff = profile.get("ict_staff") or 0
        (why if staff >= rule["min_ict_staff"] else against).append(
            _("%(staff)s ICT staff (needs %(needed)s)") % {"staff": staff, "needed": rule["min_ict_staff"]}
        )
    if rule.get("min_internet_penetration") is not None:
        share = profile.get("internet_penetration")
        ok = share is not None and share >= rule["min_internet_penetration"]
        (why if ok else against).append(
            _("internet use %(share)s %% (needs %(needed)s %%)")
            % {"share": share if share is not None else _("unknown"), "needed": rule["min_internet_penetration"]}
        )
    platforms = set(profile.get("national_platforms") or ())
    required = rule.get("requires_national") or []
    if required:  # any one of them: the module connects the city to what the country runs
        present = [n for n in required if n in platforms]
        if present:
            why.append(_("connects to the %(platforms)s") % {"platforms": _platforms(present)})
        else:
            against.append(
                _("needs one of: %(platforms)s; the city profile lists none of them")
                % {"platforms": _platforms(required)}
            )
    route = "cheaper" if _national_route(module, platforms) else "own"
    clashing = [n for n in rule.get("unless_national") or [] if n in platforms]
    if clashing:
        if route == "cheaper":
            why.append(
                _("the %(platforms)s serves the city: join it instead of building")
                % {"platforms": _platforms(clashing)}
            )
        else:
            against.append(
                _("the %(platforms)s already serves the city; a city system would duplicate it")
                % {"platforms": _platforms(clashing)}
            )
    return Fit(not against, why, against, route)


def _national_route(module: dict, platforms: set[str]) -> bool:
    route = module.get("cheaper_route") or {}
    return bool(route.get("national")) and route["national"] in platforms


def _best_closer(gap: Gap, modules: dict[str, dict], usable: set[str]) -> str | None:
    """The usable module that takes the item furthest towards its target (fewest prerequisites on a tie)."""
    ranked = [
        (-min(modules[c]["raises"][gap.code], gap.target), len(_ancestors(c, modules)), c)
        for c in gap.closing
        if c in usable and modules[c]["raises"].get(gap.code, 0) > gap.current
    ]
    return min(ranked)[2] if ranked else None


def recommend(
    gap_list: list[Gap],
    modules: dict[str, dict],
    profile: dict,
    done: set[str] | frozenset[str] = frozenset(),
    fit: dict[str, Fit] | None = None,
) -> list[Recommendation]:
    """Modules that close gaps, with necessary and reasonable decided per module; prerequisites first.

    Necessary: the module that best closes one of the city's key gaps (the KEY_GAPS highest priorities),
    among those reasonable for the city, together with the prerequisites it still needs; at most
    MAX_NECESSARY modules in all, key gaps taken in order of priority.
    """
    fit = fit or {code: fits(module, profile) for code, module in modules.items()}
    by_module: dict[str, list[Gap]] = {}
    for gap in gap_list:
        for code in gap.closing:
            if code not in done and modules[code]["raises"].get(gap.code, 0) > gap.current:
                by_module.setdefault(code, []).append(gap)
    chosen = _with_prerequisites(set(by_module), modules, done)
    # A module is usable when it and every prerequisite it still needs fit the city.
    usable = {c for c in chosen if fit[c].ok and all(fit[p].ok or p in done for p in _ancestors(c, modules))}
    necessary = _necessary(gap_list, modules, usable, done)
    result = []
    for code in _topological(sorted(chosen), modules, key=lambda c: -sum(g.priority for g in by_module.get(c, []))):
        verdict = fit[code]
        reasons = [necessary[code]] if code in necessary else []
        blocked = [p for p in _ancestors(code, modules) if p not in done and not fit[p].ok]
        if verdict.ok and not blocked:
            reasons.append(
                _("fits the city's circumstances (%(why)s)") % {"why": ", ".join(verdict.why)}
                if verdict.why
                else _("no condition limits it: it fits every city")
            )
        against = list(verdict.against)
        if blocked:
            against.append(_("its prerequisite %(modules)s does not fit the city") % {"modules": ", ".join(blocked)})
        if code not in by_module:
            reasons.append(_("a prerequisite of other recommended modules"))
        result.append(
            Recommendation(
                code,
                modules[code],
                by_module.get(code, []),
                code in necessary,
                not against,
                reasons,
                against,
                verdict.route,
            )
        )
    return result


def _with_prerequisites(chosen: set[str], modules: dict[str, dict], done) -> set[str]:
    """The modules and the prerequisites they still need: prerequisites of recommended modules are recommended too."""
    chosen = set(chosen)
    frontier = list(chosen)
    while frontier:
        for prerequisite in modules[frontier.pop()].get("prerequisites", []):
            if prerequisite not in chosen and prerequisite not in done:
                chosen.add(prerequisite)
                frontier.append(prerequisite)
    return chosen


def _necessary(gap_list: list[Gap], modules: dict[str, dict], usable: set[str], done) -> dict[str, str]:
    """{module: why it is necessary}: the best closer of each key gap with the prerequisites it needs,
    at most MAX_NECESSARY modules in all, key gaps taken in order of priority."""
    necessary: dict[str, str] = {}
    for gap in gap_list[:KEY_GAPS]:
        closer = _best_closer(gap, modules, usable)
        if closer is None:
            continue
        needed = [c for c in [closer, *_ancestors(closer, modules)] if c not in done and c not in necessary]
        if len(necessary) + len(needed) > MAX_NECESSARY:
            continue
        for code in needed:
            necessary[code] = (
                _("closes key gap %(item)s (level %(level)s, target %(target)s, priority %(priority)s)")
                % {"item": gap.code, "level": gap.current, "target": gap.target, "priority": f"{gap.priority:.1f}"}
                if code == closer
                else _("a prerequisite of %(module)s, which is necessary") % {"module": closer}
            )
    return necessary


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
    horizon: int
    phases: dict[int, list[str]]  # year -> modules starting that year
    years: list[dict]  # per year: starting, building, completing, cost, staff, score
    gain: float
    baseline: float | None
    planned_score: float | None
    left_out: dict[str, str]
    done: list[str]
    exact: bool  # the solver proved the roadmap optimal
    objective: float = 0.0
    # Per scheduled module: start year, years, one-off and yearly USD, staff, route (own / cheaper).
    schedule: dict[str, dict] = field(default_factory=dict)
    gap: float = 0.0  # when not exact: the share by which the best possible roadmap may score higher

    @property
    def gap_percent(self) -> float:
        return round(100 * self.gap, 1)


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


@dataclass(frozen=True)
class Effort:
    """What one module takes from one city: USD one-off and yearly, staff while built, whole years."""

    one_off: float
    yearly: float
    staff: float
    years: int
    route: str = "own"  # "cheaper": the module's cheaper route (a national platform, open source ...)


def _middle(pair) -> float:
    return (float(pair[0]) + float(pair[1])) / 2


def effort_for(module: dict, band: str | None = None, route: str = "own") -> Effort:
    """The module's cost for a city of this population band (the middle of each range), by its route.

    A version-1 module (a cost band, no ranges) costs its band's middle, and runs at RUNNING_SHARE of it.
    """
    if module.get("cost"):
        months = module["duration_months"]
        cheaper = module.get("cheaper_route")
        if route == "cheaper" and cheaper:
            one_off, yearly, staff = _middle(cheaper["one_off"]), _middle(cheaper["yearly"]), cheaper["staff"]
        else:
            route = "own"
            costs = module["cost"]["bands"][band if band in module["cost"]["bands"] else MID_BAND]
            one_off, yearly, staff = _middle(costs["one_off"]), _middle(costs["yearly"]), costs["staff"]
    else:
        route = "own"
        effort = module["effort"]
        months = effort["duration_months"]
        one_off = float(COST_OF_BAND[effort["cost_band"]])
        stated = effort.get("running_cost_usd")
        yearly = float(stated) if stated is not None else round(RUNNING_SHARE * one_off)
        staff = effort["staff"]
    return Effort(one_off, yearly, float(staff), max(1, math.ceil(months / 12)), route)


def yearly_load(effort: Effort, start: int, horizon: int) -> dict[int, tuple[float, float]]:
    """(cost, staff) per year of the horizon for a module started in `start`.

    The one-off cost is spread evenly over the years it is built and uses its staff in those
    years; from the year after completion it costs its running cost every year.
    """
    load = {}
    for year in range(start, horizon + 1):
        if year < start + effort.years:
            load[year] = (effort.one_off / effort.years, effort.staff)
        else:
            load[year] = (effort.yearly, 0.0)
    return load


def levels_closed(gap_list: list[Gap], modules: dict[str, dict], codes) -> dict[tuple[str, str], tuple[float, int]]:
    """(item, module) -> (value of one level, levels of the item's gap the module closes)."""
    out = {}
    for gap in gap_list:
        if gap.gap <= 0:
            continue
        per_level = gap.priority / gap.gap
        for code in codes:
            raised = modules[code]["raises"].get(gap.code)
            if raised is not None and min(raised, gap.target) > gap.current:
                out[(gap.code, code)] = (per_level, min(raised, gap.target) - gap.current)
    return out


def _unfit_reason(effort: Effort, annual_budget: float | None, staff: float | None, horizon: int) -> str | None:
    """Why a module cannot fit in any year on its own (too long, too costly, too many staff), or None."""
    build_cost = effort.one_off / effort.years
    if effort.years > horizon:
        return _("takes %(years)s years to deploy, longer than the %(horizon)s-year horizon") % {
            "years": effort.years,
            "horizon": horizon,
        }
    if annual_budget is not None and build_cost > annual_budget + 1e-9:
        return _(
            "costs about USD %(cost)s a year while it is built, USD %(over)s over the yearly budget of "
            "USD %(budget)s in every year"
        ) % {
            "cost": f"{build_cost:,.0f}",
            "over": f"{build_cost - annual_budget:,.0f}",
            "budget": f"{annual_budget:,.0f}",
        }
    if staff is not None and effort.staff > staff + 1e-9:
        return _("needs %(need)s staff while it is built, %(over)s more than the %(staff)s available") % {
            "need": f"{effort.staff:g}",
            "over": f"{effort.staff - staff:g}",
            "staff": f"{staff:g}",
        }
    return None


def _blocked_reason(module: dict, done: set[str], earliest: dict[str, int], excluded: dict[str, str]) -> str | None:
    """Why a module cannot start because a prerequisite (not already done) was not scheduled, or None.

    A prerequisite excluded before planning is named with its own reason, so the city sees the root cause.
    """
    blocked = [p for p in module.get("prerequisites", []) if p not in done and p not in earliest]
    if not blocked:
        return None
    if any(p in excluded for p in blocked):
        return _("builds on %(modules)s, which is left out: %(reason)s") % {
            "modules": ", ".join(p for p in blocked if p in excluded),
            "reason": "; ".join(excluded[p] for p in blocked if p in excluded),
        }
    return _("its prerequisite %(modules)s cannot be scheduled within the horizon") % {"modules": ", ".join(blocked)}


def _earliest_starts(
    order: list[str],
    modules: dict[str, dict],
    efforts: dict[str, Effort],
    done: set[str],
    excluded: dict[str, str],
    annual_budget: float | None,
    staff: float | None,
    horizon: int,
) -> tuple[dict[str, int], dict[str, str]]:
    """The earliest year each candidate could start, and why the others cannot be scheduled at all.

    Screening these out before the solver keeps the programme small and gives every module left
    out a reason the city can act on. `order` puts prerequisites first, so each module's
    prerequisites are already placed (or left out) when it is looked at.
    """
    earliest: dict[str, int] = {}
    left_out: dict[str, str] = {}
    for code in order:
        module = modules[code]
        reason = _unfit_reason(efforts[code], annual_budget, staff, horizon) or _blocked_reason(
            module, done, earliest, excluded
        )
        if reason is None:
            # It starts once its slowest scheduled prerequisite has finished at the earliest.
            placed = [p for p in module.get("prerequisites", []) if p in earliest]
            start = 1 + max((earliest[p] + efforts[p].years - 1 for p in placed), default=0)
            if start + efforts[code].years - 1 <= horizon:
                earliest[code] = start
                continue
            reason = _(
                "its prerequisite %(modules)s cannot finish early enough for it to be done within %(horizon)s years"
            ) % {"modules": ", ".join(placed), "horizon": horizon}
        left_out[code] = reason
    return earliest, left_out


class _Programme:
    """The mixed-integer programme as plain lists (columns, then rows), handed to HiGHS in one go."""

    def __init__(self) -> None:
        import highspy

        self.inf = highspy.kHighsInf
        self.costs: list[float] = []
        self.upper: list[float] = []
        self.integral: list[int] = []
        self.rows: list[tuple[list[int], list[float], float, float]] = []

    def column(self, cost: float, integer: bool) -> int:
        """A new variable in [0, 1] worth `cost` in the objective; its index."""
        self.costs.append(cost)
        self.upper.append(1.0)
        self.integral.append(1 if integer else 0)
        return len(self.costs) - 1

    def at_most(self, indices: list[int], values: list[float], high: float) -> None:
        self.rows.append((indices, values, -self.inf, high))


def _start_columns(
    programme: _Programme,
    usable: list[str],
    earliest: dict[str, int],
    efforts: dict[str, Effort],
    horizon: int,
    epsilon: float,
) -> dict[tuple[str, int], int]:
    """x[module, start year]: one binary per year a module may start and still finish within the horizon.

    Each is worth EPSILON per year the module is in place, so spare room is used rather than left idle.
    """
    x: dict[tuple[str, int], int] = {}
    for code in usable:
        span = efforts[code].years
        for start in range(earliest[code], horizon - span + 2):
            in_place = horizon - (start + span - 1) + 1
            x[(code, start)] = programme.column(epsilon * in_place, True)
    return x


def _add_one_start_rows(programme: _Programme, x: dict[tuple[str, int], int], usable: list[str]) -> None:
    """A module starts at most once."""
    for code in usable:
        programme.at_most([x[k] for k in x if k[0] == code], [1.0] * sum(1 for k in x if k[0] == code), 1.0)


def _add_prerequisite_rows(
    programme: _Programme,
    x: dict[tuple[str, int], int],
    usable: list[str],
    modules: dict[str, dict],
    done: set[str],
    efforts: dict[str, Effort],
    horizon: int,
) -> None:
    """A prerequisite not already done finishes before its dependant starts: x[m, s] <= sum of x[p, s'] done by s."""
    for code in usable:
        for pre in modules[code].get("prerequisites", []):
            if pre in done:
                continue
            span = efforts[pre].years
            for (c, s), col in x.items():
                if c != code:
                    continue
                before = [x[(pre, s2)] for s2 in range(1, horizon + 1) if (pre, s2) in x and s2 + span <= s]
                programme.at_most([col, *before], [1.0] + [-1.0] * len(before), 0.0)


def _add_capacity_rows(
    programme: _Programme,
    x: dict[tuple[str, int], int],
    efforts: dict[str, Effort],
    horizon: int,
    annual_budget: float | None,
    staff: float | None,
) -> None:
    """Every year, build and running costs stay within the budget and build staff within capacity."""
    for year in range(1, horizon + 1):
        money, people = [], []
        for (code, start), col in x.items():
            load = yearly_load(efforts[code], start, horizon).get(year)
            if load and load[0]:
                money.append((col, load[0]))
            if load and load[1]:
                people.append((col, load[1]))
        if annual_budget is not None and money:
            programme.at_most([c for c, _v in money], [v for _c, v in money], float(annual_budget))
        if staff is not None and people:
            programme.at_most([c for c, _v in people], [v for _c, v in people], float(staff))


def _add_gap_closed(
    programme: _Programme,
    x: dict[tuple[str, int], int],
    closes: dict[tuple[str, str], tuple[float, int]],
    efforts: dict[str, Effort],
    horizon: int,
) -> None:
    """z[item, module, year]: the share of the item's gap counted as closed by that module that year.

    A module counts only once it is completed, and the shares of one item sum to at most 1 a year,
    so an item's gap is credited to the best completed module raising it, never twice.
    """
    by_item: dict[str, list[str]] = {}
    for item, code in closes:
        by_item.setdefault(item, []).append(code)
    for item, codes in sorted(by_item.items()):
        for year in range(1, horizon + 1):
            shares = []
            for code in sorted(codes):
                value, levels = closes[(item, code)]
                z = programme.column(value * levels, False)
                shares.append(z)
                span = efforts[code].years
                completed = [col for (c, s), col in x.items() if c == code and s + span - 1 <= year]
                programme.at_most([z, *completed], [1.0] + [-1.0] * len(completed), 0.0)
            programme.at_most(shares, [1.0] * len(shares), 1.0)


def _solve(programme: _Programme, x: dict[tuple[str, int], int]) -> tuple[float, bool, float, dict[str, int]]:
    """Maximise with HiGHS, deterministically and within SOLVER_SECONDS.

    Returns the objective, whether it is proven optimal, the relative MIP gap when not, and the
    start year of each chosen module. An empty programme is trivially exact with nothing chosen.
    """
    import highspy

    objective, exact, mip_gap = 0.0, True, 0.0
    chosen: dict[str, int] = {}
    if not programme.costs:
        return objective, exact, mip_gap, chosen
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("time_limit", SOLVER_SECONDS)
    highs.setOptionValue("mip_rel_gap", 1e-7)
    n = len(programme.costs)
    highs.addVars(n, [0.0] * n, programme.upper)
    highs.changeColsCost(n, list(range(n)), programme.costs)
    highs.changeColsIntegrality(n, list(range(n)), programme.integral)
    for indices, values, low, high in programme.rows:
        highs.addRow(low, high, len(indices), indices, values)
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    highs.run()
    exact = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    solution = list(highs.getSolution().col_value)
    if solution:
        info = highs.getInfo()
        objective = info.objective_function_value
        mip_gap = 0.0 if exact else max(0.0, float(info.mip_gap))
        chosen = {code: start for (code, start), col in x.items() if solution[col] > 0.5}
    return objective, exact, mip_gap, chosen


def _year_by_year(
    definition: dict,
    answers: dict[str, dict],
    modules: dict[str, dict],
    chosen: dict[str, int],
    efforts: dict[str, Effort],
    horizon: int,
) -> tuple[float | None, list[dict]]:
    """The baseline score and, per year, the modules starting, building and completing, cost, staff and score.

    The score is recomputed with the scoring engine only in years where a module completes, since
    nothing else changes it.
    """
    engine = Engine(definition)
    baseline = engine.score(answers).overall.score
    years = []
    score = baseline
    for year in range(1, horizon + 1):
        completed = [c for c, s in chosen.items() if s + efforts[c].years - 1 <= year]
        completing = sorted(c for c, s in chosen.items() if s + efforts[c].years - 1 == year)
        if completing:
            score = engine.score(apply_raises(definition, answers, sorted(completed), modules)).overall.score
        cost = staff_used = 0.0
        for code, start in chosen.items():
            spent, people = yearly_load(efforts[code], start, horizon).get(year, (0.0, 0.0))
            cost += spent
            staff_used += people
        years.append(
            {
                "year": year,
                "starting": sorted(c for c, s in chosen.items() if s == year),
                "building": sorted(c for c, s in chosen.items() if s <= year < s + efforts[c].years),
                "completing": completing,
                "cost": round(cost, 2),
                "staff": round(staff_used, 2),
                "score": score,
            }
        )
    return baseline, years


def plan(
    definition: dict,
    answers: dict[str, dict],
    candidates: list[str],
    modules: dict[str, dict],
    annual_budget: float | None,
    staff: float | None,
    done: set[str] | frozenset[str] = frozenset(),
    horizon: int = DEFAULT_HORIZON,
    gap_list: list[Gap] | None = None,
    efforts: dict[str, Effort] | None = None,
    excluded: dict[str, str] | None = None,
) -> Roadmap:
    """Schedule modules into the years of the horizon, solved as a mixed-integer programme (HiGHS).

    x[m, s] = 1 when module m starts in year s. Every year the one-off costs of the modules being
    built (spread over their build years) plus the running costs of those completed stay within the
    budget, and their staff within capacity; a prerequisite (not already done) finishes before its
    dependant starts; a module finishes within the horizon. The objective is the priority-weighted
    gap closed, summed over the years of the horizon (so a gap closed earlier counts for more
    years): each year, an item's gap counts as closed by the best module completed so far that
    raises it. Every module also counts a little (EPSILON) per year it is in place, so that spare
    room is used rather than left idle. None for the budget or staff means unlimited.

    `efforts` gives each module's cost for this city (effort_for with the mid-sized band otherwise);
    `excluded` names modules left out before planning (not reasonable for the city) with the reason;
    a candidate that builds on one of them is left out too, and says which.
    """
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"horizon must be 1 to {MAX_HORIZON} years")
    done = set(done)
    gap_list = gap_list or []
    excluded = dict(excluded or {})
    efforts = {c: (efforts or {}).get(c) or effort_for(modules[c]) for c in modules}
    left_out: dict[str, str] = {c: reason for c, reason in excluded.items() if c not in done}
    pending = [c for c in dict.fromkeys(candidates) if c not in done and c not in excluded]
    order = _topological(pending, modules, key=lambda c: 0)
    earliest, unschedulable = _earliest_starts(order, modules, efforts, done, excluded, annual_budget, staff, horizon)
    left_out.update(unschedulable)
    usable = sorted(earliest)
    closes = levels_closed(gap_list, modules, usable)
    # EPSILON is set from every candidate, so that it does not depend on which ones fit.
    unit = min((value * levels for value, levels in levels_closed(gap_list, modules, pending).values()), default=1.0)
    epsilon = 1e-3 * unit

    programme = _Programme()
    x = _start_columns(programme, usable, earliest, efforts, horizon, epsilon)
    _add_one_start_rows(programme, x, usable)
    _add_prerequisite_rows(programme, x, usable, modules, done, efforts, horizon)
    _add_capacity_rows(programme, x, efforts, horizon, annual_budget, staff)
    _add_gap_closed(programme, x, closes, efforts, horizon)
    objective, exact, mip_gap, chosen = _solve(programme, x)
    for code in usable:
        if code not in chosen:
            left_out[code] = _(
                "no room left in the yearly budget or staff within the horizon once higher-priority modules are placed"
            )
    baseline, years = _year_by_year(definition, answers, modules, chosen, efforts, horizon)
    phases = {entry["year"]: entry["starting"] for entry in years}
    planned = years[-1]["score"] if years else baseline
    ordered_left_out = {c: left_out[c] for c in sorted(left_out)}
    return Roadmap(
        horizon,
        phases,
        years,
        (planned or 0.0) - (baseline or 0.0),
        baseline,
        planned,
        ordered_left_out,
        sorted(done & set(candidates)),
        exact,
        objective,
        {
            code: {"start": start, **dataclasses.asdict(efforts[code])}
            for code, start in sorted(chosen.items(), key=lambda kv: (kv[1], kv[0]))
        },
        round(mip_gap, 4),
    )


def done_modules(definition: dict, answers: dict[str, dict], modules: dict[str, dict], crosswalk=None) -> set[str]:
    """Modules the city already has: every item a module raises (resolved through the version's
    crosswalk when it names an older version's item) is answered at or above the level it raises.

    Items the city marks not applicable, or that the version dropped, do not count; a module none
    of whose items resolve is not done.
    """
    items = item_sections(definition)
    mapping = (crosswalk or {}).get("items", {})
    found = set()
    for code, module in modules.items():
        checked = 0
        ok = True
        for item_code, level in module["raises"].items():
            resolved = item_code if item_code in items else mapping.get(item_code)
            if resolved in (None, "dropped") or resolved not in items:
                continue
            answer = answers.get(resolved) or {}
            if answer.get("na"):
                continue
            checked += 1
            kind = items[resolved][1]["kind"]
            if kind == "level":
                ok = not answer.get("dont_know") and (answer.get("value") or 0) >= level
            elif kind == "service":
                ok = answer.get("status") == "operating" and (answer.get("level") or 0) >= level
            else:
                ok = False
            if not ok:
                break
        if ok and checked:
            found.add(code)
    return found

"""A module's deployment guide as the module page, the action plan and the report show it.

Pure functions over a module's content (`Module.data`): the steps as a timeline, the cost for
a population band, due dates of the steps from a start date. Modules still in the version-1
shape (effort, plain-text KPIs and risks) give what they have: steps without weeks or roles.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ceds.cities.models import PopulationBand

# The step roles of docs/content-format.md, as the interface names them.
ROLE_NAMES = {
    "cio_office": _("CIO office"),
    "mayor_office": _("Mayor's office"),
    "department": _("Department owner"),
    "legal": _("Legal"),
    "procurement": _("Procurement"),
    "finance": _("Finance"),
    "hr": _("Human resources"),
    "communications": _("Communications"),
    "data_protection": _("Data protection officer"),
    "security": _("Information security"),
    "council": _("City council"),
    "vendor": _("Vendor"),
    "national_agency": _("National agency"),
    "residents": _("Residents"),
}

CHEAPER_ROUTE_KINDS = {
    "national_platform": _("National shared platform"),
    "open_source": _("Open-source product"),
    "egovframe": _("WeGO eGovFrame"),
    "regional_shared": _("Regional shared service"),
}


def role_names(codes) -> list[str]:
    return [str(ROLE_NAMES.get(code, code)) for code in codes or ()]


@dataclass
class TimelineStep:
    number: int
    title: dict
    deliverable: dict
    done_when: dict | None
    weeks: int | None
    start_week: int | None  # first week of the step, counted from 1
    end_week: int | None
    roles: list[str] = field(default_factory=list)
    role_codes: list[str] = field(default_factory=list)


def timeline(steps: list[dict]) -> list[TimelineStep]:
    """The steps one after the other; weeks are counted only while every step before has weeks."""
    out, elapsed = [], 0
    for number, step in enumerate(steps, start=1):
        weeks = step.get("weeks")
        start = end = None
        if weeks and elapsed is not None:
            start, end = elapsed + 1, elapsed + weeks
            elapsed = end
        else:
            elapsed = None
        out.append(
            TimelineStep(
                number=number,
                title=step["title"],
                deliverable=step["deliverable"],
                done_when=step.get("done_when"),
                weeks=weeks,
                start_week=start,
                end_week=end,
                roles=role_names(step.get("roles")),
                role_codes=list(step.get("roles") or ()),
            )
        )
    return out


def total_weeks(steps: list[dict]) -> int | None:
    """The weeks from the first step to the last, when every step gives its weeks."""
    weeks = [step.get("weeks") for step in steps]
    return sum(weeks) if weeks and all(weeks) else None


def due_dates(steps: list[dict], start: datetime.date) -> list[datetime.date | None]:
    """Each step due at the end of its weeks, the steps one after the other from `start`."""
    return [start + datetime.timedelta(weeks=s.end_week) if s.end_week is not None else None for s in timeline(steps)]


def usd(value: float) -> str:
    """A USD amount grouped as the active language writes numbers."""
    return number_format(round(value), decimal_pos=0, force_grouping=True)


def usd_range(pair) -> str:
    low, high = pair
    return f"USD {usd(low)}" if low == high else f"USD {usd(low)}–{usd(high)}"


@dataclass
class CostRow:
    band: str
    label: str
    one_off: str
    yearly: str
    staff: float
    current: bool = False


def cost_rows(data: dict, band: str | None = None) -> list[CostRow]:
    """The module's cost per population band, the city's band marked (empty for version-1 modules)."""
    bands = (data.get("cost") or {}).get("bands") or {}
    return [
        CostRow(
            band=code,
            label=str(label),
            one_off=usd_range(bands[code]["one_off"]),
            yearly=usd_range(bands[code]["yearly"]),
            staff=bands[code]["staff"],
            current=code == band,
        )
        for code, label in PopulationBand.choices
        if code in bands
    ]


def cheaper_route(data: dict) -> dict | None:
    route = data.get("cheaper_route")
    if not route:
        return None
    return {
        **route,
        "kind_name": str(CHEAPER_ROUTE_KINDS.get(route["kind"], route["kind"])),
        "one_off_text": usd_range(route["one_off"]),
        "yearly_text": usd_range(route["yearly"]),
    }


def structured(entries: list) -> bool:
    """Whether KPIs or risks are records (the guide shape) rather than plain texts."""
    return bool(entries) and all(isinstance(e, dict) and ("name" in e or "risk" in e) for e in entries)


def guide(data: dict, band: str | None = None) -> dict:
    """Everything the module page and the report show of a module's guide."""
    rows = cost_rows(data, band)
    return {
        "timeline": timeline(data.get("steps", [])),
        "total_weeks": total_weeks(data.get("steps", [])),
        "cost_rows": rows,
        "city_cost": next((r for r in rows if r.current), None),
        "cheaper_route": cheaper_route(data),
        "kpis_structured": structured(data.get("kpis", [])),
        "risks_structured": structured(data.get("risks", [])),
    }

"""From stored figures to the SVG charts of ceds.charts (which knows nothing of Django)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ceds.assessments.models import Assessment
from ceds.benchmarks import anonymity
from ceds.benchmarks.models import Leaderboard, PeerGroup
from ceds.benchmarks.results import Cycle, city_cycles
from ceds.benchmarks.services import LEADERBOARD_SIZE
from ceds.charts import Series, bars, lines, radar
from ceds.core.i18n import localized


def fmt(value: float) -> str:
    return number_format(value, decimal_pos=1, use_l10n=True)


def _dimension_sections(definition) -> list[tuple[dict, str]]:
    """Sections drawn on the radar: every dimension (not service domains), with its group title."""
    found = []
    for part in definition["parts"]:
        for group in part["groups"]:
            for section in group["sections"]:
                if section.get("kind", "dimension") == "dimension":
                    found.append((section, localized(group["title"])))
    return found


def radar_for(assessment, definition, figures, previous: Cycle | None, peers: dict):
    sections = _dimension_sections(definition)
    if not 3 <= len(sections) <= 10:
        return None
    axes = [localized(s["title"]) for s, _g in sections]
    keys = [f"section:{s['id']}" for s, _g in sections]
    series = [
        Series(
            _("This cycle (%(period)s)") % {"period": assessment.period},
            [(figures.get(k) or {}).get("score") for k in keys],
        )
    ]
    if previous is not None:
        series.append(
            Series(
                _("Previous cycle (%(period)s)") % {"period": previous.period},
                [previous.scores.get(k) for k in keys],
            )
        )
    medians = []
    for key in keys:
        group = next((p for p in peers.get(key, []) if p.group_kind == PeerGroup.ALL and p.shown), None)
        medians.append(group.median if group else None)
    if any(m is not None for m in medians):
        series.append(Series(_("Median of all cities"), medians))
    # Mark the groups (internal / external) as arcs when there is more than one.
    groups, start = [], 0
    for index in range(1, len(sections) + 1):
        if index == len(sections) or sections[index][1] != sections[start][1]:
            groups.append((sections[start][1], start, index - 1))
            start = index
    description = "; ".join(
        f"{axis}: {fmt(v) if v is not None else _('no score')}" for axis, v in zip(axes, series[0].values, strict=True)
    )
    svg = radar(
        "radar",
        _("Scores by dimension"),
        description,
        axes,
        series,
        groups=groups if len(groups) > 1 else None,
        fmt=fmt,
    )
    return {"svg": mark_safe(svg), "axes": axes, "series": series}  # noqa: S308 — built by ceds.charts, which escapes every text


def as_is_to_be_chart(assessment, definition, figures):
    """As-is and to-be levels side by side, for frameworks whose dimensions take a target."""
    rows = []
    for part in definition["parts"]:
        for group in part["groups"]:
            for section in group["sections"]:
                if not section.get("target"):
                    continue
                figure = figures.get(f"section:{section['id']}") or {}
                rows.append(
                    {
                        "title": localized(section["title"]),
                        "as_is": figure.get("level"),
                        "to_be": (figure.get("extra") or {}).get("target"),
                    }
                )
    if not rows:
        return None
    series = [
        Series(_("As-is level"), [r["as_is"] for r in rows]),
        Series(_("To-be level"), [r["to_be"] for r in rows]),
    ]
    svg = bars(
        "targets",
        _("As-is and to-be levels"),
        "; ".join(
            f"{r['title']}: {_('As-is level')} {r['as_is'] or '–'}, {_('To-be level')} {r['to_be'] or '–'}"
            for r in rows
        ),
        [r["title"] for r in rows],
        series,
        max_value=5,
        fmt=lambda v: f"{v:.0f}",
    )
    return {"svg": mark_safe(svg), "rows": rows}  # noqa: S308 — escaped by ceds.charts


def budget_for(budgets):
    """The chart of a city's budget years (the page shows the same rows in a table): a value axis
    titled with the currency, in millions when the amounts run into millions."""
    if not budgets:
        return None
    planned = [float(b.planned) for b in budgets]
    actual = [float(b.actual) if b.actual is not None else None for b in budgets]
    top = max([*planned, *(a for a in actual if a is not None)]) * 1.1 or 1
    currency = next((b.currency for b in budgets if getattr(b, "currency", "")), "")
    millions = top >= 1_000_000
    scale = 1_000_000 if millions else 1
    axis = (_("%(currency)s, millions") if millions else "%(currency)s") % {"currency": currency} if currency else ""
    series = [
        Series(_("Planned"), [v / scale for v in planned]),
        Series(_("Actual"), [v / scale if v is not None else None for v in actual]),
    ]
    number = (lambda v: fmt(v)) if millions else (lambda v: number_format(v, 0, use_l10n=True, force_grouping=True))
    description = "; ".join(
        f"{b.year}: {_('Planned')} {number(p / scale)}, {_('Actual')} {number(a / scale) if a is not None else '–'}"
        for b, p, a in zip(budgets, planned, actual, strict=True)
    )
    svg = bars(
        "budget",
        _("Budget vs spending"),
        f"{axis}. {description}" if axis else description,
        [str(b.year) for b in budgets],
        series,
        max_value=top / scale,
        horizontal=False,
        fmt=number,
        axis_label=axis,
    )
    return mark_safe(svg)  # noqa: S308 — escaped by ceds.charts


def ranking_for(assessment, scores: dict | None = None):
    """The best results published by name for the same framework version and period, and the
    reader's own city among them (read from the leaderboard written on publication).

    Results shared anonymously are never rows (ceds.benchmarks.anonymity): they count in the
    peer statistics only. The own city, when its result is in the peer pool but not a named
    entry, is placed by its overall score from `scores` (no query).
    """
    entries = (
        Leaderboard.objects.filter(framework_version_id=assessment.framework_version_id, period=assessment.period)
        .values_list("entries", flat=True)
        .first()
    ) or []
    shown = [dict(e) for e in anonymity.listed(entries, own=assessment.pk)]
    own_score = (scores or {}).get("overall")
    in_pool = assessment.status == Assessment.Status.PUBLISHED and assessment.sharing in anonymity.SHARED
    if in_pool and own_score is not None and not any(e["assessment"] == assessment.pk for e in shown):
        position = next((i for i, e in enumerate(shown) if e["score"] < own_score), len(shown))
        if position < LEADERBOARD_SIZE:
            shown.insert(position, {"assessment": assessment.pk, "city": assessment.city.name, "score": own_score})
    return [
        {
            "rank": rank,
            "label": entry["city"],
            "score": entry["score"],
            "level": entry.get("level"),
            "own": entry["assessment"] == assessment.pk,
        }
        for rank, entry in enumerate(shown[:LEADERBOARD_SIZE], start=1)
    ]


def period_position(period: str) -> float:
    """Where a period lies in time, in years: 2026 -> 2026.0, 2026-H2 -> 2026.5, 2026-Q3 -> 2026.5."""
    year, _sep, part = period.partition("-")
    try:
        start = float(year)
    except ValueError:
        return 0.0
    if part[:1] == "H" and part[1:].isdigit():
        return start + (int(part[1:]) - 1) / 2
    if part[:1] == "Q" and part[1:].isdigit():
        return start + (int(part[1:]) - 1) / 4
    return start


def _series_text(periods: list[str], series: list[Series]) -> str:
    """A chart's text alternative: each series' value per period."""
    return "; ".join(
        f"{s.name}: "
        + ", ".join(f"{p} {fmt(v) if v is not None else '–'}" for p, v in zip(periods, s.values, strict=True))
        for s in series
    )


def cycles_for(assessment):
    """Every validated cycle of the same framework for the city, oldest first, with chart series."""
    snapshots = [Cycle(*row) for row in city_cycles(assessment).order_by("assessment__period")]
    definition = assessment.framework_version.definition
    keys = [("overall", _("Overall"))] + [(f"part:{p['id']}", localized(p["title"])) for p in definition["parts"]]
    dims = [(f"section:{s['id']}", localized(s["title"])) for s, _g in _dimension_sections(definition)]
    periods = [s.period for s in snapshots]
    if not snapshots:
        return {"snapshots": [], "chart": None, "dimension_chart": None, "table": []}
    when = [period_position(p) for p in periods]
    main_series = [Series(label, [s.scores.get(k) for s in snapshots]) for k, label in keys]
    dim_series = [Series(label, [s.scores.get(k) for s in snapshots]) for k, label in dims]
    main = lines(
        "history",
        _("Scores over time"),
        _series_text(periods, main_series),
        periods,
        main_series,
        fmt=fmt,
        x_positions=when,
    )
    dim_chart = (
        lines(
            "history-dims",
            _("Dimensions over time"),
            _series_text(periods, dim_series),
            periods,
            dim_series,
            fmt=fmt,
            x_positions=when,
        )
        if dims
        else None
    )
    table = [{"label": label, "values": [s.scores.get(k) for s in snapshots]} for k, label in keys + dims]
    return {
        "snapshots": snapshots,
        "periods": periods,
        # Several framework versions among the cycles: each column names its version.
        "versions_differ": len({s.version for s in snapshots}) > 1,
        "table": table,
        "chart": mark_safe(main),  # noqa: S308 — escaped by ceds.charts
        "dimension_chart": mark_safe(dim_chart) if dim_chart else None,  # noqa: S308
        # The reader got here through get_assessment_for, so the city is one they may read.
        "can_compare": len(snapshots) >= 2,
    }

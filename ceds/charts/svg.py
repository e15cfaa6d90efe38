"""SVG chart builders. See the package docstring for the accessibility rules they follow."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
DASHES = ["", "6 4", "2 3", "8 3 2 3", "1 2", "10 4"]
# Maturity levels 1–5 on a sequential scale that stays ordered in grey.
LEVEL_COLOURS = {1: "#FDE0C5", 2: "#FAB27B", 3: "#E6753A", 4: "#B33D1A", 5: "#6B1A07"}
FONT = 'font-family="Noto Sans, sans-serif"'
INK, MUTED, GRID = "#1b2430", "#5a6677", "#d8dee6"

Formatter = Callable[[float], str]


def one_decimal(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]


@dataclass(frozen=True)
class Marker:
    lat: float
    lon: float
    label: str
    level: int | None = None
    href: str | None = None


TITLE_HEIGHT = 34.0


def _open(
    chart_id: str, title: str, desc: str, width: float, height: float, role: str = "img", shown_title: bool = True
) -> list[str]:
    """The opening tag: role "img" for a picture, "group" when it contains links (an image may not).

    The title is also written above the drawing (`shown_title`): the view box starts
    TITLE_HEIGHT higher, so the charts keep their own geometry from y = 0. `desc` is the
    text alternative: what the chart says, in words and figures.

    No direction attribute: pages set `svg { direction: ltr }` in CSS so legends keep their
    geometry on right-to-left pages, while WeasyPrint needs the text direction unforced to
    order and shape Arabic labels in PDFs.
    """
    top = TITLE_HEIGHT if shown_title else 0.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {-top:.0f} {width:.0f} {height + top:.0f}" '
        f'width="{width:.0f}" height="{height + top:.0f}" role="{role}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT}>',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    if shown_title:
        out.append(f'<g aria-hidden="true">{_text(20, -top + 20, title, 15, "start", INK, "bold")}</g>')
    return out


def _text(
    x: float, y: float, text: str, size: int = 12, anchor: str = "middle", fill: str = INK, weight: str = ""
) -> str:
    bold = ' font-weight="600"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{bold}>'
        f"{escape(text)}</text>"
    )


def _text_width(text: str, size: int) -> float:
    """An estimate of rendered width: East Asian wide characters take about a full em."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.55 for ch in text)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _marker(shape: int, x: float, y: float, colour: str, label: str) -> str:
    title = f"<title>{escape(label)}</title>"
    if shape % 3 == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{title}</circle>'
    if shape % 3 == 1:
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">{title}</rect>'
    return f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y + 4:.1f} L{x - 5:.1f} {y + 4:.1f} Z" fill="{colour}">{title}</path>'


def _legend(series: list[Series], x: float, y: float, width: float, boxes: bool = False) -> tuple[list[str], float]:
    """Legend entries in rows that wrap within the width; returns the parts and the height used.

    `boxes`: the series are drawn as bars, so each entry is a filled box as its bars are."""
    parts, cx, cy = [], x, y
    for index, s in enumerate(series):
        label = _shorten(s.name, 40)
        item_width = 40 + _text_width(label, 12)
        if cx + item_width > x + width and cx > x:
            cx, cy = x, cy + 20
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        if boxes:
            parts.append(
                f'<rect x="{cx + 4:.1f}" y="{cy - 7:.1f}" width="14" height="14" fill="{colour}"{_bar_edge(index)}/>'
            )
        else:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{cx + 22:.1f}" y2="{cy:.1f}" stroke="{colour}" '
                f'stroke-width="3"{dash_attr}/>'
            )
            parts.append(_marker(index, cx + 11, cy, colour, s.name))
        parts.append(_text(cx + 28, cy + 4, label, 12, "start"))
        cx += item_width
    return parts, cy - y + 20


def _bar_edge(index: int) -> str:
    """Every other series' bars are outlined, so that neighbours differ in more than colour."""
    return ' stroke="#1b2430" stroke-width="0.8"' if index % 2 else ""


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `ticks` steps up to `top`."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _wrap(text: str, width: int) -> list[str]:
    """Break a label into at most two lines of about `width` characters."""
    if len(text) <= width:
        return [text]
    cut = text.rfind(" ", 0, width + 1)
    if cut <= 0:
        return [_shorten(text, width)]
    return [text[:cut], _shorten(text[cut + 1 :], width)]


def radar(
    chart_id: str,
    title: str,
    desc: str,
    axes: list[str],
    series: list[Series],
    max_value: float = 100,
    groups: list[tuple[str, int, int]] | None = None,
    fmt: Formatter = one_decimal,
) -> str:
    """Area chart over 3–10 axes; the first series filled, overlays as dashed outlines.

    Axes are numbered as in the dimension table. Groups (e.g. internal and external) are
    separated by dashed dividers and named under the legend. A missing value (None) is
    drawn as a hollow marker near the centre, never as 0.
    """
    n = len(axes)
    if n < 3:
        raise ValueError("a radar needs at least 3 axes")
    width, radius = 760.0, 165.0
    cx, cy = width / 2, 215.0
    legend, legend_height = _legend(series, 20, 0, width - 40)
    group_line = ""
    if groups:
        group_line = " · ".join(f"{label}: {start + 1}–{end + 1}" for label, start, end in groups)
        legend.append(_text(20, legend_height + 8, group_line, 12, "start", MUTED))
        legend_height += 22
    height = cy + radius + 64 + legend_height
    out = _open(chart_id, title, desc, width, height)

    def point(index: float, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / n
        r = radius * max(0.0, min(value, max_value)) / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for step in (20, 40, 60, 80, 100):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, step * max_value / 100) for i in range(n)))
        out.append(f'<polygon points="{ring}" fill="none" stroke="{GRID}" stroke-width="1"/>')
    for i, axis in enumerate(axes):
        x, y = point(i, max_value)
        out.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.extend(_radar_axis_label(f"{i + 1}. {axis}", -math.pi / 2 + 2 * math.pi * i / n, cx, cy, radius))
    dividers = [(start - 0.5) % n for _label, start, _end in groups] if groups and len(groups) > 1 else []
    for at in dividers:
        x0, y0 = point(at, max_value * 1.08)
        out.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x0:.1f}" y2="{y0:.1f}" stroke="{MUTED}" '
            f'stroke-width="1.5" stroke-dasharray="4 4"/>'
        )
    for index, s in enumerate(series):
        out.extend(_radar_series(index, s, axes, point, max_value, fmt))
    out.extend(_radar_ticks(n, dividers, point, max_value, fmt))
    out.append(f'<g transform="translate(0 {cy + radius + 64:.1f})">')
    out.extend(legend)
    out.append("</g></svg>")
    return "".join(out)


def _radar_axis_label(label: str, angle: float, cx: float, cy: float, radius: float) -> list[str]:
    """An axis's name outside the rim, anchored away from the centre, on up to two lines."""
    cos, sin = math.cos(angle), math.sin(angle)
    lx, ly = cx + (radius + 14) * cos, cy + (radius + 14) * sin
    anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
    lines_ = _wrap(label, 22)
    first_y = ly - (len(lines_) * 14 if sin < -0.9 else (-12 if sin > 0.9 else len(lines_) * 7 - 10))
    return [_text(lx, first_y + k * 15 + 4, line, 13, anchor, INK, "bold") for k, line in enumerate(lines_)]


def _radar_series(
    index: int,
    s: Series,
    axes: list[str],
    point: Callable[[float, float], tuple[float, float]],
    max_value: float,
    fmt: Formatter,
) -> list[str]:
    """One series: its area (filled for the first), a marker per value, a hollow one for a missing value."""
    out = []
    colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
    known = [(i, v) for i, v in enumerate(s.values) if v is not None]
    if len(known) >= 2:
        shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in known))
        fill = f'fill="{colour}" fill-opacity="0.18"' if index == 0 else 'fill="none"'
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polygon points="{shape}" {fill} stroke="{colour}" stroke-width="2.5"{dash_attr}>'
            f"<title>{escape(s.name)}</title></polygon>"
        )
    for i, v in enumerate(s.values):
        if v is None:
            x, y = point(i, max_value * 0.06)
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="{colour}">'
                f"<title>{escape(f'{s.name}, {axes[i]}: —')}</title></circle>"
            )
            continue
        x, y = point(i, v)
        out.append(_marker(index, x, y, colour, f"{s.name}, {axes[i]}: {fmt(v)}"))
    return out


def _radar_ticks(n: int, dividers: list[float], point, max_value: float, fmt: Formatter) -> list[str]:
    """The ring values, written last (over the series, on a white halo) along the first gap
    between two axes that no group divider runs through, so that no line crosses them."""
    at = next((i + 0.5 for i in range(n) if not any(abs(i + 0.5 - d) < 1e-9 for d in dividers)), 0.5)
    ring_factor = math.cos(math.pi / n)  # a ring's edge midpoint lies this much inside its corners
    out = []
    for step in (20, 40, 60, 80, 100):
        x, y = point(at, step * max_value / 100 * ring_factor)
        label = fmt(step * max_value / 100).rstrip("0").rstrip(".,")
        out.append(
            f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="11" text-anchor="middle" fill="{MUTED}" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(label)}</text>'
        )
    return out


def bars(
    chart_id: str,
    title: str,
    desc: str,
    categories: list[str],
    series: list[Series],
    max_value: float = 100,
    horizontal: bool = True,
    fmt: Formatter = one_decimal,
    axis_label: str = "",
) -> str:
    """Grouped bars with their values written on them; None draws no bar and says so.

    Vertical bars get a value axis with round ticks, titled `axis_label` (e.g. the currency);
    a value too wide for its bar is written upright along it, never over its neighbour."""
    groups, per = len(categories), max(1, len(series))
    legend, legend_height = _legend(series, 20, 0, 600, boxes=True)
    if horizontal:
        label_width, bar, gap = 200.0, 16.0, 14.0
        width = 680.0
        plot = width - label_width - 70
        height = groups * (per * bar + gap) + 30 + legend_height
        out = _open(chart_id, title, desc, width, height)
        for g, category in enumerate(categories):
            top = g * (per * bar + gap)
            out.append(_text(label_width - 8, top + per * bar / 2 + 4, _shorten(category, 30), 12, "end"))
            for s_index, s in enumerate(series):
                value = s.values[g] if g < len(s.values) else None
                y = top + s_index * bar
                colour = PALETTE[s_index % len(PALETTE)]
                label = f"{category}, {s.name}: {fmt(value) if value is not None else '—'}"
                if value is None:
                    out.append(_text(label_width + 4, y + bar - 4, "—", 11, "start", MUTED))
                    continue
                w = plot * max(0.0, min(value, max_value)) / max_value
                out.append(
                    f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar - 2:.1f}" '
                    f'fill="{colour}"{_bar_edge(s_index)}><title>{escape(label)}</title></rect>'
                )
                out.append(_text(label_width + w + 4, y + bar - 4, fmt(value), 11, "start"))
        out.append(
            f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{groups * (per * bar + gap):.1f}" stroke="{MUTED}"/>'
        )
        out.append(f'<g transform="translate(0 {groups * (per * bar + gap) + 12:.1f})">')
    else:
        out, legend_top = _vertical_bars(chart_id, title, desc, categories, series, max_value, fmt, axis_label)
        out.append(f'<g transform="translate(0 {legend_top:.1f})">')
    out.extend(legend)
    out.append("</g></svg>")
    return "".join(out)


def _segments(
    values: list[float | None], xy: Callable[[int, float], tuple[float, float]]
) -> list[list[tuple[float, float]]]:
    """The points of a line in runs: a missing value ends one (drawn as a gap, never as 0)."""
    segments: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            segments.append([])
        else:
            segments[-1].append(xy(i, v))
    return [run for run in segments if run]


def _vertical_bars(chart_id, title, desc, categories, series, max_value, fmt, axis_label) -> tuple[list[str], float]:
    groups, per = len(categories), max(1, len(series))
    _legend_parts, legend_height = _legend(series, 20, 0, 600, boxes=True)
    width, plot_height, base, left = 680.0, 220.0, 250.0, 78.0
    top = base - plot_height
    slot = (width - left - 10) / max(1, groups)
    bar = min(40.0, (slot - 16) / per)
    height = base + 40 + legend_height
    out = _open(chart_id, title, desc, width, height)
    step = nice_step(max_value)
    tick = 0.0
    while tick <= max_value + 1e-9:
        y = base - plot_height * tick / max_value
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_text(left - 6, y + 4, fmt(tick), 10, "end", MUTED))
        tick += step
    out.append(f'<line x1="{left}" y1="{top - 6:.1f}" x2="{left}" y2="{base}" stroke="{MUTED}"/>')
    if axis_label:
        out.append(_text(left - 6, top - 12, axis_label, 11, "end", MUTED, "bold"))
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{MUTED}"/>')
    for g, category in enumerate(categories):
        start = left + g * slot + (slot - per * bar) / 2
        out.append(_text(left + g * slot + slot / 2, base + 18, _shorten(category, 14), 12))
        for s_index, s in enumerate(series):
            value = s.values[g] if g < len(s.values) else None
            x = start + s_index * bar
            colour = PALETTE[s_index % len(PALETTE)]
            if value is None:
                out.append(_text(x + bar / 2, base - 4, "—", 11, "middle", MUTED))
                continue
            h = plot_height * max(0.0, min(value, max_value)) / max_value
            label = f"{category}, {s.name}: {fmt(value)}"
            out.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar - 3:.1f}" height="{h:.1f}" '
                f'fill="{colour}"{_bar_edge(s_index)}><title>{escape(label)}</title></rect>'
            )
            text, cx = fmt(value), x + (bar - 3) / 2
            if _text_width(text, 10) <= bar - 1:
                out.append(_text(cx, base - h - 4, text, 10))
            else:  # upright, inside the bar's column: as wide as one line of text
                out.append(
                    f'<text x="{cx + 3.5:.1f}" y="{base - 4:.1f}" font-size="10" text-anchor="start" fill="#ffffff" '
                    f'stroke="{INK}" stroke-width="2.5" paint-order="stroke" '
                    f'transform="rotate(-90 {cx + 3.5:.1f} {base - 4:.1f})">{escape(text)}</text>'
                )
    return out, base + 34


def lines(
    chart_id: str,
    title: str,
    desc: str,
    x_labels: list[str],
    series: list[Series],
    max_value: float = 100,
    fmt: Formatter = one_decimal,
    x_positions: list[float] | None = None,
) -> str:
    """Scores over cycles: one line per series, a marker per point, a gap where a value is missing.

    `x_positions` (e.g. years, 2025.5 for a second half) place the points in proportion to
    time, so 2025 -> 2027 is twice as long as 2025 -> 2026; without them points are evenly spaced."""
    width, left, right, top, plot_height = 680.0, 50.0, 30.0, 20.0, 220.0
    legend, legend_height = _legend(series, 20, 0, width - 40)
    height = top + plot_height + 40 + legend_height
    out = _open(chart_id, title, desc, width, height)
    count = max(1, len(x_labels))
    positions = list(x_positions) if x_positions and len(x_positions) == len(x_labels) else list(range(count))
    first, span = (positions[0], (positions[-1] - positions[0])) if positions else (0, 0)

    def xy(i: int, v: float) -> tuple[float, float]:
        share = (positions[i] - first) / span if span else 0.5
        x = left + share * (width - left - right)
        return x, top + plot_height * (1 - max(0.0, min(v, max_value)) / max_value)

    for tick in range(0, 101, 20):
        y = top + plot_height * (1 - tick / 100)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_text(left - 6, y + 4, fmt(tick * max_value / 100).rstrip("0").rstrip(".,"), 10, "end", MUTED))
    for i, label in enumerate(x_labels):
        x, _y = xy(i, 0)
        out.append(_text(x, top + plot_height + 18, label, 12))
    for index, s in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for segment in _segments(s.values, xy):
            if len(segment) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        for i, v in enumerate(s.values):
            if v is not None:
                x, y = xy(i, v)
                label = x_labels[i] if i < len(x_labels) else ""
                out.append(_marker(index, x, y, colour, f"{s.name}, {label}: {fmt(v)}"))
    out.append(f'<g transform="translate(0 {top + plot_height + 40:.1f})">')
    out.extend(legend)
    out.append("</g></svg>")
    return "".join(out)


# -- the world map ---------------------------------------------------------------------------


def project(lat: float, lon: float, width: float, height: float) -> tuple[float, float]:
    """Equirectangular projection of latitudes 83°N to 58°S (Antarctica is not drawn)."""
    north, south = 83.0, -58.0
    return (lon + 180) / 360 * width, (north - lat) / (north - south) * height


def _rings(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _inside_ring(lat: float, lon: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def point_in_feature(lat: float, lon: float, feature: dict) -> bool:
    """Ray casting over every polygon of the feature; holes (inner rings) are excluded."""
    for polygon in _rings(feature["geometry"]):
        if (
            polygon
            and _inside_ring(lat, lon, polygon[0])
            and not any(_inside_ring(lat, lon, hole) for hole in polygon[1:])
        ):
            return True
    return False


@dataclass(frozen=True)
class CountryShape:
    """One country's outline, already projected: drawing the map only joins strings."""

    iso: str
    name: str
    d: str


@dataclass(frozen=True)
class CountryShade:
    """How a country is filled: the median level of its cities shown, and where it links."""

    level: int | None
    label: str
    href: str | None = None


def map_height(width: float) -> int:
    return round(width * 141 / 360)


def _thin(points: list[tuple[float, float]], tolerance: float = 0.6) -> list[tuple[float, float]]:
    """Leave out points closer than `tolerance` pixels (either way) to the last one kept: they
    draw nothing visible at the map's size, and make up much of the page's weight."""
    kept = points[:1]
    for x, y in points[1:]:
        if abs(x - kept[-1][0]) >= tolerance or abs(y - kept[-1][1]) >= tolerance:
            kept.append((x, y))
    return kept


def project_world(geojson: dict, width: float = 960) -> tuple[CountryShape, ...]:
    """Project every country of the GeoJSON once (a process keeps the result)."""
    height = map_height(width)
    shapes = []
    for feature in geojson.get("features", []):
        d = []
        for polygon in _rings(feature["geometry"]):
            for ring in polygon:
                points = _thin([project(lat, lon, width, height) for lon, lat in ring])
                if len(points) >= 3:
                    d.append("M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in points) + " Z")
        props = feature.get("properties", {})
        shapes.append(CountryShape(str(props.get("iso_a2") or ""), str(props.get("name", "")), " ".join(d)))
    return tuple(shapes)


def world_map(
    chart_id: str,
    title: str,
    desc: str,
    shapes: tuple[CountryShape, ...],
    markers: list[Marker],
    shades: dict[str, CountryShade] | None = None,
    width: float = 960,
    level_label: Callable[[int], str] = lambda n: f"Level {n}",
) -> str:
    """Countries shaded by the median level of their cities, and city markers coloured by level."""
    shades = shades or {}
    height = map_height(width)
    legend_height = 34
    linked = any(m.href for m in markers) or any(s.href for s in shades.values())
    out = _open(chart_id, title, desc, width, height + legend_height, "group" if linked else "img")
    out.append(f'<rect x="0" y="0" width="{width:.0f}" height="{height}" fill="#eef4fa"/>')
    for shape in shapes:
        shade = shades.get(shape.iso)
        if shade is None:
            out.append(
                f'<path d="{shape.d}" fill="#d9dee5" stroke="#ffffff" stroke-width="0.5" '
                f"data-iso={quoteattr(shape.iso)}><title>{escape(shape.name)}</title></path>"
            )
            continue
        colour = LEVEL_COLOURS.get(shade.level or 0, "#b8c2cf")
        path = (
            f'<path d="{shape.d}" fill="{colour}" fill-opacity="0.55" stroke="#ffffff" stroke-width="0.5" '
            f"data-iso={quoteattr(shape.iso)}><title>{escape(shade.label)}</title></path>"
        )
        out.append(f"<a href={quoteattr(shade.href)}>{path}</a>" if shade.href else path)
    for marker in sorted(markers, key=lambda m: m.level or 0):
        x, y = project(marker.lat, marker.lon, width, height)
        colour = LEVEL_COLOURS.get(marker.level or 0, "#ffffff")
        text_colour = "#ffffff" if (marker.level or 0) >= 3 else INK
        dot = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{colour}" stroke="{INK}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{y + 3.5:.1f}" font-size="9" text-anchor="middle" fill="{text_colour}">'
            f"{marker.level or '–'}</text>"
        )
        group = f"<g><title>{escape(marker.label)}</title>{dot}</g>"
        if marker.href:
            group = f"<a href={quoteattr(marker.href)}>{group}</a>"
        out.append(group)
    # Legend: the five levels.
    for level in range(1, 6):
        lx = 20 + (level - 1) * 120
        out.append(f'<circle cx="{lx + 7}" cy="{height + 17}" r="7" fill="{LEVEL_COLOURS[level]}" stroke="{INK}"/>')
        out.append(_text(lx + 7, height + 20.5, str(level), 9, "middle", "#ffffff" if level >= 3 else INK))
        out.append(_text(lx + 20, height + 21, level_label(level), 12, "start"))
    out.append("</svg>")
    return "".join(out)

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


def _open(chart_id: str, title: str, desc: str, width: float, height: float, role: str = "img") -> list[str]:
    """The opening tag: role "img" for a picture, "group" when it contains links (an image may not).

    No direction attribute: pages set `svg { direction: ltr }` in CSS so legends keep their
    geometry on right-to-left pages, while WeasyPrint needs the text direction unforced to
    order and shape Arabic labels in PDFs.
    """
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="{role}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f"{FONT}>",
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


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


def _legend(series: list[Series], x: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend entries in rows that wrap within the width; returns the parts and the height used."""
    parts, cx, cy = [], x, y
    for index, s in enumerate(series):
        label = _shorten(s.name, 40)
        item_width = 40 + _text_width(label, 12)
        if cx + item_width > x + width and cx > x:
            cx, cy = x, cy + 20
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{cx + 22:.1f}" y2="{cy:.1f}" stroke="{colour}" stroke-width="3"{dash_attr}/>'
        )
        parts.append(_marker(index, cx + 11, cy, colour, s.name))
        parts.append(_text(cx + 28, cy + 4, label, 12, "start"))
        cx += item_width
    return parts, cy - y + 20


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
        lx, ly = point(0, step * max_value / 100)
        out.append(_text(lx + 4, ly + 11, fmt(step * max_value / 100).rstrip("0").rstrip(".,"), 10, "start", MUTED))
    for i, axis in enumerate(axes):
        x, y = point(i, max_value)
        out.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.extend(_radar_axis_label(f"{i + 1}. {axis}", -math.pi / 2 + 2 * math.pi * i / n, cx, cy, radius))
    if groups and len(groups) > 1:
        for _label, start, _end in groups:
            x0, y0 = point(start - 0.5, max_value * 1.08)
            out.append(
                f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x0:.1f}" y2="{y0:.1f}" stroke="{MUTED}" '
                f'stroke-width="1.5" stroke-dasharray="4 4"/>'
            )
    for index, s in enumerate(series):
        out.extend(_radar_series(index, s, axes, point, max_value, fmt))
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
    return [_text(lx, first_y + k * 14 + 4, line, 12, anchor, INK, "bold") for k, line in enumerate(lines_)]


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


def bars(
    chart_id: str,
    title: str,
    desc: str,
    categories: list[str],
    series: list[Series],
    max_value: float = 100,
    horizontal: bool = True,
    fmt: Formatter = one_decimal,
) -> str:
    """Grouped bars with their values written on them; None draws no bar and says so."""
    groups, per = len(categories), max(1, len(series))
    legend, legend_height = _legend(series, 20, 0, 600)
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
                pattern = ' stroke="#1b2430" stroke-width="0.8"' if s_index % 2 else ""
                out.append(
                    f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar - 2:.1f}" '
                    f'fill="{colour}"{pattern}><title>{escape(label)}</title></rect>'
                )
                out.append(_text(label_width + w + 4, y + bar - 4, fmt(value), 11, "start"))
        out.append(
            f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{groups * (per * bar + gap):.1f}" stroke="{MUTED}"/>'
        )
        out.append(f'<g transform="translate(0 {groups * (per * bar + gap) + 12:.1f})">')
    else:
        width, plot_height, base = 680.0, 220.0, 250.0
        slot = (width - 60) / max(1, groups)
        bar = min(40.0, (slot - 16) / per)
        height = base + 40 + legend_height
        out = _open(chart_id, title, desc, width, height)
        out.append(f'<line x1="50" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{MUTED}"/>')
        for g, category in enumerate(categories):
            left = 50 + g * slot + (slot - per * bar) / 2
            out.append(_text(50 + g * slot + slot / 2, base + 18, _shorten(category, 14), 12))
            for s_index, s in enumerate(series):
                value = s.values[g] if g < len(s.values) else None
                x = left + s_index * bar
                colour = PALETTE[s_index % len(PALETTE)]
                if value is None:
                    out.append(_text(x + bar / 2, base - 4, "—", 11, "middle", MUTED))
                    continue
                h = plot_height * max(0.0, min(value, max_value)) / max_value
                label = f"{category}, {s.name}: {fmt(value)}"
                pattern = ' stroke="#1b2430" stroke-width="0.8"' if s_index % 2 else ""
                out.append(
                    f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar - 3:.1f}" height="{h:.1f}" fill="{colour}"{pattern}>'
                    f"<title>{escape(label)}</title></rect>"
                )
                out.append(_text(x + bar / 2, base - h - 4, fmt(value), 10))
        out.append(f'<g transform="translate(0 {base + 34:.1f})">')
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


def lines(
    chart_id: str,
    title: str,
    desc: str,
    x_labels: list[str],
    series: list[Series],
    max_value: float = 100,
    fmt: Formatter = one_decimal,
) -> str:
    """Scores over cycles: one line per series, a marker per point, a gap where a value is missing."""
    width, left, right, top, plot_height = 680.0, 50.0, 20.0, 20.0, 220.0
    legend, legend_height = _legend(series, 20, 0, width - 40)
    height = top + plot_height + 40 + legend_height
    out = _open(chart_id, title, desc, width, height)
    count = max(1, len(x_labels))
    step = (width - left - right) / max(1, count - 1) if count > 1 else 0

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (i * step if count > 1 else (width - left - right) / 2)
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


def project_world(geojson: dict, width: float = 960) -> tuple[CountryShape, ...]:
    """Project every country of the GeoJSON once (a process keeps the result)."""
    height = map_height(width)
    shapes = []
    for feature in geojson.get("features", []):
        d = []
        for polygon in _rings(feature["geometry"]):
            for ring in polygon:
                points = [project(lat, lon, width, height) for lon, lat in ring]
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

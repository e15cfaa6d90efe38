"""The SVG charts: well-formed, accessible, escaped, and drawing values where they belong."""

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ceds.charts import (
    CountryShade,
    Marker,
    Series,
    bars,
    lines,
    point_in_feature,
    project,
    project_world,
    radar,
    world_map,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
GEOJSON = Path(__file__).resolve().parents[3] / "content" / "geo" / "countries-110m.geojson"


def _parse(svg: str, role: str = "img") -> ET.Element:
    root = ET.fromstring(svg)
    assert root.get("role") == role
    ids = root.get("aria-labelledby").split()
    assert root.find("svg:title", NS).get("id") == ids[0] and root.find("svg:desc", NS).get("id") == ids[1]
    return root


def test_every_chart_is_well_formed_and_labelled():
    series = [Series("This cycle", [50, None, 70]), Series("Median", [40, 45, 60])]
    for svg in (
        radar("r", "Scores", "three dimensions", ["A", "B", "C"], series),
        bars("b", "Bars", "desc", ["A", "B", "C"], series),
        bars("v", "Bars", "desc", ["2024", "2025", "2026"], series, horizontal=False),
        lines("l", "Lines", "desc", ["2024", "2025", "2026"], series),
    ):
        _parse(svg)


def test_labels_are_escaped():
    svg = bars("b", "<script>alert(1)</script>", "d", ["<b>x</b>"], [Series("s&p", [10])])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "s&amp;p" in svg
    _parse(svg)


def test_radar_puts_a_value_at_its_share_of_the_radius():
    svg = radar("r", "t", "d", ["Up", "Right", "Down", "Left"], [Series("s", [50, 100, 0, 25])])
    root = _parse(svg)
    polygon = next(p for p in root.iter("{http://www.w3.org/2000/svg}polygon") if p.find("svg:title", NS) is not None)
    points = [tuple(map(float, pair.split(","))) for pair in polygon.get("points").split()]
    cx, cy, radius = 380.0, 215.0, 165.0
    assert points[0] == pytest.approx((cx, cy - radius / 2), abs=0.1)  # 50 straight up at half the radius
    assert points[1] == pytest.approx((cx + radius, cy), abs=0.1)  # 100 to the right at the full radius
    assert points[3] == pytest.approx((cx - radius / 4, cy), abs=0.1)


def test_missing_values_are_never_drawn_as_zero():
    svg = lines("l", "t", "d", ["a", "b", "c"], [Series("s", [40, None, 60])])
    root = _parse(svg)
    assert len(list(root.iter("{http://www.w3.org/2000/svg}polyline"))) == 0, "no line bridges the gap"
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "s, b: 0.0" not in titles and "s, a: 40.0" in titles


def test_horizontal_bars_are_proportional():
    root = _parse(bars("b", "t", "d", ["x", "y"], [Series("s", [25, 100])]))
    widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths[1] == pytest.approx(widths[0] * 4)


def test_projection_corners():
    assert project(83, -180, 360, 141) == pytest.approx((0, 0))
    assert project(-58, 180, 360, 141) == pytest.approx((360, 141))


def test_point_in_a_square_with_a_hole():
    square = {
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
                [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
            ],
        }
    }
    assert point_in_feature(2, 2, square)
    assert not point_in_feature(5, 5, square), "inside the hole"
    assert not point_in_feature(12, 5, square)


@pytest.fixture(scope="module")
def world():
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def _country(world, code):
    return next(f for f in world["features"] if f["properties"]["iso_a2"] == code)


def test_seoul_and_nairobi_fall_inside_their_countries(world):
    assert point_in_feature(37.566, 126.978, _country(world, "KR"))
    assert point_in_feature(-1.2833, 36.8167, _country(world, "KE"))
    assert not point_in_feature(37.566, 126.978, _country(world, "KE"))


def test_no_ring_crosses_the_antimeridian(world):
    assert len(world["features"]) >= 170
    for feature in world["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert all(abs(ring[i][0] - ring[i - 1][0]) <= 180 for i in range(1, len(ring))), feature["properties"][
                    "name"
                ]


def test_world_map_draws_every_country_and_linked_markers(world):
    svg = world_map(
        "w", "Map", "d", project_world(world), [Marker(37.566, 126.978, "Seoul: 80.1", 5, "/public/cities/seoul/")]
    )
    root = _parse(svg, role="group")  # it holds links, which an image may not
    paths = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("data-iso") is not None]
    assert len(paths) == len(world["features"])
    link = next(root.iter("{http://www.w3.org/2000/svg}a"))
    assert link.get("href") == "/public/cities/seoul/"
    x, y = project(37.566, 126.978, 960, round(960 * 141 / 360))
    circle = next(link.iter("{http://www.w3.org/2000/svg}circle"))
    assert (float(circle.get("cx")), float(circle.get("cy"))) == pytest.approx((x, y), abs=0.1)
    assert not math.isnan(x)


def test_world_map_shades_countries_by_level_and_links_them(world):
    shades = {"KR": CountryShade(4, "Korea: 3 cities, median level 4", "/map/?country=KR")}
    root = _parse(world_map("w", "Map", "d", project_world(world), [], shades), role="group")
    korea = next(p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("data-iso") == "KR")
    assert korea.get("fill") == "#B33D1A"
    assert korea.find("{http://www.w3.org/2000/svg}title").text == "Korea: 3 cities, median level 4"
    links = [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]
    assert links == ["/map/?country=KR"]
    spain = next(p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("data-iso") == "ES")
    assert spain.get("fill") == "#d9dee5", "a country without shown cities stays grey"


def test_every_chart_shows_its_title_and_describes_itself():
    from ceds.charts.svg import bars, lines, radar

    for svg in (
        radar("r", "Scores by dimension", "A: 1", ["A", "B", "C"], [Series("s", [1, 2, 3])]),
        bars("b", "Budget", "2025: 3", ["2025"], [Series("s", [3])], horizontal=False),
        lines("l", "Over time", "2025: 3", ["2025"], [Series("s", [3])]),
    ):
        title = re.search(r'<title id="\w+-title">([^<]+)</title>', svg)[1]
        assert f">{title}</text>" in svg, "the title is written above the chart"
        assert re.search(r'<desc id="\w+-desc">[^<]+</desc>', svg)


def test_radar_ring_values_sit_where_no_group_divider_runs():
    import math

    from ceds.charts.svg import radar

    svg = radar("r", "t", "d", list("ABCDEF"), [Series("s", [50] * 6)], groups=[("Internal", 0, 2), ("External", 3, 5)])
    dividers = re.findall(r'<line x1="380.0" y1="215.0" x2="([\d.]+)" y2="([\d.]+)" stroke="#5a6677"', svg)
    assert len(dividers) == 2
    ticks = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" font-size="11" text-anchor="middle"[^>]*>(\d+)</text>', svg)
    assert [t[2] for t in ticks] == ["20", "40", "60", "80", "100"]
    for x2, y2 in dividers:
        divider = math.atan2(float(y2) - 215, float(x2) - 380)
        for x, y, _v in ticks:
            angle = math.atan2(float(y) - 4 - 215, float(x) - 380)
            gap = abs((angle - divider + math.pi) % (2 * math.pi) - math.pi)
            assert gap > math.radians(45), "a ring value lies a whole axis step away from every divider"


def test_bar_legends_are_boxes_and_vertical_bars_have_an_axis_and_keep_to_their_column():
    from ceds.charts.svg import bars

    svg = bars(
        "b",
        "Budget",
        "d",
        ["2023", "2024"],
        [Series("Planned", [12_000_000, 14_500_000]), Series("Actual", [11_800_000, None])],
        max_value=16_000_000,
        horizontal=False,
        fmt=lambda v: f"{v:,.0f}",
        axis_label="KRW",
    )
    legend = svg[svg.rindex("<g transform") :]
    assert legend.count("<rect") == 2 and "<line" not in legend, "bars are named by boxes, not lines"
    assert ">KRW</text>" in svg and ">5,000,000</text>" in svg and ">0</text>" in svg, "a value axis with its unit"
    assert 'transform="rotate(-90' in svg, "a value wider than its bar is written along it"


def test_lines_space_periods_in_proportion_to_time():
    from ceds.charts.svg import lines

    svg = lines("h", "t", "d", ["2025", "2026", "2028"], [Series("s", [10, 20, 30])], x_positions=[2025, 2026, 2028])
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="258.0" font-size="12"', svg)]
    assert len(xs) == 3 and abs((xs[2] - xs[1]) - 2 * (xs[1] - xs[0])) < 0.5

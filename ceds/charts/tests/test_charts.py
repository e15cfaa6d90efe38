"""The SVG charts: well-formed, accessible, escaped, and drawing values where they belong."""

import json
import math
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

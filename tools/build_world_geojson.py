"""Build content/geo/countries-110m.geojson from Natural Earth (npm world-atlas 2.0.2), once.

Run: cd tools && npm install && cd .. && .venv/bin/python tools/build_world_geojson.py
Natural Earth data are in the public domain. Antarctica is dropped; polygons that cross the
antimeridian (Russia, Fiji) are split at ±180° so no ring streaks across the map; ISO
alpha-2 codes come from pycountry (N. Cyprus, Somaliland and Kosovo have no ISO code).
"""

import json
import subprocess
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "geo" / "countries-110m.geojson"


def clip(ring, keep_left: bool, edge: float = 180.0):
    """Sutherland–Hodgman clip of a ring against the vertical line lon = edge."""

    def inside(p):
        return p[0] <= edge if keep_left else p[0] >= edge

    out = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(_cross(previous, current, edge))
            out.append(current)
        elif inside(previous):
            out.append(_cross(previous, current, edge))
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def _cross(a, b, edge):
    t = (edge - a[0]) / (b[0] - a[0])
    return [edge, a[1] + t * (b[1] - a[1])]


def crosses(ring) -> bool:
    return any(abs(ring[i][0] - ring[i - 1][0]) > 180 for i in range(1, len(ring)))


def fix_polygon(polygon):
    """One polygon -> one or two polygons that never cross the antimeridian."""
    if not any(crosses(r) for r in polygon):
        return [polygon]
    shifted = [[[x + 360 if x < 0 else x, y] for x, y in ring] for ring in polygon]
    west = [clip(r, keep_left=True) for r in shifted]
    east = [clip(r, keep_left=False) for r in shifted]
    pieces = []
    if west[0]:
        pieces.append([r for r in west if r])
    if east[0]:
        pieces.append([[[x - 360, y] for x, y in r] for r in east if r])
    return pieces


def rounded(polygon):
    return [[[round(x, 2), round(y, 2)] for x, y in ring] for ring in polygon]


def main():
    raw = json.loads(subprocess.check_output(["node", str(ROOT / "tools" / "topojson_to_geojson.mjs")]))
    features = []
    for f in raw["features"]:
        iso_n3 = str(f.get("id") or "")
        if iso_n3 == "010":  # Antarctica
            continue
        geometry = f["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        fixed = [rounded(p) for polygon in polygons for p in fix_polygon(polygon)]
        country = pycountry.countries.get(numeric=iso_n3) if iso_n3 else None
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso_n3": iso_n3,
                    "iso_a2": country.alpha_2 if country else "",
                    "name": f["properties"]["name"],
                },
                "geometry": {"type": "MultiPolygon", "coordinates": fixed},
            }
        )
    for feature in features:
        for polygon in feature["geometry"]["coordinates"]:
            assert not any(crosses(ring) for ring in polygon), feature["properties"]["name"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")), encoding="utf-8"
    )
    print(f"wrote {OUT.relative_to(ROOT)}: {len(features)} countries, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

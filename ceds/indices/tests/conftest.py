import csv
from pathlib import Path

import pycountry
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GAZETTEER = Path(__file__).resolve().parents[3] / "content" / "gazetteer" / "places.csv"


@pytest.fixture
def countries(world):
    """Every ISO 3166 country, as load_content makes them (the world fixture has two)."""
    from ceds.cities.models import Country

    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(code=c.alpha_2, alpha3=c.alpha_3, numeric=c.numeric, name_en=getattr(c, "common_name", None) or c.name)
        for c in pycountry.countries
        if c.alpha_2 not in existing
    )
    return world


@pytest.fixture
def places(db):
    """The committed gazetteer's places of the countries the LOSI fixture names."""
    from ceds.cities.models import Place

    wanted = {"KR", "ES", "CO", "KZ", "MN", "US", "LI"}
    with GAZETTEER.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["country"] in wanted]
    Place.objects.bulk_create(
        Place(
            geonameid=int(r["geonameid"]),
            name=r["name"],
            asciiname=r["asciiname"],
            country=r["country"],
            admin1=r["admin1"],
            latitude=r["latitude"],
            longitude=r["longitude"],
            population=int(r["population"]),
            timezone=r["timezone"],
        )
        for r in rows
    )
    return {int(r["geonameid"]): r["name"] for r in rows}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()

"""Country and city names as publishers write them, matched without a database."""

from pathlib import Path

import pycountry
import pytest
import yaml

from ceds.indices.matching import (
    PlaceRow,
    closest_countries,
    match_city,
    match_code,
    match_country,
    pycountry_match,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ALIASES = Path(__file__).resolve().parents[1] / "data" / "un_country_names.yaml"


def _member_states():
    for line in (FIXTURES / "member_states.txt").read_text(encoding="utf-8").splitlines():
        alpha3, name, earlier = line.split("|")
        yield pycountry.countries.get(alpha_3=alpha3).alpha_2, name, earlier


def test_every_member_state_matches_under_its_un_names():
    members = list(_member_states())
    assert len(members) == 193 and len({code for code, _n, _e in members}) == 193
    wrong = [
        (name, match_country(name), code)
        for code, *names in members
        for name in names
        if name and match_country(name) != code
    ]
    assert wrong == []


def test_the_alias_table_holds_only_what_pycountry_misses_and_says_its_source():
    text = ALIASES.read_text(encoding="utf-8")
    assert "E-Government Survey" in text and "M49" in text and "UNTERM" in text
    aliases = yaml.safe_load(text)["aliases"]
    assert aliases, "the table is not empty"
    for name, code in aliases.items():
        assert pycountry_match(name) is None, f"pycountry already resolves {name!r}: the alias is not needed"
        assert pycountry.countries.get(alpha_2=code), code


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("The former Yugoslav Republic of Macedonia", "MK"),
        ("North Macedonia", "MK"),
        ("Swaziland", "SZ"),
        ("Eswatini", "SZ"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Cape Verde", "CV"),
        ("Cabo Verde", "CV"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Republic of Korea", "KR"),
        ("Republic of Korea ", "KR"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Bolivia (Plurinational State of)", "BO"),
        ("Venezuela (Bolivarian Republic of)", "VE"),
        ("Micronesia (Federated States of)", "FM"),
        ("Republic of Moldova", "MD"),
        ("United Republic of Tanzania", "TZ"),
        ("Lao People's Democratic Republic", "LA"),
        ("Lao People’s Democratic Republic", "LA"),
        ("Viet Nam", "VN"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Syrian Arab Republic", "SY"),
        ("Libyan Arab Jamahiriya", "LY"),
        ("Serbia and Montenegro", "RS"),
        ("Brunei Darussalam", "BN"),
        ("Russian Federation", "RU"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("Netherlands (Kingdom of the)", "NL"),
        ("Gambia (Republic of The)", "GM"),
        ("Georgia (Country)", "GE"),
        ("  Spain  ", "ES"),
        # The Holy See is a UN observer, not a Member State: pycountry knows it, nothing else does.
        ("Holy See", "VA"),
        ("Korea", None),  # two countries: unsure, so no match
        ("Atlantis", None),
        ("", None),
    ],
)
def test_country_names_are_matched_as_publishers_write_them(written, iso):
    assert match_country(written) == iso


@pytest.mark.parametrize(
    ("code", "iso"),
    [
        ("KOR", "KR"),
        ("kor", "KR"),
        ("KR", "KR"),
        ("410", "KR"),
        ("4", "AF"),
        ("004", "AF"),
        ("4.0", "AF"),
        ("XYZ", None),
        ("", None),
    ],
)
def test_iso_codes_are_read_in_all_three_forms(code, iso):
    assert match_code(code) == iso


def test_an_unmatched_name_gets_the_closest_countries():
    known = {"MK": "North Macedonia", "ES": "Spain", "KR": "Korea, Republic of"}
    assert closest_countries("Republic of Korae", known)[0] == "Korea, Republic of (KR)"
    assert closest_countries("Spian", known) == ["Spain (ES)"]
    assert closest_countries("Zzzz", known) == []


SEOUL = PlaceRow(1835848, "Seoul", "KR", 37.566, 126.9784, 10349312)
BUSAN = PlaceRow(1838524, "Busan", "KR", 35.1028, 129.0403, 3678555)
WASHINGTON = PlaceRow(4140963, "Washington", "US", 38.8951, -77.0364, 689545)
ASTANA = PlaceRow(1526273, "Astana", "KZ", 51.1801, 71.4460, 1544142)
BOGOTA = PlaceRow(3688689, "Bogotá", "CO", 4.6097, -74.0817, 7674366)


def test_a_city_is_matched_by_name_alias_or_coordinates_within_its_country():
    assert match_city("Seoul", "KR", [SEOUL, BUSAN]).place == SEOUL
    assert match_city("SEOUL ", "KR", [SEOUL, BUSAN]).how == "name"
    assert match_city("Bogota", "CO", [BOGOTA]).place == BOGOTA  # accents ignored
    assert match_city("Seoul City", "KR", [SEOUL]).place == SEOUL
    found = match_city("Nur-Sultan", "KZ", [ASTANA])
    assert found.place == ASTANA and found.how == "alias"
    assert match_city("Nur-Sultan", "KR", [SEOUL]).place is None, "an alias belongs to its country"
    found = match_city("Washington, D.C.", "US", [WASHINGTON], 38.9, -77.04)
    assert found.place == WASHINGTON and found.how == "coordinates"
    found = match_city("Washington", "US", [WASHINGTON], 38.9, -77.04)
    assert found.how == "name and coordinates"
    # A name the gazetteer has, but far from the given coordinates, is another place.
    assert match_city("Washington", "US", [WASHINGTON], 47.6, -122.3).place is None
    missing = match_city("Seul", "KR", [SEOUL, BUSAN])
    assert missing.place is None and missing.candidates == ("Seoul",)


def test_several_places_of_one_name_give_the_most_populous_or_the_nearest():
    small = PlaceRow(1, "Valencia", "ES", 42.0, -1.0, 60000)
    big = PlaceRow(2, "Valencia", "ES", 39.47, -0.38, 800000)
    assert match_city("Valencia", "ES", [small, big]).place == big
    assert match_city("Valencia", "ES", [small, big], 42.01, -1.01).place == small

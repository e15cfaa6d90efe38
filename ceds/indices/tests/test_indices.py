"""Importing editions of reference indices from the files their publishers release.

The fixture files are synthetic (fixtures/README.md): their layouts are the publishers', their
values are made up.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from ceds.core.models import AuditEvent
from ceds.indices.importer import import_index, national_context, preview
from ceds.indices.models import ReferenceIndex, ReferenceValue
from ceds.indices.tests.conftest import fixture

UN_DATA_CENTER = "synthetic-egdi-2018-un-data-center.csv"
REPUBLICATION = "synthetic-egdi-2022-republication.csv"
LOSI = "synthetic-losi-2024-cities.csv"


def _snapshot():
    return (
        list(ReferenceIndex.objects.values_list("code", "year", "components", "countries")),
        list(ReferenceValue.objects.values_list("index__year", "country", "rank", "values")),
    )


def test_the_un_data_center_layout_matches_every_member_state_by_name(countries):
    plan = preview(fixture(UN_DATA_CENTER), "egdi")
    assert plan.ok, plan.problems
    assert plan.year == 2018, "the edition year is read from the Survey Year column"
    assert dict(plan.columns.roles())["Survey Year"] == "edition year"
    assert dict(plan.columns.roles())["E-Government Rank"] == "rank"
    assert plan.columns.ignored == []
    report = import_index(None, fixture(UN_DATA_CENTER), "egdi", None)
    assert report.imported == 193 and ReferenceValue.objects.count() == 193
    index = ReferenceIndex.objects.get()
    assert (index.year, index.countries, index.scope) == (2018, 193, "country")
    # The rank and the year are a rank and a year, never components.
    assert index.components == ["egdi", "epi", "osi", "hci", "tii"]
    korea = ReferenceValue.objects.get(country="KR")
    assert korea.rank == 2 and korea.values == {
        "egdi": 0.8668,
        "epi": 0.5258,
        "osi": 0.7933,
        "hci": 0.9556,
        "tii": 0.8516,
    }
    macedonia = ReferenceValue.objects.get(country="MK")
    assert macedonia.published_name == "The former Yugoslav Republic of Macedonia" and macedonia.rank == 84
    assert AuditEvent.objects.filter(action="index.import").count() == 1


def test_the_republication_layout_matches_by_iso_code(countries):
    plan = preview(fixture(REPUBLICATION), "egdi", 2022)
    assert plan.ok, plan.problems
    assert {row.matched_by for row in plan.rows} == {"code"}
    roles = dict(plan.columns.roles())
    assert roles["country-code"] == "country (ISO code)" and roles["e-gov-rank"] == "rank"
    assert roles["e-pat-index"] == "E-Participation Index (epi)" and roles["tii"].startswith("Telecommunication")
    import_index(None, fixture(REPUBLICATION), "egdi", 2022)
    assert ReferenceValue.objects.count() == 193
    assert ReferenceValue.objects.get(country="MK").values["egdi"] == 0.7752


def test_a_renamed_country_is_one_country_across_editions_and_both_show(countries):
    import_index(None, fixture(UN_DATA_CENTER), "egdi", None)
    import_index(None, fixture(REPUBLICATION), "egdi", 2022)
    years = {
        code: sorted(ReferenceValue.objects.filter(country=code).values_list("index__year", flat=True))
        for code in ("MK", "SZ", "TR", "CV", "CZ")
    }
    assert years == {code: [2018, 2022] for code in years}
    (egdi,) = national_context("MK")
    assert (egdi["year"], egdi["rank"], egdi["of"]) == (2022, 13, 193)
    assert [(h["year"], h["rank"], h["published_name"]) for h in egdi["history"]] == [
        (2018, 84, "The former Yugoslav Republic of Macedonia")
    ]
    assert egdi["values"][0] == {"code": "egdi", "name": "E-Government Development Index", "value": 0.7752}


def test_the_files_the_issue_reported_and_short_layouts_are_read(countries):
    header = "Survey Year;Country Name;E-Government Rank;E-Government Index\n"
    import_index(None, (header + "2024;Spain;17;0,92\n").encode(), "egdi", None)
    assert list(ReferenceValue.objects.values_list("country", "rank", "values")) == [("ES", 17, {"egdi": 0.92})]
    # Case, underscores and a trailing edition year in the header do not matter.
    import_index(None, b"COUNTRY_NAME,e_government_rank,EGDI 2024\nSpain,18,0.91\n", "egdi", 2024)
    assert list(ReferenceValue.objects.values_list("country", "rank", "values")) == [("ES", 18, {"egdi": 0.91})]
    # An E-Participation file: its own rank column, the E-Government one is not its rank.
    plan = preview(
        b"Country Name,E-Participation Rank,E-Participation Index,E-Government Rank\nSpain,3,0.98,18\n", "epi", 2024
    )
    assert plan.ok and plan.rows[0].rank == 3 and plan.columns.ignored == ["E-Government Rank"]


def test_an_excel_file_is_read_like_its_csv(countries):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Survey Year", "Country Name", "E-Government Rank", "E-Government Index"])
    sheet.append([2024, "Türkiye", 27, 0.8913])
    data = io.BytesIO()
    book.save(data)
    import_index(None, data.getvalue(), "egdi", None)
    assert list(ReferenceValue.objects.values_list("index__year", "country", "rank", "values")) == [
        (2024, "TR", 27, {"egdi": 0.8913})
    ]


@pytest.mark.parametrize(
    ("data", "year", "message"),
    [
        # An unknown layout: no column names the country.
        (b"nation,score\nSpain,0.9\n", 2024, "Row 1 (the header): no column names the country"),
        (b"Country,Rank,Score\nSpain,1,0.9\n", 2024, "Row 1 (the header): no column holds a value of E-Government"),
        # A missing rank column.
        (b"Country Name,E-Government Index\nSpain,0.9\n", 2024, "Row 1 (the header): no rank column"),
        # A duplicated country, under two spellings.
        (
            b"Country Name,E-Government Rank,E-Government Index\nTurkey,1,0.9\nT\xc3\xbcrkiye,2,0.8\n",
            2024,
            "Rows 2 and 3, column \u201cCountry Name\u201d: both are TR.",
        ),
        (
            b"country-code,e-gov-rank,e-gov-index\nESP,1,0.9\n724,2,0.8\n",
            2024,
            "Rows 2 and 3, column \u201ccountry-code\u201d",
        ),
        # A value that is not a number.
        (
            b"Country Name,E-Government Rank,E-Government Index\nSpain,18,high\n",
            2024,
            "Row 2, column \u201cE-Government Index\u201d: \u201chigh\u201d is not a number.",
        ),
        (
            b"Country Name,E-Government Rank,E-Government Index\nSpain,,0.9\n",
            2024,
            "Row 2, column \u201cE-Government Rank\u201d: the rank is missing.",
        ),
        (b"Country Name,E-Government Rank,E-Government Index\nSpain,1.5,0.9\n", 2024, "is not a rank"),
        (b"Country Name,E-Government Rank,E-Government Index\nSpain,1,nan\n", 2024, "\u201cnan\u201d is not a number"),
        (
            b"country-code,country-name,e-gov-rank,e-gov-index\nESP,France,1,0.9\n",
            2024,
            "Row 2: \u201cESP\u201d in column \u201ccountry-code\u201d is ES, but \u201cFrance\u201d in column \u201ccountry-name\u201d is FR.",
        ),
        (
            b"country-code,e-gov-rank,e-gov-index\nXKX,1,0.9\n",
            2024,
            "Row 2, column \u201ccountry-code\u201d: \u201cXKX\u201d is not an ISO 3166",
        ),
        # A row that matches no country, with the closest candidates.
        (
            b"Country Name,E-Government Rank,E-Government Index\nSpian,1,0.9\n",
            2024,
            "Row 2, column \u201cCountry Name\u201d: no country matches \u201cSpian\u201d. Closest: Spain (ES).",
        ),
        # Edition years that disagree.
        (
            b"Survey Year,Country Name,E-Government Rank,E-Government Index\n2022,Spain,1,0.9\n",
            2024,
            "the file is edition 2022, not 2024",
        ),
        (
            b"Survey Year,Country Name,E-Government Rank,E-Government Index\n2022,Spain,1,0.9\n2024,France,2,0.8\n",
            None,
            "Row 3, column \u201cSurvey Year\u201d: edition 2024, but row 2 is edition 2022",
        ),
        (b"Country Name,E-Government Rank,E-Government Index\nSpain,1,0.9\n", None, "Give the edition year"),
        (b"Country Name,country_name,E-Government Rank,EGDI\n", 2024, "are the same column"),
        (
            b"Country Name,E-Government Rank,EGDI 2022\nSpain,1,0.9\n",
            2024,
            "column \u201cEGDI 2022\u201d: the file is edition 2022",
        ),
        (b"", 2024, "empty"),
    ],
)
def test_a_bad_file_says_where_and_writes_nothing(countries, data, year, message):
    import_index(None, fixture(UN_DATA_CENTER), "egdi", None)
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        import_index(None, data, "egdi", year)
    assert message in " ".join(error.value.messages)
    assert _snapshot() == before


def test_one_unmatched_row_among_good_ones_writes_nothing(countries):
    text = fixture(UN_DATA_CENTER).decode() + "2018,Atlantis,194,0.1,0.1,0.1,0.1,0.1\n"
    plan = preview(text.encode(), "egdi")
    assert plan.unmatched == [(195, "Atlantis", [])] and not plan.ok
    with pytest.raises(ValidationError, match="Row 195"):
        import_index(None, text.encode(), "egdi", None)
    assert ReferenceValue.objects.count() == 0


def test_a_city_level_file_is_matched_to_the_gazetteer(countries, places):
    plan = preview(fixture(LOSI), "losi")
    assert plan.ok, plan.problems
    assert plan.year == 2024, "the year in “LOSI 2024” is not a year column"
    assert plan.year is not None and plan.columns.components == {
        "losi": "LOSI 2024",
        "if": "IF",
        "cp": "CP",
        "sp": "SP",
        "pe": "PE",
        "tec": "TEC",
    }
    assert sorted(plan.columns.ignored) == ["OSI 2024", "Region"], "the national OSI is not the city's"
    matched = {row.city: (row.place.name if row.place else None, row.place_matched_by) for row in plan.rows}
    assert matched == {
        "Seoul": ("Seoul", "name and coordinates"),
        "Madrid": ("Madrid", "name"),
        "Bogota": ("Bogotá", "name"),
        "Nur-Sultan": ("Astana", "alias"),
        "Ulaanbaatar": ("Ulan Bator", "alias"),
        "Washington": ("Washington", "name and coordinates"),
        "Vaduz": (None, ""),
    }
    assert [row.city for row in plan.unplaced] == ["Vaduz"]
    import_index(None, fixture(LOSI), "losi", None)
    index = ReferenceIndex.objects.get()
    assert (index.scope, index.countries, index.display_name) == ("city", 7, "Local Online Service Index")
    seoul = ReferenceValue.objects.get(city="Seoul")
    assert (seoul.country_id, seoul.geonameid, seoul.rank, seoul.level) == ("KR", 1835848, 2, "Very High")
    assert seoul.values["losi"] == 0.91 and ReferenceValue.objects.get(city="Vaduz").geonameid is None


def test_a_city_level_file_needs_a_city_and_a_known_country(countries, places):
    for data, message in [
        (b"Country,Rank,LOSI\nSpain,1,0.9\n", "no column names the city"),
        (b"City,Country,Rank,LOSI\nMadrid,Spian,1,0.9\n", "no country matches"),
        (b"City,Country,Rank,LOSI\nMadrid,Spain,1,0.9\nMADRID,Spain,2,0.8\n", "Rows 2 and 3, column \u201cCity\u201d"),
        (b"City,Country,Rank,LOSI\n,Spain,1,0.9\n", "Row 2, column \u201cCity\u201d: no city."),
    ]:
        with pytest.raises(ValidationError, match=message):
            import_index(None, data, "losi", 2024)
    assert ReferenceValue.objects.count() == 0


def test_the_command_previews_imports_and_refuses_with_every_problem(countries, tmp_path):
    path = tmp_path / "egdi.csv"
    path.write_bytes(fixture(REPUBLICATION))
    out = io.StringIO()
    call_command("import_reference_index", str(path), "--year", "2022", "--preview", stdout=out)
    assert "'e-gov-rank' -> rank" in out.getvalue() and "193 rows would be imported" in out.getvalue()
    assert ReferenceValue.objects.count() == 0
    call_command("import_reference_index", str(path), "--year", "2022", stdout=out)
    assert "193 rows imported" in out.getvalue() and ReferenceValue.objects.count() == 193
    path.write_text(
        "Country Name,E-Government Rank,E-Government Index\nSpain,1,lots\nAtlantis,2,0.5\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as error:
        call_command("import_reference_index", str(path), "--year", "2024", stdout=io.StringIO())
    assert "Row 2, column “E-Government Index”" in str(error.value) and "Row 3" in str(error.value)

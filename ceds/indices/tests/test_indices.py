import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ceds.cities.models import Country
from ceds.indices.importer import import_index, match_country
from ceds.indices.models import ReferenceIndex, ReferenceValue

# Written for these tests in the shape of the UN's EGDI file; the figures are made up.
EGDI = """Country ,Rank,EGDI,OSI,HCI,TII
Republic of Korea ,4,0.9679,0.9826,0.9519,0.9691
"Spain",18,0.9187,0.9294,0.8946,0.9321
Georgia (Country),59,0.7510,0.6840,0.8600,0.7090
Atlantis,200,0.1,0.1,0.1,0.1
"""


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("Republic of Korea", "KR"),
        ("  Spain  ", "ES"),
        ("Georgia (Country)", "GE"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Bolivia (Plurinational State of)", "BO"),
        ("United Republic of Tanzania", "TZ"),
        ("Türkiye", "TR"),
        ("Viet Nam", "VN"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("Netherlands (Kingdom of the)", "NL"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_country_names_are_matched_as_publishers_write_them(written, iso):
    assert match_country(written) == iso


@pytest.fixture
def countries(world):
    Country.objects.create(code="GE", alpha3="GEO", numeric="268", name_en="Georgia")
    return world


def test_import_matches_names_reports_the_rest_and_replaces_an_edition(countries):
    report = import_index(None, EGDI.encode(), "egdi", 2024, "UN E-Government Development Index")
    assert report.imported == 3 and report.unmatched == [(5, "Atlantis")]
    korea = ReferenceValue.objects.get(country="KR")
    assert korea.rank == 4 and korea.values == {"egdi": 0.9679, "osi": 0.9826, "hci": 0.9519, "tii": 0.9691}
    assert ReferenceIndex.objects.get().components == ["egdi", "osi", "hci", "tii"]
    import_index(None, b"country;rank;egdi\nSpain;17;0,92\n", "egdi", 2024, "UN EGDI")
    assert list(ReferenceValue.objects.values_list("country", "rank")) == [("ES", 17)]
    assert ReferenceValue.objects.get().values == {"egdi": 0.92}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"country,rank,egdi\nSpain,18,high\n", "Row 2, column egdi: high is not a number."),
        (b"nation,egdi\nSpain,0.9\n", "needs a 'country' column"),
        (b"country,rank\nSpain,18\n", "no value columns"),
        (b"country,egdi\nAtlantis,0.9\n", "No row matched a country"),
        (b"country,egdi\nSpain,0.9\nSpain ,0.8\n", "Rows 2 and 3 are both ES."),
        (b"", "empty"),
    ],
)
def test_a_bad_file_saves_nothing_and_says_where(countries, data, message):
    import_index(None, EGDI.encode(), "egdi", 2024, "UN EGDI")
    before = list(ReferenceValue.objects.values_list("country", "rank", "values"))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        import_index(None, data, "egdi", 2024, "UN EGDI")
    assert message in " ".join(error.value.messages)
    assert list(ReferenceValue.objects.values_list("country", "rank", "values")) == before


def test_the_command_imports_and_lists_unmatched_rows(countries, tmp_path):
    path = tmp_path / "egdi.csv"
    path.write_text(EGDI, encoding="utf-8")
    out = io.StringIO()
    call_command("import_reference_index", str(path), "--year", "2024", stdout=out)
    assert (
        "3 countries imported, 1 unmatched" in out.getvalue()
        and "row 5: no country matches 'Atlantis'" in out.getvalue()
    )
    path.write_text("country,egdi\nSpain,lots\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Row 2, column egdi"):
        call_command("import_reference_index", str(path), "--year", "2024", stdout=io.StringIO())


def test_the_secretariat_page_imports_and_shows_unmatched_rows(countries, client_for):
    upload = SimpleUploadedFile("egdi.csv", EGDI.encode(), content_type="text/csv")
    data = {"file": upload, "code": "egdi", "year": "2024", "name": "UN EGDI", "source": "UN DESA"}
    page = client_for(countries["secretariat"]).post("/indices/", data)
    text = page.content.decode()
    assert page.status_code == 200 and "Atlantis" in text and "Row 5" in text
    assert ReferenceValue.objects.count() == 3
    bad = SimpleUploadedFile("egdi.csv", b"country,egdi\nSpain,lots\n", content_type="text/csv")
    page = client_for(countries["secretariat"]).post("/indices/", {**data, "file": bad})
    assert "Row 2, column egdi" in page.content.decode() and ReferenceValue.objects.count() == 3
    assert client_for(countries["analyst"]).post("/indices/", data).status_code == 403


def test_the_dashboard_shows_the_national_context(countries, client_for):
    from ceds.api.tests.fixtures import validated

    import_index(None, EGDI.encode(), "egdi", 2024, "UN E-Government Development Index")
    call_command(
        "load_content",
        content=str(__import__("ceds.frameworks.tests.helpers", fromlist=["FIXTURE"]).FIXTURE),
        stdout=io.StringIO(),
    )
    from ceds.frameworks.models import FrameworkVersion

    countries.extra = {"version": FrameworkVersion.objects.get(framework_id="kinds")}
    assessment = validated(countries)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(countries["a_viewer"])
    client.get(f"/assessments/{assessment.pk}/dashboard/")  # a process reads a framework version once
    with CaptureQueriesContext(connection) as captured:
        text = client.get(f"/assessments/{assessment.pk}/dashboard/").content.decode()
    assert "National context" in text and "UN E-Government Development Index" in text
    assert "4 of 3" in text and "EGDI 0.968" in text
    assert sum("indices_" in q["sql"] for q in captured) == 1, "the edition's size is stored with it"

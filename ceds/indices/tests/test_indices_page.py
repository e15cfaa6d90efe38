"""The secretariat's page previews an edition before importing it; the dashboard shows it."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceds.indices.importer import import_index
from ceds.indices.models import ReferenceIndex, ReferenceValue
from ceds.indices.tests.conftest import fixture


def _upload(name, data, code="egdi", year=""):
    return {
        "file": SimpleUploadedFile(name, data, content_type="text/csv"),
        "code": code,
        "year": year,
        "name": "",
        "source": "UN DESA",
    }


def _token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_a_preview_shows_the_columns_and_rows_and_writes_nothing_until_confirmed(countries, client_for):
    client = client_for(countries["secretariat"])
    page = client.post("/indices/", _upload("egdi.csv", fixture("synthetic-egdi-2022-republication.csv"), year="2022"))
    text = page.content.decode()
    assert page.status_code == 200 and "Preview: E-Government Development Index, edition 2022" in text
    assert "country-code" in text and "country (ISO code)" in text and "E-Participation Index (epi)" in text
    assert "All 193 rows matched" in text and "The former" not in text
    assert ReferenceIndex.objects.count() == 0 and ReferenceValue.objects.count() == 0
    page = client.post("/indices/", {"token": _token(text)}, follow=True)
    assert "E-Government Development Index, edition 2022: 193 rows imported." in page.content.decode()
    index = ReferenceIndex.objects.get()
    assert (index.year, index.countries, index.source) == (2022, 193, "UN DESA")
    assert ["e-gov-rank", "rank"] in index.columns


def test_a_preview_with_problems_lists_them_and_offers_no_confirmation(countries, client_for):
    client = client_for(countries["secretariat"])
    bad = b"Country Name,E-Government Rank,E-Government Index\nSpian,1,0.9\nFrance,2,lots\n"
    text = client.post("/indices/", _upload("egdi.csv", bad, year="2024")).content.decode()
    assert "Nothing has been written" in text and 'name="token"' not in text
    assert "Row 2, column “Country Name”: no country matches “Spian”" in text and "Spain (ES)" in text
    assert "Row 3, column “E-Government Index”: “lots” is not a number." in text
    assert ReferenceValue.objects.count() == 0


def test_a_forged_or_stale_confirmation_imports_nothing(countries, client_for):
    client = client_for(countries["secretariat"])
    text = client.post(
        "/indices/", _upload("egdi.csv", b"Country,Rank,EGDI\nSpain,1,0.9\n", year="2024")
    ).content.decode()
    token = _token(text)
    page = client.post("/indices/", {"token": token[:-3] + "abc"})
    assert "The preview could not be read" in page.content.decode() and ReferenceValue.objects.count() == 0
    # An analyst sees the page but may not import, not even a valid preview.
    assert client_for(countries["analyst"]).post("/indices/", {"token": token}).status_code == 403
    assert ReferenceValue.objects.count() == 0


def test_a_city_level_preview_lists_cities_with_no_gazetteer_place(countries, places, client_for):
    client = client_for(countries["secretariat"])
    text = client.post(
        "/indices/", _upload("losi.csv", fixture("synthetic-losi-2024-cities.csv"), "losi")
    ).content.decode()
    assert "Local Online Service Index, edition 2024" in text and "Cities with no gazetteer place" in text
    assert "Row 8: Vaduz (LI)" in text and "Astana" in text and "by a known alias" in text
    client.post("/indices/", {"token": _token(text)})
    page = client.get("/indices/").content.decode()
    assert "7 cities" in page and "Institutional Framework" in page


@pytest.fixture
def dashboards(countries, places):
    from ceds.api.tests.fixtures import validated
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    countries.extra = {"version": FrameworkVersion.objects.get(framework_id="kinds")}
    seoul = validated(countries)
    countries.city_a.geonameid = 1835848
    countries.city_a.save()
    return countries, seoul


def test_the_dashboard_shows_published_names_the_rank_of_n_and_both_editions(dashboards, client_for):
    world, seoul = dashboards
    import_index(None, fixture("synthetic-egdi-2018-un-data-center.csv"), "egdi", None)
    import_index(None, fixture("synthetic-egdi-2022-republication.csv"), "egdi", 2022)
    import_index(None, fixture("synthetic-losi-2024-cities.csv"), "losi", None)
    client = client_for(world["a_viewer"])
    client.get(f"/assessments/{seoul.pk}/dashboard/")  # a process reads a framework version once
    with CaptureQueriesContext(connection) as captured:
        text = client.get(f"/assessments/{seoul.pk}/dashboard/").content.decode()
    korea = ReferenceValue.objects.get(country="KR", index__year=2022)
    assert "National context" in text and "E-Government Development Index" in text
    assert f"{korea.rank} of 193 countries" in text
    assert "Online Service Index" in text and "Telecommunication Infrastructure Index" in text
    assert "Earlier editions:" in text and "2018: 2 of 193 countries" in text
    # The city-level index shows where it placed this city (matched by its gazetteer place).
    assert "Local Online Service Index" in text and "Where it placed Seoul" in text and "2 of 7 cities" in text
    assert "Institutional Framework 0.950" in text
    assert sum("indices_" in q["sql"] for q in captured) == 1, "one query, whatever the editions"
    korean = client.get(f"/assessments/{seoul.pk}/dashboard/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert f"193개국 중 {korea.rank}위" in korean and "전자정부발전지수" in korean and "7개 도시 중 2위" in korean


def test_a_city_the_index_did_not_rank_is_compared_with_the_one_it_did(countries, places):
    from ceds.indices.importer import national_context

    import_index(None, fixture("synthetic-losi-2024-cities.csv"), "losi", None)
    (losi,) = national_context("ES", countries.city_b)  # Barcelona; LOSI ranked Madrid
    assert (losi["city"], losi["this_city"], losi["rank"], losi["of"]) == ("Madrid", False, 5, 7)
    (losi,) = national_context("KR", countries.city_a)  # Seoul has no geonameid here: matched by name
    assert losi["this_city"] and losi["level"] == "Very High"

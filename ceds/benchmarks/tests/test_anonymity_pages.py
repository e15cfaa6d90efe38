"""Issue 18, finding 3, on the real pages and API: a Europe peer group of four with anonymous
members. The benchmark page's ranking listed every Europe score ("a city in Europe"), and with
the public list of Europe's cities the two anonymous scores narrowed to three candidates."""

import io

import pytest
from django.core.management import call_command

from ceds.assessments.models import Assessment, ScoreSnapshot
from ceds.benchmarks.models import Leaderboard
from ceds.benchmarks.services import recompute, refresh_public_results
from ceds.cities.models import City
from ceds.frameworks.models import FrameworkVersion
from ceds.frameworks.tests.helpers import FIXTURE

# Distinctive scores: whether a page shows them is read from its text.
ANONYMOUS_SCORES = (77.7, 66.6)


def _result(version, city, score, sharing):
    assessment = Assessment.objects.create(
        city=city, framework_version=version, period="2025", status="published", sharing=sharing
    )
    ScoreSnapshot.objects.create(
        assessment=assessment, overall_score=score, overall_level=3, figures={"overall": {"score": score, "level": 3}}
    )
    return assessment


def _city(slug, region, country):
    return City.objects.create(slug=slug, name=slug.title(), country=country, region=region, latitude=0, longitude=0)


@pytest.fixture
def europe(world):
    """Europe: Barcelona and Lisbon by name, two anonymous cities, one city without a result;
    Asia: Seoul and five more cities by name."""
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    spain, korea = world.city_b.country, world.city_a.country
    own = _result(version, world.city_b, 58.0, "named")
    _result(version, _city("lisbon", world.region_b, spain), 61.0, "named")
    for n, score in enumerate(ANONYMOUS_SCORES):
        _result(version, _city(f"quiet-{n}", world.region_b, spain), score, "anonymous")
    _city("silent", world.region_b, spain)
    _result(version, world.city_a, 50.0, "named")
    for n in range(5):
        _result(version, _city(f"asia-{n}", world.region_a, korea), 30.0 + n, "named")
    recompute(version.pk, "2025")
    refresh_public_results("kinds")
    return version, own, spain


def _overall(rows, kind):
    return next(r for r in rows if r["figure"] == "overall" and r["group_kind"] == kind)


def _shows_an_anonymous_score(text):
    return any(f"{score:.1f}" in text for score in ANONYMOUS_SCORES)


def test_a_europe_group_of_four_shows_no_anonymous_score_anywhere(world, europe, client_for):
    version, own, _spain = europe
    client = client_for(world["b_coordinator"])
    api = client.get(f"/api/v1/assessments/{own.pk}/benchmarks/").json()
    region = _overall(api, "region")
    assert not region["shown"] and region["n"] is None and region["median"] is None, "how many share is not told"
    everyone = _overall(api, "all")
    assert everyone["shown"] and everyone["n"] == 8, "three candidates for two scores: both withheld from all cities"
    assert everyone["best"] == 61.0
    page = client.get(f"/assessments/{own.pk}/benchmark/")
    text = page.content.decode()
    assert "a city in Europe" not in text and not _shows_an_anonymous_score(text)
    assert [r["label"] for r in page.context["ranking"]][:3] == ["Lisbon", "Barcelona", "Seoul"]
    grouped = client.get(f"/assessments/{own.pk}/benchmark/?group=region").content.decode()
    assert "Too few cities to show." in grouped and not _shows_an_anonymous_score(grouped)
    # The leaderboard itself (what the pages read) holds no anonymous entry; a reader in Asia sees the same.
    entries = Leaderboard.objects.get(framework_version=version, period="2025").entries
    assert all(e["sharing"] == "named" for e in entries) and len(entries) == 8
    seoul = Assessment.objects.get(city=world.city_a, period="2025")
    assert not _shows_an_anonymous_score(
        client_for(world["a_coordinator"]).get(f"/assessments/{seoul.pk}/benchmark/").content.decode()
    )


def test_public_pages_and_open_data_never_show_an_anonymous_result(world, europe, client_for):
    public = client_for(None)
    ranked = public.get("/rankings/?framework=kinds").context["page"]
    assert {r.overall_score for r in ranked} & set(ANONYMOUS_SCORES) == set() and len(ranked) == 8
    listed = public.get("/map/?framework=kinds&region=europe").context["results"]
    assert {r.name for r in listed} == {"Barcelona", "Lisbon"}
    assert public.get("/public/cities/quiet-0/").status_code == 404
    data = public.get("/api/v1/open-data/kinds/2025.csv").content.decode()
    assert "lisbon" in data and "quiet-0" not in data and not _shows_an_anonymous_score(data)


def test_with_six_cities_that_could_be_behind_them_anonymous_results_are_ranked_without_names(
    world, europe, client_for
):
    version, own, spain = europe
    for n in range(3):  # Europe now has six cities without a named result
        _city(f"silent-{n}", world.region_b, spain)
    recompute(version.pk, "2025")
    client = client_for(world["b_coordinator"])
    page = client.get(f"/assessments/{own.pk}/benchmark/")
    labels = [(r["label"], r["score"]) for r in page.context["ranking"]]
    assert labels[:4] == [("a city in Europe", 77.7), ("a city in Europe", 66.6), ("Lisbon", 61.0), ("Barcelona", 58.0)]
    assert "Quiet" not in page.content.decode()
    api = client.get(f"/api/v1/assessments/{own.pk}/benchmarks/").json()
    assert _overall(api, "all")["n"] == 10 and _overall(api, "all")["best"] == 77.7
    assert not _overall(api, "region")["shown"], "four cities in Europe share: still fewer than five"

"""The public map reads a listing that publication keeps up to date, at any number of cities."""

from ceds.assessments import services
from ceds.benchmarks.map_listing import MAP_PAGE_SIZE, MapFilters, default_period, map_listing
from ceds.benchmarks.models import PublicMapShading, PublicResult
from ceds.benchmarks.services import map_shadings, median_level
from ceds.benchmarks.tests.helpers import published_peers, save_city_in_admin, validated_result
from ceds.cities import services as city_services
from ceds.cities.models import City


def _shading(framework_id: str, region: str = "", membership: str = "", period: str = "2025") -> dict:
    row = PublicMapShading.objects.filter(
        framework_id=framework_id, period=period, region_code=region, membership_kind=membership
    )
    return row.values_list("countries", flat=True).first() or {}


def test_the_shading_is_counted_for_every_choice_of_filters():
    counts = [
        ("2025", "KR", "Korea", "asia", "member", 3, 2),
        ("2025", "KR", "Korea", "asia", "", 4, 1),
        ("2025", "ES", "Spain", "europe", "member", None, 1),
        ("2024", "KR", "Korea", "asia", "member", 1, 1),
    ]
    shadings = {key[1:]: value for key, value in map_shadings(counts).items() if key[0] == "2025"}
    assert set(shadings) == {
        ("", ""),
        ("asia", ""),
        ("europe", ""),
        ("", "member"),
        ("asia", "member"),
        ("europe", "member"),
    }
    countries, cities = shadings[("", "")]
    assert cities == 4 and countries["KR"] == {"name": "Korea", "levels": {"3": 2, "4": 1}, "cities": 3, "median": 3}
    assert countries["ES"]["levels"] == {"0": 1}, "no level is level 0"
    assert shadings[("", "member")][1] == 3 and shadings[("asia", "member")][0]["KR"]["levels"] == {"3": 2}
    assert shadings[("europe", "")][0].keys() == {"ES"}
    assert map_shadings(counts)[("2024", "", "")][1] == 1, "each period is shaded apart"


def test_publishing_by_name_lists_the_city_and_archiving_removes_it(world, kinds):
    assessment = validated_result(world, kinds, "2025", sharing="named")
    listed = PublicResult.objects.get(framework_id="kinds", city=world.city_a)
    assert (listed.period, listed.name, listed.region_code) == ("2025", "Seoul", world.region_a.code)
    assert _shading("kinds")["KR"]["levels"] == {str(listed.overall_level or 0): 1}
    services.publish(world["a_coordinator"], assessment, "anonymous")
    assert not PublicResult.objects.filter(city=world.city_a).exists(), "anonymous results are not on the map"
    assert "KR" not in _shading("kinds")
    services.publish(world["a_coordinator"], assessment, "named")
    services.archive(world["a_coordinator"], assessment)
    assert not PublicResult.objects.filter(city=world.city_a).exists()


def test_a_city_is_listed_once_per_period_it_published_by_name(world, kinds):
    validated_result(world, kinds, "2024", sharing="named")
    validated_result(world, kinds, "2025", sharing="named")
    assert sorted(PublicResult.objects.filter(city=world.city_a).values_list("period", flat=True)) == ["2024", "2025"]


def test_a_membership_change_moves_the_city_between_map_filters(world, kinds, client):
    validated_result(world, kinds, "2025", sharing="named")
    city_services.update_membership(world["secretariat"], world.city_a, {"kind": "partner"})
    assert PublicResult.objects.get(city=world.city_a).membership_kind == "partner"
    members = client.get("/map/?framework=kinds&membership=member")
    assert "Seoul" not in [r.name for r in members.context["results"]]
    partners = client.get("/map/?framework=kinds&membership=partner")
    assert [r.name for r in partners.context["results"]] == ["Seoul"]


def test_countries_are_shaded_by_median_level_and_link_to_their_cities(world, kinds, client):
    validated_result(world, kinds, "2025", sharing="named")
    published_peers(kinds, "2025", 9)  # nine more Korean cities, levels 1–5; Peer 0, 3 and 6 share anonymously
    page = client.get("/map/?framework=kinds")
    text = page.content.decode()
    assert sum(_shading("kinds")["KR"]["levels"].values()) == page.context["total"] == 7
    assert 'data-iso="KR"' in text and 'href="?framework=kinds&amp;period=2025&amp;country=KR"' in text
    korea = client.get("/map/?framework=kinds&country=KR")
    assert korea.context["country"] == "KR" and len(korea.context["results"]) == 7
    spain = client.get("/map/?framework=kinds&country=ES")
    assert spain.context["results"] == [] and "No city has published results by name yet." in spain.content.decode()


def test_the_list_pages_through_many_cities(world, kinds, client):
    published_peers(kinds, "2025", 160)  # two in three share by name
    first = client.get("/map/?framework=kinds")
    total = first.context["total"]
    assert total == PublicResult.objects.filter(framework_id="kinds").count() > 2 * MAP_PAGE_SIZE
    assert len(first.context["results"]) == MAP_PAGE_SIZE and 'rel="next"' in first.content.decode()
    names, page = [], 1
    while True:
        response = client.get(f"/map/?framework=kinds&page={page}")
        names += [r.name for r in response.context["results"]]
        if not response.context["page"].has_next():
            break
        page += 1
    assert page == -(-total // MAP_PAGE_SIZE), "every page but the last is full"
    assert names == sorted(names) and len(set(names)) == total


def test_median_level_of_a_country():
    from collections import Counter

    assert median_level(Counter({1: 1, 2: 1, 5: 1})) == 2
    assert median_level(Counter({3: 2, 4: 2})) == 3, "the lower of the two middle cities"
    assert median_level(Counter({0: 4})) is None, "cities without a level do not make one up"


def test_renaming_a_city_in_the_admin_renames_it_on_the_map(world, kinds, client_for):
    validated_result(world, kinds, "2025", sharing="named")
    save_city_in_admin(client_for(world["secretariat"]), world.city_a, name="Seoul Metropolitan")
    assert PublicResult.objects.get(city=world.city_a).name == "Seoul Metropolitan"


# -- map_listing(): the map's content as plain data ----------------------------------------------


def test_the_map_defaults_to_the_latest_period_with_enough_cities_and_says_so(world, kinds, client):
    published_peers(kinds, "2025", 8)  # 5 share by name (Peer 0, 3 and 6 anonymously)
    validated_result(world, kinds, "2026", sharing="named")  # the first city of the new cycle
    listing = map_listing(MapFilters(framework_id="kinds"))
    assert listing.periods == [("2026", 1), ("2025", 5)]
    assert listing.period == "2025" and listing.total == 5, "one city of 2026 does not replace the 2025 map"
    assert {r.period for r in listing.results} == {"2025"}, "periods are never mixed"
    assert len(listing.markers) == 5 and listing.markers[0].href == "/public/cities/peer-1/"
    chosen = map_listing(MapFilters(framework_id="kinds", period="2026"))
    assert (chosen.period, [r.name for r in chosen.results]) == ("2026", ["Seoul"])
    assert map_listing(MapFilters(framework_id="kinds", period="1999")).period == "2025", "an unknown period: default"
    text = client.get("/map/?framework=kinds").content.decode()
    assert "Period shown: 2025." in text and "at least 5 cities published" in text
    assert "Period shown: 2026." in client.get("/map/?framework=kinds&period=2026").content.decode()


def test_map_listing_filters_and_counts(world, kinds, django_assert_num_queries):
    published_peers(kinds, "2025", 12)
    city_services.update_membership(world["secretariat"], City.objects.get(slug="peer-1"), {"kind": "partner"})
    with django_assert_num_queries(3):
        listing = map_listing(MapFilters(framework_id="kinds", membership="partner"))
    assert [r.name for r in listing.results] == ["Peer 1"] and listing.total == 1
    korea = map_listing(MapFilters(framework_id="kinds", country="KR"))
    assert korea.total == korea.mapped_cities == 8 and korea.countries["KR"]["cities"] == 8
    assert map_listing(MapFilters(framework_id="kinds", country="ES")).results == []
    assert map_listing(MapFilters(framework_id="none")).period == "", "a framework nobody published: empty"


def test_default_period():
    assert default_period([("2026", 2), ("2025", 5), ("2024", 9)]) == "2025"
    assert default_period([("2026", 2), ("2025", 3)]) == "2026", "none with enough: the latest"
    assert default_period([]) == ""


def test_the_ranking_reads_three_queries_and_pages_by_score(world, kinds, django_assert_num_queries, monkeypatch):
    from ceds.benchmarks import map_listing as listing_module

    published_peers(kinds, "2025", 30)  # 20 of them by name
    monkeypatch.setattr(listing_module, "RANKING_PAGE_SIZE", 8)
    pages, number = [], 1
    while True:
        with django_assert_num_queries(3):  # periods, the count, one page
            ranking = listing_module.ranking("kinds", "2025", number)
        pages.append(list(ranking.page.object_list))
        if not ranking.page.has_next():
            break
        number += 1
    ranked = [city for page in pages for city in page]
    listed = PublicResult.objects.filter(framework_id="kinds", period="2025", overall_score__isnull=False)
    assert len(ranked) == listed.count() and [len(p) for p in pages] == [8, 8, len(ranked) - 16]
    assert [(c.overall_score, c.name) for c in ranked] == sorted(
        ((c.overall_score, c.name) for c in ranked), key=lambda pair: (-pair[0], pair[1])
    ), "highest score first, ties by name, across pages"

from decimal import Decimal

import pytest

from ceds.cities.models import City, Membership, Place


def _place(**extra):
    data = {
        "geonameid": 379252,
        "name": "Sennar",
        "asciiname": "Sennar",
        "country": "SD",
        "latitude": Decimal("13.5500"),
        "longitude": Decimal("33.6000"),
        "population": 130122,
        "timezone": "Africa/Khartoum",
    }
    data.update(extra)
    return Place.objects.create(**data)


def test_gazetteer_search_finds_places_by_prefix(world, client_for):
    from ceds.cities.models import Country

    Country.objects.create(code="SD", alpha3="SDN", numeric="729", name_en="Sudan")
    _place()
    _place(
        geonameid=1, name="Sennestadt", asciiname="Sennestadt", country="DE", population=50001, timezone="Europe/Berlin"
    )
    response = client_for(world["secretariat"]).get("/cities/gazetteer/", {"q": "senn"})
    text = response.content.decode()
    assert "Sennar, SD" in text and "Sennestadt, DE" in text
    assert text.index("Sennar") < text.index("Sennestadt"), "larger places first"
    assert "No place" in client_for(world["secretariat"]).get("/cities/gazetteer/", {"q": "zzz"}).content.decode()


def test_choosing_a_place_fills_the_new_city_form(world, client_for):
    from ceds.cities.models import Country

    Country.objects.create(code="SD", alpha3="SDN", numeric="729", name_en="Sudan", region=world.region_b)
    place = _place()
    form = client_for(world["secretariat"]).get("/cities/new/", {"place": place.pk}).context["form"]
    assert form.initial["latitude"] == Decimal("13.5500")
    assert form.initial["timezone"] == "Africa/Khartoum"
    assert form.initial["region"] == world.region_b.pk


def test_secretariat_creates_a_city_with_its_membership(world, client_for):
    response = client_for(world["secretariat"]).post(
        "/cities/new/",
        {
            "name": "Gimpo",
            "slug": "gimpo",
            "kind": "city",
            "country": "KR",
            "region": world.region_a.pk,
            "latitude": "37.6153",
            "longitude": "126.7156",
            "population": "480000",
            "timezone": "Asia/Seoul",
            "membership_kind": "member",
            "membership_since": "2012",
        },
    )
    assert response.status_code == 302
    city = City.objects.get(slug="gimpo")
    assert city.membership.kind == "member" and city.membership.since == 2012


def test_bad_city_input_names_each_field(world, client_for):
    response = client_for(world["secretariat"]).post(
        "/cities/new/",
        {
            "name": "X",
            "slug": "seoul",
            "kind": "city",
            "country": "KR",
            "region": world.region_a.pk,
            "latitude": "95",
            "longitude": "10",
            "timezone": "Mars/Olympus",
            "membership_kind": "member",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"slug", "latitude", "timezone"}
    assert City.objects.count() == 2


def test_membership_decides_who_may_open_assessments(world):
    membership = Membership.objects.get(city=world.city_a)
    assert membership.may_open_assessments
    membership.kind = "partner"
    assert not membership.may_open_assessments
    membership.partner_assessments_enabled = True
    assert membership.may_open_assessments
    membership.status = "suspended"
    assert not membership.may_open_assessments


def test_regional_coordinator_sees_only_cities_of_their_region(world, client_for):
    page = client_for(world["regional"]).get("/cities/")
    assert [c.slug for c in page.context["cities"]] == ["seoul"]


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_country_names_follow_the_language(world):
    from django.utils import translation

    with translation.override("ko"):
        assert world.city_a.country.name == "대한민국"
    with translation.override("en"):
        assert world.city_a.country.name == "Korea, Republic of"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Chinese Taipei"),
        ("ko", "차이니스 타이베이"),
        ("es", "Taipéi Chino"),
        ("ru", "Китайский Тайбэй"),
        ("zh-hans", "中华台北"),
        ("ar", "تايبيه الصينية"),
        ("fr", "Taipei chinois"),
    ],
)
def test_taipei_s_country_is_chinese_taipei_in_every_language(language, expected):
    from django.utils import translation

    from ceds.cities.countries import country_name

    with translation.override(language):
        assert country_name("TW", "Taiwan, Province of China") == expected
        # Other countries keep the ISO catalogue's names.
        assert country_name("KR", "Korea, Republic of") != expected

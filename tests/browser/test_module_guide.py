"""A module in the deployment-guide shape: the signed-in city's cost and the cheaper route, laptop and phone."""

import pytest

from .conftest import format_violations, run_axe, sign_in

PASSWORD = "a-long-test-password-1"
WIDTHS = {"laptop": 1280, "phone": 375}


@pytest.fixture
def city_user(django_user_model, transactional_db):
    from ceds.accounts.models import CityRole
    from ceds.cities.models import City, CityProfile, Country, Region
    from ceds.solutions.tests.guide_fixture import create_guide_module

    region = Region.objects.create(code="africa", names={"en": "Africa"})
    country = Country.objects.create(code="RW", alpha3="RWA", numeric="646", name_en="Rwanda", region=region)
    city = City.objects.create(
        slug="kigali",
        name="Kigali",
        country=country,
        region=region,
        latitude=-1.95,
        longitude=30.06,
        timezone="Africa/Kigali",
    )
    CityProfile.objects.create(city=city, population_band="500k_1m", budget_band="small", ict_staff=6)
    user = django_user_model.objects.create_user("kigali@example.org", PASSWORD, first_name="Aline")
    CityRole.objects.create(user=user, city=city, role="viewer")
    create_guide_module()
    return user


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_module_page_shows_the_city_s_cost_and_the_cheaper_route(page, screenshot, city_user, width):
    sign_in(page, "kigali@example.org", PASSWORD)
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    assert page.goto("/modules/guide-strategy/").status == 200
    cost = page.locator("#cost")
    assert cost.get_by_text("For Kigali (population 500,000 – 1 million):").is_visible()
    assert cost.locator(".city-cost").get_by_text("USD 20,000–60,000").is_visible()
    cheaper = page.locator("#cheaper")
    assert cheaper.get_by_text("Regional shared service").is_visible()
    assert cheaper.get_by_text("USD 2,000–8,000").is_visible()
    assert page.locator(".timeline > li").nth(1).get_by_text("4 weeks · weeks 3–6").is_visible()
    screenshot(page, width)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= WIDTHS[width] + 1, f"the module page scrolls sideways at {WIDTHS[width]} px ({scroll} px)"
    if width == "laptop":
        violations = run_axe(page)
        assert not violations, format_violations(violations)

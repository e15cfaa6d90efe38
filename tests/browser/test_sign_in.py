from .conftest import format_violations, run_axe, sign_in

PASSWORD = "a-long-test-password-1"


def test_it_signs_in_and_the_home_page_fits_a_phone(page, screenshot, django_user_model, transactional_db):
    from ceds.accounts.models import CityRole
    from ceds.cities.models import City, Country, Region

    region = Region.objects.create(code="africa", names={"en": "Africa"})
    country = Country.objects.create(code="SD", alpha3="SDN", numeric="729", name_en="Sudan", region=region)
    city = City.objects.create(
        slug="sennar-state",
        name="Sennar State",
        kind="administrative_area",
        country=country,
        region=region,
        latitude=13.55,
        longitude=33.6,
        timezone="Africa/Khartoum",
    )
    user = django_user_model.objects.create_user("coordinator@example.org", PASSWORD, first_name="Amna")
    CityRole.objects.create(user=user, city=city, role="coordinator")

    page.goto("/")
    screenshot(page, "anonymous-home")
    sign_in(page, "coordinator@example.org", PASSWORD)
    assert page.get_by_role("heading", name="Welcome, Amna").is_visible()
    assert page.get_by_role("link", name="Sennar State").is_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, f"horizontal scroll at 375 px: page is {scroll_width} px wide"
    screenshot(page, "home-375px")

    violations = run_axe(page)
    assert not violations, format_violations(violations)

"""Staff turnover in the browser: a coordinator hands the role over; the secretariat sees a city without one."""

from ceds.accounts.models import CityRole
from conftest import PASSWORD

from .conftest import format_violations, run_axe, sign_in


def test_hand_over_and_the_city_left_without_coordinator(page, screenshot, world):
    sign_in(page, "a_coordinator@example.org", PASSWORD)
    page.goto(f"/cities/{world.city_a.slug}/")
    page.get_by_role("link", name="Hand over the coordinator role").click()
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    page.get_by_label("Colleague in the city").select_option(label=str(world["a_contributor"]))
    page.get_by_label("Your role afterwards").select_option("viewer")
    screenshot(page, "hand-over")
    page.get_by_role("button", name="Hand over").click()
    assert page.get_by_text(f"{world['a_contributor']} is now the coordinator.").is_visible()
    assert CityRole.objects.get(user=world["a_contributor"], city=world.city_a).role == "coordinator"
    assert CityRole.objects.get(user=world["a_coordinator"], city=world.city_a).role == "viewer"

    CityRole.objects.filter(city=world.city_b, role="coordinator").delete()
    page.context.clear_cookies()
    sign_in(page, "secretariat@example.org", PASSWORD)
    page.goto("/cities/")
    assert page.get_by_role("heading", name="1 city has no active coordinator").is_visible()
    screenshot(page, "cities-without-coordinator")
    violations = run_axe(page)
    assert not violations, format_violations(violations)

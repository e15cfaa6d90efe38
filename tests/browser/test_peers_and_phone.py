"""A new cycle's benchmark page shows peers with the window stated; the phone menu; wide
tables scroll inside their frame. Laptop and phone, English and Arabic; axe-core on each."""

import pytest

from ceds.benchmarks.tests.helpers import published_peers, validated_result

from .conftest import format_violations, run_axe


@pytest.fixture
def new_cycle(transactional_db, world, kinds):
    published_peers(kinds, "2025", 15)  # last cycle's results, five of them anonymous
    return validated_result(world, kinds, "2026")  # the first city of the new cycle


def _signed_in(page, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("width,language", [(1280, "en"), (390, "en"), (390, "ar")])
def test_a_new_cycle_benchmark_states_its_window_and_the_phone_menu_folds(
    page, live_server, screenshot, world, new_cycle, width, language
):
    _signed_in(page, live_server, world["a_coordinator"])
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/assessments/{new_cycle.pk}/benchmark/")
    window = page.locator(".period-shown")
    assert "2026" in window.inner_text() and "2025" in window.inner_text()
    shown = page.locator("table tbody tr td.num").count()
    assert shown > 5, "peers are shown, not 'too few cities'"
    menu = page.locator(".menu-button")
    nav = page.locator("#main-nav")
    if width < 700:
        assert menu.is_visible() and not nav.is_visible()
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true" and nav.is_visible()
        screenshot(page, f"menu-open-{language}")
        page.keyboard.press("Escape")
        assert not nav.is_visible()
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"the page scrolls sideways ({scroll} px)"
        table = page.locator(".table-wrap").first
        assert table.evaluate("e => e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX == 'auto'")
    else:
        assert not menu.is_visible() and nav.is_visible()
    screenshot(page, f"benchmark-{width}-{language}")
    violations = run_axe(page)
    assert not violations, format_violations(violations)

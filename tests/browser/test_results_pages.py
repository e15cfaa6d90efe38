"""The demo data through the result pages, at laptop and phone widths, checked with axe-core."""

import io

import pytest
from django.core.management import call_command

from .conftest import format_violations, run_axe, sign_in

WIDTHS = {"laptop": 1280, "phone": 375}


@pytest.fixture
def demo(transactional_db):
    call_command("load_content", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    from ceds.assessments.models import Assessment

    return Assessment.objects.get(city__slug="seoul", period="2025", framework_version__framework_id="ceds")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_dashboard_benchmark_history_and_map(page, screenshot, demo, settings, width):
    settings.DEBUG = True  # demo accounts sign in only in DEBUG
    sign_in(page, "seoul.coordinator@demo.ceds.local", "ceds-demo-2026")
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    for name, url in [
        ("dashboard", f"/assessments/{demo.pk}/dashboard/"),
        ("services", f"/assessments/{demo.pk}/services/"),
        ("benchmark", f"/assessments/{demo.pk}/benchmark/"),
        ("history", f"/assessments/{demo.pk}/history/"),
        ("map", "/map/"),
        ("plan", f"/assessments/{demo.pk}/plan/"),
        ("report", f"/assessments/{demo.pk}/report/"),
        ("modules", "/modules/gm-digital-strategy/"),
        ("practices", "/practices/"),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        screenshot(page, f"{name}-{width}")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= WIDTHS[width] + 1, f"{name} scrolls sideways at {WIDTHS[width]} px ({scroll} px)"
        if width == "laptop":
            violations = run_axe(page)
            assert not violations, f"{name}: {format_violations(violations)}"
    page.goto(f"/assessments/{demo.pk}/dashboard/")
    assert page.get_by_text("Demo data").first.is_visible()
    page.get_by_role("link", name="Benchmarks").click()
    assert page.get_by_role("heading", name="Benchmarks").is_visible()


def test_the_coordinator_issues_the_report_again(page, screenshot, demo, settings):
    settings.DEBUG = True
    sign_in(page, "seoul.coordinator@demo.ceds.local", "ceds-demo-2026")
    page.goto(f"/assessments/{demo.pk}/report/")
    assert page.get_by_text("comparisons with other cities as of that date").is_visible()
    page.get_by_role("button", name="Issue again with today's comparisons").click()
    assert page.get_by_text("Report issued again with today's comparisons.").is_visible()
    assert page.get_by_role("heading", name="Key gaps and action items").is_visible()
    screenshot(page, "report-reissued")

"""Each role's home shows its next task from the demo data (laptop and phone, English and
Arabic, axe-checked); a validator returns two items and the contributor finds them at home."""

import io

import pytest
from django.core.management import call_command

from .conftest import format_violations, run_axe, sign_in

DEMO_PASSWORD = "ceds-demo-2026"
PASSWORD = "a-long-test-password-1"
VIEWS = [("laptop", 1280, "en"), ("phone", 390, "ar")]


def _set_language(page, code):
    page.locator("#lang-select").select_option(code)
    page.locator(".lang-switch button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code


def _sign_out(page):
    menu = page.locator(".site-header .menu-button")
    if menu.is_visible():  # a phone: the navigation is folded behind the menu button
        menu.click()
    page.locator(".site-header form[action$='/logout/'] button").click()
    page.wait_for_load_state()


def test_each_role_home_shows_its_next_task_from_the_demo(page, screenshot, transactional_db, settings):
    settings.DEBUG = True  # demo accounts sign in only in DEBUG
    call_command("load_content", stdout=io.StringIO())
    from ceds.assessments.models import Assessment
    from ceds.demo import seed

    # seed_demo's steps for the one framework the next tasks are on (the others only add history).
    seed.seed()
    seed.seed_assessments("ceds")
    seed.seed_drafts()

    seoul = Assessment.objects.get(city__slug="seoul", period="2026", framework_version__framework_id="ceds")
    barcelona = Assessment.objects.get(city__slug="barcelona", period="2026", framework_version__framework_id="ceds")
    waiting = Assessment.objects.get(status="submitted")
    latest = Assessment.objects.get(city__slug="seoul", period="2025", framework_version__framework_id="ceds")
    # Who signs in, and the link to their very next task.
    roles = {
        "contributor": ("seoul.contributor", f"/assessments/{seoul.pk}/sections/GM/#item-GM-03"),
        "coordinator": ("seoul.coordinator", f"/assessments/{latest.pk}/report/"),
        "coordinator-overdue": ("barcelona.coordinator", f"/assessments/{barcelona.pk}/sections/PI/"),
        "secretariat": ("analyst", f"/assessments/{waiting.pk}/review/"),
        "regional": ("asia.office", f"/assessments/{waiting.pk}/review/"),
    }
    for name, (login, href) in roles.items():
        sign_in(page, f"{login}@demo.ceds.local", DEMO_PASSWORD)
        for view, width, language in VIEWS:
            page.set_viewport_size({"width": width, "height": 900})
            if page.locator("html").get_attribute("lang") != language:
                _set_language(page, language)
            page.goto("/")
            link = page.locator(f'main a[href="{href}"]').first
            assert link.is_visible(), f"{name} ({view}, {language}): no link to {href}"
            screenshot(page, f"{name}-{view}-{language}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width + 1, f"{name} home scrolls sideways at {width} px ({scroll} px)"
            violations = run_axe(page)
            assert not violations, f"{name} ({language}): {format_violations(violations)}"
        if name == "coordinator-overdue":
            assert page.locator(f'main form[action="/assessments/{barcelona.pk}/remind/"] button').is_visible()
        if name == "regional":
            assert page.locator("main #campaign-h").is_visible()
        _set_language(page, "en")
        _sign_out(page)
    # The contributor's notices: the assignment and the return, listed and counted in the header.
    sign_in(page, "seoul.contributor@demo.ceds.local", DEMO_PASSWORD)
    page.goto("/notifications/")
    assert page.locator(".notification.unread").count() == 3
    screenshot(page, "notifications")
    assert not run_axe(page)


@pytest.fixture
def submitted(world, transactional_db):
    """City A's cycle of the test framework: GV given to the contributor, answered, submitted."""
    from datetime import timedelta

    from django.utils import timezone

    from ceds.assessments import services
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion, Item, Section

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    version = FrameworkVersion.objects.get(framework_id="kinds")
    coordinator = world["a_coordinator"]
    draft = services.open_assessment(coordinator, world.city_a, version, "2026")
    section = Section.objects.get(framework_version=version, code="GV")
    services.assign_section(coordinator, draft, section, world["a_contributor"], timezone.localdate() + timedelta(7))
    items = {i.code: i for i in Item.objects.filter(framework_version=version)}
    values = {
        "GV-01": {"value": 3},
        "GV-02": {"value": 2},
        "GV-03": {"value": True},
        "GV-04": {"value": 55.0},
        "SV-001": {"status": "operating", "level": 4, "utilization": 70},
        "SV-002": {"status": "planned"},
    }
    services.save_answers(coordinator, draft, {items[code]: value for code, value in values.items()})
    services.submit(coordinator, draft)
    return draft


def test_the_items_a_validator_returns_are_on_the_contributors_home(page, screenshot, submitted):
    sign_in(page, "regional@example.org", PASSWORD)
    page.goto(f"/assessments/{submitted.pk}/review/")
    for code, note in (("GV-01", "Which body adopted the strategy?"), ("GV-03", "Attach the decree.")):
        mark = page.locator(f"input[name=return][value={code}]")
        if mark.count():  # the review page marks each returned item (issue 23, item 3)
            mark.check()
        page.locator(f"textarea[name=comment-{code}]").fill(note)
    page.locator("button[name=action][value=return]").click()
    page.wait_for_load_state()
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    _sign_out(page)
    sign_in(page, "a_contributor@example.org", PASSWORD)
    for view, width, language in VIEWS:
        page.set_viewport_size({"width": width, "height": 900})
        if language != "en":
            _set_language(page, language)
        page.goto("/")
        for code in ("GV-01", "GV-03"):
            assert page.locator(f'main a[href="/assessments/{submitted.pk}/sections/GV/#item-{code}"]').is_visible()
        assert page.get_by_text("Attach the decree.").is_visible()
        screenshot(page, f"returned-{view}-{language}")
        violations = run_axe(page)
        assert not violations, format_violations(violations)

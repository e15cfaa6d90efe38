"""Seven languages in the browser: a whole assessment cycle clicked through in English,
Korean and Arabic, and axe-core on every main page in English and Arabic."""

import io

import pytest
from django.core.management import call_command

from .conftest import format_violations, run_axe, sign_in

PASSWORD = "a-long-test-password-1"


def switch_language(page, code):
    page.locator("#lang-select").select_option(code)
    page.locator(".lang-switch button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code


def sign_out(page):
    page.locator(".site-header form[action$='/logout/'] button").click()
    page.wait_for_load_state()


@pytest.fixture
def cycle_world(world, transactional_db):
    from ceds.content.tests.helpers import FIXTURE

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    return world


def _saved(page, code):
    page.locator(f"#item-{code} .badge.ok").wait_for()


def test_a_whole_cycle_in_three_languages(page, screenshot, cycle_world):
    from ceds.assessments.models import Assessment

    # The coordinator signs in and reads the site in Korean, then in Arabic.
    sign_in(page, "a_coordinator@example.org", PASSWORD)
    screenshot(page, "01-home-en")
    switch_language(page, "ko")
    assert page.get_by_role("link", name="내 계정").is_visible()
    screenshot(page, "02-home-ko")
    switch_language(page, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "03-home-ar")

    # Opens an assessment (in Arabic: the form is found by its names, not its labels).
    page.goto("/cities/seoul/assessments/")
    page.locator("select[name=framework_version]").select_option(label="Every item kind (v1)")
    page.locator("input[name=period]").fill("2023")
    page.locator("form:has(input[name=period]) button[type=submit]").click()
    page.wait_for_load_state()
    assessment = Assessment.objects.get(period="2023")
    screenshot(page, "04-assessment-ar")

    # Answers the governance dimension in Arabic and the services in Korean.
    page.goto(f"/assessments/{assessment.pk}/sections/GV/")
    page.locator("#item-GV-01 input[value='3']").check()
    _saved(page, "GV-01")
    page.locator("#item-GV-02 input[value='2']").check()
    _saved(page, "GV-02")
    page.locator("#item-GV-03 input[value='yes']").check()
    _saved(page, "GV-03")
    page.locator("#item-GV-04 input[type=number]").fill("63")
    page.locator("#item-GV-04 input[type=number]").press("Tab")
    _saved(page, "GV-04")
    screenshot(page, "05-section-ar")
    switch_language(page, "ko")
    page.goto(f"/assessments/{assessment.pk}/sections/SV/?view=cards")
    page.locator("#status-SV-001").select_option("operating")
    page.locator("#level-SV-001").select_option("4")
    _saved(page, "SV-001")
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")
    page.locator("#status-SV-002").select_option("planned")
    _saved(page, "SV-002")
    screenshot(page, "06-services-ko")

    # Submits.
    page.goto(f"/assessments/{assessment.pk}/")
    page.locator(f"form[action='/assessments/{assessment.pk}/submit/'] button").click()
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    screenshot(page, "07-submitted-ko")
    sign_out(page)

    # The regional coordinator validates, in English.
    sign_in(page, "regional@example.org", PASSWORD)
    page.goto(f"/assessments/{assessment.pk}/review/")
    screenshot(page, "08-review-en")
    page.locator("button[name=action][value=validate]").click()
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == "validated"
    sign_out(page)

    # The coordinator publishes by name, reads the dashboard in Korean and Arabic, downloads the PDF.
    sign_in(page, "a_coordinator@example.org", PASSWORD)
    page.goto(f"/assessments/{assessment.pk}/")
    page.locator("input[name=sharing][value=named]").check()
    page.locator(f"form[action='/assessments/{assessment.pk}/publish/'] button").click()
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == "published" and assessment.sharing == "named"
    page.goto(f"/assessments/{assessment.pk}/dashboard/")
    assert page.locator("html").get_attribute("lang") == "ko", "the language chosen last is remembered"
    switch_language(page, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "09-dashboard-ar")
    switch_language(page, "ko")
    screenshot(page, "10-dashboard-ko")
    page.goto(f"/assessments/{assessment.pk}/report/")
    with page.expect_download() as download:
        page.locator(f"a[href='/assessments/{assessment.pk}/report.pdf']").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    switch_language(page, "en")
    page.goto("/map/")
    assert page.get_by_text("Seoul").first.is_visible()
    screenshot(page, "11-map-en")


@pytest.fixture
def demo(transactional_db):
    call_command("load_content", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    from ceds.assessments.models import Assessment

    validated = Assessment.objects.get(city__slug="seoul", period="2025", framework_version__framework_id="ceds")
    draft = Assessment.objects.get(city__slug="seoul", period="2026", framework_version__framework_id="ceds")
    return validated, draft


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_main_page_passes_axe(page, screenshot, demo, settings, language):
    settings.DEBUG = True  # demo accounts sign in only in DEBUG
    validated, draft = demo
    sign_in(page, "seoul.coordinator@demo.ceds.local", "ceds-demo-2026")
    if language != "en":
        switch_language(page, language)
    pages = {
        "home": "/",
        "account": "/me/",
        "tokens": "/me/api-tokens/",
        "cities": "/cities/",
        "city": "/cities/seoul/",
        "assessments": "/cities/seoul/assessments/",
        "assessment": f"/assessments/{draft.pk}/",
        "section": f"/assessments/{draft.pk}/sections/GM/",
        "services": f"/assessments/{draft.pk}/sections/ADM/",
        "dashboard": f"/assessments/{validated.pk}/dashboard/",
        "service-list": f"/assessments/{validated.pk}/services/",
        "explain": f"/assessments/{validated.pk}/explain/overall/",
        "benchmark": f"/assessments/{validated.pk}/benchmark/",
        "history": f"/assessments/{validated.pk}/history/",
        "plan": f"/assessments/{validated.pk}/plan/",
        "actions": f"/assessments/{validated.pk}/actions/",
        "report": f"/assessments/{validated.pk}/report/",
        "modules": "/modules/",
        "module": "/modules/gm-digital-strategy/",
        "practices": "/practices/",
        "map": "/map/",
        "rankings": "/rankings/",
        "public-city": "/public/cities/seoul/",
        "open-data": "/open-data/",
    }
    failures = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == language
        if name in ("dashboard", "assessment", "section", "plan"):
            screenshot(page, f"{name}-{language}")
        violations = run_axe(page)
        if violations:
            failures[name] = violations
    assert not failures, format_violations(failures)

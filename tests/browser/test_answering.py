"""A coordinator answers a whole dimension by clicking; every answer survives a reload."""

import io

from django.core.management import call_command

from .conftest import format_violations, run_axe, sign_in

PASSWORD = "a-long-test-password-1"


def _setup(django_user_model):
    from ceds.accounts.models import CityRole
    from ceds.assessments import services
    from ceds.cities.models import City, Country, Membership, Region
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    region = Region.objects.create(code="asia_pacific", names={"en": "Asia & Pacific"})
    country = Country.objects.get(code="MN")  # loaded from ISO 3166 by load_content
    city = City.objects.create(
        slug="ulaanbaatar",
        name="Ulaanbaatar",
        country=country,
        region=region,
        latitude=47.9077,
        longitude=106.8832,
        timezone="Asia/Ulaanbaatar",
    )
    Membership.objects.create(city=city, kind="member")
    user = django_user_model.objects.create_user("cio@example.org", PASSWORD, first_name="Bat")
    CityRole.objects.create(user=user, city=city, role="coordinator")
    version = FrameworkVersion.objects.get(framework_id="kinds")
    return services.open_assessment(user, city, version, "2026")


def _wait_saved(page, code):
    page.locator(f"#item-{code} .badge.ok").wait_for()


def test_it_answers_a_dimension_by_clicking_and_finds_it_after_reload(
    page, screenshot, django_user_model, transactional_db
):
    assessment = _setup(django_user_model)
    sign_in(page, "cio@example.org", PASSWORD)
    page.goto(f"/assessments/{assessment.pk}/")
    page.get_by_role("link", name="GV · Governance").click()
    assert page.get_by_role("heading", name="GV Governance").is_visible()

    page.locator("#item-GV-01").get_by_text("An approved strategy names owners").click()
    _wait_saved(page, "GV-01")
    page.locator("#item-GV-02").get_by_text("Downloadable").click()
    _wait_saved(page, "GV-02")
    page.locator("#item-GV-03").get_by_label("Yes").check()
    _wait_saved(page, "GV-03")
    page.locator("#item-GV-04 input[type=number]").fill("63")
    page.locator("#item-GV-04 input[type=number]").press("Tab")
    _wait_saved(page, "GV-04")
    page.locator("#value-GV-05").fill("Staff turnover in the ICT office.")
    page.keyboard.press("Tab")
    _wait_saved(page, "GV-05")
    assert page.locator("#section-progress-text").inner_text() == "4 of 4 applicable items answered", "updated in place"
    screenshot(page, "answered")

    page.reload()
    assert page.locator("#item-GV-01 input[value='3']").is_checked()
    assert page.locator("#item-GV-02 input[value='2']").is_checked()
    assert page.locator("#item-GV-03 input[value='yes']").is_checked()
    assert page.locator("#item-GV-04 input[type=number]").input_value() == "63.0"
    assert page.locator("#value-GV-05").input_value() == "Staff turnover in the ICT office."
    assert "4 of 4 applicable items answered" in page.locator("#section-progress").inner_text()

    from ceds.assessments.models import Answer

    assert dict(Answer.objects.values_list("item__code", "value")) == {
        "GV-01": {"value": 3},
        "GV-02": {"value": 2},
        "GV-03": {"value": True},
        "GV-04": {"value": 63.0},
        "GV-05": {"value": "Staff turnover in the ICT office."},
    }
    violations = run_axe(page)
    assert not violations, format_violations(violations)

    # The service domain, on a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/assessments/{assessment.pk}/sections/SV/?view=cards")
    page.locator("#status-SV-001").select_option("operating")
    # Nothing is saved (and nothing refused) until the level, now asked, is chosen.
    assert page.locator("#level-SV-001").is_enabled()
    page.locator("#level-SV-001").select_option("4")
    _wait_saved(page, "SV-001")
    assert page.locator("#item-SV-001 .badge.error").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "services-phone")

"""A coordinator enters a whole domain in the services grid by keyboard only (keystrokes
counted), sees a conflict displayed in the row, and the grid on a phone and in Arabic."""

import io

from django.core.management import call_command

from .conftest import format_violations, run_axe, sign_in

PASSWORD = "a-long-test-password-1"

# code -> (the keys a person presses for the row, including the one that moves on; the answer stored)
ROWS = {
    "SV-001": (["4", "4", "7", "0", "Enter"], {"status": "operating", "level": 4, "utilization": 70}),
    "SV-002": (["3", "2", "Enter"], {"status": "developing", "level": 2}),
    "SV-003": (["1", "Enter"], {"status": "absent"}),
    "SV-004": (["2", "Enter"], {"status": "planned"}),
    "SV-005": (["0", "Enter"], {"na": True}),
    "SV-006": (["4", "3", "Enter"], {"status": "operating", "level": 3}),  # utilization not asked
}


def _setup(django_user_model, tmp_path):
    from ceds.accounts.models import CityRole
    from ceds.assessments import services
    from ceds.cities.models import City, Country, Membership, Region
    from ceds.content.tests.helpers import copy_fixture, edit_yaml
    from ceds.frameworks.models import FrameworkVersion

    root = copy_fixture(tmp_path)

    def more_services(data):
        for n in range(3, 7):
            data["items"].append(
                {"id": f"SV-00{n}", "kind": "service", "title": {"en": f"Service {n}"}, "source": "test"}
            )
        data["items"][-1]["utilization"] = {"not_asked": {"en": "Counted by the national registry."}}

    edit_yaml(root / "frameworks" / "kinds" / "1" / "sections" / "SV.yaml", more_services)
    call_command("load_content", content=str(root), stdout=io.StringIO())
    region = Region.objects.create(code="asia_pacific", names={"en": "Asia & Pacific"})
    city = City.objects.create(
        slug="ulaanbaatar",
        name="Ulaanbaatar",
        country=Country.objects.get(code="MN"),
        region=region,
        latitude=47.9,
        longitude=106.9,
    )
    Membership.objects.create(city=city, kind="member")
    user = django_user_model.objects.create_user("cio@example.org", PASSWORD, first_name="Bat")
    CityRole.objects.create(user=user, city=city, role="coordinator")
    version = FrameworkVersion.objects.get(framework_id="kinds")
    return user, services.open_assessment(user, city, version, "2026")


def _idle(page):
    page.wait_for_function("!document.querySelector('.htmx-request')")


def test_a_coordinator_enters_a_whole_domain_by_keyboard(
    page, screenshot, django_user_model, transactional_db, tmp_path
):
    from ceds.assessments import services
    from ceds.assessments.models import Answer
    from ceds.frameworks.models import Item

    user, assessment = _setup(django_user_model, tmp_path)
    sign_in(page, "cio@example.org", PASSWORD)
    page.goto(f"/assessments/{assessment.pk}/sections/SV/")
    assert page.evaluate("document.activeElement.id") == "status-SV-001", "the keyboard starts at the first row"
    assert page.locator("#level-SV-001").is_disabled()
    assert page.locator("#level-why-SV-001").inner_text() == "Choose a status first."

    keystrokes = {}
    for code, (keys, _value) in ROWS.items():
        for key in keys:
            page.keyboard.press(key)
        keystrokes[code] = len(keys)
        if code == "SV-002":
            # A developing service: utilization does not apply, and says why.
            assert page.locator("#util-SV-002").is_disabled()
            assert page.locator("#util-why-SV-002").inner_text() == "Asked only for a service in operation."
    # Every row says "Saved", as the person sees it (a row saves once its last key makes it consistent).
    for code in ROWS:
        page.locator(f"#state-{code} .badge.ok").wait_for(timeout=10_000)
    _idle(page)
    assert max(keystrokes.values()) <= 5, keystrokes  # at most 4 keystrokes plus one to move on
    assert sum(keystrokes.values()) == 17
    stored = dict(Answer.objects.filter(assessment=assessment).values_list("item__code", "value"))
    assert stored == {code: value for code, (_keys, value) in ROWS.items()}
    progress = page.locator("#section-progress")
    assert "5 of 5 applicable items answered" in progress.inner_text(), "updated in place"
    assert progress.locator(".next-unanswered").count() == 0
    assert page.locator("#state-SV-006 .badge.ok").is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "grid-laptop")
    violations = run_axe(page)
    assert not violations, format_violations(violations)

    # A response to an earlier save, answered late: its older count is not swapped in (htmx-config.js).
    counted = int(progress.get_attribute("data-as-of"))
    late = """([asOf, text]) => htmx.swap("#section-progress",
        `<div id="section-progress" hx-swap-oob="true" data-as-of="${asOf}">${text}</div>`, {swapStyle: "none"})"""
    page.evaluate(late, [counted - 1, "older count"])
    assert "5 of 5 applicable items answered" in progress.inner_text(), "an older count is not shown"
    page.evaluate(late, [counted + 1, "newer count"])
    assert progress.inner_text() == "newer count", "a newer one is"

    # Someone else saves SV-003 meanwhile: the row shows the conflict, and "Use my answer" wins.
    item = Item.objects.get(framework_version=assessment.framework_version, code="SV-003")
    services.save_answer(user, assessment, item, {"status": "planned"}, 1)
    page.locator("#status-SV-003").focus()
    page.keyboard.press("4")
    page.keyboard.press("2")
    page.locator("#row-SV-003 .conflict").wait_for()
    assert "Saved by" in page.locator("#row-SV-003 .conflict").inner_text()
    page.locator("#row-SV-003 .conflict button").click()
    page.locator("#state-SV-003 .badge.ok").wait_for()
    assert Answer.objects.get(assessment=assessment, item=item).value == {"status": "operating", "level": 2}

    # On a phone the rows stack as cards; the keyboard works the same (a row in 4 keys + Enter).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/assessments/{assessment.pk}/sections/SV/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#status-SV-002").focus()
    phone_keys = ["4", "3", "5", "5", "Enter"]
    for key in phone_keys:
        page.keyboard.press(key)
    _idle(page)
    assert len(phone_keys) <= 5
    sv_002 = Answer.objects.get(assessment=assessment, item__code="SV-002")
    assert sv_002.value == {"status": "operating", "level": 3, "utilization": 55}
    assert page.evaluate("document.activeElement.id") == "status-SV-003", "Enter moved on to the next service"
    screenshot(page, "grid-phone")
    user.language = "ar"
    user.save()
    page.goto(f"/assessments/{assessment.pk}/sections/SV/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "grid-phone-ar")
    violations = run_axe(page)
    assert not violations, format_violations(violations)

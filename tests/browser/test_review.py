"""A validator filters the review to the items with comments and returns two of them, each
with a note; on a laptop, on a phone and in Arabic, with no serious axe finding."""

import io

from django.core.management import call_command

from .conftest import format_violations, run_axe, sign_in

PASSWORD = "a-long-test-password-1"
ANSWERS = {
    "GV-01": {"value": 3},
    "GV-02": {"value": 2},
    "GV-03": {"value": True},
    "GV-04": {"value": 55.0},
    "SV-001": {"status": "operating", "level": 4, "utilization": 70},
    "SV-002": {"status": "planned"},
}


def _submitted(django_user_model):
    from ceds.accounts.models import CityRole
    from ceds.assessments import services
    from ceds.cities.models import City, Country, Membership, Region
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion, Item

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
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
    coordinator = django_user_model.objects.create_user("cio@example.org", PASSWORD)
    CityRole.objects.create(user=coordinator, city=city, role="coordinator")
    django_user_model.objects.create_user("validator@example.org", PASSWORD, secretariat_role="admin")
    version = FrameworkVersion.objects.get(framework_id="kinds")
    assessment = services.open_assessment(coordinator, city, version, "2026")
    items = {i.code: i for i in Item.objects.filter(framework_version=version)}
    for code, value in ANSWERS.items():
        services.save_answer(coordinator, assessment, items[code], value, 0)
    for code in ("GV-01", "GV-04", "SV-001"):
        services.add_comment(coordinator, assessment, items[code], f"Our note on {code}.")
    services.submit(coordinator, assessment)
    return assessment


def test_a_validator_returns_two_items_from_the_filtered_review(page, screenshot, django_user_model, transactional_db):
    from ceds.accounts.models import User
    from ceds.assessments import services

    assessment = _submitted(django_user_model)
    sign_in(page, "validator@example.org", PASSWORD)
    page.goto(f"/assessments/{assessment.pk}/review/")
    page.get_by_role("link", name="With comments (3)").click()
    page.wait_for_load_state()
    assert page.locator(".review-table tbody tr").count() == 3
    assert page.locator(".review-actions").is_visible(), "the decision is in reach without scrolling"
    for code, note in (("GV-01", "Attach the council decision."), ("SV-001", "Utilization: give the source.")):
        page.locator(f"#review-{code} input[name=return]").check()
        page.locator(f"#comment-{code}").fill(note)
    screenshot(page, "review-laptop")
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    page.locator(".review-actions button[value=return]").click()
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    assert [(n.item.code, n.body) for n in services.returned_notes(assessment)] == [
        ("GV-01", "Attach the council decision."),
        ("SV-001", "Utilization: give the source."),
    ]

    # The review on a phone, in Arabic (read only now: the page answers the same for a resubmission).
    User.objects.filter(email="validator@example.org").update(language="ar")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/assessments/{assessment.pk}/review/?show=comments")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "review-phone-ar")
    violations = run_axe(page)
    assert not violations, format_violations(violations)

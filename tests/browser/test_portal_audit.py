"""A coordinator audits the city's portal (a fixture site on loopback), accepts a section's
proposals, disputes one, and reads the dashboard's LOSI-style estimate with its basis."""

from .conftest import format_violations, run_axe, sign_in

PASSWORD = "a-long-test-password-1"


def _setup(django_user_model, portal_url, root):
    from ceds.accounts.models import CityRole
    from ceds.assessments import services
    from ceds.audit.tests.factories import load_website_framework
    from ceds.cities.models import City, Country, Membership, Region

    version = load_website_framework(root)
    region = Region.objects.create(code="europe", names={"en": "Europe"})
    country = Country.objects.create(code="EE", alpha3="EST", numeric="233", name_en="Estonia", region=region)
    city = City.objects.create(
        slug="tallinn",
        name="Tallinn",
        country=country,
        region=region,
        latitude=59.437,
        longitude=24.7536,
        timezone="Europe/Tallinn",
        portal_url=portal_url,
    )
    Membership.objects.create(city=city, kind="member")
    user = django_user_model.objects.create_user("cio@example.org", PASSWORD, first_name="Kadri")
    CityRole.objects.create(user=user, city=city, role="coordinator")
    return city, services.open_assessment(user, city, version, "2026")


def test_coordinator_audits_accepts_disputes_and_sees_the_estimate(
    page, screenshot, django_user_model, transactional_db, settings, tmp_path
):
    from ceds.assessments.models import Answer
    from ceds.audit.models import Proposal
    from ceds.audit.tests.sites import ROUTES, Site

    settings.CEDS_AUDIT_ALLOW_LOOPBACK = True
    settings.CEDS_AUDIT_LIMITS = {"delay": 0, "max_pages": 8, "max_seconds": 40}
    settings.MEDIA_ROOT = tmp_path / "media"
    site = Site("good", ROUTES["good"])
    try:
        city, assessment = _setup(django_user_model, site.url, tmp_path)
        sign_in(page, "cio@example.org", PASSWORD)
        page.goto(f"/cities/{city.slug}/portal-audit/")
        page.get_by_role("button", name="Audit the portal").click()
        # The page refreshes itself while the audit runs in the background.
        page.locator("#audit-status .badge", has_text="finished").wait_for(timeout=60_000)
        assert page.get_by_text("The audit found a privacy policy linked from the home page").is_visible()
        violations = run_axe(page)
        assert not violations, format_violations(violations)

        page.goto(f"/assessments/{assessment.pk}/sections/USAB/")
        page.get_by_role("button", name="Accept all the audit's proposals in this section").click()
        page.wait_for_load_state()
        assert Answer.objects.filter(assessment=assessment, item__section__code="USAB").count() == 8
        assert page.locator("#item-USAB-02").get_by_text("the answer came from the audit").is_visible()

        page.goto(f"/assessments/{assessment.pk}/sections/PRIV/")
        page.locator("#item-PRIV-07").get_by_role("button", name="Dispute").click()
        page.wait_for_load_state()
        assert Proposal.objects.get(item_code="PRIV-07").state == "disputed"
        assert not Answer.objects.filter(assessment=assessment, item__code="PRIV-07").exists()
        screenshot(page, "disputed")

        page.goto(f"/assessments/{assessment.pk}/dashboard/")
        estimate = page.locator("#losi-estimate")
        assert estimate.get_by_role("heading", name="LOSI-style estimate").is_visible()
        assert "4 of 4 portal features present" in estimate.inner_text()
        estimate.get_by_text("The features and items it rests on").click()
        assert estimate.get_by_role("cell", name="USAB-01").is_visible()
        screenshot(page, "estimate")
    finally:
        site.close()

"""A city moving to a newer framework version, seen in the browser: the draft carried from the
older version, its answers marked, and the history across both versions."""

import io

import pytest
from django.core.management import call_command

from .conftest import format_violations, run_axe, sign_in


@pytest.fixture
def demo(transactional_db):
    call_command("load_content", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    from ceds.assessments.models import Assessment

    draft = Assessment.objects.get(city__slug="barcelona", period="2026", framework_version__framework_id="ceds")
    assert draft.carried_from.framework_version.version < draft.framework_version.version
    return draft


def test_a_draft_carried_to_the_newest_version_and_the_history_across_both(page, screenshot, demo, settings):
    from ceds.assessments.models import Answer, Assessment
    from ceds.assessments.scoring import store_snapshot

    settings.DEBUG = True  # demo accounts sign in only in DEBUG
    old, new = demo.carried_from.framework_version.version, demo.framework_version.version
    sign_in(page, "barcelona.coordinator@demo.ceds.local", "ceds-demo-2026")

    page.goto(f"/assessments/{demo.pk}/")
    assert page.get_by_text(f"on version {old} of the framework, were carried to version {new}").is_visible()
    screenshot(page, "draft")

    # A Part B service, where the form also shows the service's definition of utilization (issue 21).
    carried = (
        Answer.objects.filter(assessment=demo, carried_forward=True, item__kind="service")
        .select_related("item__section")
        .first()
    )
    page.goto(f"/assessments/{demo.pk}/sections/{carried.item.section.code}/?view=cards")
    item = page.locator(f"#item-{carried.item.code}")
    assert item.get_by_text("Carried forward from the previous cycle: confirm or change").is_visible()
    assert item.get_by_role("button", name="Confirm").first.is_visible()
    # The utilization definition sits beside the field (or the reason it is not asked).
    definition = item.locator(".util-definition")
    assert definition.is_visible() and ("Counts:" in definition.inner_text() or "Not asked" in definition.inner_text())
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    screenshot(page, "section")

    # Once the new cycle has results, the history lines up cycles of both versions.
    Assessment.objects.filter(pk=demo.pk).update(status="validated")
    demo.refresh_from_db()
    store_snapshot(demo)
    page.goto(f"/assessments/{demo.pk}/history/")
    table = page.locator("table").first
    assert table.get_by_text(f"version {old}").first.is_visible()
    assert table.get_by_text(f"version {new}").first.is_visible()
    assert page.get_by_text("These cycles use different versions of the framework.").is_visible()
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    screenshot(page, "history")

    page.goto(f"/assessments/{demo.pk}/dashboard/")
    # Radar and table number the external dimensions alike (4-6).
    assert page.get_by_role("figure").get_by_text("4. ICT Network").is_visible()
    assert page.get_by_role("rowheader", name="4. ICT Network").is_visible()
    assert page.get_by_text("Mean of e-Government maturity + e-Government systems").is_visible()
    screenshot(page, "dashboard")

"""An assessment page leads to the next step: answering an open cycle, the results of a validated one."""

import pytest
from django.utils import timezone

from ceds.assessments import services

from .conftest import answer_all


def test_a_future_year_is_refused_as_a_period(world, kinds, client_for):
    next_year = str(timezone.localdate().year + 1)
    with pytest.raises(services.WorkflowError, match="has not begun") as refused:
        services.open_assessment(world["a_coordinator"], world.city_a, kinds, next_year)
    assert refused.value.code == "future_period"
    page = client_for(world["a_coordinator"]).post(
        f"/cities/{world.city_a.slug}/assessments/", {"framework_version": kinds.pk, "period": f"{next_year}-H1"}
    )
    assert "has not begun" in str(page.context["form"].errors["period"])
    assert services.open_assessment(world["a_coordinator"], world.city_a, kinds, str(timezone.localdate().year))


def test_a_new_draft_starts_answering_and_a_validated_one_links_its_results(world, kinds, assessment, client_for):
    coordinator = client_for(world["a_coordinator"])
    text = coordinator.get(f"/assessments/{assessment.pk}/").content.decode()
    first = assessment.framework_version.sections.order_by("position").first()
    start = f'<a class="button" href="/assessments/{assessment.pk}/sections/{first.code}/">Start answering</a>'
    assert start in text
    assert f'class="button secondary" href="/assessments/{assessment.pk}/dashboard/">Dashboard' in text
    answer_all(coordinator, assessment)
    assert "Continue answering" in coordinator.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "answering" not in client_for(world["a_viewer"]).get(f"/assessments/{assessment.pk}/").content.decode()
    services.submit(world["a_coordinator"], assessment)
    services.validate(world["secretariat"], assessment)
    text = coordinator.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "answering" not in text
    for href in ("dashboard/", "report/", "plan/"):
        assert f'href="/assessments/{assessment.pk}/{href}"' in text, href


def test_a_service_status_is_called_as_the_form_calls_it():
    from ceds.assessments.answers import describe

    service = {"kind": "service"}
    assert describe(service, {"status": "operating", "level": 3, "utilization": 80}) == "In operation, level 3, 80 %"
    assert describe(service, {"status": "developing", "level": 2}) == "Developing, level 2"

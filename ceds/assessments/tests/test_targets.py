"""One rule for a section's target: the section page and the plan page set it through
services.set_target, within the framework's own levels, with one permission rule and one audit
action."""

import pytest
from django.core.exceptions import PermissionDenied

from ceds.assessments import services
from ceds.assessments.models import Assessment, SectionTarget
from ceds.core.models import AuditEvent
from ceds.frameworks.models import Section


def _gv(assessment):
    return Section.objects.get(framework_version=assessment.framework_version, code="GV")


def test_the_range_is_the_frameworks_levels_not_one_to_five(world, kinds, assessment):
    kinds.definition["levels"] = kinds.definition["levels"][:4]  # a framework of four levels
    kinds.save()
    assessment = Assessment.objects.get(pk=assessment.pk)
    with pytest.raises(services.WorkflowError) as refused:
        services.set_target(world["a_coordinator"], assessment, _gv(assessment), 5)
    assert refused.value.messages == ["A target is a level from 1 to 4."]
    services.set_target(world["a_coordinator"], assessment, _gv(assessment), 4)
    assert SectionTarget.objects.get(assessment=assessment).level == 4


@pytest.mark.parametrize("posted", ["0", "6", "x", "-1", "2.5"])
def test_both_pages_refuse_the_same_values_with_the_same_message(world, assessment, client_for, posted):
    client = client_for(world["a_coordinator"])
    for url in (f"/assessments/{assessment.pk}/sections/GV/target/", f"/assessments/{assessment.pk}/plan/targets/GV/"):
        response = client.post(url, {"target": posted}, follow=True)
        assert "A target is a level from 1 to 5." in response.content.decode(), url
    assert not SectionTarget.objects.exists()


def test_both_pages_record_one_audit_action(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    client.post(f"/assessments/{assessment.pk}/sections/GV/target/", {"target": "3"})
    client.post(f"/assessments/{assessment.pk}/plan/targets/GV/", {"target": "4"})
    client.post(f"/assessments/{assessment.pk}/plan/targets/GV/", {"target": ""})
    events = AuditEvent.objects.filter(object_id=str(assessment.pk), action__startswith="target").order_by("pk")
    assert [(e.action, e.changes) for e in events] == [
        ("target.set", {"GV": [None, 3]}),
        ("target.set", {"GV": [3, 4]}),
        ("target.set", {"GV": [4, None]}),
    ]
    assert not SectionTarget.objects.exists(), "empty: back to the plan's default"


def test_who_may_set_a_target(world, assessment):
    gv = _gv(assessment)
    with pytest.raises(PermissionDenied):
        services.set_target(world["a_contributor"], assessment, gv, 3)  # not assigned GV
    services.assign_section(world["a_coordinator"], assessment, gv, world["a_contributor"], None)
    services.set_target(world["a_contributor"], assessment, gv, 3)  # answers GV while open
    for persona in ("a_viewer", "b_coordinator", "regional"):
        with pytest.raises(PermissionDenied):
            services.set_target(world[persona], assessment, gv, 2)
    Assessment.objects.filter(pk=assessment.pk).update(status="validated")
    validated = Assessment.objects.get(pk=assessment.pk)
    with pytest.raises(PermissionDenied):
        services.set_target(world["a_contributor"], validated, gv, 4)  # answering is over
    services.set_target(world["a_coordinator"], validated, gv, 4)  # the plan follows the results
    assert SectionTarget.objects.get(assessment=validated).level == 4

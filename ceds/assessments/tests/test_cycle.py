"""The whole cycle: open, carry forward, assign, remind, answer, submit, return, validate, publish."""

import copy
import io

import pytest
from django.core import mail
from django.core.management import call_command

from ceds.assessments import services
from ceds.assessments.models import Answer, Assessment, Assignment, Comment, ScoreSnapshot
from ceds.assessments.scoring import compute
from ceds.cities.models import Membership
from ceds.frameworks.models import Item, Section

from .conftest import COMPLETE, answer_all


def test_coordinator_opens_one_assessment_per_framework_and_period(world, kinds, client_for):
    client = client_for(world["a_coordinator"])
    response = client.post(
        f"/cities/{world.city_a.slug}/assessments/", {"framework_version": kinds.pk, "period": "2026"}
    )
    assert response.status_code == 302
    again = client.post(f"/cities/{world.city_a.slug}/assessments/", {"framework_version": kinds.pk, "period": "2026"})
    assert again.status_code == 200
    assert "already has an assessment" in str(again.context["form"].errors["period"])
    bad = client.post(
        f"/cities/{world.city_a.slug}/assessments/", {"framework_version": kinds.pk, "period": "next year"}
    )
    assert "The period is a year" in str(bad.context["form"].errors["period"])
    assert Assessment.objects.count() == 1


def test_only_active_members_open_assessments(world, kinds):
    Membership.objects.filter(city=world.city_a).update(kind="partner")
    with pytest.raises(services.WorkflowError, match="active membership"):
        services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2026")
    Membership.objects.filter(city=world.city_a).update(partner_assessments_enabled=True)
    assert services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2026")


def test_contributors_and_viewers_cannot_open(world, kinds, client_for):
    for persona in ("a_contributor", "a_viewer"):
        response = client_for(world[persona]).post(
            f"/cities/{world.city_a.slug}/assessments/", {"framework_version": kinds.pk, "period": "2026"}
        )
        assert response.status_code == 403
    assert not Assessment.objects.exists()


def validated_result(world, kinds, period="2025"):
    previous = services.open_assessment(world["a_coordinator"], world.city_a, kinds, period)
    return previous


def test_full_cycle_with_return_and_resubmission(world, assessment, client_for, django_capture_on_commit_callbacks):
    coordinator, validator = client_for(world["a_coordinator"]), client_for(world["regional"])

    # Submitting with missing items is refused and lists them.
    response = coordinator.post(f"/assessments/{assessment.pk}/submit/", follow=True)
    assert "still need an answer" in response.content.decode()
    page = coordinator.get(f"/assessments/{assessment.pk}/")
    assert [i.code for i in page.context["missing"]] == ["GV-01", "GV-03", "GV-04", "SV-001", "SV-002"]
    assessment.refresh_from_db()
    assert assessment.status == "draft"

    answer_all(coordinator, assessment)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(f"/assessments/{assessment.pk}/submit/")
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert any(world["regional"].email in m.to for m in mail.outbox), "the regional coordinator is told"

    # The city can no longer change answers.
    locked = coordinator.post(
        f"/assessments/{assessment.pk}/items/GV-01/", {"choice": "5", "base_version": 1}, HTTP_HX_REQUEST="true"
    )
    assert "can no longer be changed" in locked.content.decode()

    # Return with a comment on one item, then resubmit.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = validator.post(
            f"/assessments/{assessment.pk}/review/",
            {"action": "return", "comment-GV-01": "Attach the council decision."},
        )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    assert Comment.objects.get(review=True).body == "Attach the council decision."
    assert world["a_coordinator"].email in {to for m in mail.outbox for to in m.to}
    answer_all(coordinator, assessment, {"GV-01": {"choice": "4"}})
    coordinator.post(f"/assessments/{assessment.pk}/submit/")
    assessment.refresh_from_db()
    assert assessment.status == "submitted"

    # Validation stores a snapshot equal to the engine's result.
    validator.post(f"/assessments/{assessment.pk}/review/", {"action": "validate"})
    assessment.refresh_from_db()
    assert assessment.status == "validated" and assessment.validated_by == world["regional"]
    snapshot = ScoreSnapshot.objects.get(assessment=assessment, is_current=True)
    assert snapshot.figures == compute(assessment).to_dict()
    assert snapshot.overall_score == pytest.approx(compute(assessment).overall.score)

    # Publishing, then changing the sharing level.
    for sharing in ("named", "anonymous", "private"):
        coordinator.post(f"/assessments/{assessment.pk}/publish/", {"sharing": sharing})
        assessment.refresh_from_db()
        assert (assessment.status, assessment.sharing) == ("published", sharing)


def test_returning_needs_a_comment(world, assessment, client_for):
    answer_all(client_for(world["a_coordinator"]), assessment)
    services.submit(world["a_coordinator"], assessment)
    response = client_for(world["secretariat"]).post(
        f"/assessments/{assessment.pk}/review/", {"action": "return"}, follow=True
    )
    assert "add a comment to at least one item" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_validators_are_the_secretariat_and_the_citys_regional_coordinator(world, assessment, client_for):
    answer_all(client_for(world["a_coordinator"]), assessment)
    services.submit(world["a_coordinator"], assessment)
    assert client_for(world["a_coordinator"]).get(f"/assessments/{assessment.pk}/review/").status_code == 403
    assert client_for(world["b_coordinator"]).get(f"/assessments/{assessment.pk}/review/").status_code == 404
    assert client_for(world["analyst"]).get(f"/assessments/{assessment.pk}/review/").status_code == 200


def test_carry_forward_marks_answers_until_confirmed(world, kinds, client_for):
    coordinator = client_for(world["a_coordinator"])
    previous = services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2025")
    answer_all(coordinator, previous)
    services.submit(world["a_coordinator"], previous)
    services.validate(world["secretariat"], previous)

    current = services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2026", carry_forward=True)
    assert current.carried_from == previous
    carried = Answer.objects.filter(assessment=current)
    assert carried.count() == len(COMPLETE) and all(a.carried_forward for a in carried)
    assert len(services.missing_items(current)) == len(COMPLETE), "carried answers must be confirmed"
    page = coordinator.get(f"/assessments/{current.pk}/sections/GV/")
    assert "Carried forward from the previous cycle" in page.content.decode()
    # Confirming = saving the same value.
    answer_all(coordinator, current, {"GV-01": COMPLETE["GV-01"]})
    assert not Answer.objects.get(assessment=current, item__code="GV-01").carried_forward
    # An earlier period never carries forward from a later one.
    earlier = services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2024", carry_forward=True)
    assert earlier.carried_from is None and not Answer.objects.filter(assessment=earlier).exists()


def test_carry_forward_maps_through_the_crosswalk(world, kinds):
    from ceds.frameworks.models import FrameworkVersion

    previous = services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2025")
    for code, data in COMPLETE.items():
        item = Item.objects.get(framework_version=kinds, code=code)
        from ceds.assessments.answers import parse_answer

        services.save_answer(world["a_coordinator"], previous, item, parse_answer(item.data, data), 0)
    Assessment.objects.filter(pk=previous.pk).update(status="validated")
    # Version 2's GV-02 asks what GV-01 asked (a level item): an answer carries only to an item of its kind.
    definition = copy.deepcopy(kinds.definition)
    next(i for s in definition["parts"][0]["groups"][0]["sections"] for i in s["items"] if i["id"] == "GV-02")[
        "kind"
    ] = "level"
    v2 = FrameworkVersion.objects.create(
        framework_id="kinds",
        version=2,
        title=kinds.title,
        definition=definition,
        checksum="x",
        crosswalk={"from_version": 1, "items": {"GV-01": "GV-02", "GV-02": "dropped"}},
    )
    for section in kinds.sections.all():
        new_section = Section.objects.create(
            framework_version=v2,
            code=section.code,
            part=section.part,
            group=section.group,
            kind=section.kind,
            title=section.title,
            position=section.position,
        )
        for item in section.items.all():
            Item.objects.create(
                framework_version=v2,
                section=new_section,
                code=item.code,
                kind=item.kind,
                position=item.position,
                data=item.data,
            )
    Item.objects.filter(framework_version=v2, code="GV-02").update(kind="level")
    current = services.open_assessment(world["a_coordinator"], world.city_a, v2, "2026", carry_forward=True)
    values = dict(Answer.objects.filter(assessment=current).values_list("item__code", "value"))
    assert values["GV-02"] == {"value": 3}, "GV-01's answer moved to GV-02"
    assert "GV-01" not in values, "nothing maps onto GV-01"
    assert values["SV-001"]["status"] == "operating"


def test_a_utilization_the_new_version_does_not_ask_is_not_carried():
    from ceds.assessments.services import _carried_value

    answer = {"status": "operating", "level": 4, "utilization": 70}
    assert _carried_value({"kind": "service"}, answer) == answer
    assert _carried_value({"kind": "service", "utilization": {"text": {"en": "Share of staff"}}}, answer) == answer
    assert _carried_value({"kind": "service", "utilization": {"not_asked": {"en": "A platform"}}}, answer) == {
        "status": "operating",
        "level": 4,
    }


def test_assign_and_contributors_edit_only_their_sections(world, assessment, client_for):
    coordinator = client_for(world["a_coordinator"])
    gv = Section.objects.get(framework_version=assessment.framework_version, code="GV")
    response = coordinator.post(
        f"/assessments/{assessment.pk}/assign/",
        {"section": gv.pk, "assignee": world["a_contributor"].pk, "due_date": "2026-03-01"},
    )
    assert response.status_code == 302
    assert Assignment.objects.get().assignee == world["a_contributor"]
    contributor = client_for(world["a_contributor"])
    page = contributor.get(f"/assessments/{assessment.pk}/")
    assert page.context["rows"][0]["mine"] and page.context["rows"][0]["section"].code == "GV", "my sections first"
    ok = contributor.post(f"/assessments/{assessment.pk}/items/GV-01/", {"choice": "2", "base_version": 0})
    assert ok.status_code == 302
    refused = contributor.post(f"/assessments/{assessment.pk}/items/SV-002/", {"status": "planned", "base_version": 0})
    assert refused.status_code == 403
    viewer = client_for(world["a_viewer"]).post(
        f"/assessments/{assessment.pk}/items/GV-01/", {"choice": "4", "base_version": 1}
    )
    assert viewer.status_code == 403
    assert Answer.objects.get(item__code="GV-01").value == {"value": 2}
    # A viewer or another city's user cannot be assigned.
    bad = coordinator.post(
        f"/assessments/{assessment.pk}/assign/", {"section": gv.pk, "assignee": world["b_contributor"].pk}
    )
    assert bad.status_code == 302 and Assignment.objects.get().assignee == world["a_contributor"]


def test_reminders_by_button_and_by_command(world, assessment, client_for, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    gv = Section.objects.get(framework_version=assessment.framework_version, code="GV")
    sv = Section.objects.get(framework_version=assessment.framework_version, code="SV")
    today = timezone.localdate()
    Assignment.objects.create(
        assessment=assessment, section=gv, assignee=world["a_contributor"], due_date=today + datetime.timedelta(days=2)
    )
    Assignment.objects.create(
        assessment=assessment, section=sv, assignee=world["a_coordinator"], due_date=today + datetime.timedelta(days=30)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", days=3, stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[world["a_contributor"].email]], "only sections due within 3 days"
    assert "Reminder" in mail.outbox[0].subject and mail.outbox[0].alternatives
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world["regional"]).post(f"/assessments/{assessment.pk}/remind/")
    assert response.status_code == 302 and len(mail.outbox) == 2
    assert client_for(world["a_viewer"]).post(f"/assessments/{assessment.pk}/remind/").status_code == 403


def test_provisional_results_are_labelled_and_only_for_coordinator_and_validators(world, assessment, client_for):
    answer_all(client_for(world["a_coordinator"]), assessment, {"GV-01": {"choice": "3"}})
    page = client_for(world["a_coordinator"]).get(f"/assessments/{assessment.pk}/dashboard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Provisional" in text and "never used in benchmarks" in text
    # A viewer sees results only once validated; another city's users never.
    assert client_for(world["a_viewer"]).get(f"/assessments/{assessment.pk}/dashboard/").status_code == 404
    assert client_for(world["b_coordinator"]).get(f"/assessments/{assessment.pk}/dashboard/").status_code == 404
    assert client_for(world["regional"]).get(f"/assessments/{assessment.pk}/dashboard/").status_code == 200


def test_rescore_command_recomputes_snapshots(world, assessment, client_for):
    answer_all(client_for(world["a_coordinator"]), assessment)
    services.submit(world["a_coordinator"], assessment)
    services.validate(world["secretariat"], assessment)
    call_command("rescore", stdout=io.StringIO())
    assert ScoreSnapshot.objects.filter(assessment=assessment).count() == 2
    assert ScoreSnapshot.objects.filter(assessment=assessment, is_current=True).count() == 1


def test_rescore_brings_the_public_map_and_leaderboard_along(world, assessment, client_for):
    from ceds.benchmarks.models import Leaderboard, PublicResult

    answer_all(client_for(world["a_coordinator"]), assessment)
    services.submit(world["a_coordinator"], assessment)
    services.validate(world["secretariat"], assessment)
    services.publish(world["a_coordinator"], assessment, "named")
    # As if the scoring rules had changed since publication.
    ScoreSnapshot.objects.filter(assessment=assessment).update(overall_score=1.0)
    PublicResult.objects.filter(assessment=assessment).update(overall_score=1.0)
    out = io.StringIO()
    call_command("rescore", stdout=out)
    current = ScoreSnapshot.objects.get(assessment=assessment, is_current=True)
    assert PublicResult.objects.get(assessment=assessment).overall_score == current.overall_score != 1.0
    board = Leaderboard.objects.get(framework_version=assessment.framework_version, period=assessment.period)
    assert board.entries[0]["score"] == current.overall_score
    assert "results on the public map: 1" in out.getvalue()

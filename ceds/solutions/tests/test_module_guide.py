"""The module page as a deployment guide, and adopting a module's steps into the action plan."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from ceds.content.reader import guide_problems
from ceds.content.schema import Module as ModuleSchema
from ceds.core.models import AuditEvent
from ceds.solutions import guide, services
from ceds.solutions.models import Action
from ceds.solutions.tests.guide_fixture import GUIDE, create_guide_module


def test_the_fixture_is_a_complete_guide():
    assert guide_problems(ModuleSchema.model_validate(GUIDE)) == []


def test_timeline_counts_weeks_and_names_roles():
    steps = guide.timeline(GUIDE["steps"])
    assert [(s.start_week, s.end_week) for s in steps] == [(1, 2), (3, 6), (7, 9), (10, 13), (14, 16)]
    assert steps[0].roles == ["Mayor's office", "CIO office"]
    assert guide.total_weeks(GUIDE["steps"]) == 16
    # A version-1 module's steps have no weeks: no timeline weeks, no due dates.
    old = [{"title": {"en": "a"}, "deliverable": {"en": "b"}}] * 5
    assert guide.total_weeks(old) is None
    assert guide.due_dates(old, datetime.date(2027, 1, 4)) == [None] * 5


@pytest.mark.django_db
def test_module_page_shows_every_band_without_a_city(client):
    create_guide_module()
    page = client.get("/modules/guide-strategy/")
    text = page.content.decode()
    assert page.status_code == 200 and page.context["guide"]["city_cost"] is None
    assert "USD 40,000–120,000" in text and "USD 5,000–15,000" in text
    assert "Regional shared service" in text and "USD 2,000–8,000" in text
    assert "weeks 3–6" in text and "Finance has signed off" in text and "Mitigation" in text
    assert 'href="' not in text.split("Sources", 1)[1].split("</ul>")[0] or "CeDS editorial" in text


def test_city_cost_and_adopting_the_steps(world, validated, client_for, django_assert_max_num_queries):
    module = create_guide_module()
    coordinator = client_for(world["a_coordinator"])
    url = f"/modules/guide-strategy/?assessment={validated.pk}"
    with django_assert_max_num_queries(20):
        page = coordinator.get(url)
    assert page.context["guide"]["city_cost"].one_off == "USD 40,000–120,000", "city A is in the 1m_5m band"
    assert page.context["adopt_form"] is not None
    # Another city's assessment is not found; a viewer sees the cost but cannot adopt.
    assert client_for(world["b_coordinator"]).get(url).status_code == 404
    assert client_for(world["a_viewer"]).get(url).context["adopt_form"] is None

    adopt = f"/assessments/{validated.pk}/actions/adopt/guide-strategy/steps/"
    assert client_for(world["a_viewer"]).post(adopt, {"start": "2027-01-04"}).status_code == 403
    bad = coordinator.post(adopt, {"start": "soon"}, follow=True)
    assert "First step starts on" in bad.content.decode() and not Action.objects.exists()
    assert coordinator.post(adopt, {"start": "2027-01-04", "owner_text": "Digital unit"}).status_code == 302
    rows = list(Action.objects.filter(module=module).order_by("step"))
    assert [a.step for a in rows] == [1, 2, 3, 4, 5]
    assert [a.due_date for a in rows] == [
        datetime.date(2027, 1, 4) + datetime.timedelta(weeks=w) for w in (2, 6, 9, 13, 16)
    ]
    assert rows[0].title == "Digital strategy, the guide: 1. Name the owner" and {a.owner for a in rows} == {
        "Digital unit"
    }
    assert AuditEvent.objects.filter(action="action.adopt_steps").count() == 1

    # Again: the steps already adopted stay as the city edited them; the module itself can still be adopted.
    rows[0].delete()
    assert len(services.adopt_module_steps(world["a_coordinator"], validated, module, datetime.date(2027, 2, 1))) == 1
    first = Action.objects.get(module=module, step=1)
    assert first.owner == "Mayor's office, CIO office" and first.due_date == datetime.date(2027, 2, 15)
    services.adopt_module(world["a_coordinator"], validated, module)
    assert Action.objects.filter(module=module).count() == 6
    with pytest.raises(PermissionDenied):
        services.adopt_module_steps(world["a_viewer"], validated, module, datetime.date(2027, 1, 4))

    actions = coordinator.get(f"/assessments/{validated.pk}/actions/").content.decode()
    assert "Digital unit" in actions and "5. Adopt" in actions


def test_report_quotes_the_steps_the_city_cost_and_the_cheaper_route(world, validated, client_for, tmp_path):
    import subprocess

    module = create_guide_module()
    services.adopt_module_steps(world["a_coordinator"], validated, module, datetime.date(2027, 1, 4), "Digital unit")
    path = tmp_path / "report.pdf"
    path.write_bytes(client_for(world["a_viewer"]).get(f"/assessments/{validated.pk}/report.pdf").content)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    # The action items quote their step; the recommended module gives this city's cost and the cheaper route.
    assert "Done when: The decision is signed and published on the intranet." in text
    assert "Mayor's office, CIO office" in text
    assert "Cost for this city (population 1 – 5 million): USD 40,000–120,000 one-off, USD 5,000–12,000 a year" in text
    assert "Cheaper route (Regional shared service)" in text and "USD 2,000–8,000 one-off" in text
    assert "weeks 3–6" in text


def test_the_owner_is_a_team_member_or_a_text_not_both(world):
    from ceds.solutions.forms import AdoptStepsForm

    member = world["a_contributor"]
    both = AdoptStepsForm({"start": "2027-01-04", "owner_user": member.pk, "owner_text": "IT unit"}, city=world.city_a)
    assert not both.is_valid() and "not both" in str(both.errors)
    chosen = AdoptStepsForm({"start": "2027-01-04", "owner_user": member.pk}, city=world.city_a)
    assert chosen.is_valid() and chosen.owner() == str(member)
    # A user of another city is not offered.
    other = AdoptStepsForm({"start": "2027-01-04", "owner_user": world["b_contributor"].pk}, city=world.city_a)
    assert not other.is_valid() and "owner_user" in other.errors

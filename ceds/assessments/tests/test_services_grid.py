"""The services grid of a domain: rows, field rules, filters, saving with the right status
codes, and a number of queries that does not grow with the answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceds.assessments import services
from ceds.assessments.answers import service_field_rules
from ceds.assessments.models import Answer

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(assessment, suffix=""):
    return f"/assessments/{assessment.pk}/sections/SV/{suffix}"


def _save(client, assessment, code, data, version):
    return client.post(
        f"/assessments/{assessment.pk}/items/{code}/", {**data, "base_version": version, "view": "grid"}, **HTMX
    )


def test_the_rules_say_which_fields_apply_and_why_not():
    rules = service_field_rules({})
    assert not rules[""]["level"]["applies"] and rules[""]["level"]["reason"] == "Choose a status first."
    assert rules["operating"]["level"] == {"applies": True, "required": True, "reason": ""}
    assert rules["developing"]["utilization"]["reason"] == "Asked only for a service in operation."
    assert not rules["planned"]["level"]["applies"] and rules["planned"]["systems"]["applies"]
    assert not rules["na"]["systems"]["applies"]
    not_asked = service_field_rules({"utilization": {"not_asked": {"en": "counted elsewhere"}}})
    assert not not_asked["operating"]["utilization"]["applies"]


def test_the_grid_shows_one_row_per_service_with_fields_that_do_not_apply_disabled(world, assessment, client_for):
    page = client_for(world["a_coordinator"]).get(_url(assessment)).content.decode()
    assert page.count('class="grid-row') == 2
    row = page.split('id="row-SV-001"')[1].split("</tbody>")[0]
    assert 'id="level-SV-001" name="level"' in row and "Choose a status first." in row
    level = row.split('id="level-SV-001"')[1].split(">")[0]
    assert " disabled" in level, "no level before a status"
    systems = row.split('id="systems-SV-001"')[1].split(">")[0]
    assert "placeholder" not in systems, "the example is a visible hint, not a grey value"
    assert "For example: ipMail System (plus Mail)" in row
    assert "Not answered" in row
    assert 'src="/static/js/services-grid.js"' in page and "<script>" not in page


def test_a_grid_save_answers_the_rows_state_out_of_band(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    response = _save(client, assessment, "SV-001", {"status": "operating", "level": "4", "utilization": "70"}, 0)
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    text = response.content.decode()
    assert 'id="state-SV-001" class="row-state" role="status" hx-swap-oob="true"' in text
    assert 'id="bv-SV-001" name="base_version" value="1" hx-swap-oob="true"' in text
    assert 'id="section-progress" hx-swap-oob="true"' in text and "Next unanswered: SV-002" in text
    assert Answer.objects.get().value == {"status": "operating", "level": 4, "utilization": 70}


def test_a_refused_answer_is_422_and_a_conflict_409_with_the_row_shown_again(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    refused = _save(client, assessment, "SV-001", {"status": "operating", "level": "4", "utilization": "140"}, 0)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert 'id="row-SV-001"' in text and "Enter a whole number from 0 to 100." in text
    assert 'value="140"' in text, "what was typed is shown back"
    assert not Answer.objects.exists()
    services.save_answer(world["a_coordinator"], assessment, _item(assessment, "SV-001"), {"status": "planned"}, 0)
    conflict = _save(client, assessment, "SV-001", {"status": "absent"}, 0)
    assert conflict.status_code == 409
    text = conflict.content.decode()
    assert "Someone else changed this item after you opened the page." in text and "Use my answer" in text
    # The card view's autosave answers with the same codes.
    cards = client.post(f"/assessments/{assessment.pk}/items/SV-001/", {"status": "absent", "base_version": 0}, **HTMX)
    assert cards.status_code == 409 and 'id="answer-SV-001"' in cards.content.decode()


def _item(assessment, code):
    from ceds.frameworks.models import Item

    return Item.objects.get(framework_version=assessment.framework_version, code=code)


def test_filters_show_unanswered_carried_and_changed_rows(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    _save(client, assessment, "SV-001", {"status": "absent"}, 0)
    unanswered = client.get(_url(assessment, "?show=unanswered")).content.decode()
    assert 'id="row-SV-002"' in unanswered and 'id="row-SV-001"' not in unanswered
    assert "Unanswered (1)" in unanswered and "Carried forward (0)" in unanswered
    carried = client.get(_url(assessment, "?show=carried")).content.decode()
    assert "No service matches this filter." in carried


@pytest.mark.parametrize("answered", [0, 2])
def test_the_grid_reads_a_fixed_number_of_queries(
    world, assessment, client_for, answered, django_assert_max_num_queries
):
    client = client_for(world["a_coordinator"])
    for code in ["SV-001", "SV-002"][:answered]:
        _save(client, assessment, code, {"status": "developing", "level": "2"}, 0)
    client.get(_url(assessment))  # the process keeps the version's items
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(assessment)).status_code == 200
    counts = getattr(test_the_grid_reads_a_fixed_number_of_queries, "counts", {})
    counts[answered] = len(queries)
    test_the_grid_reads_a_fixed_number_of_queries.counts = counts
    assert len(queries) <= 20, [q["sql"][:120] for q in queries.captured_queries]
    if len(counts) == 2:
        assert counts[0] == counts[2], counts


def test_readiness_sections_point_to_the_next_unanswered_item(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    page = client.get(f"/assessments/{assessment.pk}/sections/GV/").content.decode()
    assert 'href="#item-GV-01">Next unanswered: GV-01</a>' in page
    saved = client.post(f"/assessments/{assessment.pk}/items/GV-01/", {"choice": "3", "base_version": 0}, **HTMX)
    text = saved.content.decode()
    assert 'id="section-progress" hx-swap-oob="true"' in text and "Next unanswered: GV-02" in text


def test_changed_rows_compare_with_the_previous_validated_cycle(world, assessment, client_for):
    from ceds.assessments.models import Assessment

    earlier = Assessment.objects.create(
        city=world.city_a, framework_version=assessment.framework_version, period="2025", status="validated"
    )
    Answer.objects.create(assessment=earlier, item=_item(assessment, "SV-001"), value={"status": "planned"})
    Answer.objects.create(assessment=earlier, item=_item(assessment, "SV-002"), value={"status": "absent"})
    client = client_for(world["a_coordinator"])
    _save(client, assessment, "SV-001", {"status": "developing", "level": "2"}, 0)
    _save(client, assessment, "SV-002", {"status": "absent"}, 0)
    changed = client.get(_url(assessment, "?show=changed")).content.decode()
    assert "Changed since 2025 (1)" in changed
    assert 'id="row-SV-001"' in changed and 'id="row-SV-002"' not in changed
    assert "Last cycle: Planned" in changed
    review = client_for(world["secretariat"]).get(f"/assessments/{assessment.pk}/review/?show=changed").content.decode()
    assert "Previous answers are those of 2025." in review and "Changed since last cycle (1)" in review
    assert 'id="review-SV-001"' in review and 'id="review-SV-002"' not in review

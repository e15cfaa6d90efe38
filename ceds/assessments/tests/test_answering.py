"""Answering one item: autosave fragments, validation messages, conflicts and history."""

from ceds.assessments.models import Answer
from ceds.core.models import AuditEvent

HTMX = {"HTTP_HX_REQUEST": "true"}


def _save(client, assessment, code, data, version, **extra):
    return client.post(f"/assessments/{assessment.pk}/items/{code}/", {**data, "base_version": version}, **extra)


def test_section_page_shows_anchors_as_choices_with_guidance(world, assessment, client_for):
    page = client_for(world["a_contributor"]).get(f"/assessments/{assessment.pk}/sections/GV/")
    text = page.content.decode()
    assert "An approved strategy names owners, a budget line and a three-year horizon." in text
    assert 'value="dont_know"' in text and 'value="na"' in text
    assert "Choose level 3 only when the council decision is on record." in text
    assert "Target (to-be) level for this dimension" in text
    services_page = (
        client_for(world["a_coordinator"]).get(f"/assessments/{assessment.pk}/sections/SV/").content.decode()
    )
    for field in ('name="status"', 'name="level"', 'name="utilization"', 'name="systems"'):
        assert field in services_page
    assert "ipMail System (plus Mail)" in services_page


def test_autosave_returns_the_item_answer_marked_saved(world, assessment, client_for):
    response = _save(client_for(world["a_coordinator"]), assessment, "GV-01", {"choice": "3"}, 0, **HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="answer-GV-01"' in text and "Saved" in text and 'name="base_version" value="1"' in text
    assert 'hx-target="#answer-GV-01"' in text, "the next save replaces the same fragment"
    assert "attachment" not in text and "Add comment" not in text, "attachments and comments stay in the page"
    answer = Answer.objects.get()
    assert (answer.value, answer.version, answer.updated_by) == ({"value": 3}, 1, world["a_coordinator"])


def test_autosave_updates_the_items_shown_only_for_some_answers(world, assessment, client_for):
    """GV-02 applies when GV-01 is at level 2 or above: saving GV-01 re-sends GV-02's form in place."""
    client = client_for(world["a_coordinator"])
    page = client.get(f"/assessments/{assessment.pk}/sections/GV/").content.decode()
    assert 'class="item-answer item-hidden" id="answer-GV-02"' in page, "not applicable before GV-01 is answered"
    shown = _save(client, assessment, "GV-01", {"choice": "3"}, 0, **HTMX).content.decode()
    assert 'class="item-answer" id="answer-GV-02" hx-swap-oob="true"' in shown
    assert 'id="answer-GV-03"' not in shown, "only the items that depend on GV-01"
    hidden = _save(client, assessment, "GV-01", {"choice": "1"}, 1, **HTMX).content.decode()
    assert 'class="item-answer item-hidden" id="answer-GV-02" hx-swap-oob="true"' in hidden
    assert 'id="section-progress"' in hidden or "applicable items answered" in hidden


def test_bad_service_answer_names_the_field_and_saves_nothing(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    response = _save(client, assessment, "SV-001", {"status": "operating", "level": "", "utilization": "40"}, 0, **HTMX)
    assert "Choose the level the service reaches." in response.content.decode()
    response = _save(client, assessment, "SV-001", {"status": "planned", "utilization": "40"}, 0, **HTMX)
    assert "Utilization applies only to a service in operation." in response.content.decode()
    response = _save(
        client, assessment, "SV-001", {"status": "operating", "level": "3", "utilization": "140"}, 0, **HTMX
    )
    assert "from 0 to 100" in response.content.decode()
    assert not Answer.objects.exists()
    plain = _save(client, assessment, "GV-01", {"choice": "9"}, 0, follow=True)
    assert "GV-01: Enter a whole number from 1 to 5." in plain.content.decode(), "without JavaScript: a message"


def test_second_save_from_a_stale_version_is_a_conflict_showing_both_values(world, assessment, client_for):
    first, second = client_for(world["a_coordinator"]), client_for(world["a_contributor"])
    from ceds.assessments.models import Assignment
    from ceds.frameworks.models import Section

    Assignment.objects.create(
        assessment=assessment, section=Section.objects.get(code="GV"), assignee=world["a_contributor"]
    )
    _save(first, assessment, "GV-01", {"choice": "2"}, 0)  # both opened the page at version 0
    _save(first, assessment, "GV-01", {"choice": "3"}, 1)
    response = _save(second, assessment, "GV-01", {"choice": "5"}, 0, **HTMX)
    text = response.content.decode()
    assert "Someone else changed this item" in text
    assert "level 3" in text and "level 5" in text, "both values are shown"
    assert Answer.objects.get().value == {"value": 3}, "nothing is lost silently"
    # "Use my answer" posts again from the current version and wins.
    response = _save(second, assessment, "GV-01", {"choice": "5"}, 2, **HTMX)
    assert "Saved" in response.content.decode()
    assert Answer.objects.get().value == {"value": 5}
    stale = _save(first, assessment, "GV-01", {"choice": "1"}, 2, follow=True)
    assert "GV-01 was changed by" in stale.content.decode() and "was not saved" in stale.content.decode()
    assert Answer.objects.get().value == {"value": 5}


def test_every_change_is_in_the_items_history(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    _save(client, assessment, "GV-01", {"choice": "2"}, 0)
    _save(client, assessment, "GV-01", {"choice": "dont_know"}, 1)
    events = AuditEvent.objects.filter(action="answer.save")
    assert [e.changes["GV-01"] for e in events.order_by("id")] == [
        [None, {"value": 2}],
        [{"value": 2}, {"dont_know": True}],
    ]
    page = client.get(f"/assessments/{assessment.pk}/items/GV-01/history/").content.decode()
    assert "not answered" in page and "level 2" in page and "don&#x27;t know" in page
    korean = client.get(f"/assessments/{assessment.pk}/items/GV-01/history/", HTTP_ACCEPT_LANGUAGE="ko")
    assert "모름" in korean.content.decode(), "described in the reader's language"


def test_show_if_hides_an_item_until_its_condition_holds(world, assessment, client_for):
    from ceds.assessments import services

    client = client_for(world["a_coordinator"])
    _save(client, assessment, "GV-01", {"choice": "1"}, 0)
    assert "GV-02" not in [i.code for i in services.missing_items(assessment)]
    _save(client, assessment, "GV-01", {"choice": "3"}, 1)
    assert "GV-02" in [i.code for i in services.missing_items(assessment)]


def test_targets_are_saved_for_dimensions_that_take_one(world, assessment, client_for):
    from ceds.assessments.models import SectionTarget

    client = client_for(world["a_coordinator"])
    assert client.post(f"/assessments/{assessment.pk}/sections/GV/target/", {"target": "4"}).status_code == 302
    assert SectionTarget.objects.get().level == 4
    client.post(f"/assessments/{assessment.pk}/sections/SV/target/", {"target": "4"})
    assert SectionTarget.objects.count() == 1


def test_evidence_and_comments_appear_in_the_items_history_as_what_they_are(world, assessment, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ceds.assessments import services
    from ceds.frameworks.models import Item

    client = client_for(world["a_coordinator"])
    _save(client, assessment, "GV-01", {"choice": "2"}, 0)
    item = Item.objects.get(framework_version=assessment.framework_version, code="GV-01")
    pdf = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    services.add_evidence(world["a_coordinator"], assessment, item, upload=pdf)
    services.add_comment(world["a_coordinator"], assessment, item, "Checked with the IT office.")
    page = client.get(f"/assessments/{assessment.pk}/items/GV-01/history/").content.decode()
    assert "Evidence attached: evidence" in page and "Comment: Checked with the IT office." in page
    assert page.count("not answered") == 1, "attaching evidence to an item at level 2 is no change of answer"

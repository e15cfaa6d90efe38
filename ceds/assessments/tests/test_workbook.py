"""Offline answering: download a pre-filled workbook, fill it, preview, confirm; bad files change nothing."""

import io

import pytest
from openpyxl import load_workbook

from ceds.assessments.models import Answer
from ceds.core.models import AuditEvent


def _download(client, assessment):
    response = client.get(f"/assessments/{assessment.pk}/workbook.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content))


def _row(sheet, code):
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            return row
    raise AssertionError(code)


def _upload(client, assessment, book, **extra):
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "answers.xlsx"
    return client.post(f"/assessments/{assessment.pk}/import/", {"workbook": buffer}, **extra)


def test_workbook_is_prefilled_with_dropdowns_and_locked_structure(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    client.post(f"/assessments/{assessment.pk}/items/GV-01/", {"choice": "3", "base_version": 0})
    book = _download(client, assessment)
    assert book.sheetnames[:2] == ["Instructions", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    gv = book[book.sheetnames[2]]
    row = _row(gv, "GV-01")
    assert row[2].value.startswith("3 — An approved strategy")
    assert [c.value for c in gv[1]] == ["Code", "Item", "Answer", "Version"], "no service columns without services"
    assert row[3].value == 1 and gv.column_dimensions["D"].hidden, "hidden version column"
    assert gv.protection.sheet and not row[2].protection.locked and row[0].protection.locked
    formulas = [dv.formula1 for dv in gv.data_validations.dataValidation]
    assert any(f.startswith("=Lists!") for f in formulas)
    levels = [book["Lists"].cell(i, 1).value for i in range(1, 8)]
    assert levels[-2:] == ["N/A", "Don't know"] and len(levels[4]) > 40, "long anchors live on the list sheet"


def test_round_trip_preview_then_confirm(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    book = _download(client, assessment)
    gv, sv = book[book.sheetnames[2]], book[book.sheetnames[3]]
    _row(gv, "GV-01")[2].value = "4 — The strategy is reviewed every year against published indicators and targets."
    _row(gv, "GV-03")[2].value = "yes"
    _row(gv, "GV-04")[2].value = 62.5
    service = _row(sv, "SV-001")
    service[3].value, service[4].value, service[5].value, service[6].value = (
        "in operation",
        "3 — Transaction",
        80,
        "e-Mail",
    )
    _row(sv, "SV-002")[3].value = "N/A"
    preview = _upload(client, assessment, book)
    assert preview.status_code == 200
    assert [c.code for c in preview.context["applicable"]] == ["GV-01", "GV-03", "GV-04", "SV-001", "SV-002"]
    assert not Answer.objects.exists(), "nothing changes before confirmation"
    confirm = client.post(f"/assessments/{assessment.pk}/import/", {"action": "confirm"})
    assert confirm.status_code == 302
    values = dict(Answer.objects.values_list("item__code", "value"))
    assert values == {
        "GV-01": {"value": 4},
        "GV-03": {"value": True},
        "GV-04": {"value": 62.5},
        "SV-001": {"status": "operating", "level": 3, "utilization": 80, "systems": "e-Mail"},
        "SV-002": {"na": True},
    }
    assert AuditEvent.objects.filter(action="answer.save").count() == 5


def test_online_edits_after_export_are_conflicts_and_kept(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    book = _download(client, assessment)
    client.post(f"/assessments/{assessment.pk}/items/GV-01/", {"choice": "2", "base_version": 0})
    _row(book[book.sheetnames[2]], "GV-01")[
        2
    ].value = "5 — Results feed the next strategy and residents see progress reported online each quarter."
    _row(book[book.sheetnames[2]], "GV-03")[2].value = "no"
    preview = _upload(client, assessment, book)
    assert [c.code for c in preview.context["conflicts"]] == ["GV-01"]
    assert [c.code for c in preview.context["applicable"]] == ["GV-03"]
    client.post(f"/assessments/{assessment.pk}/import/", {"action": "confirm"})
    assert Answer.objects.get(item__code="GV-01").value == {"value": 2}
    assert Answer.objects.get(item__code="GV-03").value == {"value": False}


def test_a_change_online_between_preview_and_confirm_aborts_everything(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    book = _download(client, assessment)
    _row(book[book.sheetnames[2]], "GV-03")[2].value = "yes"
    _row(book[book.sheetnames[2]], "GV-01")[2].value = "N/A"
    _upload(client, assessment, book)
    client.post(f"/assessments/{assessment.pk}/items/GV-03/", {"choice": "no", "base_version": 0})
    response = client.post(f"/assessments/{assessment.pk}/import/", {"action": "confirm"}, follow=True)
    assert "nothing was imported" in response.content.decode()
    assert not Answer.objects.filter(item__code="GV-01").exists()


def test_malformed_or_foreign_workbooks_name_sheet_row_and_column(world, assessment, kinds, client_for):
    from ceds.assessments import services

    client = client_for(world["a_coordinator"])
    book = _download(client, assessment)
    _row(book[book.sheetnames[2]], "GV-01")[2].value = "7 — a level that does not exist"
    response = _upload(client, assessment, book)
    error = str(response.context["form"].errors["workbook"])
    assert "row 2, column C (GV-01)" in error and "from 1 to 5" in error

    book = _download(client, assessment)
    _row(book[book.sheetnames[3]], "SV-001")[3].value = "in operation"  # level missing
    error = str(_upload(client, assessment, book).context["form"].errors["workbook"])
    assert "column E (SV-001)" in error

    book = _download(client, assessment)
    book[book.sheetnames[2]].cell(3, 1).value = "XX-99"
    error = str(_upload(client, assessment, book).context["form"].errors["workbook"])
    assert "row 3, column A: XX-99 is not an item" in error

    other = services.open_assessment(world["a_coordinator"], world.city_a, kinds, "2023")
    foreign = _download(client, other)
    error = str(_upload(client, assessment, foreign).context["form"].errors["workbook"])
    assert "belongs to another assessment" in error

    junk = io.BytesIO(b"not a workbook")
    junk.name = "answers.xlsx"
    response = client.post(f"/assessments/{assessment.pk}/import/", {"workbook": junk})
    assert "not an Excel workbook" in str(response.context["form"].errors["workbook"])
    assert not Answer.objects.exists()


def test_contributors_import_only_their_sections(world, assessment, client_for):
    from ceds.assessments.models import Assignment
    from ceds.frameworks.models import Section

    Assignment.objects.create(
        assessment=assessment, section=Section.objects.get(code="SV"), assignee=world["a_contributor"]
    )
    client = client_for(world["a_contributor"])
    book = _download(client, assessment)
    _row(book[book.sheetnames[2]], "GV-03")[2].value = "yes"
    error = str(_upload(client, assessment, book).context["form"].errors["workbook"])
    assert "(GV-03): you may not answer this section" in error
    assert client_for(world["a_viewer"]).get(f"/assessments/{assessment.pk}/import/").status_code == 403


def test_every_data_validation_refuses_other_entries(world, assessment, client_for):
    book = _download(client_for(world["a_coordinator"]), assessment)
    validations = [dv for sheet in book.worksheets for dv in sheet.data_validations.dataValidation]
    assert len(validations) >= 5
    for dv in validations:
        assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.error, (dv.sqref, dv.formula1)


def test_an_upload_reports_every_error_at_once_and_applies_nothing(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    book = _download(client, assessment)
    gv, sv = book[book.sheetnames[2]], book[book.sheetnames[3]]
    _row(gv, "GV-01")[2].value = "7 — a level that does not exist"
    _row(gv, "GV-03")[2].value = "yes"  # valid, but not applied while other rows are wrong
    _row(gv, "GV-04")[2].value = "many"
    _row(sv, "SV-001")[3].value = "in operation"  # level missing
    errors = list(_upload(client, assessment, book).context["form"].errors["workbook"])
    assert len(errors) == 3, errors
    assert "row 2, column C (GV-01)" in errors[0] and "from 1 to 5" in errors[0]
    assert "column C (GV-04)" in errors[1] and "number" in errors[1]
    assert "column E (SV-001)" in errors[2]
    assert all(e.startswith('Sheet "') for e in errors)
    assert not Answer.objects.exists()


def test_an_older_workbook_with_service_columns_on_every_sheet_still_imports(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    book = _download(client, assessment)
    gv = book[book.sheetnames[2]]
    # The layout workbooks had before: Status, Level, Utilization and Systems on every sheet.
    gv.insert_cols(4, 4)
    for column, name in enumerate(["Status", "Level", "Utilization %", "Systems"], start=4):
        gv.cell(1, column).value = name
    assert [c.value for c in gv[1]][:8] == [
        "Code",
        "Item",
        "Answer",
        "Status",
        "Level",
        "Utilization %",
        "Systems",
        "Version",
    ]
    _row(gv, "GV-03")[2].value = "yes"
    _row(gv, "GV-03")[7].value = "tampered"
    refused = _upload(client, assessment, book)
    assert "column H (GV-03): the hidden version was changed" in refused.content.decode()
    _row(gv, "GV-03")[7].value = 0
    preview = _upload(client, assessment, book)
    assert [c.code for c in preview.context["applicable"]] == ["GV-03"]


@pytest.fixture
def queued(monkeypatch):
    """As with a broker (CEDS_BROKER_URL): the import task is sent, not run; its args are listed."""
    from ceds.assessments import tasks
    from ceds.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    sent: list = []
    monkeypatch.setattr(tasks.apply_workbook, "apply_async", lambda args=(), kwargs=None: sent.append(args))
    yield sent
    app.conf.task_always_eager = eager


def test_a_large_import_goes_to_a_worker_applied_once_with_a_notice(
    world, assessment, client_for, settings, queued, django_capture_on_commit_callbacks
):
    """With a task queue, an import above CEDS_WORKBOOK_QUEUE_ROWS is applied by a worker: all or
    nothing, once however often the task is delivered, and the importer gets a notice either way."""
    from ceds.assessments import tasks
    from ceds.core.models import Notification

    settings.CEDS_WORKBOOK_QUEUE_ROWS = 1
    coordinator = world["a_coordinator"]
    client = client_for(coordinator)

    def confirm(codes_values):
        book = _download(client, assessment)
        gv = book[book.sheetnames[2]]
        for code, value in codes_values:
            _row(gv, code)[2].value = value
        assert _upload(client, assessment, book).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/assessments/{assessment.pk}/import/", {"action": "confirm"}, follow=True)
        assert "are being imported" in response.content.decode()
        return queued.pop()

    args = confirm([("GV-03", "yes"), ("GV-04", 62.5)])
    assert not Answer.objects.exists(), "the request only queued the import"
    assert tasks.apply_workbook(*args) == 2
    assert tasks.apply_workbook(*args) == 0, "delivered again: applied once"
    assert dict(Answer.objects.values_list("item__code", "value")) == {
        "GV-03": {"value": True},
        "GV-04": {"value": 62.5},
    }
    notices = list(Notification.objects.filter(user=coordinator).values_list("kind", "params__count"))
    assert notices == [("imported", 2)]
    assert AuditEvent.objects.filter(action="workbook.import").count() == 1
    page = client.get("/notifications/").content.decode()
    assert "Your workbook was imported: 2 answers" in page

    # Someone saves GV-04 online before the worker gets to the next import: nothing is applied.
    args = confirm([("GV-03", "no"), ("GV-04", 10)])
    client.post(f"/assessments/{assessment.pk}/items/GV-04/", {"value": "20", "base_version": 1})
    assert tasks.apply_workbook(*args) == 0
    assert dict(Answer.objects.values_list("item__code", "value"))["GV-03"] == {"value": True}
    assert Notification.objects.filter(user=coordinator, kind="import_failed", params__reason="conflict").count() == 1
    assert "answers changed online meanwhile" in client.get("/notifications/").content.decode()

    # The cycle is submitted before the worker gets to the import: nothing is applied, and says why.
    args = confirm([("GV-03", "no"), ("GV-04", 30)])
    type(assessment).objects.filter(pk=assessment.pk).update(status="submitted")
    assert tasks.apply_workbook(*args) == 0
    assert dict(Answer.objects.values_list("item__code", "value"))["GV-03"] == {"value": True}
    assert Notification.objects.filter(user=coordinator, kind="import_failed", params__reason="closed").count() == 1
    assert "no longer open to your edits" in client.get("/notifications/").content.decode()

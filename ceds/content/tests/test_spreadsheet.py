import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from ceds.content.reader import read_content

from .helpers import FIXTURE, copy_fixture


def _dump(bundle):
    fw = bundle.framework("kinds")
    return fw.model_dump(mode="json", by_alias=True)


def test_round_trip_through_excel_is_lossless(tmp_path):
    workbook = tmp_path / "kinds.xlsx"
    call_command("framework_to_xlsx", "kinds", "1", str(workbook), content=str(FIXTURE))
    book = load_workbook(workbook)
    assert book.sheetnames == ["Framework", "Structure", "Part A", "Part B"]
    header = [c.value for c in book["Part A"][1]]
    assert header[:3] == ["section", "id", "kind"] and "anchors.3.en" in header and "show_if.in[]" in header

    root = copy_fixture(tmp_path)
    target = root / "frameworks" / "kinds" / "1"
    call_command("xlsx_to_framework", str(workbook), str(target))
    assert _dump(read_content(root)) == _dump(read_content(FIXTURE))


def test_an_edit_in_excel_comes_back(tmp_path):
    workbook = tmp_path / "kinds.xlsx"
    call_command("framework_to_xlsx", "kinds", "1", str(workbook), content=str(FIXTURE))
    book = load_workbook(workbook)
    sheet = book["Part A"]
    column = [c.value for c in sheet[1]].index("title.ko") + 1
    sheet.cell(4, column).value = "개인정보 처리방침"  # GV-03
    book.save(workbook)
    root = copy_fixture(tmp_path)
    call_command("xlsx_to_framework", str(workbook), str(root / "frameworks" / "kinds" / "1"))
    items = {item.id: item for _section, item in read_content(root).framework("kinds").items()}
    assert items["GV-03"].title["ko"] == "개인정보 처리방침"


def test_malformed_workbooks_name_sheet_row_and_column(tmp_path):
    not_a_workbook = tmp_path / "notes.xlsx"
    not_a_workbook.write_text("hello")
    with pytest.raises(CommandError, match="not an Excel workbook"):
        call_command("xlsx_to_framework", str(not_a_workbook), str(tmp_path / "out"))

    workbook = tmp_path / "kinds.xlsx"
    call_command("framework_to_xlsx", "kinds", "1", str(workbook), content=str(FIXTURE))
    book = load_workbook(workbook)
    sheet = book["Part A"]
    column = [c.value for c in sheet[1]].index("section") + 1
    sheet.cell(3, column).value = "ZZ"
    book.save(workbook)
    with pytest.raises(CommandError, match=r"sheet 'Part A', row 3, column section: 'ZZ' is not a section"):
        call_command("xlsx_to_framework", str(workbook), str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()

    book = load_workbook(workbook)
    del book["Structure"]
    book.save(workbook)
    with pytest.raises(CommandError, match="sheet 'Structure' is missing"):
        call_command("xlsx_to_framework", str(workbook), str(tmp_path / "out"))


def test_a_workbook_with_invalid_content_writes_nothing(tmp_path, capsys):
    workbook = tmp_path / "kinds.xlsx"
    call_command("framework_to_xlsx", "kinds", "1", str(workbook), content=str(FIXTURE))
    book = load_workbook(workbook)
    sheet = book["Part A"]
    column = [c.value for c in sheet[1]].index("anchors.2.en") + 1
    sheet.cell(2, column).value = "Too short."
    book.save(workbook)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("xlsx_to_framework", str(workbook), str(tmp_path / "out"))
    assert "anchors[2]: anchor has 2 words" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()

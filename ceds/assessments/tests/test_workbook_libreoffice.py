"""The offline workbook through LibreOffice (Debian's libreoffice-calc-nogui and python3-uno):
re-saved, its data validations still refuse other entries; answers written through
LibreOffice's own API import exactly, and a wrong one is reported with every other error of
the file while nothing is applied. Heavy: one CI pass."""

import io

import pytest
from openpyxl import load_workbook

from ceds.assessments.models import Answer
from ceds.core.tests.libreoffice import convert, edit_cells

pytestmark = pytest.mark.heavy


def _rows(sheet) -> dict[str, int]:
    return {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value}


def _upload(client, assessment, path):
    with open(path, "rb") as file:
        return client.post(f"/assessments/{assessment.pk}/import/", {"workbook": file})


def test_libreoffice_keeps_the_guards_and_its_answers_import_exactly(world, assessment, client_for, tmp_path):
    client = client_for(world["a_coordinator"])
    download = client.get(f"/assessments/{assessment.pk}/workbook.xlsx")
    original = tmp_path / "answers.xlsx"
    original.write_bytes(download.content)
    profile = tmp_path / "profile"

    resaved = convert(original, "xlsx", tmp_path / "resaved", profile)
    before = load_workbook(io.BytesIO(download.content))
    after = load_workbook(resaved)
    kept = [dv for sheet in after.worksheets for dv in sheet.data_validations.dataValidation]
    assert len(kept) == sum(len(s.data_validations.dataValidation) for s in before.worksheets)
    for dv in kept:
        assert dv.showErrorMessage and dv.errorStyle == "stop", (dv.sqref, dv.errorStyle)

    gv, sv = after.sheetnames[2], after.sheetnames[3]
    gv_rows, sv_rows = _rows(after[gv]), _rows(after[sv])
    lists = after["Lists"]
    level_four = lists.cell(4, 1).value  # "4 — The strategy is reviewed every year…"
    # The service levels' list: where the level column's validation points (e.g. Lists!$E$1:$E$5).
    level_list = next(dv.formula1 for dv in after[sv].data_validations.dataValidation if "E" in str(dv.sqref))
    column = level_list.split("!")[1].split("$")[1]
    service_levels = [lists[f"{column}{i}"].value for i in range(1, 6)]
    assert level_four.startswith("4 — ") and service_levels[2].startswith("3 — ")
    valid = [
        {"sheet": gv, "cell": f"C{gv_rows['GV-03']}", "value": "yes"},
        {"sheet": gv, "cell": f"C{gv_rows['GV-04']}", "value": 62.5},
        {"sheet": sv, "cell": f"D{sv_rows['SV-001']}", "value": "in operation"},
        {"sheet": sv, "cell": f"E{sv_rows['SV-001']}", "value": service_levels[2]},
        {"sheet": sv, "cell": f"F{sv_rows['SV-001']}", "value": 80},
        {"sheet": sv, "cell": f"G{sv_rows['SV-001']}", "value": "e-Mail"},
        {"sheet": sv, "cell": f"D{sv_rows['SV-002']}", "value": "developing"},  # its level is missing
    ]
    wrong = edit_cells(
        resaved,
        tmp_path / "wrong.xlsx",
        [*valid, {"sheet": gv, "cell": f"C{gv_rows['GV-01']}", "value": "9 — a level that does not exist"}],
        profile,
    )
    errors = list(_upload(client, assessment, wrong).context["form"].errors["workbook"])
    assert len(errors) == 2, errors
    assert f'Sheet "{gv}", row {gv_rows["GV-01"]}, column C (GV-01)' in errors[0] and "from 1 to 5" in errors[0]
    assert f'Sheet "{sv}", row {sv_rows["SV-002"]}, column E (SV-002)' in errors[1]
    assert not Answer.objects.exists()

    corrected = edit_cells(
        wrong,
        tmp_path / "corrected.xlsx",
        [
            {"sheet": gv, "cell": f"C{gv_rows['GV-01']}", "value": level_four},
            {"sheet": sv, "cell": f"E{sv_rows['SV-002']}", "value": service_levels[1]},
        ],
        profile,
    )
    preview = _upload(client, assessment, corrected)
    assert preview.status_code == 200 and not preview.context["conflicts"]
    assert [(c.code, c.new) for c in preview.context["applicable"]] == [
        ("GV-01", "level 4"),
        ("GV-03", "yes"),
        ("GV-04", "62.5"),
        ("SV-001", "In operation, level 3, 80 %, e-Mail"),
        ("SV-002", "Developing, level 2"),
    ]
    assert not Answer.objects.exists(), "a preview changes nothing"
    client.post(f"/assessments/{assessment.pk}/import/", {"action": "confirm"})
    assert dict(Answer.objects.values_list("item__code", "value")) == {
        "GV-01": {"value": 4},
        "GV-03": {"value": True},
        "GV-04": {"value": 62.5},
        "SV-001": {"status": "operating", "level": 3, "utilization": 80, "systems": "e-Mail"},
        "SV-002": {"status": "developing", "level": 2},
    }

"""A framework as an Excel workbook and back, for assessment designers who work in Excel.

Sheets: "Framework" (key / value rows for everything but the structure), "Structure" (one
row per section with its part and group), and one sheet per part ("Part A", …) with one
row per item. Nested fields become dotted column names (`title.en`, `anchors.3.en`);
list fields are JSON in a column whose name ends in `[]` (`show_if.in[]`, `thresholds[]`).
The round trip YAML -> workbook -> YAML is lossless (tested).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ceds.content.schema import LANGUAGES
from ceds.core.xlsx import NotAWorkbook, read_workbook
from ceds.core.zipguard import ZipRefused

LIST_SUFFIX = "[]"
FRAMEWORK_SHEET, STRUCTURE_SHEET = "Framework", "Structure"
ITEM_COLUMNS_FIRST = ["section", "id", "kind", "weight", "source"]


class WorkbookError(ValueError):
    """A workbook that is not a framework workbook; the message names sheet, row and column."""


def flatten(value, prefix: str = "") -> dict:
    out: dict = {}
    if isinstance(value, dict):
        for key, inner in value.items():
            out.update(flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        out[prefix + LIST_SUFFIX] = json.dumps(value, ensure_ascii=False)
    else:
        out[prefix] = value
    return out


def unflatten(flat: dict, where: str = "") -> dict:
    root: dict = {}
    for column, value in flat.items():
        if value is None or value == "":
            continue
        if column.endswith(LIST_SUFFIX):
            column = column[: -len(LIST_SUFFIX)]
            try:
                value = json.loads(value)
            except (TypeError, json.JSONDecodeError) as exc:
                raise WorkbookError(f"{where}, column {column}{LIST_SUFFIX}: not a JSON list ({exc})") from None
        keys = [int(k) if k.isdigit() else k for k in column.split(".")]
        node = root
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    return root


def _column_order(columns: set[str]) -> list[str]:
    def rank(column: str):
        base = column.split(".")[0].removesuffix(LIST_SUFFIX)
        first = ITEM_COLUMNS_FIRST.index(base) if base in ITEM_COLUMNS_FIRST else len(ITEM_COLUMNS_FIRST)
        parts = column.split(".")
        language = LANGUAGES.index(parts[-1]) if parts[-1] in LANGUAGES else -1
        return (first, base, [p.zfill(3) if p.isdigit() else p for p in parts[1:-1]], language, column)

    return sorted(columns, key=rank)


def _write_table(sheet, rows: list[dict]) -> None:
    columns = _column_order({c for row in rows for c in row})
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    header = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F3")
    for cell in sheet[1]:
        cell.font, cell.fill = header, fill
    sheet.freeze_panes = "C2"
    for index, column in enumerate(columns, start=1):
        wide = any(
            column.startswith(p) for p in ("text", "anchors", "guidance", "evidence", "description", "level_notes")
        )
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = 60 if wide else 18
        if wide:
            for cell in sheet.iter_cols(min_col=index, max_col=index, min_row=2):
                for c in cell:
                    c.alignment = Alignment(wrap_text=True, vertical="top")


def framework_to_workbook(directory: Path) -> Workbook:
    raw = yaml.safe_load((directory / "framework.yaml").read_text(encoding="utf-8"))
    book = Workbook()
    info = book.active
    info.title = FRAMEWORK_SHEET
    info.append(["key", "value"])
    for key, value in flatten({k: v for k, v in raw.items() if k != "parts"}).items():
        info.append([key, value])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 36, 80
    structure_rows, item_sheets = [], {}
    for part in raw["parts"]:
        items = []
        for group in part["groups"]:
            for section in group["sections"]:
                structure_rows.append(
                    {
                        **flatten({k: v for k, v in part.items() if k != "groups"}, "part"),
                        **flatten({k: v for k, v in group.items() if k != "sections"}, "group"),
                        **flatten(section, "section"),
                    }
                )
                data = yaml.safe_load((directory / "sections" / f"{section['id']}.yaml").read_text(encoding="utf-8"))
                items.extend({"section": section["id"], **flatten(item)} for item in data["items"])
        item_sheets[f"Part {part['id']}"] = items
    _write_table(book.create_sheet(STRUCTURE_SHEET), structure_rows)
    for title, rows in item_sheets.items():
        _write_table(book.create_sheet(title[:31]), rows)
    return book


def _rows(sheet) -> list[tuple[int, dict]]:
    values = list(sheet.iter_rows(values_only=True))
    if not values:
        return []
    header = [str(h) if h is not None else "" for h in values[0]]
    for index, name in enumerate(header, start=1):
        if not name:
            raise WorkbookError(f"sheet {sheet.title!r}, row 1, column {index}: empty column name")
    return [
        (number, dict(zip(header, row, strict=False)))
        for number, row in enumerate(values[1:], start=2)
        if any(cell not in (None, "") for cell in row)
    ]


def workbook_to_framework(path: Path) -> tuple[dict, dict[str, dict]]:
    """(framework.yaml content, {section id: section file content}) from a workbook."""
    try:
        with read_workbook(path) as book:
            return _framework_from(book)
    except NotAWorkbook:
        raise WorkbookError(f"{Path(path).name}: not an Excel workbook") from None
    except ZipRefused as refused:
        raise WorkbookError(f"{Path(path).name}: {refused}") from None


def _framework_from(book) -> tuple[dict, dict[str, dict]]:
    for required in (FRAMEWORK_SHEET, STRUCTURE_SHEET):
        if required not in book.sheetnames:
            raise WorkbookError(f"sheet {required!r} is missing; is this a framework workbook?")
    flat = {}
    for number, row in _rows(book[FRAMEWORK_SHEET]):
        if not row.get("key"):
            raise WorkbookError(f"sheet {FRAMEWORK_SHEET!r}, row {number}, column A: key is empty")
        flat[str(row["key"])] = row.get("value")
    framework = unflatten(flat, f"sheet {FRAMEWORK_SHEET!r}")
    parts: dict = {}
    for number, row in _rows(book[STRUCTURE_SHEET]):
        where = f"sheet {STRUCTURE_SHEET!r}, row {number}"
        data = unflatten(row, where)
        for key in ("part", "group", "section"):
            if not data.get(key, {}).get("id"):
                raise WorkbookError(f"{where}, column {key}.id: empty")
        part = parts.setdefault(data["part"]["id"], {**data["part"], "groups": {}})
        group = part["groups"].setdefault(data["group"]["id"], {**data["group"], "sections": []})
        group["sections"].append(data["section"])
    framework["parts"] = [
        {**{k: v for k, v in part.items() if k != "groups"}, "groups": list(part["groups"].values())}
        for part in parts.values()
    ]
    sections: dict[str, dict] = {}
    known = {s["id"] for p in framework["parts"] for g in p["groups"] for s in g["sections"]}
    for part_id in parts:
        sheet_name = f"Part {part_id}"[:31]
        if sheet_name not in book.sheetnames:
            raise WorkbookError(f"sheet {sheet_name!r} is missing")
        for number, row in _rows(book[sheet_name]):
            where = f"sheet {sheet_name!r}, row {number}"
            item = unflatten(row, where)
            section_id = item.pop("section", None)
            if section_id not in known:
                raise WorkbookError(
                    f"{where}, column section: {section_id!r} is not a section in sheet {STRUCTURE_SHEET!r}"
                )
            sections.setdefault(section_id, {"id": section_id, "items": []})["items"].append(item)
    return framework, sections


def write_framework(framework: dict, sections: dict[str, dict], directory: Path) -> None:
    (directory / "sections").mkdir(parents=True, exist_ok=True)

    def dump(data, path: Path) -> None:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")

    dump(framework, directory / "framework.yaml")
    for section_id, data in sections.items():
        dump(data, directory / "sections" / f"{section_id}.yaml")

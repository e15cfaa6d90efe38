"""Offline answering through Excel: a pre-filled workbook out, a preview of changes in, then
an all-or-nothing import.

Each section has a sheet. Answers are chosen from dropdowns backed by the hidden "Lists"
sheet (long anchor texts do not fit Excel's inline list limit). Structure columns are
locked; the hidden "Version" column lets the import tell an offline change from a
conflict with a newer online edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from ceds.accounts import roles
from ceds.assessments import services
from ceds.assessments.answers import AnswerError, describe, parse_answer, service_scale_for, utilization_asked
from ceds.assessments.models import Answer, Assessment
from ceds.core.i18n import localized
from ceds.core.xlsx import NotAWorkbook, read_workbook, save_as_text
from ceds.core.zipguard import ZipRefused
from ceds.frameworks.models import Item, Section

MARKER = "ceds-assessment"
COLUMNS = ["Code", "Item", "Answer", "Status", "Level", "Utilization %", "Systems", "Version"]
CODE, TEXT, ANSWER, STATUS, LEVEL, UTIL, SYSTEMS, VERSION = range(1, 9)
# A sheet without services has no service columns. Each layout lists, per column of the sheet,
# which of the columns above it holds; both are read, so workbooks exported with the service
# columns on every sheet still import.
FULL_LAYOUT = (CODE, TEXT, ANSWER, STATUS, LEVEL, UTIL, SYSTEMS, VERSION)
PLAIN_LAYOUT = (CODE, TEXT, ANSWER, VERSION)
LAYOUTS = {tuple(COLUMNS[c - 1] for c in layout): layout for layout in (FULL_LAYOUT, PLAIN_LAYOUT)}
# Beside the answer columns (not read back, so older workbooks still import): what the
# service's utilization % counts, or why it is not asked.
UTIL_DEFINITION = 9
NA, DONT_KNOW = "N/A", "Don't know"
INSTRUCTION_ROWS = 100  # ours has 12
STATUS_LABELS = {"absent": "absent", "planned": "planned", "developing": "developing", "operating": "in operation"}


class WorkbookError(ValueError):
    """A workbook that cannot be imported; `messages` lists every problem found (each naming
    sheet, row, column and item), so that one upload reports them all."""

    def __init__(self, messages: str | list[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


def _validation(error: str, **kwargs) -> DataValidation:
    """A data validation that refuses other entries (error style "stop") and says why."""
    return DataValidation(
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=_("Not a valid answer"),
        error=error,
        **kwargs,
    )


@dataclass
class Change:
    code: str
    title: str
    old: str
    new: str
    value: dict | None
    base_version: int
    conflict: bool

    def as_session(self) -> dict:
        return {"code": self.code, "value": self.value, "base_version": self.base_version}


def _option(number, text: str) -> str:
    return f"{number} — {text}"


def _options(item: dict, definition: dict) -> list[str]:
    kind = item["kind"]
    if kind == "level":
        return [
            _option(n, localized(item["anchors"][str(n)] if str(n) in item["anchors"] else item["anchors"][n]))
            for n in range(1, 6)
        ] + [NA, DONT_KNOW]
    if kind == "scale":
        labels = item.get("point_labels") or {}
        return [
            _option(n, localized(labels.get(str(n)) or labels.get(n) or {"en": str(n)}))
            for n in range(item["points"]["min"], item["points"]["max"] + 1)
        ] + [NA]
    if kind == "binary":
        return ["yes", "no", NA]
    return []


def _service_levels(definition: dict, item: dict) -> list[str]:
    scale = (service_scale_for(definition, item) or {}).get("levels") or {}
    return [
        _option(n, localized((scale.get(str(n)) or scale.get(n) or {}).get("name") or {"en": str(n)}))
        for n in range(1, 6)
    ]


def _cell_for(item: dict, value: dict | None, definition: dict) -> dict[int, object]:
    """Workbook cells for a stored answer."""
    if not value:
        return {}
    if value.get("na"):
        return {STATUS if item["kind"] == "service" else ANSWER: NA}
    if value.get("dont_know"):
        return {ANSWER: DONT_KNOW}
    kind = item["kind"]
    if kind == "service":
        levels = _service_levels(definition, item)
        return {
            STATUS: STATUS_LABELS[value["status"]],
            LEVEL: levels[value["level"] - 1] if value.get("level") else None,
            UTIL: value.get("utilization"),
            SYSTEMS: value.get("systems"),
        }
    options = _options(item, definition)
    if kind == "level":
        return {ANSWER: options[value["value"] - 1]}
    if kind == "scale":
        return {ANSWER: options[value["value"] - item["points"]["min"]]}
    if kind == "binary":
        return {ANSWER: "yes" if value["value"] else "no"}
    return {ANSWER: value.get("value")}


def build(assessment: Assessment) -> bytes:
    definition = assessment.framework_version.definition
    sections = list(Section.objects.filter(framework_version=assessment.framework_version))
    items = list(Item.objects.filter(framework_version=assessment.framework_version).select_related("section"))
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    book = Workbook()
    info = book.active
    info.title = "Instructions"
    lists = book.create_sheet("Lists")
    lists.sheet_state = "hidden"
    bold, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
    locked_fill = PatternFill("solid", fgColor="F2F4F7")
    info.append([_("CeDS offline answers")])
    info["A1"].font = Font(bold=True, size=14)
    for row in (
        [_("City"), str(assessment.city)],
        [_("Framework"), str(assessment.framework_version)],
        [_("Period"), assessment.period],
        [_("Exported"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")],
        [],
        [_("Fill in the white cells on each section's sheet and upload the file on the assessment page.")],
        [_("Choose answers from the dropdowns. Grey columns are locked. Do not rename or reorder sheets.")],
        [
            _(
                "Before anything changes you will see a preview; answers changed online since this export are shown as conflicts and kept."
            )
        ],
        [
            _(
                "Services: status, level (when developing or in operation), utilization % (in operation only) and the systems used."
            )
        ],
        [],
        [MARKER, assessment.pk, assessment.framework_version.framework_id, assessment.framework_version.version],
    ):
        info.append(row)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 24, 60
    list_column = 0
    for section in sections:
        sheet = book.create_sheet(f"{section.code} {localized(section.title)}"[:31].replace("/", "-").replace(":", ""))
        has_services = any(i.kind == "service" for i in items if i.section_id == section.pk)
        layout = FULL_LAYOUT if has_services else PLAIN_LAYOUT

        def at(column: int, layout=layout) -> int:
            return layout.index(column) + 1

        sheet.append([COLUMNS[c - 1] for c in layout])
        for cell in sheet[1]:
            cell.font, cell.fill = bold, header_fill
        service_levels: dict[str, DataValidation] = {}
        statuses = percent = None
        if has_services:
            sheet.cell(1, UTIL_DEFINITION).value = _("Utilization: what is counted")
            sheet.cell(1, UTIL_DEFINITION).font, sheet.cell(1, UTIL_DEFINITION).fill = bold, header_fill
            sheet.column_dimensions["I"].width = 50
        for item in (i for i in items if i.section_id == section.pk):
            answer = answers.get(item.pk)
            row = (
                [item.code, localized(item.data.get("text") or item.data["title"])]
                + [None] * (len(layout) - 3)
                + [answer.version if answer else 0]
            )
            sheet.append(row)
            r = sheet.max_row
            for column, value in _cell_for(item.data, answer.value if answer else None, definition).items():
                sheet.cell(r, at(column)).value = value
            options = _options(item.data, definition)
            if options:
                list_column += 1
                for index, option in enumerate(options, start=1):
                    lists.cell(index, list_column).value = option
                letter = lists.cell(1, list_column).column_letter
                validation = _validation(
                    _("Choose an answer from the list."),
                    type="list",
                    formula1=f"=Lists!${letter}$1:${letter}${len(options)}",
                )
                sheet.add_data_validation(validation)
                validation.add(sheet.cell(r, at(ANSWER)))
            if item.kind == "service":
                if statuses is None:
                    statuses = _validation(
                        _("Choose a status from the list."),
                        type="list",
                        formula1='"absent,planned,developing,in operation,N/A"',
                    )
                    percent = _validation(
                        _("Enter a whole number from 0 to 100."),
                        type="whole",
                        operator="between",
                        formula1="0",
                        formula2="100",
                    )
                    sheet.add_data_validation(statuses)
                    sheet.add_data_validation(percent)
                scale_key = item.data.get("service_kind") or ""
                if scale_key not in service_levels:
                    list_column += 1
                    levels = _service_levels(definition, item.data)
                    for index, option in enumerate(levels, start=1):
                        lists.cell(index, list_column).value = option
                    letter = lists.cell(1, list_column).column_letter
                    service_levels[scale_key] = _validation(
                        _("Choose a level from the list."), type="list", formula1=f"=Lists!${letter}$1:${letter}$5"
                    )
                    sheet.add_data_validation(service_levels[scale_key])
                service_levels[scale_key].add(sheet.cell(r, LEVEL))
                statuses.add(sheet.cell(r, STATUS))
                utilization = item.data.get("utilization") or {}
                definition_cell = sheet.cell(r, UTIL_DEFINITION)
                definition_cell.alignment = Alignment(wrap_text=True, vertical="top")
                definition_cell.fill = locked_fill
                if utilization_asked(item.data):
                    percent.add(sheet.cell(r, UTIL))
                    if utilization.get("text"):
                        definition_cell.value = localized(utilization["text"])
                else:
                    definition_cell.value = _("Not asked for this service:") + " " + localized(utilization["not_asked"])
            for column in layout[2:-1]:
                if column == UTIL and item.kind == "service" and not utilization_asked(item.data):
                    sheet.cell(r, at(column)).fill = locked_fill  # not asked: stays locked
                    continue
                sheet.cell(r, at(column)).protection = Protection(locked=False)
            for column in (CODE, TEXT):
                sheet.cell(r, column).fill = locked_fill
            sheet.cell(r, TEXT).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 10, 70
        sheet.column_dimensions["C"].width = 50
        if has_services:
            sheet.column_dimensions["G"].width = 30
        sheet.column_dimensions[sheet.cell(1, at(VERSION)).column_letter].hidden = True
        sheet.freeze_panes = "C2"
        sheet.protection.sheet = True
        sheet.protection.formatCells = False
        sheet.protection.formatColumns = False
    return save_as_text(book)


def _layout(heading) -> tuple[int, ...] | None:
    """Which columns a sheet has, from its headings (None: headings changed)."""
    names = [str(c or "") for c in heading or ()]
    while names and not names[-1]:
        names.pop()
    return LAYOUTS.get(tuple(names))


def _number_before_dash(text: str) -> str:
    return str(text).split("—")[0].strip()


def _form_data(item: dict, cells: dict[int, object], definition: dict) -> dict | None:
    """The form-like data parse_answer() reads, from one row's cells; None: row left empty."""

    def text(column):
        value = cells.get(column)
        return "" if value is None else str(value).strip()

    if item["kind"] == "service":
        status = text(STATUS)
        if not any(text(c) for c in (STATUS, LEVEL, UTIL, SYSTEMS)):
            return None
        if status == NA:
            return {"choice": "na"}
        reverse = {label: code for code, label in STATUS_LABELS.items()}
        return {
            "status": reverse.get(status, status),
            "level": _number_before_dash(text(LEVEL)) if text(LEVEL) else "",
            "utilization": text(UTIL).removesuffix(".0"),
            "systems": text(SYSTEMS),
        }
    answer = text(ANSWER)
    if not answer:
        return None
    if answer == NA:
        return {"choice": "na"}
    if answer == DONT_KNOW:
        return {"choice": "dont_know"}
    if item["kind"] in ("level", "scale"):
        return {"value": _number_before_dash(answer)}
    return {"value": answer}


def preview(user, assessment: Assessment, upload) -> list[Change]:
    """The changes a workbook would make, or WorkbookError naming sheet, row and column."""
    try:
        with read_workbook(upload) as book:
            return _changes(user, assessment, book)
    except NotAWorkbook:
        raise WorkbookError(_("This file is not an Excel workbook (.xlsx).")) from None
    except ZipRefused as refused:
        raise WorkbookError(str(refused)) from None


def _changes(user, assessment: Assessment, book) -> list[Change]:
    if "Instructions" not in book.sheetnames:
        raise WorkbookError(_('Sheet "Instructions" is missing: this is not a CeDS workbook.'))
    marker = None
    for number, row in enumerate(book["Instructions"].iter_rows(values_only=True, max_col=4), start=1):
        if number > INSTRUCTION_ROWS:
            raise WorkbookError(
                _('Sheet "Instructions" was changed: it has more than %(n)s rows.') % {"n": INSTRUCTION_ROWS}
            )
        if row and row[0] == MARKER:
            marker = row
    expected = (MARKER, assessment.pk, assessment.framework_version.framework_id, assessment.framework_version.version)
    if marker is None or tuple(marker[:4]) != expected:
        raise WorkbookError(_("This workbook belongs to another assessment; download the workbook of this one."))
    definition = assessment.framework_version.definition
    items = {
        i.code: i for i in Item.objects.filter(framework_version=assessment.framework_version).select_related("section")
    }
    answers = {a.item.code: a for a in Answer.objects.filter(assessment=assessment).select_related("item")}
    editable = roles.editable_section_ids(user, assessment)
    changes, errors = [], []
    seen: dict[str, tuple[str, int]] = {}
    limit, counted = settings.WORKBOOK_MAX_ROWS, 0
    for sheet in book.worksheets:
        if sheet.title in ("Instructions", "Lists"):
            continue
        # Streamed row by row, never wider than our columns: the row cap bounds the work.
        rows = sheet.iter_rows(values_only=True, max_col=len(COLUMNS))
        heading = next(rows, None)
        layout = _layout(heading)
        if layout is None:
            errors.append(_('Sheet "%(sheet)s", row 1: the column headings were changed.') % {"sheet": sheet.title})
            continue
        letters = {column: "ABCDEFGH"[index] for index, column in enumerate(layout)}
        for number, row in enumerate(rows, start=2):
            counted += 1
            if counted > limit:
                # A hard stop, not one error among others: reading on is the cost the cap bounds.
                raise WorkbookError(
                    _(
                        'Sheet "%(sheet)s", row %(row)s: the workbook has more than %(limit)s rows, the most an import'
                        " takes; download a fresh workbook of this assessment and fill that in."
                    )
                    % {"sheet": sheet.title, "row": number, "limit": limit}
                )
            cells = dict(zip(layout, row, strict=False))
            code = cells.get(CODE)
            if code in (None, ""):
                continue
            item = items.get(str(code))
            if item is None:
                errors.append(
                    _('Sheet "%(sheet)s", row %(row)s, column A: %(code)s is not an item of this framework.')
                    % {"sheet": sheet.title, "row": number, "code": code}
                )
                continue
            if str(code) in seen:
                first_sheet, first_row = seen[str(code)]
                errors.append(
                    _('Sheet "%(sheet)s", row %(row)s: %(code)s is already on sheet "%(first)s", row %(first_row)s.')
                    % {"sheet": sheet.title, "row": number, "code": code, "first": first_sheet, "first_row": first_row}
                )
                continue
            seen[str(code)] = (sheet.title, number)
            data = _form_data(item.data, cells, definition)
            current = answers.get(item.code)
            try:
                value = parse_answer(item.data, data) if data is not None else None
            except AnswerError as exc:
                field = {"value": ANSWER, "status": STATUS, "level": LEVEL, "utilization": UTIL, "systems": SYSTEMS}
                column = letters.get(field.get(exc.field, ANSWER), "C")
                errors.append(
                    _('Sheet "%(sheet)s", row %(row)s, column %(column)s (%(code)s): %(reason)s')
                    % {"sheet": sheet.title, "row": number, "column": column, "code": item.code, "reason": exc}
                )
                continue
            old = current.value if current else None
            # Unchanged rows change nothing: carried-forward answers stay unconfirmed until
            # someone changes or confirms them deliberately.
            if value == old:
                continue
            if data is None:
                continue  # an emptied row never deletes an online answer
            if editable is not None and item.section_id not in editable:
                errors.append(
                    _('Sheet "%(sheet)s", row %(row)s (%(code)s): you may not answer this section.')
                    % {"sheet": sheet.title, "row": number, "code": item.code}
                )
                continue
            try:
                version = int(cells.get(VERSION) or 0)
            except (TypeError, ValueError):
                errors.append(
                    _('Sheet "%(sheet)s", row %(row)s, column %(column)s (%(code)s): the hidden version was changed.')
                    % {"sheet": sheet.title, "row": number, "code": item.code, "column": letters[VERSION]}
                )
                continue
            current_version = current.version if current else 0
            changes.append(
                Change(
                    code=item.code,
                    title=localized(item.data["title"]),
                    old=describe(item.data, old),
                    new=describe(item.data, value),
                    value=value,
                    base_version=current_version,
                    conflict=current_version != version,
                )
            )
    if errors:
        # Nothing is applied while any row is wrong; every problem is reported at once.
        raise WorkbookError(errors)
    return changes


@transaction.atomic
def apply(user, assessment: Assessment, changes: list[dict]) -> int:
    """Apply previewed changes (conflicts excluded) all together, or none if anything moved since."""
    items = {
        i.code: i for i in Item.objects.filter(framework_version=assessment.framework_version).select_related("section")
    }
    for change in changes:
        services.save_answer(user, assessment, items[change["code"]], change["value"], change["base_version"])
    return len(changes)

"""Offline answering through Excel: a pre-filled workbook out, a preview of changes in, then
an all-or-nothing import.

Each section has a sheet. Answers are chosen from dropdowns backed by the hidden "Lists"
sheet (long anchor texts do not fit Excel's inline list limit). Structure columns are
locked; the hidden "Version" column lets the import tell an offline change from a
conflict with a newer online edit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

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
from ceds.celery import eager, enqueue
from ceds.core import audit
from ceds.core.i18n import localized
from ceds.core.models import AuditEvent
from ceds.core.xlsx import NotAWorkbook, read_workbook, save_as_text
from ceds.core.zipguard import ZipRefused
from ceds.frameworks.models import Item, Section, version_items

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


# Headings stand out; cells the import does not read (or that are locked) are grey.
BOLD, HEADER_FILL = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
LOCKED_FILL = PatternFill("solid", fgColor="F2F4F7")


def build(assessment: Assessment) -> bytes:
    definition = assessment.framework_version.definition
    sections = list(Section.objects.filter(framework_version=assessment.framework_version))
    items = list(Item.objects.filter(framework_version=assessment.framework_version).select_related("section"))
    answers = {a.item_id: a for a in Answer.objects.filter(assessment=assessment)}
    book = Workbook()
    info = book.active
    info.title = "Instructions"
    lists = _Lists(book.create_sheet("Lists"))
    _write_instructions(info, assessment)
    for section in sections:
        section_items = [i for i in items if i.section_id == section.pk]
        _write_section(book, lists, section, section_items, answers, definition)
    return save_as_text(book)


def _write_instructions(info, assessment: Assessment) -> None:
    """The first sheet: what the workbook is, how to fill it in, and the marker row the
    import checks to know the workbook belongs to this assessment."""
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


class _Lists:
    """The hidden "Lists" sheet: one column per dropdown, shared by every section's sheet
    (long anchor texts do not fit Excel's inline list limit)."""

    def __init__(self, sheet):
        sheet.sheet_state = "hidden"
        self.sheet = sheet
        self.columns = 0

    def add(self, options: list[str]) -> str:
        """Write `options` down a new column; its letter, for a validation's formula."""
        self.columns += 1
        for index, option in enumerate(options, start=1):
            self.sheet.cell(index, self.columns).value = option
        return self.sheet.cell(1, self.columns).column_letter


class _ServiceValidations:
    """A sheet's dropdowns for services, made at its first service (a sheet without services
    has none): one status list and one 0-100 check for the sheet, one level list per
    service kind (each kind may name its levels)."""

    def __init__(self, sheet, lists: _Lists, definition: dict):
        self.sheet, self.lists, self.definition = sheet, lists, definition
        self.statuses: DataValidation | None = None
        self.percent: DataValidation | None = None
        self.levels: dict[str, DataValidation] = {}

    def status_and_percent(self) -> tuple[DataValidation, DataValidation]:
        if self.statuses is None or self.percent is None:
            self.statuses = _validation(
                _("Choose a status from the list."),
                type="list",
                formula1='"absent,planned,developing,in operation,N/A"',
            )
            self.percent = _validation(
                _("Enter a whole number from 0 to 100."),
                type="whole",
                operator="between",
                formula1="0",
                formula2="100",
            )
            self.sheet.add_data_validation(self.statuses)
            self.sheet.add_data_validation(self.percent)
        return self.statuses, self.percent

    def level(self, item: dict) -> DataValidation:
        scale_key = item.get("service_kind") or ""
        if scale_key not in self.levels:
            letter = self.lists.add(_service_levels(self.definition, item))
            self.levels[scale_key] = _validation(
                _("Choose a level from the list."), type="list", formula1=f"=Lists!${letter}$1:${letter}$5"
            )
            self.sheet.add_data_validation(self.levels[scale_key])
        return self.levels[scale_key]


def _sheet_title(section: Section) -> str:
    # Excel caps sheet titles at 31 characters and refuses "/" and ":" in them.
    return f"{section.code} {localized(section.title)}"[:31].replace("/", "-").replace(":", "")


def _write_section(book, lists: _Lists, section: Section, items: list, answers: dict, definition: dict) -> None:
    """One section's sheet: a heading row, then a row per item with its answer, dropdowns
    and the unlocked cells a person fills in."""
    sheet = book.create_sheet(_sheet_title(section))
    has_services = any(i.kind == "service" for i in items)
    layout = FULL_LAYOUT if has_services else PLAIN_LAYOUT
    sheet.append([COLUMNS[c - 1] for c in layout])
    for cell in sheet[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    if has_services:
        sheet.cell(1, UTIL_DEFINITION).value = _("Utilization: what is counted")
        sheet.cell(1, UTIL_DEFINITION).font, sheet.cell(1, UTIL_DEFINITION).fill = BOLD, HEADER_FILL
        sheet.column_dimensions["I"].width = 50
    services = _ServiceValidations(sheet, lists, definition)
    for item in items:
        _write_item(sheet, layout, item, answers.get(item.pk), definition, lists, services)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 10, 70
    sheet.column_dimensions["C"].width = 50
    if has_services:
        sheet.column_dimensions["G"].width = 30
    sheet.column_dimensions[sheet.cell(1, layout.index(VERSION) + 1).column_letter].hidden = True
    sheet.freeze_panes = "C2"
    # Locked cells stay locked; a person may still resize and format.
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False


def _write_item(sheet, layout, item, answer, definition: dict, lists: _Lists, services: _ServiceValidations) -> None:
    """An item's row: its stored answer, its dropdowns, and which cells may be typed in."""

    def at(column: int) -> int:
        return layout.index(column) + 1

    sheet.append(
        [item.code, localized(item.data.get("text") or item.data["title"])]
        + [None] * (len(layout) - 3)
        + [answer.version if answer else 0]
    )
    r = sheet.max_row
    for column, value in _cell_for(item.data, answer.value if answer else None, definition).items():
        sheet.cell(r, at(column)).value = value
    options = _options(item.data, definition)
    if options:
        letter = lists.add(options)
        validation = _validation(
            _("Choose an answer from the list."),
            type="list",
            formula1=f"=Lists!${letter}$1:${letter}${len(options)}",
        )
        sheet.add_data_validation(validation)
        validation.add(sheet.cell(r, at(ANSWER)))
    if item.kind == "service":
        _write_service_cells(sheet, r, item.data, services)
    for column in layout[2:-1]:
        if column == UTIL and item.kind == "service" and not utilization_asked(item.data):
            sheet.cell(r, at(column)).fill = LOCKED_FILL  # not asked: stays locked
            continue
        sheet.cell(r, at(column)).protection = Protection(locked=False)
    for column in (CODE, TEXT):
        sheet.cell(r, column).fill = LOCKED_FILL
    sheet.cell(r, TEXT).alignment = Alignment(wrap_text=True, vertical="top")


def _write_service_cells(sheet, r: int, item: dict, services: _ServiceValidations) -> None:
    """A service row's dropdowns, and beside them what its utilization counts (or why it is
    not asked), so the person filling in reads the same definition as online."""
    statuses, percent = services.status_and_percent()
    services.level(item).add(sheet.cell(r, LEVEL))
    statuses.add(sheet.cell(r, STATUS))
    utilization = item.get("utilization") or {}
    definition_cell = sheet.cell(r, UTIL_DEFINITION)
    definition_cell.alignment = Alignment(wrap_text=True, vertical="top")
    definition_cell.fill = LOCKED_FILL
    if utilization_asked(item):
        percent.add(sheet.cell(r, UTIL))
        if utilization.get("text"):
            definition_cell.value = localized(utilization["text"])
    else:
        definition_cell.value = _("Not asked for this service:") + " " + localized(utilization["not_asked"])


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
    _check_instructions(assessment, book)
    reading = _Reading(
        definition=assessment.framework_version.definition,
        items={
            i.code: i
            for i in Item.objects.filter(framework_version=assessment.framework_version).select_related("section")
        },
        answers={a.item.code: a for a in Answer.objects.filter(assessment=assessment).select_related("item")},
        editable=roles.editable_section_ids(user, assessment),
        limit=settings.WORKBOOK_MAX_ROWS,
    )
    for sheet in book.worksheets:
        if sheet.title not in ("Instructions", "Lists"):
            reading.read_sheet(sheet)
    if reading.errors:
        # Nothing is applied while any row is wrong; every problem is reported at once.
        raise WorkbookError(reading.errors)
    return reading.changes


def _check_instructions(assessment: Assessment, book) -> None:
    """Refuse a workbook that is not ours, or is another assessment's, before reading a row."""
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


# Which column an AnswerError's field is typed in.
_FIELD_COLUMNS = {"value": ANSWER, "status": STATUS, "level": LEVEL, "utilization": UTIL, "systems": SYSTEMS}


@dataclass
class _Reading:
    """One workbook being read: what its rows are checked against, and what they found so
    far (the changes, every error, where each item code was first seen, rows counted)."""

    definition: dict
    items: dict
    answers: dict
    editable: set | None
    limit: int
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seen: dict[str, tuple[str, int]] = field(default_factory=dict)
    counted: int = 0

    def read_sheet(self, sheet) -> None:
        # Streamed row by row, never wider than our columns: the row cap bounds the work.
        rows = sheet.iter_rows(values_only=True, max_col=len(COLUMNS))
        layout = _layout(next(rows, None))
        if layout is None:
            self.errors.append(
                _('Sheet "%(sheet)s", row 1: the column headings were changed.') % {"sheet": sheet.title}
            )
            return
        letters = {column: "ABCDEFGH"[index] for index, column in enumerate(layout)}
        for number, row in enumerate(rows, start=2):
            self.counted += 1
            if self.counted > self.limit:
                # A hard stop, not one error among others: reading on is the cost the cap bounds.
                raise WorkbookError(
                    _(
                        'Sheet "%(sheet)s", row %(row)s: the workbook has more than %(limit)s rows, the most an import'
                        " takes; download a fresh workbook of this assessment and fill that in."
                    )
                    % {"sheet": sheet.title, "row": number, "limit": self.limit}
                )
            found = self._read_row(sheet.title, number, dict(zip(layout, row, strict=False)), letters)
            if isinstance(found, Change):
                self.changes.append(found)
            elif found is not None:
                self.errors.append(found)

    def _read_row(self, sheet: str, number: int, cells: dict, letters: dict) -> Change | str | None:
        """A row's change, the error it has, or None (a blank row, or nothing changed)."""
        code = cells.get(CODE)
        if code in (None, ""):
            return None
        item = self.items.get(str(code))
        if item is None:
            return _('Sheet "%(sheet)s", row %(row)s, column A: %(code)s is not an item of this framework.') % {
                "sheet": sheet,
                "row": number,
                "code": code,
            }
        if str(code) in self.seen:
            first_sheet, first_row = self.seen[str(code)]
            return _('Sheet "%(sheet)s", row %(row)s: %(code)s is already on sheet "%(first)s", row %(first_row)s.') % {
                "sheet": sheet,
                "row": number,
                "code": code,
                "first": first_sheet,
                "first_row": first_row,
            }
        self.seen[str(code)] = (sheet, number)
        return self._item_change(item, sheet, number, cells, letters)

    def _item_change(self, item, sheet: str, number: int, cells: dict, letters: dict) -> Change | str | None:
        """What a row of a known item changes, once its answer, section and version are checked."""
        data = _form_data(item.data, cells, self.definition)
        current = self.answers.get(item.code)
        try:
            value = parse_answer(item.data, data) if data is not None else None
        except AnswerError as exc:
            column = letters.get(_FIELD_COLUMNS.get(exc.field, ANSWER), "C")
            return _('Sheet "%(sheet)s", row %(row)s, column %(column)s (%(code)s): %(reason)s') % {
                "sheet": sheet,
                "row": number,
                "column": column,
                "code": item.code,
                "reason": exc,
            }
        old = current.value if current else None
        # Unchanged rows change nothing: carried-forward answers stay unconfirmed until
        # someone changes or confirms them deliberately.
        if value == old:
            return None
        if data is None:
            return None  # an emptied row never deletes an online answer
        if self.editable is not None and item.section_id not in self.editable:
            return _('Sheet "%(sheet)s", row %(row)s (%(code)s): you may not answer this section.') % {
                "sheet": sheet,
                "row": number,
                "code": item.code,
            }
        try:
            version = int(cells.get(VERSION) or 0)
        except (TypeError, ValueError):
            return _(
                'Sheet "%(sheet)s", row %(row)s, column %(column)s (%(code)s): the hidden version was changed.'
            ) % {"sheet": sheet, "row": number, "code": item.code, "column": letters[VERSION]}
        current_version = current.version if current else 0
        return Change(
            code=item.code,
            title=localized(item.data["title"]),
            old=describe(item.data, old),
            new=describe(item.data, value),
            value=value,
            base_version=current_version,
            conflict=current_version != version,
        )


def import_or_queue(user, assessment: Assessment, changes: list[dict]) -> int | None:
    """Apply a confirmed import now, or hand a large one to a worker when there is a task queue
    (None): the worker applies it all or nothing and leaves the importer a notice either way."""
    from ceds.assessments import tasks  # imported here: the tasks module imports this one

    if eager() or len(changes) <= settings.CEDS_WORKBOOK_QUEUE_ROWS:
        return apply(user, assessment, changes)
    enqueue(tasks.apply_workbook, user.pk, assessment.pk, changes, uuid.uuid4().hex)
    return None


@transaction.atomic
def apply(user, assessment: Assessment, changes: list[dict], import_id: str = "") -> int:
    """Apply previewed changes (conflicts excluded) all together, or none if anything moved since.

    The import's audit event carries `import_id`, so an import applied once is not applied again
    (a worker's task delivered twice): it returns 0 then.
    """
    if import_id and AuditEvent.objects.filter(action="workbook.import", changes__import_id=import_id).exists():
        return 0
    items = version_items(assessment.framework_version)  # the process's copy, with sections
    for change in changes:
        services.save_answer(user, assessment, items[change["code"]], change["value"], change["base_version"])
    audit.record(user, "workbook.import", assessment, {"rows": len(changes), "import_id": import_id}, assessment.city)
    return len(changes)

"""Excel workbooks, safely both ways.

In: an uploaded workbook is size-checked and its zip inspected within limits
(ceds/core/zipguard.py) before openpyxl reads it read-only, and it is always closed.
Out: `save_as_text` writes every cell value as data, never as a formula.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader

from ceds.core.zipguard import ZipLimits, ZipRefused, inspect_document


class NotAWorkbook(ValueError):
    pass


def _size(source) -> int:
    size = getattr(source, "size", None)
    if size is None:
        source.seek(0, 2)
        size = source.tell()
        source.seek(0)
    return size


@contextmanager
def read_workbook(source, max_bytes: int | None = None) -> Iterator:
    """A read-only workbook (values, not formulas), closed on exit.

    `source` is a path or a file object. ZipRefused says which limit or rule the file breaks
    (too large, inflating too far, macros, foreign members); NotAWorkbook that it is not a
    workbook at all. openpyxl leaves its zip archive open when a file fails half-way through
    loading; closing it here keeps a bad upload from leaking a file handle.
    """
    if isinstance(source, str | Path):
        with open(source, "rb") as file, read_workbook(file, max_bytes) as book:
            yield book
        return
    limit = settings.WORKBOOK_MAX_BYTES if max_bytes is None else max_bytes
    size = _size(source)
    if size > limit:
        raise ZipRefused(
            _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"size": size / 1_048_576, "limit": limit / 1_048_576}
        )
    source.seek(0)
    if source.read(4) != b"PK\x03\x04":
        source.seek(0)
        raise NotAWorkbook
    source.seek(0)
    document = inspect_document(source, ZipLimits.for_workbooks(), plain_xml=True)
    if "xl/workbook.xml" not in document.names or not document.content_types:
        raise NotAWorkbook  # only an Office Open XML package has had its parts checked
    try:
        reader = ExcelReader(source, read_only=True, data_only=True)
    except Exception:  # not a zip at all: openpyxl raises many types
        raise NotAWorkbook from None
    try:
        reader.read()
    except Exception:  # a zip, but not a workbook
        reader.archive.close()
        raise NotAWorkbook from None
    try:
        yield reader.wb
    finally:
        reader.wb.close()


def save_as_text(book) -> bytes:
    """The saved workbook, with every cell openpyxl took for a formula written as text.

    openpyxl treats any string starting with "=" as a formula; our workbooks carry no formula
    of their own (dropdowns are data validations), so every such cell holds someone's text.
    Kept character for character, typed as a string, it can never run.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

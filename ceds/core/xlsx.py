"""Opening uploaded Excel workbooks safely: read-only, always closed, one error for non-workbooks."""

from collections.abc import Iterator
from contextlib import contextmanager

from openpyxl.reader.excel import ExcelReader


class NotAWorkbook(ValueError):
    pass


@contextmanager
def read_workbook(source) -> Iterator:
    """A read-only workbook (values, not formulas), closed on exit.

    openpyxl leaves its zip archive open when a file fails half-way through loading; closing
    it here keeps a bad upload from leaking a file handle.
    """
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

"""Writing tables as CSV and XLSX files that are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, prefixed with ' so it stays text.

    Text that already has a ' before such a start gets one more, so that taking one off
    (``undo_neutralising``) always gives the original back.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def undo_neutralising(value: str) -> str:
    """The text ``neutralise_cell`` was given, from a cell read back."""
    if value.startswith("'") and value[1:].lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """CSV in UTF-8 with a byte-order mark (which Excel expects), formulas neutralised."""
    stream = io.StringIO()
    stream.write("\ufeff")
    writer = csv.writer(stream)
    for row in rows:
        writer.writerow([neutralise_cell(value) for value in row])
    return stream.getvalue()


def _xlsx_cell(value: Any) -> Any:
    # XLSX cannot hold control characters (pasted from other programs, such as a vertical
    # tab); they carry no text, so they are left out rather than failing the whole export.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = neutralise_cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, sheet: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    for row in rows:
        worksheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Tables written as XLSX and CSV files that open right in a spreadsheet.

Every export of the portal builds a ``Table`` (a title, typed columns, rows, footer rows) and
answers with ``table_response``, in one of ``FORMATS``:

- XLSX: numbers as numbers (Excel shows them in the reader's own locale, so Indonesian Excel
  shows 2,20), dates as dates, the title and the date of export above a bold header row that
  stays in view, an auto-filter over the table and columns as wide as their content;
- CSV as the portal always wrote it: comma separator, decimal point;
- CSV for Excel set to Indonesian: semicolon separator, decimal comma.

Both CSV dialects are UTF-8 with a byte-order mark (which Excel expects) and write dates as
ISO dates (``2026-12-01``). Text a spreadsheet would run as a formula is neutralised in every
cell of every format.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Kinds of column: how a value is written and shown.
TEXT = "text"
INTEGER = "integer"  # counts, years, ranks, percentages as whole numbers
SCORE = "score"  # two decimals
CHANGE = "change"  # a signed difference of scores, two decimals
RUPIAH = "rupiah"  # whole Rupiah with thousands separators
DATE = "date"
DATETIME = "datetime"

# Number formats are stored locale-neutral: Excel and LibreOffice show "." and "," as the
# reader's locale has them.
NUMBER_FORMATS = {
    INTEGER: "0",
    SCORE: "0.00",
    CHANGE: "+0.00;-0.00;0.00",
    RUPIAH: "#,##0",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
}
TITLE_SIZE = 14
# Column widths in characters: no narrower than a short heading, no wider than half a screen.
MIN_WIDTH = 6
MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = TEXT


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    decimal: str


@dataclass(frozen=True)
class FileFormat:
    key: str
    label: Any  # lazy text: the button that offers it
    extension: str
    content_type: str
    dialect: Dialect | None = None
    # Added to the file name, so that both CSV files can be kept side by side.
    suffix: str = ""


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = {
    item.key: item
    for item in (
        FileFormat("xlsx", gettext_lazy("XLSX (Excel)"), "xlsx", XLSX_TYPE),
        FileFormat("csv", gettext_lazy("CSV"), "csv", CSV_TYPE, Dialect(",", ".")),
        FileFormat(
            "csv-id",
            gettext_lazy("CSV untuk Excel berbahasa Indonesia (titik koma)"),
            "csv",
            CSV_TYPE,
            Dialect(";", ","),
            suffix="-titik-koma",
        ),
    )
}


def file_format_or_404(value: str) -> FileFormat:
    """One of ``FORMATS`` by its key; 404 for anything else (a hand-made address)."""
    try:
        return FORMATS[value]
    except KeyError as error:
        raise Http404 from error


def export_links(href) -> list[tuple[Any, str]]:
    """(label, address) of each format, for ``includes/_export_buttons.html``;
    ``href(key)`` gives the address of one."""
    return [(item.label, href(key)) for key, item in FORMATS.items()]


@dataclass
class Table:
    """What an export holds; ``rows`` and ``footer`` hold plain values (str, int, Decimal,
    date, datetime or None), one per column."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    sheet: str
    # Lines between the title and the table: the date of export, what the table covers.
    notes: Sequence[str] = ()
    # Rows below the table that the page shows below it too (averages, totals), outside the
    # auto-filter so that filtering and sorting leave them in place.
    footer: Sequence[Sequence[Any]] = field(default_factory=list)


def exported_on() -> str:
    """The note of the date of export under an export's title."""
    return _("Diekspor %(date)s") % {"date": timezone.localdate().isoformat()}


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


def _local(value: datetime.datetime) -> datetime.datetime:
    # Spreadsheets have no time zones: a moment is written as the portal's local time.
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _csv_value(value: Any, kind: str, dialect: Dialect) -> str:
    if value is None:
        return ""
    if kind in (SCORE, CHANGE):
        text = f"{Decimal(value):{'+' if kind == CHANGE else ''}.2f}"
        return text.replace(".", dialect.decimal)
    if kind in (INTEGER, RUPIAH) and isinstance(value, int | Decimal):
        return str(int(value))
    if kind == DATETIME and isinstance(value, datetime.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if kind == DATE and isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise_cell(str(value))


def csv_text(table: Table, dialect: Dialect) -> str:
    """The table as CSV in ``dialect``: a header row, the rows, then the footer rows.

    The title and notes stay out, so that the file is a plain table for other programs.
    """
    stream = io.StringIO()
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=dialect.delimiter)
    writer.writerow([neutralise_cell(column.heading) for column in table.columns])
    kinds = [column.kind for column in table.columns]
    for row in (*table.rows, *table.footer):
        writer.writerow(
            [_csv_value(value, kind, dialect) for value, kind in zip(row, kinds, strict=True)]
        )
    return stream.getvalue()


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind in NUMBER_FORMATS and isinstance(value, int | float | Decimal):
        return int(value) if kind in (INTEGER, RUPIAH) else value
    if kind in (DATE, DATETIME) and isinstance(value, datetime.date):
        return _local(value) if isinstance(value, datetime.datetime) else value
    # XLSX cannot hold control characters (pasted from other programs, such as a vertical
    # tab); they carry no text, so they are left out rather than failing the whole export.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", neutralise_cell(str(value)))


def _shown_width(value: Any, kind: str) -> int:
    """About how many characters the cell shows."""
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if kind in (SCORE, CHANGE):
        return len(f"{value:+.2f}")
    if kind == RUPIAH and isinstance(value, int):
        return len(f"{value:,}")
    if kind == DATE:
        return 10
    if kind == DATETIME:
        return 16
    return len(str(value))


def xlsx_bytes(table: Table, *, extra_sheets: Sequence[Table] = (), validations=()) -> bytes:
    """The table as an XLSX workbook of one sheet, plus ``extra_sheets`` after it.

    Written in openpyxl's write-only mode, which streams rows to the file: an export of tens
    of thousands of rows stays within a modest amount of memory. ``validations`` are openpyxl
    ``DataValidation`` objects for the first sheet.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _write_sheet(workbook, table, validations=validations)
    for other in extra_sheets:
        _write_sheet(workbook, other)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header_row_number(table: Table) -> int:
    """The row of the XLSX sheet that holds the column headings: below the title, the notes
    and one empty row."""
    return 1 + len(table.notes) + 2


def _write_sheet(workbook, table: Table, *, validations=()) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    worksheet = workbook.create_sheet(sheet_name(table.sheet))
    kinds = [column.kind for column in table.columns]
    # Widths are set before the first row is written (the file lists them first), so the
    # rows are read once to measure them; the cells themselves are made as they are written.
    rows = [
        [_xlsx_value(value, kind) for value, kind in zip(row, kinds, strict=True)]
        for row in table.rows
    ]
    footer = [
        [_xlsx_value(value, kind) for value, kind in zip(row, kinds, strict=True)]
        for row in table.footer
    ]
    for number, column in enumerate(table.columns, start=1):
        widest = max(
            (_shown_width(row[number - 1], column.kind) for row in (*rows, *footer)),
            default=0,
        )
        width = min(max(widest, len(column.heading), MIN_WIDTH) + 2, MAX_WIDTH)
        worksheet.column_dimensions[get_column_letter(number)].width = width
    header_row = header_row_number(table)
    worksheet.freeze_panes = f"A{header_row + 1}"
    for validation in validations:
        worksheet.data_validations.append(validation)

    bold = Font(bold=True)
    worksheet.append(
        [_cell(worksheet, _xlsx_value(table.title, TEXT), font=Font(bold=True, size=TITLE_SIZE))]
    )
    for note in table.notes:
        worksheet.append([_xlsx_value(note, TEXT)])
    worksheet.append([])
    worksheet.append(
        [_cell(worksheet, _xlsx_value(column.heading, TEXT), font=bold) for column in table.columns]
    )
    for row in rows:
        worksheet.append(
            [_cell(worksheet, value, kind) for value, kind in zip(row, kinds, strict=True)]
        )
    last_column = get_column_letter(max(len(table.columns), 1))
    worksheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(rows)}"
    for row in footer:
        worksheet.append(
            [
                _cell(worksheet, value, kind, font=bold)
                for value, kind in zip(row, kinds, strict=True)
            ]
        )


def _cell(worksheet, value, kind=TEXT, *, font=None):
    """``value`` as it is, or in a cell of its own when it needs a number format or a font
    (write-only sheets style a cell only through a cell object)."""
    from openpyxl.cell import WriteOnlyCell

    number_format = None
    if value is not None and not isinstance(value, str):
        number_format = NUMBER_FORMATS.get(kind)
    if value is None or (number_format is None and font is None):
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    if number_format is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def sheet_name(name: str) -> str:
    # Excel refuses these characters in a sheet's name, and more than 31 characters.
    for character in "[]:*?/\\":
        name = name.replace(character, " ")
    return name[:31]


def table_response(
    table: Table, *, file_format: FileFormat, filename: str, extra_sheets=(), validations=()
) -> HttpResponse:
    """The table as a download in ``file_format``, named ``filename`` plus the extension.

    ``extra_sheets`` and ``validations`` go into an XLSX file only (see ``xlsx_bytes``).
    """
    if file_format.dialect is None:
        content = xlsx_bytes(table, extra_sheets=extra_sheets, validations=validations)
    else:
        content = csv_text(table, file_format.dialect)
    response = HttpResponse(content, content_type=file_format.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{filename}{file_format.suffix}.{file_format.extension}"'
    )
    return response

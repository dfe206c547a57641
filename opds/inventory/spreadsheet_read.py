"""Reading an uploaded CSV or XLSX file into plain rows for the import.

The rows are plain strings keyed by column, so they can wait in the session between the
preview and the confirmation without the file being uploaded again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from egov_portal.archives import ArchiveError, Entry, check_archive, entry_chunks, is_zip
from egov_portal.fields import TEXT_MAX_LENGTH
from egov_portal.spreadsheets import undo_neutralising
from opds.inventory.spreadsheet_export import COLUMNS, EXPORT_ONLY_COLUMNS, column_label
from opds.models import Application

# The longest cell worth keeping: no column takes more.
MAX_CELL = TEXT_MAX_LENGTH
# All the text of one file, kept between the preview and the confirmation: far more than an
# inventory holds, far less than a file of a few megabytes can expand to (a spreadsheet may
# repeat one long text in every cell).
MAX_TEXT = 10_000_000
# Rows read, blank ones included, as a multiple of the rows allowed.
BLANK_ROWS_FACTOR = 2
# XML elements of an XLSX part openpyxl reads whole (styles, workbook, relations…), and of one
# row per column allowed: far beyond what Excel writes, far below what would exhaust memory.
# A cell is two to four elements (more with rich text); the rows of a sheet may hold this many
# per cell of the rows and columns read, and one row ten per column.
PART_ELEMENTS = 100_000
SHEET_ELEMENTS_PER_CELL = 4
ROW_ELEMENTS_PER_COLUMN = 10


class SpreadsheetError(Exception):
    """An upload that cannot be read as an inventory spreadsheet; the message says why."""


@dataclass
class Sheet:
    """The plain content of an uploaded spreadsheet, safe to keep in a session."""

    filename: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    ignored_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "columns": self.columns,
            "rows": [[number, row] for number, row in self.rows],
            "ignored_columns": self.ignored_columns,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Sheet:
        return cls(
            filename=data["filename"],
            columns=list(data["columns"]),
            rows=[(number, dict(row)) for number, row in data["rows"]],
            ignored_columns=list(data.get("ignored_columns", [])),
        )


def _header_aliases() -> dict[str, str]:
    """Header text (lower-case) → column key; a header may be the key, its label or the
    field's name (as exports before the page's headings wrote it: "Diubah pada").

    The export's own read-only columns map to "": they are skipped without being reported
    as unknown, so that an export imports back without remarks.
    """
    aliases = {}
    field_names = {model_field.name for model_field in Application._meta.get_fields()}
    for key in COLUMNS + EXPORT_ONLY_COLUMNS:
        value = key if key in COLUMNS else ""
        aliases[key] = value
        for language in ("id", "en"):
            with translation.override(language):
                aliases[column_label(key).strip().lower()] = value
                if key in field_names:
                    name = Application._meta.get_field(key).verbose_name
                    aliases.setdefault(str(name).strip().lower(), value)
    return aliases


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


DELIMITERS = ",;\t"


def _delimiter(text: str) -> str:
    """The delimiter that splits one of the first lines into the required headings: a comma
    (the portal's CSV), a semicolon (Excel set to Indonesian and other languages writing a
    decimal comma) or a tab. Without such a line, the one the first line has most of."""
    lines = text.split("\n", MAX_TITLE_ROWS + 1)[: MAX_TITLE_ROWS + 1]
    aliases = _header_aliases()
    for delimiter in DELIMITERS:
        try:
            for cells in csv.reader(lines, delimiter=delimiter):
                if not _missing(_columns([_cell_text(cell) for cell in cells], aliases)[0]):
                    return delimiter
        except csv.Error:
            continue
    return max(DELIMITERS, key=lines[0].count)


def _csv_rows(raw: bytes) -> Iterator[list[str]]:
    if b"\x00" in raw:
        raise SpreadsheetError(_("Berkas ini bukan CSV. Unggah berkas CSV atau XLSX (Excel)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in the ANSI code page unless told otherwise.
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    number = 0
    while True:
        number += 1
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The csv module stops at a cell beyond its field size limit (or a broken
            # quote) and cannot go on reliably after it: the file is refused at that row.
            raise SpreadsheetError(
                _(
                    "Baris %(row)s tidak dapat dibaca: sebuah sel lebih panjang dari %(limit)s "
                    "karakter, atau tanda kutipnya tidak ditutup. Sel paling panjang %(max)s "
                    "karakter; perbaiki baris itu, lalu unggah lagi."
                )
                % {
                    "row": number,
                    "limit": intcomma(csv.field_size_limit()),
                    "max": intcomma(MAX_CELL),
                }
            ) from error


def _unreadable() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "Berkas XLSX ini tidak dapat dibaca. Simpan ulang dari Excel sebagai .xlsx, lalu "
            "unggah lagi."
        )
    )


def _too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("Berkas memuat lebih dari %(max)s baris. Bagi data menjadi beberapa berkas.")
        % {"max": intcomma(max_rows)}
    )


class _PartCheck:
    """Counts the elements of one XML part as a streaming parser meets them."""

    def __init__(self, part: str, *, max_rows: int, max_columns: int):
        self.part = part
        self.max_rows = max_rows
        self.rows_read = BLANK_ROWS_FACTOR * (max_rows + 1)
        self.row_limit = ROW_ELEMENTS_PER_COLUMN * max_columns
        self.string_limit = (max_rows + 1) * max_columns
        self.sheet_limit = SHEET_ELEMENTS_PER_CELL * self.string_limit
        self.root = None
        self.elements = self.rows = self.strings = self.row_elements = 0
        self.in_row = 0  # elements met in the current row, the row's own included
        self.row_number = ""

    def refuse(self) -> SpreadsheetError:
        return SpreadsheetError(
            _(
                "Berkas XLSX ini terlalu rumit untuk diimpor (bagian %(part)s memuat terlalu "
                "banyak unsur). Salin datanya saja (tempel sebagai nilai) ke buku kerja baru, "
                "simpan, lalu unggah lagi."
            )
            % {"part": self.part[:80]}
        )

    def start(self, name: str, attributes: dict) -> None:
        local = name.rpartition(":")[2]
        if self.root is None:
            self.root = local
        if self.in_row:
            self.in_row += 1
            self.row_elements += 1
            if self.row_elements > self.sheet_limit:
                raise self.refuse()
            if self.in_row > self.row_limit:
                raise SpreadsheetError(
                    _(
                        "Baris %(row)s lembar kerja memuat terlalu banyak sel. Hapus isi dan "
                        "format kolom yang tidak dipakai, lalu unggah lagi."
                    )
                    % {"row": self.row_number}
                )
        elif local == "row" and self.root == "worksheet":
            self.rows += 1
            if self.rows > self.rows_read:
                raise _too_many_rows(self.max_rows)
            self.in_row = 1
            self.row_number = attributes.get("r") or str(self.rows)
        elif local == "si" and self.root == "sst":
            self.strings += 1
            if self.strings > self.string_limit:
                raise self.refuse()
        elif self.root != "sst":
            self.elements += 1
            if self.elements > PART_ELEMENTS:
                raise self.refuse()

    def end(self, name: str) -> None:
        if name.rpartition(":")[2] == "row":
            self.in_row = 0


def _no_doctype(*args) -> None:
    # Office Open XML has no document type; one here could only declare entities.
    raise _unreadable()


def _check_xml_parts(buffer, entries: list[Entry], *, max_rows: int, max_columns: int) -> None:
    """Refuse an XLSX whose XML would make openpyxl build more than the limits allow.

    openpyxl builds objects for every element of the parts it reads whole (shared strings,
    styles, the workbook) and for every cell of a row it reads, however many columns are
    asked for: a row of a million cells fits in a small file. A sheet without the element
    giving its size is read to its end before the first row comes. Counted here first, with a
    streaming parser, in constant memory, stopping at the first limit passed.
    """
    for entry in entries:
        if not entry.name.lower().endswith((".xml", ".rels")):
            continue
        check = _PartCheck(entry.name, max_rows=max_rows, max_columns=max_columns)
        parser = expat.ParserCreate()
        parser.StartElementHandler = check.start
        parser.EndElementHandler = check.end
        parser.StartDoctypeDeclHandler = _no_doctype
        try:
            for chunk in entry_chunks(buffer, entry):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise _unreadable() from error
        except ArchiveError as error:
            raise SpreadsheetError(error.message) from error


def _xlsx_rows(raw: bytes, *, max_rows: int, max_columns: int) -> Iterator[tuple]:
    buffer = io.BytesIO(raw)
    if not is_zip(buffer):
        raise _unreadable()
    try:
        entries = check_archive(buffer)
    except ArchiveError as error:
        raise SpreadsheetError(error.message) from error
    _check_xml_parts(buffer, entries, max_rows=max_rows, max_columns=max_columns)
    buffer.seek(0)
    from openpyxl import load_workbook

    try:
        # Read-only: rows are parsed as they are asked for, and the reading stops with the
        # caller, never loading the whole sheet.
        workbook = load_workbook(buffer, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _unreadable() from error
    try:
        yield from workbook.worksheets[0].iter_rows(max_col=max_columns + 1, values_only=True)
    except SpreadsheetError:
        raise
    except Exception as error:
        raise _unreadable() from error
    finally:
        workbook.close()


REQUIRED_COLUMNS = ("opd", "name")
# Rows above the column headings that are passed over: an export's title and notes.
MAX_TITLE_ROWS = 10


def _columns(header: list[str], aliases: dict[str, str]) -> tuple[list[str], list[str]]:
    """The column key of each header cell ("" for one not imported), and the unknown titles."""
    columns, ignored = [], []
    for title in header:
        key = aliases.get(title.lower())
        if key and key not in columns:
            columns.append(key)
        else:
            columns.append("")
            if title and key != "":
                ignored.append(title[:100])
    return columns, ignored


def _missing(columns: list[str]) -> list[str]:
    return [key for key in REQUIRED_COLUMNS if key not in columns]


def _no_header(candidates: list[list[str]]) -> SpreadsheetError:
    columns = max(candidates, key=lambda keys: sum(1 for key in keys if key))
    return SpreadsheetError(
        _("Baris judul harus memuat kolom %(columns)s. Unduh templat atau ekspor sebagai contoh.")
        % {"columns": ", ".join(f"“{column_label(key)}”" for key in _missing(columns))}
    )


def read_spreadsheet(upload, *, max_bytes: int) -> Sheet:
    """Read an uploaded .csv or .xlsx file into a Sheet, or raise SpreadsheetError.

    Rows are read one at a time and reading stops at the limits: more rows than
    ``INVENTORY_IMPORT_MAX_ROWS`` (after the header), a header wider than
    ``INVENTORY_IMPORT_MAX_COLUMNS`` or more text than ``MAX_TEXT`` is refused as soon as it
    shows. A cell longer than ``MAX_CELL`` keeps only that much and one character more: enough
    for the preview to say it is too long, without carrying all of it.
    """
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in {"csv", "xlsx"}:
        raise SpreadsheetError(
            _("Jenis berkas tidak didukung. Unggah berkas .csv atau .xlsx (Excel).")
        )
    if upload.size > max_bytes:
        raise SpreadsheetError(
            _(
                "Berkas terlalu besar (%(size)s); batasnya %(limit)s. Bagi data menjadi "
                "beberapa berkas."
            )
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    max_rows = settings.INVENTORY_IMPORT_MAX_ROWS
    max_columns = settings.INVENTORY_IMPORT_MAX_COLUMNS
    too_many_rows = _too_many_rows(max_rows)
    raw = upload.read(max_bytes + 1)
    if extension == "csv":
        table = _csv_rows(raw)
    else:
        table = _xlsx_rows(raw, max_rows=max_rows, max_columns=max_columns)
    columns: list[str] | None = None
    ignored: list[str] = []
    # The rows above the headings; when none has the required columns, the message names
    # what the one closest to headings lacks.
    titles: list[list[str]] = []
    aliases = _header_aliases()
    rows: list[tuple[int, dict[str, str]]] = []
    text = 0
    try:
        for number, cells in enumerate(table, start=1):
            # Blank rows count too, so that a sheet of a million empty rows ends as soon.
            if number > BLANK_ROWS_FACTOR * (max_rows + 1):
                raise too_many_rows
            cells = [_cell_text(cell)[: MAX_CELL + 1] for cell in cells[: max_columns + 1]]
            if not any(cells):
                continue
            if columns is None:
                found, found_ignored = _columns(cells, aliases)
                if _missing(found):
                    titles.append(found)
                    if len(titles) > MAX_TITLE_ROWS:
                        raise _no_header(titles)
                    continue
                if any(cells[max_columns:]):
                    raise SpreadsheetError(
                        _(
                            "Baris judul memuat lebih dari %(max)s kolom. Hapus kolom yang tidak "
                            "diimpor, lalu unggah lagi."
                        )
                        % {"max": max_columns}
                    )
                columns, ignored = found, found_ignored
                continue
            if len(rows) >= max_rows:
                raise too_many_rows
            row = {}
            for key, cell in zip(columns, cells, strict=False):
                if key:
                    row[key] = undo_neutralising(cell)
                    text += len(row[key])
            if text > MAX_TEXT:
                raise SpreadsheetError(
                    _(
                        "Berkas memuat lebih dari %(max)s karakter teks. Bagi data menjadi "
                        "beberapa berkas."
                    )
                    % {"max": intcomma(MAX_TEXT)}
                )
            rows.append((number, row))
    finally:
        table.close()
    if columns is None:
        if titles:
            raise _no_header(titles)
        raise SpreadsheetError(_("Berkas ini kosong."))
    if not rows:
        raise SpreadsheetError(_("Berkas ini hanya memuat baris judul, tanpa data."))
    present = [key for key in columns if key]
    return Sheet(filename=name, columns=present, rows=rows, ignored_columns=ignored)

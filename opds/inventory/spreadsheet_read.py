"""Reading an uploaded CSV or XLSX file into plain rows for the import.

The rows are plain strings keyed by column, so they can wait in the session between the
preview and the confirmation without the file being uploaded again.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from egov_portal.spreadsheets import undo_neutralising
from opds.inventory.spreadsheet_export import COLUMNS, EXPORT_ONLY_COLUMNS, column_label

MAX_ROWS = 5000


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
    """Header text (lower-case) → column key; a header may be the key or its label.

    The export's own read-only columns map to "": they are skipped without being reported
    as unknown, so that an export imports back without remarks.
    """
    aliases = {}
    for key in COLUMNS + EXPORT_ONLY_COLUMNS:
        value = key if key in COLUMNS else ""
        aliases[key] = value
        for language in ("id", "en"):
            with translation.override(language):
                aliases[column_label(key).strip().lower()] = value
    return aliases


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(raw: bytes) -> list[list[str]]:
    if b"\x00" in raw:
        raise SpreadsheetError(_("Berkas ini bukan CSV. Unggah berkas CSV atau XLSX (Excel)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in the ANSI code page unless told otherwise.
        text = raw.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    unreadable = _(
        "Berkas XLSX ini tidak dapat dibaca. Simpan ulang dari Excel sebagai .xlsx, lalu unggah "
        "lagi."
    )
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise SpreadsheetError(unreadable)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetError(unreadable) from error
    return rows


def read_spreadsheet(upload, *, max_bytes: int) -> Sheet:
    """Read an uploaded .csv or .xlsx file into a Sheet, or raise SpreadsheetError."""
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
    raw = upload.read(max_bytes + 1)
    table = _csv_rows(raw) if extension == "csv" else _xlsx_rows(raw)
    numbered = [(number, row) for number, row in enumerate(table, start=1) if any(row)]
    if not numbered:
        raise SpreadsheetError(_("Berkas ini kosong."))
    header_number, header = numbered[0]
    aliases = _header_aliases()
    columns, ignored = [], []
    for title in header:
        key = aliases.get(_cell_text(title).lower())
        if key and key not in columns:
            columns.append(key)
        else:
            columns.append("")
            if _cell_text(title) and key != "":
                ignored.append(_cell_text(title))
    missing = [key for key in ("opd", "name") if key not in columns]
    if missing:
        raise SpreadsheetError(
            _("Baris judul harus memuat kolom %(columns)s. Unduh ekspor sebagai contoh.")
            % {"columns": ", ".join(f"“{column_label(key)}”" for key in missing)}
        )
    rows = []
    for number, cells in numbered[1:]:
        row = {
            key: undo_neutralising(_cell_text(cell))
            for key, cell in zip(columns, cells, strict=False)
            if key
        }
        rows.append((number, row))
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(
            _("Berkas memuat lebih dari %(max)s baris. Bagi data menjadi beberapa berkas.")
            % {"max": MAX_ROWS}
        )
    if not rows:
        raise SpreadsheetError(_("Berkas ini hanya memuat baris judul, tanpa data."))
    present = [key for key in columns if key]
    return Sheet(filename=name, columns=present, rows=rows, ignored_columns=ignored)

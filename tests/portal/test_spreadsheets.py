"""The one writer of every export: typed XLSX cells, the title above a frozen header, and the
two CSV dialects, read back with openpyxl and the csv module."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import Http404
from openpyxl import load_workbook

from egov_portal.spreadsheets import (
    CHANGE,
    DATE,
    DATETIME,
    FORMATS,
    INTEGER,
    MAX_WIDTH,
    RUPIAH,
    SCORE,
    Column,
    Table,
    csv_text,
    file_format_or_404,
    table_response,
    xlsx_bytes,
)

COLUMNS = [
    Column("Nama"),
    Column("Jumlah", INTEGER),
    Column("Skor", SCORE),
    Column("Perubahan", CHANGE),
    Column("Anggaran", RUPIAH),
    Column("Tanggal", DATE),
    Column("Diubah", DATETIME),
]
ROWS = [
    [
        "=SUM(A1)",
        12,
        Decimal("2.2"),
        Decimal("-0.12"),
        1_250_000,
        datetime.date(2026, 12, 1),
        datetime.datetime(2026, 12, 1, 9, 30),
    ],
    ["Panjang " * 40, None, None, None, None, None, None],
]


def table(**kwargs):
    values = {
        "title": "Peringkat e-Government Provinsi Kalimantan Tengah 2019",
        "notes": ["Diekspor 2026-12-01"],
        "sheet": "Peringkat 2019",
        "columns": COLUMNS,
        "rows": ROWS,
        "footer": [["Rata-rata", None, Decimal("2.25"), None, None, None, None]],
    }
    return Table(**{**values, **kwargs})


def workbook(**kwargs):
    return load_workbook(io.BytesIO(xlsx_bytes(table(**kwargs))))


def test_xlsx_has_the_title_and_date_above_a_bold_frozen_header_with_a_filter():
    sheet = workbook().active
    assert sheet.title == "Peringkat 2019"
    assert sheet["A1"].value == "Peringkat e-Government Provinsi Kalimantan Tengah 2019"
    assert sheet["A1"].font.b
    assert sheet["A2"].value == "Diekspor 2026-12-01"
    assert [cell.value for cell in sheet[4]] == [column.heading for column in COLUMNS]
    assert all(cell.font.b for cell in sheet[4])
    assert sheet.freeze_panes == "A5"
    # The footer (row 7) stays out of the filter, so that sorting leaves it below the table.
    assert sheet.auto_filter.ref == "A4:G6"
    assert sheet["A7"].value == "Rata-rata" and sheet["A7"].font.b


def test_xlsx_numbers_dates_and_rupiah_are_typed_with_their_formats():
    sheet = workbook().active
    cells = {column.heading: sheet.cell(row=5, column=n) for n, column in enumerate(COLUMNS, 1)}
    assert (cells["Jumlah"].value, cells["Jumlah"].data_type) == (12, "n")
    assert cells["Jumlah"].number_format == "0"
    assert (cells["Skor"].value, cells["Skor"].data_type) == (2.2, "n")
    # Stored locale-neutral: Indonesian Excel shows 2,20 and 1.250.000.
    assert cells["Skor"].number_format == "0.00"
    assert cells["Perubahan"].value == -0.12
    assert cells["Perubahan"].number_format == "+0.00;-0.00;0.00"
    assert (cells["Anggaran"].value, cells["Anggaran"].number_format) == (1_250_000, "#,##0")
    assert cells["Tanggal"].data_type == "d"
    assert cells["Tanggal"].number_format == "yyyy-mm-dd"
    assert cells["Tanggal"].value.date() == datetime.date(2026, 12, 1)
    assert cells["Diubah"].value == datetime.datetime(2026, 12, 1, 9, 30)
    assert cells["Diubah"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["C7"].value == 2.25 and sheet["C7"].number_format == "0.00"


def test_xlsx_columns_are_as_wide_as_their_content_within_bounds():
    widths = {key: dim.width for key, dim in workbook().active.column_dimensions.items()}
    # The long text stops at the bound; "Jumlah" is as wide as its heading, "Diubah" as its
    # date and time.
    assert widths["A"] == MAX_WIDTH
    assert widths["B"] == len("Jumlah") + 2
    assert widths["G"] == len("2026-12-01 09:30") + 2


def test_xlsx_text_that_would_run_as_a_formula_stays_text_in_every_cell():
    sheet = workbook(title="=HYPERLINK(1)", notes=["+62 811"]).active
    assert sheet["A1"].value == "'=HYPERLINK(1)"
    assert sheet["A2"].value == "'+62 811"
    assert (sheet["A5"].value, sheet["A5"].data_type) == ("'=SUM(A1)", "s")


def read_csv(text, delimiter):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_csv_writes_a_decimal_point_and_iso_dates_separated_by_commas():
    rows = read_csv(csv_text(table(), FORMATS["csv"].dialect), ",")
    assert rows[0] == [column.heading for column in COLUMNS]
    assert rows[1] == [
        "'=SUM(A1)",
        "12",
        "2.20",
        "-0.12",
        "1250000",
        "2026-12-01",
        "2026-12-01 09:30",
    ]
    assert rows[3] == ["Rata-rata", "", "2.25", "", "", "", ""]


def test_csv_for_indonesian_excel_writes_semicolons_and_decimal_commas():
    text = csv_text(table(), FORMATS["csv-id"].dialect)
    rows = read_csv(text, ";")
    assert rows[1] == [
        "'=SUM(A1)",
        "12",
        "2,20",
        "-0,12",
        "1250000",
        "2026-12-01",
        "2026-12-01 09:30",
    ]
    assert rows[3][:3] == ["Rata-rata", "", "2,25"]
    # Read as comma-separated it would be one column a row: the dialects really differ.
    assert len(read_csv(text, ",")[1]) < len(COLUMNS)


def test_csv_leaves_the_title_out_so_the_header_is_the_first_line():
    assert csv_text(table(), FORMATS["csv"].dialect).splitlines()[0] == "\ufeff" + ",".join(
        column.heading for column in COLUMNS
    )


@pytest.mark.parametrize(
    ("key", "content_type", "filename"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "t.xlsx"),
        ("csv", "text/csv; charset=utf-8", "t.csv"),
        ("csv-id", "text/csv; charset=utf-8", "t-titik-koma.csv"),
    ],
)
def test_each_format_downloads_under_its_own_name(key, content_type, filename):
    response = table_response(table(), file_format=FORMATS[key], filename="t")
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.parametrize("value", ["pdf", "CSV", "", "xlsx "])
def test_a_format_the_portal_does_not_write_is_not_found(value):
    with pytest.raises(Http404):
        file_format_or_404(value)

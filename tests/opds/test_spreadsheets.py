import csv
import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from egov_portal.spreadsheets import undo_neutralising
from opds.inventory import (
    SpreadsheetError,
    export_csv,
    export_xlsx,
    import_apply,
    import_preview,
    neutralise_cell,
    read_spreadsheet,
)
from opds.models import Application
from tests.opds.factories import ApplicationFactory

LIMIT = 2 * 1024 * 1024


def csv_upload(rows, name="katalog.csv", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")


def xlsx_upload(rows, name="katalog.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def sheet_of(rows, **kwargs):
    return read_spreadsheet(csv_upload(rows, **kwargs), max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+62 811", "'+62 811"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("'=1+1", "''=1+1"),
        ("'SIMPEG", "'SIMPEG"),
        ("SIMPEG", "SIMPEG"),
        (2019, 2019),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize("value", ["=1+1", "'=1+1", "''@x", "'SIMPEG", "-", "'", "\tx"])
def test_reading_a_neutralised_cell_gives_the_original_back(value):
    assert undo_neutralising(neutralise_cell(value)) == value


def test_csv_export_neutralises_formulas_and_lists_the_filtered_rows(kominfo, dukcapil):
    ApplicationFactory(opd=kominfo, name="=cmd|' /C calc'!A0", notes="@SUM(1+1)")
    ApplicationFactory(opd=dukcapil, name="SIAK")
    stream = io.StringIO()
    export_csv(Application.objects.filter(opd=kominfo), stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue().lstrip("\ufeff"))))
    assert rows[0][:3] == ["Nama aplikasi", "OPD pemilik", "Kode wilayah"]
    assert len(rows) == 2
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert "'@SUM(1+1)" in rows[1]


def test_xlsx_export_writes_formulas_as_plain_text(kominfo):
    ApplicationFactory(opd=kominfo, name="=1+1", year_built=2018)
    sheet = load_workbook(io.BytesIO(export_xlsx(Application.objects.all()))).active
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "Nama aplikasi")
    row = [cell.value for cell in sheet[header + 1]]
    assert row[0] == "'=1+1"
    assert sheet.cell(row=header + 1, column=1).data_type == "s"
    assert 2018 in row


def test_export_round_trips_through_import_without_changes(kominfo, dukcapil, opd_staff):
    ApplicationFactory(opd=kominfo, name="Portal", url="https://gunungmaskab.go.id")
    other = ApplicationFactory(opd=kominfo, name="=Aneh")
    other.user_opds.set([dukcapil])
    upload = SimpleUploadedFile("ekspor.xlsx", export_xlsx(Application.objects.all()))
    preview = import_preview(read_spreadsheet(upload, max_bytes=LIMIT), user=opd_staff)
    assert [(row.action, row.name, row.changes) for row in preview.rows] == [
        ("unchanged", "=Aneh", []),
        ("unchanged", "Portal", []),
    ]


def test_a_row_listing_integrations_matches_its_own_application(kominfo, admin_user):
    simpeg = ApplicationFactory(opd=kominfo, name="SIMPEG")
    ApplicationFactory(opd=kominfo, name="E-Kinerja").integrations.set([simpeg])
    sheet = sheet_of(
        [
            ["Kode wilayah", "OPD pemilik", "Nama aplikasi", "Terintegrasi dengan"],
            ["62.10", "Diskominfo,SP", "E-Kinerja", "SIMPEG"],
        ]
    )
    row = import_preview(sheet, user=admin_user).rows[0]
    assert (row.action, row.existing.name) == ("unchanged", "E-Kinerja")
    assert import_apply(sheet, user=admin_user).creates == 0
    assert Application.objects.filter(name="E-Kinerja").count() == 1


def test_preview_lists_every_row_as_create_update_unchanged_or_error(scoped_world, opd_staff):
    ApplicationFactory(opd=scoped_world["kominfo"], name="SIMPEG", status="active")
    ApplicationFactory(opd=scoped_world["kominfo"], name="Arsip")
    ApplicationFactory(opd=scoped_world["dukcapil"], name="SIAK Lama", status="active")
    sheet = sheet_of(
        [
            ["OPD pemilik", "Nama aplikasi", "Status", "Tahun dibangun", "Kolom lain"],
            ["Diskominfo,SP", "simpeg", "Tidak aktif", "2015", "x"],
            ["Dinas Komunikasi, Informatika, Statistik dan Persandian", "E-Office", "", "", ""],
            ["Disdukcapil", "SIAK", "active", "", ""],
            ["Dinas Kominfo Katingan", "Portal", "", "", ""],
            ["Diskominfo,SP", "Rusak", "hidup", "dua ribu", ""],
            ["Diskominfo,SP", "E-OFFICE", "", "", ""],
            ["", "", "", "", ""],
            ["Diskominfo,SP", "", "", "", ""],
            ["Diskominfo,SP", "Arsip", "", "", ""],
            ["Disdukcapil", "SIAK Lama", "Aktif", "", ""],
        ]
    )
    preview = import_preview(sheet, user=opd_staff)
    rows = {row.number: row for row in preview.rows}
    assert rows[2].action == "update"
    assert rows[2].changes == ["Nama aplikasi", "Status", "Tahun dibangun"]
    assert rows[3].action == "create"
    assert rows[4].action == "error"
    assert "tidak dapat menambah aplikasi untuk Disdukcapil" in rows[4].errors[0]
    assert rows[5].action == "error"
    assert "tidak dikenal di wilayah 62.10" in rows[5].errors[0]
    assert rows[6].action == "error"
    assert len(rows[6].errors) == 2
    assert "sudah ada di baris 3" in rows[7].errors[0]
    assert 8 not in rows
    assert "nama aplikasi kosong" in rows[9].errors[0]
    # Another OPD's row that changes nothing is no error for an OPD operator.
    assert (rows[10].action, rows[11].action) == ("unchanged", "unchanged")
    assert (preview.creates, preview.updates, preview.unchanged, preview.error_count) == (
        1,
        1,
        2,
        5,
    )
    assert preview.ignored_columns == ["Kolom lain"]
    assert Application.objects.get(name="SIMPEG").status == "active"


def test_apply_changes_nothing_when_any_row_is_refused(scoped_world, opd_staff):
    ApplicationFactory(opd=scoped_world["kominfo"], name="SIMPEG", status="active")
    sheet = sheet_of(
        [
            ["opd", "name", "status"],
            ["Diskominfo,SP", "SIMPEG", "inactive"],
            ["Diskominfo,SP", "E-Office", "active"],
            ["Disdukcapil", "SIAK", "active"],
        ]
    )
    with pytest.raises(ValidationError) as error:
        import_apply(sheet, user=opd_staff)
    assert "tidak ada yang diterapkan" in error.value.messages[0]
    assert list(Application.objects.values_list("name", "status")) == [("SIMPEG", "active")]


def test_apply_creates_and_updates_in_one_go_with_history(scoped_world, opd_staff):
    ApplicationFactory(opd=scoped_world["kominfo"], name="SIMPEG")
    sheet = sheet_of(
        [
            ["opd", "name", "platform", "OPD pengguna", "Terintegrasi dengan"],
            ["Diskominfo,SP", "E-Office", "web", "Disdukcapil; Diskominfo,SP", "SIMPEG"],
            ["Diskominfo,SP", "Portal", "Web", "", "e-office"],
            ["Diskominfo,SP", "simpeg", "Seluler", "", ""],
        ],
        delimiter=";",
    )
    preview = import_apply(sheet, user=opd_staff)
    assert (preview.creates, preview.updates) == (2, 1)
    e_office = Application.objects.get(name="E-Office")
    assert {str(opd) for opd in e_office.user_opds.all()} == {"Disdukcapil", "Diskominfo,SP"}
    # The last row matched SIMPEG ignoring case and wrote the name as the file spells it.
    assert [app.name for app in e_office.integrations.all()] == ["simpeg"]
    assert [app.name for app in Application.objects.get(name="Portal").integrations.all()] == [
        "E-Office"
    ]
    simpeg = Application.objects.get(name__iexact="simpeg")
    assert simpeg.platform == "mobile"
    entry = simpeg.history.latest()
    assert (entry.history_user, entry.history_change_reason) == (opd_staff, "Impor berkas")


def test_admin_imports_into_any_region_with_the_region_column(scoped_world, admin_user):
    sheet = sheet_of(
        [
            ["Kode wilayah", "OPD pemilik", "Nama aplikasi"],
            ["62.06", "Diskominfo", "Portal Katingan"],
            ["", "Diskominfo", "Tanpa wilayah"],
        ]
    )
    preview = import_preview(sheet, user=admin_user)
    assert [row.action for row in preview.rows] == ["create", "error"]
    assert "kode wilayah kosong" in preview.rows[1].errors[0]


def test_import_cannot_reach_opds_of_regions_the_user_cannot_see(scoped_world, opd_staff):
    sheet = sheet_of([["region", "opd", "name"], ["62.06", "Diskominfo", "Portal"]])
    row = import_preview(sheet, user=opd_staff).rows[0]
    assert row.action == "error"
    assert "tidak dikenal" in row.errors[0]


def test_xlsx_files_are_read_like_csv(scoped_world, opd_staff):
    upload = xlsx_upload(
        [["OPD pemilik", "Nama aplikasi", "Tahun dibangun"], ["Diskominfo,SP", "SIMPEG", 2015]]
    )
    preview = import_preview(read_spreadsheet(upload, max_bytes=LIMIT), user=opd_staff)
    assert preview.rows[0].action == "create"
    assert preview.rows[0].data["year_built"] == 2015


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("katalog.pdf", b"%PDF-1.4"), "Jenis berkas tidak didukung"),
        (SimpleUploadedFile("katalog.xlsx", b"bukan zip"), "tidak dapat dibaca"),
        (SimpleUploadedFile("katalog.csv", b"\x00\x01\x02"), "bukan CSV"),
        (SimpleUploadedFile("katalog.csv", b"nama,status\nSIMPEG,active\n"), "Baris judul"),
        (SimpleUploadedFile("katalog.csv", b"opd,name\n"), "tanpa data"),
        (SimpleUploadedFile("katalog.csv", b""), "kosong"),
    ],
)
def test_unreadable_uploads_get_a_clear_message(upload, message):
    with pytest.raises(SpreadsheetError) as error:
        read_spreadsheet(upload, max_bytes=LIMIT)
    assert message in str(error.value)


def test_oversized_upload_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("katalog.csv", b"opd,name\n" + b"x,y\n" * 300)
    with pytest.raises(SpreadsheetError) as error:
        read_spreadsheet(upload, max_bytes=1000)
    assert "terlalu besar" in str(error.value)


def xlsx_from_xml(sheet_data, shared_strings=None, name="katalog.xlsx"):
    """An XLSX made by openpyxl whose sheet (and shared strings) are the XML given, so that
    files of any shape are quick to build."""
    workbook = Workbook()
    workbook.active.append(["x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts = {
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{sheet_data}'
        "</sheetData></worksheet>"
    }
    source = zipfile.ZipFile(buffer)
    if shared_strings is not None:
        items = "".join(f"<si><t>{text}</t></si>" for text in shared_strings)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{main}">{items}</sst>'
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
        parts["[Content_Types].xml"] = (
            source.read("[Content_Types].xml")
            .decode()
            .replace(
                "</Types>",
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>',
            )
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, parts.pop(info.filename, source.read(info)))
        for part, content in parts.items():
            archive.writestr(part, content)
    return SimpleUploadedFile(name, out.getvalue())


def cell(text):
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def row(number, *texts):
    return f'<row r="{number}">{"".join(cell(text) for text in texts)}</row>'


HEADER = row(1, "OPD pemilik", "Nama aplikasi")


def measured_refusal(upload):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(SpreadsheetError) as error:
            read_spreadsheet(upload, max_bytes=LIMIT)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return str(error.value), peak, time.perf_counter() - started


def test_an_xlsx_of_100_000_rows_stops_at_the_row_limit_with_a_message():
    rows = "".join(row(n, "Diskominfo,SP", f"Aplikasi {n}") for n in range(2, 100_002))
    upload = xlsx_from_xml(HEADER + rows)
    assert upload.size < LIMIT
    message, peak, seconds = measured_refusal(upload)
    assert message == "Berkas memuat lebih dari 5.000 baris. Bagi data menjadi beberapa berkas."
    assert peak < 20 * 1024 * 1024
    assert seconds < 5


def test_rows_beyond_the_limit_are_refused_while_reading(settings):
    settings.INVENTORY_IMPORT_MAX_ROWS = 3
    upload = xlsx_from_xml(HEADER + "".join(row(n, "Diskominfo,SP", f"A{n}") for n in range(2, 6)))
    with pytest.raises(SpreadsheetError, match="lebih dari 3 baris"):
        read_spreadsheet(upload, max_bytes=LIMIT)
    exactly = xlsx_from_xml(HEADER + "".join(row(n, "Diskominfo,SP", f"A{n}") for n in range(2, 5)))
    assert len(read_spreadsheet(exactly, max_bytes=LIMIT).rows) == 3
    csv_rows = [["opd", "name"]] + [["Diskominfo,SP", f"A{n}"] for n in range(4)]
    with pytest.raises(SpreadsheetError, match="lebih dari 3 baris"):
        sheet_of(csv_rows)


def test_a_row_of_a_hundred_thousand_cells_is_refused_before_openpyxl_builds_it():
    wide = row(2, *(str(number) for number in range(100_000)))
    message, peak, seconds = measured_refusal(xlsx_from_xml(HEADER + wide))
    assert message.startswith("Baris 2 lembar kerja memuat terlalu banyak sel.")
    assert peak < 20 * 1024 * 1024
    assert seconds < 5


def test_a_header_wider_than_the_column_limit_is_refused(settings):
    settings.INVENTORY_IMPORT_MAX_COLUMNS = 5
    header = ["OPD pemilik", "Nama aplikasi", "a", "b", "c", "d"]
    with pytest.raises(SpreadsheetError, match="lebih dari 5 kolom"):
        sheet_of([header, ["Diskominfo,SP", "SIMPEG", "", "", "", ""]])
    # Columns past the limit are never read in the rows below the header.
    sheet = sheet_of([header[:2], ["Diskominfo,SP", "SIMPEG", "", "", "", "", "z" * 9000]])
    assert sheet.rows == [(2, {"opd": "Diskominfo,SP", "name": "SIMPEG"})]


def test_a_csv_cell_beyond_the_csv_modules_field_limit_is_refused_naming_its_row():
    rows = [["opd", "name", "description"], ["Diskominfo,SP", "A", "ok"]]
    rows.append(["Diskominfo,SP", "B", "x" * 200_000])
    with pytest.raises(SpreadsheetError) as error:
        sheet_of(rows)
    assert str(error.value).startswith(
        "Baris 3 tidak dapat dibaca: sebuah sel lebih panjang dari 131.072 karakter"
    )


def test_a_cell_longer_than_its_field_is_a_row_error_naming_the_column(scoped_world, opd_staff):
    sheet = sheet_of(
        [
            ["opd", "name", "description", "vendor_name"],
            ["Diskominfo,SP", "SIMPEG", "x" * 6000, ""],
            ["Diskominfo,SP", "E-Office", "Naskah dinas", "v" * 201],
            ["Diskominfo,SP", "Portal", "x" * 5000, ""],
        ]
    )
    rows = {row.number: row for row in import_preview(sheet, user=opd_staff).rows}
    assert rows[2].errors == ["Deskripsi: lebih dari 5.000 karakter. Persingkat isi sel ini."]
    assert rows[3].errors == ["Nama vendor: lebih dari 200 karakter. Persingkat isi sel ini."]
    assert rows[4].action == "create"


def test_an_xlsx_cell_of_200_kb_is_carried_short_and_refused_on_its_row(scoped_world, opd_staff):
    upload = xlsx_from_xml(
        row(1, "OPD pemilik", "Nama aplikasi", "Deskripsi")
        + row(2, "Diskominfo,SP", "SIMPEG", "x" * 200_000)
    )
    sheet = read_spreadsheet(upload, max_bytes=LIMIT)
    assert len(sheet.rows[0][1]["description"]) == 5001
    preview = import_preview(sheet, user=opd_staff)
    assert preview.rows[0].errors == [
        "Deskripsi: lebih dari 5.000 karakter. Persingkat isi sel ini."
    ]


def test_one_long_text_repeated_in_every_cell_is_refused_as_too_much_text():
    # Shared strings let a small file repeat one 5,000-character text in thousands of cells.
    header = row(1, "OPD pemilik", "Nama aplikasi", "Deskripsi")
    rows = "".join(
        f'<row r="{n}">{cell("Diskominfo,SP")}{cell(f"A{n}")}<c t="s"><v>0</v></c></row>'
        for n in range(2, 2200)
    )
    upload = xlsx_from_xml(header + rows, shared_strings=["x" * 5000])
    with pytest.raises(SpreadsheetError, match="lebih dari 10.000.000 karakter teks"):
        read_spreadsheet(upload, max_bytes=LIMIT)


def test_an_xlsx_that_is_a_zip_bomb_gets_the_archive_message():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as entry,
    ):
        for _ in range(60):
            entry.write(bytes(1024 * 1024))
    message, peak, _seconds = measured_refusal(SimpleUploadedFile("bom.xlsx", buffer.getvalue()))
    assert "mengembang lebih dari 100 kali" in message
    assert peak < 20 * 1024 * 1024


def test_an_xlsx_declaring_entities_is_unreadable():
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    upload = xlsx_from_xml(HEADER + row(2, "Diskominfo,SP", "&b;"))
    content = zipfile.ZipFile(io.BytesIO(upload.read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in content.infolist():
            data = content.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode() + data
            archive.writestr(info.filename, data)
    with pytest.raises(SpreadsheetError, match="tidak dapat dibaca"):
        read_spreadsheet(SimpleUploadedFile("katalog.xlsx", out.getvalue()), max_bytes=LIMIT)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_headings_are_found_below_title_rows_whatever_the_delimiter(
    scoped_world, opd_staff, delimiter
):
    # An XLSX export saved as CSV by a spreadsheet: its title and notes come first.
    sheet = sheet_of(
        [
            ["Katalog aplikasi · Kabupaten Gunung Mas", "", ""],
            ["Diekspor 2026-12-01", "", ""],
            ["Status: Aktif; Platform: Web", "", ""],
            ["", "", ""],
            ["Nama aplikasi", "OPD pemilik", "Tahun dibangun"],
            ["E-Office", "Diskominfo,SP", "2021"],
        ],
        delimiter=delimiter,
    )
    assert sheet.columns == ["name", "opd", "year_built"]
    assert sheet.rows == [(6, {"name": "E-Office", "opd": "Diskominfo,SP", "year_built": "2021"})]
    assert import_preview(sheet, user=opd_staff).rows[0].action == "create"


def test_a_file_whose_headings_do_not_come_within_ten_rows_names_the_missing_columns():
    rows = [[f"Judul {number}"] for number in range(11)] + [["OPD pemilik", "Nama aplikasi"]]
    with pytest.raises(SpreadsheetError) as error:
        sheet_of(rows)
    assert str(error.value) == (
        "Baris judul harus memuat kolom “OPD pemilik”, “Nama aplikasi”. Unduh templat atau "
        "ekspor sebagai contoh."
    )
    with pytest.raises(SpreadsheetError) as error:
        sheet_of([["Judul"], ["OPD pemilik", "Nama"], ["Diskominfo,SP", "Portal"]])
    assert "harus memuat kolom “Nama aplikasi”. Unduh" in str(error.value)

"""The catalogue as a spreadsheet: what the page lists, in its order and under its headings,
and the empty template an import starts from."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from opds.inventory import import_preview, read_spreadsheet
from opds.models import Application
from tests.opds.factories import ApplicationFactory

LIST = reverse("opds:application_list")
IMPORT = reverse("opds:application_import")
LIMIT = 2 * 1024 * 1024


def export(client, file_format, **params):
    return client.get(
        reverse("opds:application_export", kwargs={"file_format": file_format}), params
    )


def template(client, file_format, **params):
    return client.get(
        reverse("opds:application_import_template", kwargs={"file_format": file_format}), params
    )


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content))


def header_row(sheet):
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == "Nama aplikasi")


@pytest.fixture
def catalogue(scoped_world):
    kominfo, dukcapil = scoped_world["kominfo"], scoped_world["dukcapil"]
    return [
        ApplicationFactory(opd=kominfo, name="Portal", year_built=2015, status="active"),
        ApplicationFactory(opd=dukcapil, name="SIAK", year_built=2020, status="active"),
        ApplicationFactory(opd=kominfo, name="E-Office", year_built=2018, status="active"),
        ApplicationFactory(opd=dukcapil, name="Arsip", year_built=2019, status="inactive"),
    ]


@pytest.mark.parametrize("params", [{}, {"sort": "-year_built"}, {"sort": "opd", "q": "o"}])
def test_the_export_lists_the_page_rows_in_the_page_order(client, catalogue, reviewer, params):
    client.force_login(reviewer)
    page = [application.name for application, *_ in client.get(LIST, params).context["rows"]]
    sheet = sheet_of(export(client, "xlsx", **params)).active
    first = header_row(sheet) + 1
    assert [row[0].value for row in sheet.iter_rows(min_row=first)] == page
    rows = list(
        csv.reader(io.StringIO(export(client, "csv", **params).content.decode("utf-8-sig")))
    )
    assert [row[0] for row in rows[1:]] == page


def test_the_export_leads_with_the_page_columns_under_proper_headings(client, catalogue, reviewer):
    client.force_login(reviewer)
    rows = list(csv.reader(io.StringIO(export(client, "csv").content.decode("utf-8-sig"))))
    assert rows[0][:8] == [
        "Nama aplikasi",
        "OPD pemilik",
        "Kode wilayah",
        "Platform",
        "Status",
        "Kelengkapan (%)",
        "Terakhir diubah",
        "Diubah oleh",
    ]
    assert "OPD pengguna" in rows[0] and "Alamat (URL)" in rows[0]
    assert "Opd pengguna" not in rows[0]


def test_the_xlsx_export_has_a_title_the_filters_a_frozen_header_and_typed_cells(
    client, catalogue, reviewer
):
    client.force_login(reviewer)
    workbook = sheet_of(export(client, "xlsx", region="62.10", status="active"))
    sheet = workbook.active
    assert sheet["A1"].value == "Katalog aplikasi · Kabupaten Gunung Mas"
    assert sheet["A1"].font.b
    notes = [sheet.cell(row=n, column=1).value for n in range(2, 5)]
    assert notes == [f"Diekspor {timezone.localdate().isoformat()}", "3 aplikasi", "Status: Aktif"]
    header = header_row(sheet)
    assert sheet.freeze_panes == f"A{header + 1}"
    assert all(cell.font.b for cell in sheet[header])
    last = sheet.cell(row=header, column=sheet.max_column).column_letter
    assert sheet.auto_filter.ref == f"A{header}:{last}{header + 3}"
    headings = [cell.value for cell in sheet[header]]
    row = {heading: cell for heading, cell in zip(headings, sheet[header + 1], strict=True)}
    assert (row["Tahun dibangun"].data_type, row["Tahun dibangun"].number_format) == ("n", "0")
    assert row["Kelengkapan (%)"].data_type == "n"
    assert row["Terakhir diubah"].data_type == "d"
    assert row["Terakhir diubah"].number_format == "yyyy-mm-dd hh:mm"
    widths = sheet.column_dimensions
    assert widths["A"].width >= len("Nama aplikasi") and widths["B"].width <= 60


def test_the_indonesian_csv_is_separated_by_semicolons(client, catalogue, reviewer):
    client.force_login(reviewer)
    response = export(client, "csv-id", sort="-year_built")
    assert response["Content-Disposition"].endswith('-titik-koma.csv"')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:2] == ["Nama aplikasi", "OPD pemilik"]
    assert [row[0] for row in rows[1:]] == ["SIAK", "Arsip", "E-Office", "Portal"]
    changed = rows[1][rows[0].index("Terakhir diubah")]
    assert changed.startswith(timezone.localdate().isoformat())


@pytest.mark.parametrize("file_format", ["pdf", "CSV", "csv-en"])
def test_an_export_format_the_portal_does_not_write_is_not_found(client, reviewer, file_format):
    client.force_login(reviewer)
    assert export(client, file_format).status_code == 404


def test_an_export_with_a_filter_value_the_page_refuses_is_a_400_naming_it(
    client, catalogue, reviewer
):
    client.force_login(reviewer)
    response = export(client, "xlsx", status="hidup")
    assert response.status_code == 400
    assert "Status: " in response.content.decode()


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "csv-id"])
def test_the_export_queries_do_not_grow_with_the_rows(
    client, scoped_world, reviewer, file_format, django_assert_max_num_queries
):
    kominfo, dukcapil = scoped_world["kominfo"], scoped_world["dukcapil"]
    for number in range(40):
        application = ApplicationFactory(opd=kominfo, name=f"Aplikasi {number}")
        application.user_opds.set([dukcapil])
        application.integrations.set(Application.objects.all()[:2])
    client.force_login(reviewer)
    # The same with two applications as with forty: the session and membership, the regions
    # offered, the region chosen, the shared names, the count, the applications and their user
    # OPDs, integrations and their OPDs.
    with django_assert_max_num_queries(12):
        response = export(client, file_format, region="62.10")
    assert response.status_code == 200


def test_the_catalogue_page_offers_the_three_downloads_with_its_filters(
    client, catalogue, reviewer
):
    client.force_login(reviewer)
    content = client.get(LIST, {"status": "active"}).content.decode()
    url = reverse("opds:application_export", kwargs={"file_format": "csv-id"})
    assert f'href="{url}?status=active' in content
    assert "CSV untuk Excel berbahasa Indonesia (titik koma)" in content
    assert "XLSX (Excel)" in content


def test_the_import_page_offers_the_template_in_each_format(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    content = client.get(IMPORT).content.decode()
    for key in ("xlsx", "csv", "csv-id"):
        url = reverse("opds:application_import_template", kwargs={"file_format": key})
        assert f'href="{url}"' in content


def test_the_xlsx_template_lists_the_allowed_values_and_offers_them_as_lists(
    client, scoped_world, opd_staff
):
    client.force_login(opd_staff)
    response = template(client, "xlsx")
    assert response["Content-Disposition"] == (
        'attachment; filename="templat-impor-aplikasi-62.10.xlsx"'
    )
    workbook = sheet_of(response)
    sheet, choices = workbook.worksheets
    assert sheet["A1"].value == "Templat impor katalog aplikasi"
    header = header_row(sheet)
    headings = [cell.value for cell in sheet[header]]
    assert headings[:3] == ["Nama aplikasi", "OPD pemilik", "Kode wilayah"]
    assert "Kelengkapan (%)" not in headings
    assert sheet.max_row == header
    assert choices.title == "Pilihan"
    choices_header = header_row_of(choices)
    lists = {
        column[0]: [value for value in column[1:] if value]
        for column in choices.iter_cols(min_row=choices_header, values_only=True)
    }
    assert lists["Kode wilayah"] == ["62.10"]
    assert set(lists["OPD pemilik"]) == {
        opd.name for opd in scoped_world["kominfo"].region.opds.all()
    }
    assert lists["Status"] == ["Aktif", "Dalam pengembangan", "Tidak aktif"]
    letter = get_column_letter(headings.index("Status") + 1)
    status_list = next(
        v for v in sheet.data_validations.dataValidation if str(v.sqref).startswith(letter)
    )
    assert status_list.type == "list"
    assert status_list.formula1.startswith("'Pilihan'!$")
    assert str(status_list.sqref) == f"{letter}{header + 1}:{letter}{header + 5000}"


def header_row_of(sheet):
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == "Kode wilayah")


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "csv-id"])
def test_the_empty_template_imports_as_a_file_without_rows(
    client, scoped_world, opd_staff, file_format
):
    client.force_login(opd_staff)
    content = template(client, file_format).content
    upload = SimpleUploadedFile(f"templat.{file_format.split('-')[0]}", content)
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert "Berkas ini hanya memuat baris judul, tanpa data." in response.content.decode()


def test_a_filled_xlsx_template_imports(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    workbook = sheet_of(template(client, "xlsx"))
    sheet = workbook.active
    headings = [cell.value for cell in sheet[header_row(sheet)]]
    row = dict.fromkeys(headings, None)
    row.update({"Nama aplikasi": "E-Office", "OPD pemilik": "Diskominfo,SP", "Status": "Aktif"})
    row.update({"Platform": "Web", "Tahun dibangun": 2021})
    sheet.append([row[heading] for heading in headings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = read_spreadsheet(SimpleUploadedFile("isi.xlsx", buffer.getvalue()), max_bytes=LIMIT)
    preview = import_preview(sheet, user=opd_staff)
    assert [(row.action, row.name, row.errors) for row in preview.rows] == [
        ("create", "E-Office", [])
    ]
    assert preview.rows[0].data["year_built"] == 2021


def test_an_admin_gets_the_template_of_the_region_asked_for(client, scoped_world, admin_user):
    client.force_login(admin_user)
    response = template(client, "xlsx", region="62.10")
    assert response["Content-Disposition"].endswith('-62.10.xlsx"')
    assert template(client, "xlsx", region="99.99").status_code == 404
    assert template(client, "pdf").status_code == 404

"""The catalogue's own export, imported back unchanged, changes nothing."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from opds.inventory import export_csv, export_xlsx, import_apply, import_preview, read_spreadsheet
from opds.models import Application
from tests.opds.factories import ApplicationFactory, OPDFactory

LIMIT = 2 * 1024 * 1024
# Every format the catalogue exports in comes back unchanged.
FORMATS = ["csv", "csv-id", "xlsx"]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def demo_user(username):
    return get_user_model().objects.get(username=username)


def export_upload(applications, file_format):
    if file_format.startswith("csv"):
        stream = io.StringIO()
        export_csv(applications, stream, file_format=file_format)
        return SimpleUploadedFile("ekspor.csv", stream.getvalue().encode("utf-8"))
    return SimpleUploadedFile("ekspor.xlsx", export_xlsx(applications))


def reimport(applications, file_format, *, user):
    sheet = read_spreadsheet(export_upload(applications, file_format), max_bytes=LIMIT)
    return sheet, import_preview(sheet, user=user)


def snapshot():
    """Every application with its relations; ``changed_at`` moves on any save."""
    return {
        app.pk: (
            app.opd_id,
            app.name,
            app.description,
            app.status,
            app.changed_at,
            sorted(opd.pk for opd in app.user_opds.all()),
            sorted(other.pk for other in app.integrations.all()),
        )
        for app in Application.objects.prefetch_related("user_opds", "integrations")
    }


def outcomes(preview):
    return {(row.action, row.name, tuple(row.changes), tuple(row.errors)) for row in preview.rows}


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_demo_catalogue_imports_back_unchanged_for_an_admin(
    demo, file_format, django_assert_max_num_queries
):
    admin = demo_user("admin")
    assert Application.objects.filter(integrations__isnull=False).exists()
    before, history = snapshot(), Application.history.count()
    upload = export_upload(Application.objects.visible_to(admin), file_format)
    sheet = read_spreadsheet(upload, max_bytes=LIMIT)
    # However many rows: the OPDs, the editable ones, the applications and their relations.
    with django_assert_max_num_queries(5):
        preview = import_preview(sheet, user=admin)
    assert len(preview.rows) == Application.objects.count()
    assert {row.action for row in preview.rows} == {"unchanged"}, outcomes(preview)
    assert (preview.creates, preview.updates, preview.error_count) == (0, 0, 0)
    assert preview.unchanged == len(preview.rows)
    # The export's own "changed by" and "changed at" columns are not unknown columns.
    assert preview.ignored_columns == []
    applied = import_apply(sheet, user=admin)
    assert applied.unchanged == len(preview.rows)
    assert snapshot() == before
    assert Application.history.count() == history


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_opd_operator_imports_the_region_export_back_unchanged(demo, file_format):
    operator = demo_user("opd.kominfo")
    before, history = snapshot(), Application.history.count()
    sheet, preview = reimport(Application.objects.visible_to(operator), file_format, user=operator)
    owners = {row.opd.short_name for row in preview.rows}
    assert len(owners) > 1
    assert {row.action for row in preview.rows} == {"unchanged"}, outcomes(preview)
    import_apply(sheet, user=operator)
    assert snapshot() == before
    assert Application.history.count() == history


def test_an_opd_operator_changes_their_own_rows_but_not_another_opds(demo):
    operator = demo_user("opd.kominfo")
    stream = io.StringIO()
    export_csv(Application.objects.visible_to(operator), stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue().lstrip("\ufeff"))))
    header = rows[0]
    name, owner, status = (
        header.index(label) for label in ("Nama aplikasi", "OPD pemilik", "Status")
    )
    for row in rows[1:]:
        if row[name] in {"LAPOR Gumas", "SIAK Gunung Mas"}:
            row[status] = "Tidak aktif"
        if row[name] == "SIPKD":
            row[owner] = "Disdukcapil"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    upload = SimpleUploadedFile("ekspor.csv", buffer.getvalue().encode())
    sheet = read_spreadsheet(upload, max_bytes=LIMIT)
    preview = import_preview(sheet, user=operator)
    by_name = {row.name: row for row in preview.rows}
    assert (by_name["LAPOR Gumas"].action, by_name["LAPOR Gumas"].changes) == ("update", ["Status"])
    siak = by_name["SIAK Gunung Mas"]
    assert siak.action == "error"
    assert siak.errors == [
        "Aplikasi Disdukcapil tidak dapat Anda ubah (berubah: Status). Samakan baris ini "
        "dengan katalog atau hapus dari berkas; impor hanya mengubah aplikasi OPD Anda sendiri."
    ]
    sipkd = by_name["SIPKD"]
    assert sipkd.action == "error"
    assert "tidak dapat menambah aplikasi untuk Disdukcapil" in sipkd.errors[0]
    assert preview.error_count == 2
    assert preview.unchanged == len(preview.rows) - 3
    with pytest.raises(ValidationError):
        import_apply(sheet, user=operator)
    assert Application.objects.get(name="SIAK Gunung Mas").status == "active"


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_downloaded_export_uploaded_again_changes_nothing(client, demo, file_format):
    admin = demo_user("admin")
    client.force_login(admin)
    export = client.get(reverse("opds:application_export", kwargs={"file_format": file_format}))
    assert export.status_code == 200
    before, history = snapshot(), Application.history.count()
    upload = SimpleUploadedFile(f"katalog.{file_format.split('-')[0]}", export.content)
    response = client.post(reverse("opds:application_import"), {"file": upload})
    assert response.status_code == 302
    page = client.get(response.url)
    content = page.content.decode()
    count = Application.objects.count()
    assert f"0 ditambahkan · 0 diperbarui · {count} tidak berubah · 0 bermasalah" in content
    assert "Semua baris sama dengan katalog" in content
    assert content.count("Tidak berubah</span>") == count
    assert "Kolom tidak dikenal" not in content
    done = client.post(response.url, follow=True)
    assert f"0 aplikasi ditambahkan, 0 diperbarui, {count} tidak berubah" in done.content.decode()
    assert snapshot() == before
    assert Application.history.count() == history


@pytest.mark.parametrize("file_format", FORMATS)
def test_names_holding_the_separator_or_quotes_come_back_unchanged(
    scoped_world, admin_user, file_format
):
    kominfo, dukcapil = scoped_world["kominfo"], scoped_world["dukcapil"]
    joint = OPDFactory(region=kominfo.region, name="Badan A; Badan B", short_name="BAB")
    listed = ApplicationFactory(opd=kominfo, name="Surat; Arsip")
    quoted = ApplicationFactory(opd=dukcapil, name='"Kutip" Data')
    hub = ApplicationFactory(opd=kominfo, name="Hub")
    hub.integrations.set([listed, quoted])
    hub.user_opds.set([joint, dukcapil])
    before = snapshot()
    sheet, preview = reimport(Application.objects.all(), file_format, user=admin_user)
    cells = {row["name"]: row for _number, row in sheet.rows}
    assert cells["Hub"]["integrations"] == '"""Kutip"" Data"; "Surat; Arsip"'
    assert {row.action for row in preview.rows} == {"unchanged"}, outcomes(preview)
    import_apply(sheet, user=admin_user)
    assert snapshot() == before


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_opd_whose_full_name_is_another_opds_short_name_comes_back_unchanged(
    scoped_world, admin_user, file_format
):
    region = scoped_world["kominfo"].region
    OPDFactory(region=region, name="Sekretariat Daerah", short_name="Setda")
    lookalike = OPDFactory(region=region, name="Setda", short_name="SD")
    hub = ApplicationFactory(opd=lookalike, name="Hub")
    hub.user_opds.set([lookalike])
    sheet, preview = reimport(Application.objects.all(), file_format, user=admin_user)
    assert [(row.action, row.opd) for row in preview.rows] == [("unchanged", lookalike)], outcomes(
        preview
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_integration_whose_name_two_opds_use_comes_back_unchanged(
    scoped_world, admin_user, file_format
):
    kominfo, dukcapil = scoped_world["kominfo"], scoped_world["dukcapil"]
    ApplicationFactory(opd=kominfo, name="SIMPEG")
    theirs = ApplicationFactory(opd=dukcapil, name="simpeg")
    hub = ApplicationFactory(opd=kominfo, name="Hub")
    hub.integrations.set([theirs])
    sheet, preview = reimport(Application.objects.all(), file_format, user=admin_user)
    cells = {row["name"]: row for _number, row in sheet.rows}
    assert cells["Hub"]["integrations"] == "simpeg (Dinas Kependudukan dan Pencatatan Sipil)"
    assert {row.action for row in preview.rows} == {"unchanged"}, outcomes(preview)


def test_an_integration_named_by_several_opds_asks_for_the_owner(scoped_world, admin_user):
    kominfo, dukcapil = scoped_world["kominfo"], scoped_world["dukcapil"]
    ApplicationFactory(opd=kominfo, name="SIMPEG")
    theirs = ApplicationFactory(opd=dukcapil, name="SIMPEG")
    ApplicationFactory(opd=kominfo, name="Hub")
    header = ["Kode wilayah", "OPD pemilik", "Nama aplikasi", "Terintegrasi dengan"]
    rows = [
        header,
        ["62.10", "Diskominfo,SP", "Hub", "SIMPEG"],
        ["62.10", "Diskominfo,SP", "Baru", "Hub"],
        ["62.10", "Diskominfo,SP", "Lain", "SIMPEG (Disdukcapil); Baru (Diskominfo,SP)"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    sheet = read_spreadsheet(
        SimpleUploadedFile("katalog.csv", buffer.getvalue().encode()), max_bytes=LIMIT
    )
    preview = import_preview(sheet, user=admin_user)
    assert [row.action for row in preview.rows] == ["error", "create", "create"]
    assert preview.rows[0].errors == [
        "Ada beberapa aplikasi bernama “SIMPEG” di wilayah ini. Tulis juga OPD pemiliknya dalam "
        "kurung, misalnya “SIMPEG (Dinas Kependudukan dan Pencatatan Sipil)”."
    ]
    sheet.rows.pop(0)
    import_apply(sheet, user=admin_user)
    other = Application.objects.get(name="Lain")
    assert set(other.integrations.all()) == {theirs, Application.objects.get(name="Baru")}


@pytest.mark.parametrize("file_format", FORMATS)
def test_text_that_looks_like_a_formula_comes_back_unchanged(scoped_world, admin_user, file_format):
    kominfo = scoped_world["kominfo"]
    quoted = ApplicationFactory(opd=kominfo, name="'=SUM(1)", notes="'+62 811")
    formula = ApplicationFactory(opd=kominfo, name="=SUM(1)", description="-1 dan +2")
    hub = ApplicationFactory(opd=kominfo, name="Hub", person_in_charge="@kabid")
    hub.integrations.set([quoted, formula])
    before = snapshot()
    sheet, preview = reimport(Application.objects.all(), file_format, user=admin_user)
    assert {row.action for row in preview.rows} == {"unchanged"}, outcomes(preview)
    import_apply(sheet, user=admin_user)
    assert snapshot() == before


@pytest.mark.parametrize("file_format", FORMATS)
def test_line_breaks_and_spaces_a_spreadsheet_cannot_keep_are_no_change(
    scoped_world, admin_user, file_format
):
    # Browsers send a text area's line breaks as CR LF; XLSX keeps only LF.
    ApplicationFactory(
        opd=scoped_world["kominfo"],
        name="Portal",
        description="Berita\r\nAgenda\r\n",
        data_handled=" Profil daerah ",
    )
    history = Application.history.count()
    sheet, preview = reimport(Application.objects.all(), file_format, user=admin_user)
    assert [row.action for row in preview.rows] == ["unchanged"], outcomes(preview)
    import_apply(sheet, user=admin_user)
    portal = Application.objects.get()
    assert (portal.description, portal.data_handled) == ("Berita\r\nAgenda\r\n", " Profil daerah ")
    assert Application.history.count() == history


def test_a_real_change_of_text_with_line_breaks_is_an_update(scoped_world, admin_user):
    ApplicationFactory(opd=scoped_world["kominfo"], name="Portal", description="Berita\r\nAgenda")
    sheet = read_spreadsheet(export_upload(Application.objects.all(), "xlsx"), max_bytes=LIMIT)
    sheet.rows[0][1]["description"] = "Berita\nAgenda\nPengumuman"
    row = import_preview(sheet, user=admin_user).rows[0]
    assert (row.action, row.changes) == ("update", ["Deskripsi"])


def test_an_export_written_before_the_page_headings_imports_back_unchanged(
    scoped_world, admin_user
):
    # Exports used to name columns with capitalize() ("Opd pengguna", "Alamat (url)"), start
    # with the region and call the last change "Diubah pada".
    kominfo, dukcapil = scoped_world["kominfo"], scoped_world["dukcapil"]
    portal = ApplicationFactory(opd=kominfo, name="Portal", url="https://gumas.go.id")
    portal.user_opds.set([dukcapil])
    header = ["Kode wilayah", "Opd pemilik", "Nama aplikasi", "Opd pengguna", "Alamat (url)"]
    header += ["Diubah oleh", "Diubah pada"]
    row = ["62.10", kominfo.name, "Portal", dukcapil.name, "https://gumas.go.id", "admin", "x"]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, row])
    upload = SimpleUploadedFile("lama.csv", ("\ufeff" + buffer.getvalue()).encode())
    sheet = read_spreadsheet(upload, max_bytes=LIMIT)
    assert sheet.columns == ["region", "opd", "name", "user_opds", "url"]
    assert sheet.ignored_columns == []
    preview = import_preview(sheet, user=admin_user)
    assert [(row.action, row.changes) for row in preview.rows] == [("unchanged", [])]


def test_a_regency_code_a_spreadsheet_read_as_a_number_still_finds_the_region(
    scoped_world, admin_user
):
    ApplicationFactory(opd=scoped_world["kominfo"], name="Portal")
    buffer = io.StringIO()
    # 62.10 opened as a number in a spreadsheet and saved again.
    csv.writer(buffer).writerows(
        [["Kode wilayah", "OPD pemilik", "Nama aplikasi"], ["62.1", "Diskominfo,SP", "Portal"]]
    )
    sheet = read_spreadsheet(
        SimpleUploadedFile("katalog.csv", buffer.getvalue().encode()), max_bytes=LIMIT
    )
    preview = import_preview(sheet, user=admin_user)
    assert [(row.action, row.name) for row in preview.rows] == [("unchanged", "Portal")]

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opds.models import Application
from tests.opds.factories import ApplicationFactory, OPDFactory, RegencyFactory

LIST = reverse("opds:application_list")
CREATE = reverse("opds:application_create")
IMPORT = reverse("opds:application_import")


def detail(application):
    return reverse("opds:application_detail", kwargs={"pk": application.pk})


def edit(application):
    return reverse("opds:application_update", kwargs={"pk": application.pk})


def retire(application):
    return reverse("opds:application_retire", kwargs={"pk": application.pk})


@pytest.fixture
def catalogue(scoped_world):
    return {
        "portal": ApplicationFactory(
            opd=scoped_world["kominfo"], name="Portal Resmi", description="Berita dan agenda"
        ),
        "siak": ApplicationFactory(
            opd=scoped_world["dukcapil"], name="SIAK", platform="desktop", status="development"
        ),
        "katingan": ApplicationFactory(opd=scoped_world["katingan_opd"], name="Portal Katingan"),
        "other": ApplicationFactory(opd=scoped_world["other_opd"], name="Portal Tanah Laut"),
    }


def names(response):
    return {application.name for application, _c, _d in response.context["rows"]}


def form_data(opd, **overrides):
    data = {"opd": opd.pk, "name": "E-Office", "status": "active", "platform": "web"}
    data["developer"] = "in_house"
    data.update(overrides)
    return data


def test_catalogue_requires_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("admin_user", {"Portal Resmi", "SIAK", "Portal Katingan", "Portal Tanah Laut"}),
        ("reviewer", {"Portal Resmi", "SIAK", "Portal Katingan"}),
        ("head", {"Portal Resmi", "SIAK"}),
        ("opd_staff", {"Portal Resmi", "SIAK"}),
    ],
)
def test_catalogue_shows_each_role_its_own_scope(client, catalogue, request, user, expected):
    client.force_login(request.getfixturevalue(user))
    assert names(client.get(LIST)) == expected


def test_catalogue_searches_filters_and_sorts(client, catalogue, reviewer):
    client.force_login(reviewer)
    assert names(client.get(LIST, {"q": "agenda"})) == {"Portal Resmi"}
    assert names(client.get(LIST, {"region": "62.06"})) == {"Portal Katingan"}
    assert names(client.get(LIST, {"platform": "desktop"})) == {"SIAK"}
    assert names(client.get(LIST, {"status": "development"})) == {"SIAK"}
    opd = catalogue["siak"].opd
    assert names(client.get(LIST, {"opd": opd.pk})) == {"SIAK"}
    ordered = [app.name for app, _c, _d in client.get(LIST, {"sort": "-name"}).context["rows"]]
    assert ordered == ["SIAK", "Portal Resmi", "Portal Katingan"]


def test_catalogue_cannot_be_filtered_into_another_province(client, catalogue, reviewer):
    client.force_login(reviewer)
    response = client.get(LIST, {"region": "63.01"})
    assert response.status_code == 200
    assert names(response) == set()


def test_catalogue_summarises_by_status_platform_and_opd(client, catalogue, head):
    client.force_login(head)
    response = client.get(LIST)
    summary = response.context["summary"]
    assert summary.total == 2
    assert {(bar.label, bar.count) for bar in summary.by_status} == {
        ("Aktif", 1),
        ("Dalam pengembangan", 1),
        ("Tidak aktif", 0),
    }
    assert {(bar.label, bar.count) for bar in summary.by_opd} == {
        ("Diskominfo,SP", 1),
        ("Disdukcapil", 1),
    }
    content = response.content.decode()
    assert "Menurut platform" in content
    assert 'class="bar width-pct-50"' in content


def test_catalogue_flags_likely_duplicates_of_different_opds(client, scoped_world, head):
    ApplicationFactory(
        opd=scoped_world["kominfo"],
        name="E-Office Surat Elektronik",
        description="Surat masuk, surat keluar, disposisi dan arsip naskah dinas",
    )
    ApplicationFactory(
        opd=scoped_world["dukcapil"],
        name="Surat Menyurat Dukcapil",
        description="Surat masuk, surat keluar dan disposisi",
    )
    ApplicationFactory(opd=scoped_world["dukcapil"], name="SIAK")
    client.force_login(head)
    response = client.get(LIST)
    pairs = response.context["duplicates"]
    assert [(p.first.name, p.second.name) for p in pairs] == [
        ("E-Office Surat Elektronik", "Surat Menyurat Dukcapil")
    ]
    flagged = {app.name for app, _c, is_duplicate in response.context["rows"] if is_duplicate}
    assert flagged == {"E-Office Surat Elektronik", "Surat Menyurat Dukcapil"}
    assert "Mungkin duplikat" in response.content.decode()


def test_the_catalogue_list_comes_before_its_folded_summary_and_duplicates(
    client, scoped_world, head
):
    ApplicationFactory(opd=scoped_world["kominfo"], name="E-Office Surat Elektronik")
    ApplicationFactory(opd=scoped_world["dukcapil"], name="E-Office Surat Dukcapil")
    client.force_login(head)
    content = client.get(LIST).content.decode()
    summary = content.index('<details class="catalogue-summary')
    table = content.index('<table class="table table-hover align-middle catalogue-table">')
    duplicates = content.index('id="duplicates"')
    # Folded: only the count shows above the list until the reader opens the breakdown.
    assert summary < table < duplicates
    assert (
        "<details open" not in content
        and '<details class="catalogue-summary card mb-3">' in content
    )
    assert '<span data-testid="total">2</span>' in content[summary:table]
    assert content.index("Menurut platform") < table


def test_the_catalogue_export_buttons_look_active(client, catalogue, head):
    client.force_login(head)
    content = client.get(LIST).content.decode()
    for label in (
        "XLSX (Excel)",
        "CSV",
        "CSV untuk Excel berbahasa Indonesia (titik koma)",
    ):
        button = re.search(rf'<a class="([^"]*)" href="[^"]*">{re.escape(label)}</a>', content)
        assert button, label
        assert "btn-outline-primary" in button[1].split()
        assert "secondary" not in button[1] and "disabled" not in button[1]


def test_catalogue_takes_a_bounded_number_of_queries(
    client, province, reviewer, django_assert_max_num_queries
):
    regency = RegencyFactory(parent=province, code="30")
    opds = OPDFactory.create_batch(20, region=regency)
    for number in range(200):
        application = ApplicationFactory(opd=opds[number % 20])
        application.user_opds.set(opds[:3])
    client.force_login(reviewer)
    for params in ({}, {"region": "62.30"}, {"region": "62.30", "sort": "opd", "page": 2}):
        with django_assert_max_num_queries(16):
            response = client.get(LIST, params)
        assert response.status_code == 200
        assert len(response.context["rows"]) == 25


def test_application_page_is_404_outside_the_region(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    assert client.get(detail(catalogue["siak"])).status_code == 200
    assert client.get(detail(catalogue["katingan"])).status_code == 404


def test_application_page_shows_completeness_and_history(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    response = client.get(detail(catalogue["portal"]))
    content = response.content.decode()
    assert "Kelengkapan data: 8%" in content
    assert "Penanggung jawab" in content
    assert "Dibuat" in content
    assert reverse("opds:application_update", kwargs={"pk": catalogue["portal"].pk}) in content


def test_other_opd_staff_see_no_edit_button(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    content = client.get(detail(catalogue["siak"])).content.decode()
    assert edit(catalogue["siak"]) not in content
    assert "Pensiunkan" not in content


def test_opd_staff_creates_an_application_in_their_own_opd(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    data = form_data(
        scoped_world["kominfo"],
        user_opds=[scoped_world["dukcapil"].pk],
        url="https://eoffice.gunungmaskab.go.id",
        year_built="2018",
    )
    response = client.post(CREATE, data)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == detail(application)
    assert application.opd == scoped_world["kominfo"]
    assert application.changed_by == opd_staff
    assert list(application.user_opds.all()) == [scoped_world["dukcapil"]]
    assert application.history.get().history_user == opd_staff


def test_opd_staff_cannot_create_in_another_opd(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    assert client.post(CREATE, form_data(scoped_world["dukcapil"])).status_code == 403
    assert client.post(CREATE, form_data(scoped_world["katingan_opd"])).status_code == 404
    assert not Application.objects.exists()


@pytest.mark.parametrize("user", ["reviewer", "head"])
def test_only_opd_staff_and_admins_may_create(client, scoped_world, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(scoped_world["kominfo"])).status_code == 403
    assert not Application.objects.exists()


def test_a_form_with_errors_keeps_what_the_user_typed(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    response = client.post(
        CREATE,
        form_data(
            scoped_world["kominfo"],
            description="Naskah dinas elektronik",
            url="eoffice gunungmas",
            year_built="2019",
            last_developed_year="2017",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["url"] == ["Tulis alamat lengkap, misalnya https://simpeg.gunungmaskab.go.id."]
    assert "tidak boleh sebelum tahun dibangun" in errors["last_developed_year"][0]
    content = response.content.decode()
    assert "Naskah dinas elektronik" in content
    assert 'value="eoffice gunungmas"' in content
    assert not Application.objects.exists()


def test_duplicate_name_is_reported_on_the_name_field(client, scoped_world, opd_staff):
    ApplicationFactory(opd=scoped_world["kominfo"], name="E-Office")
    client.force_login(opd_staff)
    response = client.post(CREATE, form_data(scoped_world["kominfo"], name="e-office"))
    assert response.status_code == 200
    assert "sudah memiliki aplikasi" in response.context["form"].errors["name"][0]


def test_opd_staff_edits_their_own_application(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    portal = catalogue["portal"]
    assert client.get(edit(portal)).status_code == 200
    response = client.post(edit(portal), form_data(portal.opd, name="Portal Resmi", url=""))
    assert response.status_code == 302
    portal.refresh_from_db()
    assert portal.changed_by == opd_staff
    response = client.post(edit(portal), form_data(portal.opd, name="Portal Gunung Mas"))
    portal.refresh_from_db()
    assert portal.name == "Portal Gunung Mas"
    history = client.get(detail(portal)).context["history"]
    assert history[0].user == opd_staff
    assert [(c.old, c.new) for c in history[0].changes] == [("Portal Resmi", "Portal Gunung Mas")]


def test_editing_another_opds_application_is_403_and_changes_nothing(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    siak = catalogue["siak"]
    assert client.get(edit(siak)).status_code == 403
    assert client.post(edit(siak), form_data(siak.opd, name="Diubah")).status_code == 403
    assert client.post(retire(siak)).status_code == 403
    siak.refresh_from_db()
    assert (siak.name, siak.status) == ("SIAK", "development")


def test_moving_an_own_application_to_another_opd_is_403(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    portal = catalogue["portal"]
    response = client.post(edit(portal), form_data(catalogue["siak"].opd, name="Portal Resmi"))
    assert response.status_code == 403
    portal.refresh_from_db()
    assert portal.opd == catalogue["portal"].opd


def test_editing_an_invisible_application_is_404(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    assert client.get(edit(catalogue["katingan"])).status_code == 404
    assert client.post(retire(catalogue["katingan"])).status_code == 404


def test_admin_edits_anywhere(client, catalogue, admin_user):
    client.force_login(admin_user)
    katingan = catalogue["katingan"]
    response = client.post(edit(katingan), form_data(katingan.opd, name="Portal Katingan Baru"))
    assert response.status_code == 302
    katingan.refresh_from_db()
    assert katingan.name == "Portal Katingan Baru"


def test_retire_sets_inactive_and_keeps_the_record(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    portal = catalogue["portal"]
    assert client.get(retire(portal)).status_code == 405
    response = client.post(retire(portal), follow=True)
    portal.refresh_from_db()
    assert portal.status == "inactive"
    assert "dipensiunkan" in response.content.decode()


def export(client, file_format, **params):
    url = reverse("opds:application_export", kwargs={"file_format": file_format})
    return client.get(url, params)


def test_export_follows_scope_and_filters(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    response = export(client, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {"Portal Resmi", "SIAK"}
    rows = list(csv.reader(io.StringIO(export(client, "csv", platform="desktop").content.decode())))
    assert [row[0] for row in rows[1:]] == ["SIAK"]
    xlsx = export(client, "xlsx")
    assert xlsx.content[:2] == b"PK"
    assert export(client, "pdf").status_code == 404


def upload(client, content, name="katalog.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_import_previews_then_applies_on_confirmation(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    # "Diskominfo,SP" contains the delimiter: quote it as a spreadsheet would.
    content = 'OPD pemilik,Nama aplikasi,Status\n"Diskominfo,SP",Portal Resmi,inactive\n'
    content += '"Diskominfo,SP",E-Office,active\n'
    response = upload(client, content.encode())
    assert response.status_code == 302
    preview_url = response.url
    page = client.get(preview_url)
    assert [row.action for row in page.context["preview"].rows] == ["update", "create"]
    assert "Terapkan impor" in page.content.decode()
    assert Application.objects.filter(opd=catalogue["portal"].opd).count() == 1
    response = client.post(preview_url)
    assert response.status_code == 302
    assert Application.objects.get(name="Portal Resmi").status == "inactive"
    assert Application.objects.filter(name="E-Office").exists()
    # The stored upload is gone once applied: confirming again does nothing.
    assert client.post(preview_url).url == IMPORT


def test_import_with_bad_rows_names_them_and_applies_nothing(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    content = b'opd,name,year_built\n"Diskominfo,SP",E-Office,2018\nDisdukcapil,SIAK,2019\n'
    preview_url = upload(client, content).url
    page = client.get(preview_url)
    rows = page.context["preview"].rows
    assert [row.action for row in rows] == ["create", "error"]
    assert "Terapkan impor" not in page.content.decode()
    response = client.post(preview_url, follow=True)
    assert "tidak ada yang diterapkan" in response.content.decode()
    assert not Application.objects.filter(name="E-Office").exists()
    assert Application.objects.get(name="SIAK").year_built is None


def test_the_preview_of_a_file_with_errors_takes_the_fixed_file_again(client, catalogue, opd_staff):
    client.force_login(opd_staff)
    content = b"opd,name,year_built\nDisdukcapil,SIAK,2019\n"
    page = client.get(upload(client, content).url)
    html = page.content.decode()
    assert 'data-testid="upload-again"' in html
    form = html.split('data-testid="upload-again"', 1)[0].rsplit("<form", 1)[1]
    assert f'action="{IMPORT}"' in form and 'enctype="multipart/form-data"' in form
    assert "Kembali ke formulir impor" in html
    fixed = b'opd,name,year_built\n"Diskominfo,SP",Portal Resmi,2019\n'
    response = upload(client, fixed, name="diperbaiki.csv")
    again = client.get(response.url)
    assert [row.action for row in again.context["preview"].rows] == ["update"]
    assert 'data-testid="upload-again"' not in again.content.decode()


def test_wrong_file_type_gets_a_clear_message(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    response = upload(client, b"%PDF-1.4", name="katalog.pdf")
    assert response.status_code == 200
    assert "Jenis berkas tidak didukung" in response.content.decode()


def test_oversized_file_gets_a_clear_message(client, scoped_world, opd_staff, settings):
    settings.INVENTORY_IMPORT_MAX_BYTES = 100
    client.force_login(opd_staff)
    response = upload(client, b"opd,name\n" + b'"Diskominfo,SP",Aplikasi\n' * 10)
    assert response.status_code == 200
    assert "Berkas terlalu besar" in response.content.decode()


@pytest.mark.parametrize("user", ["reviewer", "head"])
def test_import_is_for_opd_staff_and_admins(client, scoped_world, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(IMPORT).status_code == 403
    assert upload(client, b"opd,name\n").status_code == 403


def test_an_unknown_preview_sends_the_user_back_to_upload(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    url = reverse("opds:application_import_preview", kwargs={"token": "tidak-ada"})
    assert client.get(url).url == IMPORT


def test_staff_home_links_to_their_opds_applications(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    content = client.get(reverse("opds:home")).content.decode()
    assert f'href="{LIST}?opd={scoped_world["kominfo"].pk}"' in content
    assert "Katalog aplikasi" in content


@pytest.mark.parametrize("user", ["admin_user", "reviewer", "head", "opd_staff"])
def test_every_role_has_the_catalogue_in_the_navigation(client, scoped_world, request, user):
    client.force_login(request.getfixturevalue(user))
    content = client.get(reverse("opds:home")).content.decode()
    assert f'href="{LIST}">Katalog aplikasi</a>' in content


def test_a_description_beyond_its_limit_is_a_form_error_that_keeps_what_was_typed(
    client, scoped_world, opd_staff
):
    client.force_login(opd_staff)
    typed = ("Naskah dinas elektronik. " * 400).strip()  # 9,999 characters
    response = client.post(
        CREATE, form_data(scoped_world["kominfo"], name="E-Office Baru", description=typed)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [
        "Pastikan nilai ini mengandung paling banyak 5000 karakter (sekarang 9999 karakter)."
    ]
    content = response.content.decode()
    assert typed in content
    assert 'value="E-Office Baru"' in content
    assert 'maxlength="5000"' in content
    assert not Application.objects.exists()


def test_a_csv_cell_too_long_to_read_is_a_form_error_not_a_server_error(
    client, scoped_world, opd_staff
):
    client.force_login(opd_staff)
    content = b'opd,name,description\n"Diskominfo,SP",SIMPEG,' + b"x" * 200_000 + b"\n"
    response = upload(client, content)
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["file"][0]
        .startswith("Baris 2 tidak dapat dibaca: sebuah sel lebih panjang dari 131.072 karakter")
    )

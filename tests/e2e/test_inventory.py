import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_operator_adds_and_edits_an_application_and_another_opd_cannot(page, demo_data):
    log_in(page, "opd.kominfo", demo_data)
    page.get_by_role("link", name="Katalog aplikasi").click()
    expect(page.get_by_role("heading", name="Katalog aplikasi")).to_be_visible()
    page.get_by_role("link", name="Tambah aplikasi").click()

    page.get_by_label("Nama aplikasi").fill("Sistem Antrean Layanan Publik")
    page.get_by_label("Deskripsi").fill("Antrean daring untuk layanan di Mal Pelayanan Publik.")
    page.get_by_label("Alamat (URL)").fill("https://antrean.gunungmaskab.go.id")
    page.get_by_label("Status").select_option(label="Dalam pengembangan")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", name="Sistem Antrean Layanan Publik")).to_be_visible()
    expect(
        page.get_by_text("Aplikasi “Sistem Antrean Layanan Publik” ditambahkan.")
    ).to_be_visible()
    expect(page.get_by_test_id("missing-fields")).to_contain_text("Penanggung jawab")
    application_url = page.url

    page.get_by_role("link", name="Ubah", exact=True).click()
    page.get_by_label("Status").select_option(label="Aktif")
    page.get_by_label("Penanggung jawab").fill("Kabid Aplikasi Informatika")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_text("Perubahan disimpan.")).to_be_visible()
    history = page.get_by_test_id("history")
    latest = history.locator("li").first
    expect(latest).to_contain_text("Diubah")
    expect(latest).to_contain_text("Operator Diskominfo,SP")
    status_row = latest.get_by_role("row", name=re.compile("^Status"))
    expect(status_row).to_contain_text("Dalam pengembangan")
    expect(status_row).to_contain_text("Aktif")
    expect(latest).to_contain_text("Kabid Aplikasi Informatika")
    expect(history.locator("li").last).to_contain_text("Dibuat")

    page.get_by_role("button", name="Keluar").click()
    log_in(page, "opd.dukcapil", demo_data)
    page.goto(application_url)
    expect(page.get_by_role("heading", name="Sistem Antrean Layanan Publik")).to_be_visible()
    expect(page.get_by_role("link", name="Ubah", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Pensiunkan")).to_have_count(0)
    response = page.goto(application_url + "edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Akses ditolak")).to_be_visible()


def test_catalogue_points_out_the_two_letter_applications(page, demo_data):
    log_in(page, "kadis.gumas", demo_data)
    page.get_by_role("link", name="Katalog aplikasi").click()
    duplicates = page.locator("#duplicates")
    expect(duplicates).to_contain_text("E-Office Surat Elektronik")
    expect(duplicates).to_contain_text("SIMASURAT DPRD")
    expect(page.get_by_test_id("total")).to_have_text("30")
    # The list comes first; the breakdown of the count opens on demand.
    platform = page.get_by_role("table", name="Menurut platform")
    expect(platform).to_be_hidden()
    page.get_by_test_id("total").click()
    expect(platform).to_be_visible()
    page.get_by_role("link", name="Mungkin duplikat").first.click()
    expect(page).to_have_url(re.compile("#duplicates$"))
    expect(duplicates).to_be_in_viewport()

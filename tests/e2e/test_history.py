import os
import re

from playwright.sync_api import expect

from assessments.models import Assessment
from opds.models import Application
from tests.e2e.conftest import log_in

SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS")  # a folder to keep screenshots in, if set


def screenshot(page, name):
    if SCREENSHOTS:
        for width, height in ((1280, 900), (820, 1180)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)


def test_an_indicator_shows_who_changed_it_and_from_what(page, demo_data):
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    dimension = f"/assessments/{draft.pk}/policy/"

    log_in(page, "kadis.gumas", demo_data)
    page.goto(dimension)
    card = page.locator("#indicator-policy-03")
    card.get_by_label("Level mandiri 3").check()
    card.get_by_label("Catatan").fill("SOP layanan TIK sudah ditandatangani.")
    card.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("#indicator-policy-03").get_by_text("Tersimpan.")).to_be_visible()
    page.get_by_role("button", name="Keluar").click()

    log_in(page, "reviewer", demo_data)
    page.goto(dimension)
    card = page.locator("#indicator-policy-03")
    card.get_by_label("Level verifikasi 2").check()
    card.get_by_label("Alasan penilai").fill("SOP belum diterapkan di semua OPD.")
    card.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("#indicator-policy-03").get_by_text("Tersimpan.")).to_be_visible()

    panel = page.get_by_test_id("history-policy-03")
    expect(panel.locator("summary")).to_contain_text("Riwayat perubahan")
    panel.locator("summary").click()
    entries = panel.get_by_test_id("history-entry")
    latest = entries.nth(0)
    expect(latest).to_contain_text("Level verifikasi")
    expect(latest).to_contain_text("SOP belum diterapkan di semua OPD.")
    expect(latest.get_by_test_id("history-user")).to_have_text(re.compile("reviewer|Penilai"))
    head_entry = entries.nth(1)
    expect(head_entry.get_by_test_id("history-user")).to_have_text(re.compile("kadis|Kepala"))
    expect(head_entry).to_contain_text("SOP layanan TIK sudah ditandatangani.")
    head_change = head_entry.get_by_role("row", name=re.compile("Level mandiri"))
    expect(head_change.get_by_role("cell").nth(1)).to_have_text("3")
    screenshot(page, "indicator-history")


def test_a_stale_edit_of_an_application_shows_both_and_saves_only_on_purpose(
    browser, live_server, page, demo_data
):
    application = Application.objects.get(name="Portal Resmi Gunung Mas")
    edit = f"/applications/{application.pk}/edit/"
    log_in(page, "opd.kominfo", demo_data)
    page.goto(edit)

    other = browser.new_context(base_url=live_server.url, locale="id-ID").new_page()
    log_in(other, "admin", demo_data)
    other.goto(edit)
    other.get_by_label("Deskripsi").fill("Diubah administrator.")
    other.get_by_role("button", name="Simpan").click()
    expect(other.get_by_text("Perubahan disimpan.")).to_be_visible()
    other.context.close()

    page.get_by_label("Deskripsi").fill("Diubah operator.")
    page.get_by_role("button", name="Simpan").click()
    conflict = page.get_by_test_id("conflict")
    expect(conflict).to_contain_text("Diubah administrator.")
    expect(conflict).to_contain_text("Diubah operator.")
    expect(page.get_by_label("Deskripsi")).to_have_value("Diubah operator.")
    screenshot(page, "application-conflict")
    application.refresh_from_db()
    assert application.description == "Diubah administrator."

    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Perubahan disimpan.")).to_be_visible()
    application.refresh_from_db()
    assert application.description == "Diubah operator."
    page.get_by_role("heading", name="Riwayat perubahan").scroll_into_view_if_needed()
    expect(page.get_by_test_id("history-entry").first).to_contain_text("Diubah administrator.")


def test_an_administrator_filters_the_whole_history(page, demo_data):
    log_in(page, "admin", demo_data)
    page.get_by_role("link", name="Riwayat", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riwayat perubahan")
    page.get_by_label("Wilayah").select_option(label="Kabupaten Gunung Mas")
    page.get_by_label("Jenis data").select_option(label="Target tahunan")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_test_id("history-count")).to_contain_text("perubahan")
    first = page.get_by_test_id("history-entry").first
    expect(first).to_contain_text("Target tahunan")
    screenshot(page, "history-log")
    page.get_by_label("Nama pengguna").fill("tidak.ada")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_text("Tidak ada pengguna bernama “tidak.ada”")).to_be_visible()

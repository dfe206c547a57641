import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in


@pytest.mark.parametrize(
    ("username", "sees", "does_not_see"),
    [
        (
            "reviewer",
            ["Provinsi Kalimantan Tengah", "Perlu perhatian Anda", "Urutan indeks kabupaten/kota"],
            [],
        ),
        ("kadis.gumas", ["Kabupaten Gunung Mas", "30 OPD aktif"], ["Kabupaten Katingan"]),
        (
            "opd.kominfo",
            ["Dinas Komunikasi, Informatika, Statistik dan Persandian"],
            ["Kabupaten Katingan"],
        ),
        ("opd.dukcapil", ["Dinas Kependudukan dan Pencatatan Sipil"], ["Kabupaten Katingan"]),
        ("admin", ["Provinsi Kalimantan Tengah", "Administrasi"], []),
    ],
)
def test_each_demo_role_lands_on_its_own_scope(page, demo_data, username, sees, does_not_see):
    log_in(page, username, demo_data)
    expect(page).to_have_url(re.compile(r"/$"))
    main = page.get_by_role("main")
    for text in sees:
        expect(page.get_by_text(text, exact=False).first).to_be_visible()
    for text in does_not_see:
        expect(main).not_to_contain_text(text)


def test_wrong_password_shows_an_indonesian_message(page, demo_data):
    log_in(page, "kadis.gumas", "bukan-sandinya")
    expect(page.get_by_text("Nama pengguna atau kata sandi salah")).to_be_visible()
    expect(page.get_by_label("Nama pengguna")).to_have_value("kadis.gumas")


def test_switching_to_english_translates_the_portal(page, demo_data):
    log_in(page, "kadis.gumas", demo_data)
    expect(page.get_by_role("link", name="Beranda")).to_be_visible()
    page.get_by_label("Bahasa").select_option("en")
    expect(page.get_by_role("link", name="Home")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Your region")).to_be_visible()


def test_keyboard_user_can_skip_to_content(page, demo_data):
    log_in(page, "reviewer", demo_data)
    # A Tab pressed while the login still redirects would land on the login page.
    expect(page.get_by_role("link", name="Beranda")).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()


def test_logout_returns_to_the_login_page(page, demo_data):
    log_in(page, "opd.kominfo", demo_data)
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

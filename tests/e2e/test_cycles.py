from playwright.sync_api import expect

from assessments.models import Assessment, Cycle
from tests.e2e.conftest import log_in


def test_reviewer_grants_an_extension_and_the_assessment_page_shows_it(page, demo_data):
    cycle = Cycle.objects.get(province__code="62", year=2020)
    log_in(page, "reviewer", demo_data)
    page.get_by_role("link", name="Siklus", exact=True).click()
    card = page.locator(f"#cycle-{cycle.pk}")
    expect(card).to_contain_text("30 September 2020")
    expect(card.get_by_test_id("extensions")).to_contain_text("Kabupaten Gunung Mas")

    card.get_by_role("link", name="Beri perpanjangan").click()
    page.get_by_label("Wilayah").select_option(label="Kabupaten Katingan")
    page.get_by_label("Diperpanjang sampai").fill("2020-10-09")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Tuliskan alasan perpanjangan.")).to_be_visible()
    expect(page.get_by_label("Diperpanjang sampai")).to_have_value("2020-10-09")
    page.get_by_label("Alasan").fill("Jaringan internet kantor terputus dua pekan.")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(f"#cycle-{cycle.pk}").get_by_test_id("extensions")).to_contain_text(
        "Jaringan internet kantor terputus dua pekan."
    )

    gunung_mas = Assessment.objects.get(region__code="62.10", year=2020)
    page.goto(gunung_mas.get_absolute_url())
    banner = page.get_by_test_id("cycle-step")
    expect(banner).to_contain_text("Penilaian mandiri")
    expect(banner).to_contain_text("30 Oktober 2020")
    expect(banner.get_by_test_id("cycle-late")).to_have_text("terlambat")
    expect(banner.get_by_test_id("cycle-extension")).to_contain_text("pandemi COVID-19")

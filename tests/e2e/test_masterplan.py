"""The Diskominfo head follows the master plan in a real browser.

The demo already holds the 2021–2024 re-draft in force. The review test therefore first puts
the database back to December 2020 — the re-draft removed, the 2017–2020 plan in force again —
and the head then reviews that plan and starts its successor from the review page.
"""

import re

from playwright.sync_api import expect

from masterplan.models import MasterPlan
from tests.e2e.conftest import log_in

FIRST = "Masterplan e-Government Kabupaten Gunung Mas 2017–2020"
SECOND = "Masterplan e-Government Kabupaten Gunung Mas 2021–2024"
NETWORK = "Pembangunan jaringan intra pemerintah"


def test_head_records_a_realisation_and_sees_the_progress_change(page, demo_data):
    log_in(page, "kadis.gumas", demo_data)
    page.get_by_role("link", name="Rencana induk").click()
    page.get_by_role("link", name=SECOND).click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Berlaku")
    page.get_by_role("link", name=NETWORK).click()

    summary = page.get_by_test_id("programme-progress")
    expect(summary).to_have_text("55,7%")
    # Something typed in another row and not saved yet must survive this row's save.
    page.get_by_label("Catatan 2023").fill("Belum disimpan")

    row = page.get_by_test_id("target-2024")
    row.get_by_label("Realisasi 2024 (OPD)").fill("abc")
    row.get_by_role("button", name="Simpan").click()
    row = page.get_by_test_id("target-2024")
    expect(row.get_by_text("Tulis angka, misalnya 12 atau 12,5.")).to_be_visible()
    expect(row.get_by_label("Realisasi 2024 (OPD)")).to_have_value("abc")
    expect(summary).to_have_text("55,7%")

    row.get_by_label("Realisasi 2024 (OPD)").fill("30")
    row.get_by_label("Anggaran realisasi 2024 (Rp)").fill("900.000.000")
    row.get_by_role("button", name="Simpan").click()

    row = page.get_by_test_id("target-2024")
    expect(row.get_by_text("Tersimpan.")).to_be_visible()
    expect(page.get_by_test_id("target-percent-2024")).to_have_text("100,0%")
    expect(page.get_by_test_id("programme-progress")).to_have_text("80,7%")
    expect(page.get_by_test_id("programme-absorption")).to_have_text("62,2%")
    expect(page.get_by_label("Catatan 2023")).to_have_value("Belum disimpan")

    page.reload()
    expect(page.get_by_test_id("programme-progress")).to_have_text("80,7%")
    expect(page.get_by_label("Realisasi 2024 (OPD)")).to_have_value("30")


def back_to_december_2020():
    MasterPlan.objects.filter(title=SECOND).delete()
    MasterPlan.objects.filter(title=FIRST).update(
        status=MasterPlan.Status.IN_FORCE, reviewed_at=None
    )


def test_head_reviews_the_first_plan_and_starts_the_next_with_its_unfinished_programmes(
    page, demo_data
):
    back_to_december_2020()
    log_in(page, "kadis.gumas", demo_data)
    page.goto("/masterplans/")
    page.get_by_role("link", name=FIRST).click()
    page.get_by_role("link", name="Evaluasi dan susun rencana berikutnya").click()

    achieved = page.get_by_test_id("achieved")
    expect(achieved).to_contain_text("Portal resmi dan situs web OPD")
    unfinished = page.get_by_test_id("unfinished")
    expect(unfinished).to_contain_text(NETWORK)
    expect(unfinished).to_contain_text("19 → 30 OPD")

    expect(page.get_by_role("spinbutton", name=re.compile(r"^Tahun mulai"))).to_have_value("2021")
    expect(page.get_by_role("spinbutton", name=re.compile(r"^Tahun akhir"))).to_have_value("2024")
    page.get_by_label("RPJMD tahun mulai").fill("2021")
    page.get_by_label("RPJMD tahun akhir").fill("2026")
    expect(page.get_by_label(NETWORK)).to_be_checked()
    page.get_by_label("Peningkatan kapasitas internet").uncheck()
    page.get_by_role("button", name="Mulai rencana berikutnya").click()

    expect(page).to_have_url(re.compile(r"/masterplans/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rencana Induk e-Government Kabupaten Gunung Mas 2021–2024"
    )
    expect(page.get_by_test_id("plan-status")).to_have_text("Draf")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=NETWORK)).to_be_visible()
    expect(
        main.get_by_role("link", name="Layanan administrasi kependudukan daring")
    ).to_be_visible()
    expect(main).not_to_contain_text("Portal resmi dan situs web OPD")
    expect(main).not_to_contain_text("Peningkatan kapasitas internet")
    expect(main).to_contain_text("2021–2026")

    main.get_by_role("link", name=NETWORK).click()
    expect(page.get_by_test_id("target-2021")).to_contain_text("19 → 30 OPD")
    # "Continued from" leads to the programme in the reviewed plan, and on to that plan.
    page.get_by_role("main").get_by_role("link", name=FIRST).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NETWORK)
    page.get_by_role("navigation", name="Remah roti").get_by_role("link", name=FIRST).click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Sudah dievaluasi")


CHART_TEXT_SIZES = """figures => figures.map(figure => {
  const svg = figure.querySelector("svg.chart");
  const scale = svg.getScreenCTM().a;
  return Math.min(...[...svg.querySelectorAll("text")].map(
    text => parseFloat(getComputedStyle(text).fontSize) * scale));
})"""


def test_the_plan_charts_are_legible_at_desktop_width_and_draw_no_empty_series(page, demo_data):
    log_in(page, "kadis.gumas", demo_data)
    page.get_by_role("link", name="Rencana induk").click()
    page.get_by_role("link", name=FIRST).click()
    for width in (1024, 1280, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        sizes = page.locator("figure[data-testid^='chart-']").evaluate_all(CHART_TEXT_SIZES)
        assert len(sizes) == 5
        # Pixels as drawn on the screen: the smallest label of every chart.
        assert min(sizes) >= 11, (width, sizes)
    chart = page.get_by_test_id("chart-policy")
    expect(chart.locator("text", has_text="Skor penilaian")).to_have_count(1)

    # The re-draft in force has no assessed year yet: its charts show the targets alone.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Rencana induk"
    ).click()
    page.get_by_role("link", name=SECOND).click()
    expect(page.get_by_test_id("no-scores-note")).to_contain_text("2021–2024")
    chart = page.get_by_test_id("chart-policy")
    expect(chart.locator("text", has_text="Target skor rencana")).to_have_count(1)
    expect(chart.locator("text", has_text="Skor penilaian")).to_have_count(0)

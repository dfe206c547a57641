"""Under the Content-Security-Policy, Chromium refuses nothing and every page still works."""

import re

import pytest
from playwright.sync_api import expect

from masterplan.models import MasterPlan
from tests.e2e.conftest import log_in

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.reportViolation(
  `${event.effectiveDirective} refused ${event.blockedURI} ` +
  `at ${event.sourceFile}:${event.lineNumber}`
));
"""


@pytest.fixture
def refused(page):
    """Every policy violation Chromium reports while the test runs, from the page or console."""
    found = []
    page.expose_function("reportViolation", lambda text: found.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return found


def expect_bars_drawn_to_their_values(page):
    """Each progress bar is as long as the value it announces (to within a per cent)."""
    expect(page.locator(".progress-bar").first).to_be_visible()
    bars = page.locator(".progress[role=progressbar]").evaluate_all(
        """tracks => tracks.map(track => [
          Number(track.getAttribute("aria-valuenow")),
          100 * track.firstElementChild.getBoundingClientRect().width
            / track.getBoundingClientRect().width,
        ])"""
    )
    assert bars
    assert any(value > 0 for value, _drawn in bars)
    for value, drawn in bars:
        assert abs(value - drawn) <= 1, (value, drawn)


def test_the_reviewers_pages_work_and_nothing_is_refused(page, demo_data, refused):
    log_in(page, "reviewer", demo_data)
    page.get_by_role("link", name="Peringkat").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peringkat kabupaten/kota")
    # The year selector sends its form on change, without a button.
    page.get_by_label("Tahun", exact=True).select_option("2018")
    expect(page).to_have_url(re.compile(r"\?year=2018$"))
    expect(page.get_by_label("Tahun", exact=True)).to_have_value("2018")

    page.get_by_role("link", name="Penilaian", exact=True).click()
    page.get_by_role("row", name=re.compile("Kabupaten Gunung Mas 2020")).get_by_role(
        "link"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Gunung Mas · 2020")
    expect_bars_drawn_to_their_values(page)

    # An htmx save swaps the indicator card and the summary beside it.
    page.get_by_role("link", name="Kebijakan").first.click()
    card = page.locator("#indicator-policy-01")
    card.get_by_label("Level verifikasi 3").check()
    card.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("#indicator-policy-01").get_by_text("Tersimpan.")).to_be_visible()
    expect_bars_drawn_to_their_values(page)

    # So does the language switcher.
    page.get_by_label("Bahasa").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Home")).to_be_visible()
    assert refused == []


def test_the_heads_dashboard_and_plan_work_and_nothing_is_refused(page, demo_data, refused):
    log_in(page, "kadis.gumas", demo_data)
    page.get_by_role("link", name="Dasbor").click()
    page.get_by_label("Tahun", exact=True).select_option("2018")
    expect(page).to_have_url(re.compile(r"\?year=2018$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Gunung Mas · 2018")
    chart = page.get_by_role("img", name="Skor dimensi Kabupaten Gunung Mas 2018")
    expect(chart).to_be_visible()
    # A chart fills the room it has, up to its own width (radar: 520 + 2 × 12 padding).
    for width in (1280, 800, 360):
        page.set_viewport_size({"width": width, "height": 900})
        drawn, room = chart.evaluate(
            """svg => {
              const box = getComputedStyle(svg.parentElement);
              const room = svg.parentElement.clientWidth - parseFloat(box.paddingLeft)
                - parseFloat(box.paddingRight);
              return [svg.getBoundingClientRect().width, room];
            }"""
        )
        assert drawn == pytest.approx(min(544, room), abs=1), width
    page.set_viewport_size({"width": 1280, "height": 900})

    plan = MasterPlan.objects.filter(region__code="62.10").latest("start_year")
    page.goto(plan.get_absolute_url())
    expect(page.get_by_test_id("plan-status")).to_have_text("Berlaku")
    expect_bars_drawn_to_their_values(page)

    page.get_by_role("link", name="Katalog aplikasi").click()
    # The catalogue's summary is folded away under its count: open it.
    page.get_by_test_id("total").click()
    expect(page.locator(".bar-chart .bar").first).to_be_visible()
    assert refused == []


def test_the_admin_and_the_api_docs_work_and_nothing_is_refused(page, demo_data, refused):
    log_in(page, "admin", demo_data)
    page.get_by_role("link", name="Administrasi").click()
    expect(page.get_by_role("heading", name="Administrasi situs")).to_be_visible()
    page.get_by_role("link", name="Aplikasi").first.click()
    page.locator("#result_list tbody a").first.click()
    page.get_by_role("link", name="Riwayat").first.click()
    expect(page.locator("#content h1")).to_be_visible()

    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    page.goto("/api/v1/regions/")
    expect(page.get_by_role("heading", name="Region List")).to_be_visible()
    assert refused == []

import os
import re

from playwright.sync_api import expect

from assessments.models import Answer, Assessment
from tests.e2e.conftest import log_in

SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS")  # a folder to keep screenshots in, if set


def shoot(page, name):
    if SCREENSHOTS:
        for width in (1280, 768):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 720})


def test_reviewer_verifies_by_clicking_a_description_and_meets_the_final_confirmation(
    page, demo_data
):
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    policy_01 = draft.framework.dimensions.get(code="policy").indicators.get(code="policy-01")
    description = policy_01.levels.get(level=3).descriptor

    log_in(page, "reviewer", demo_data)
    page.goto(draft.get_absolute_url())
    expect(page.get_by_test_id("status-badge")).to_have_text("Draf")
    page.get_by_role("button", name="Mulai verifikasi").click()
    expect(page.get_by_text("Status penilaian sekarang: Dalam verifikasi.")).to_be_visible()
    expect(page.get_by_test_id("status-badge")).to_have_text("Dalam verifikasi")
    expect(page.get_by_test_id("verified-total")).to_have_text("0 dari 35")
    expect(page.get_by_test_id("to-verify-policy")).to_have_text("7")
    shoot(page, "detail")

    page.get_by_role("link", name="Kebijakan").first.click()
    card = page.locator("#indicator-policy-01")
    self_level = Answer.objects.get(assessment=draft, indicator=policy_01).self_level
    expect(card.get_by_label(f"Level mandiri {self_level}")).to_be_checked()
    card.get_by_text(description, exact=True).click()
    expect(card.get_by_label("Level verifikasi 3")).to_be_checked()
    expect(card.get_by_label(f"Level mandiri {self_level}")).to_be_checked()
    if self_level != 3:
        card.get_by_label("Alasan penilai").fill("Dokumen kebijakan diperiksa saat kunjungan.")
    card.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("#indicator-policy-01").get_by_text("Tersimpan.")).to_be_visible()
    expect(page.get_by_test_id("summary-to-verify")).to_have_text("6")

    page.get_by_test_id("indicator-filters").get_by_role("link", name="Belum diverifikasi").click()
    expect(page.locator("#indicator-policy-01")).to_have_count(0)
    expect(page.locator("#indicator-policy-02")).to_be_visible()
    shoot(page, "dimension-unverified")

    page.goto(draft.get_absolute_url())
    expect(page.get_by_test_id("verified-policy")).to_have_text("1 dari 7")
    page.get_by_role("link", name="Tetapkan final…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tetapkan final penilaian")
    refusal = page.get_by_test_id("final-refusal")
    expect(refusal).to_contain_text("Masih ada 34 dari 35 indikator tanpa level verifikasi.")
    expect(page.get_by_test_id("unverified-list").get_by_role("listitem")).to_have_count(34)
    expect(page.get_by_role("button", name="Ya, tetapkan final")).to_have_count(0)
    shoot(page, "finalise")
    draft.refresh_from_db()
    assert draft.status == "in_review"
    assert Answer.objects.get(assessment=draft, indicator=policy_01).verified_level == 3


def test_head_picks_a_self_level_by_its_description_and_sees_coloured_statuses(page, demo_data):
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    description = (
        draft.framework.dimensions.get(code="policy")
        .indicators.get(code="policy-01")
        .levels.get(level=1)
        .descriptor
    )
    log_in(page, "kadis.gumas", demo_data)
    page.goto("/assessments/")
    final = page.get_by_role("row", name=re.compile("Gunung Mas 2019")).get_by_test_id(
        "status-badge"
    )
    draft_badge = page.get_by_role("row", name=re.compile("Gunung Mas 2020")).get_by_test_id(
        "status-badge"
    )
    expect(final).to_have_text("Final")
    expect(draft_badge).to_have_text("Draf")
    colour = "getComputedStyle(el).backgroundColor"
    assert final.evaluate(f"el => {colour}") != draft_badge.evaluate(f"el => {colour}")
    shoot(page, "list")

    page.goto(f"/assessments/{draft.pk}/policy/")
    card = page.locator("#indicator-policy-01")
    card.get_by_text(description, exact=True).click()
    expect(card.get_by_label("Level mandiri 1")).to_be_checked()
    expect(card.get_by_label("Level verifikasi 1")).not_to_be_checked()

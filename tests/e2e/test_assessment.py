import re

from playwright.sync_api import expect

from assessments.models import Answer, Assessment, Evidence
from tests.assessments.conftest import MINIMAL_PDF
from tests.e2e.conftest import log_in


def test_reviewer_scores_two_indicators_with_evidence_and_head_submits(
    page, demo_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = Assessment.objects.get(region__code="62.10", year=2020)

    log_in(page, "reviewer", demo_data)
    page.get_by_role("link", name="Penilaian", exact=True).click()
    page.get_by_role("row", name=re.compile("Kabupaten Gunung Mas 2020")).get_by_role(
        "link"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Gunung Mas · 2020")
    page.get_by_role("link", name="Kebijakan").first.click()
    score = page.get_by_test_id("dimension-score")
    expect(score).to_have_text("2,29")

    first = page.locator("#indicator-policy-01")
    first.get_by_label("Level verifikasi 3").check()
    first.get_by_label("Catatan").fill("Perbup Nomor 22 Tahun 2017 diperlihatkan.")
    first.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("#indicator-policy-01").get_by_text("Tersimpan.")).to_be_visible()

    second = page.locator("#indicator-policy-02")
    second.get_by_label("Level verifikasi 3").check()
    second.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("#indicator-policy-02")).to_contain_text("Tuliskan alasan")
    second = page.locator("#indicator-policy-02")
    expect(second.get_by_label("Level verifikasi 3")).to_be_checked()
    second.get_by_label("Alasan penilai").fill("Seluruh OPD sudah memakai surel go.id sejak 2020.")
    second.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("#indicator-policy-02").get_by_text("Tersimpan.")).to_be_visible()
    expect(score).to_have_text("2,43")

    pdf = tmp_path / "perbup-22-2017.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    card = page.locator("#indicator-policy-01")
    card.get_by_label("Berkas").set_input_files(str(pdf))
    card.get_by_role("button", name="Tambah bukti dukung").click()
    expect(page.get_by_test_id("evidence-policy-01")).to_contain_text("perbup-22-2017.pdf")

    page.reload()
    expect(page.get_by_test_id("dimension-score")).to_have_text("2,43")
    expect(page.locator("#indicator-policy-01").get_by_label("Level verifikasi 3")).to_be_checked()
    expect(page.locator("#indicator-policy-02").get_by_label("Level verifikasi 3")).to_be_checked()
    expect(page.get_by_test_id("evidence-policy-01")).to_contain_text("perbup-22-2017.pdf")
    expect(page.locator("#indicator-policy-01").get_by_label("Catatan")).to_have_value(
        "Perbup Nomor 22 Tahun 2017 diperlihatkan."
    )
    assert Answer.objects.get(assessment=draft, indicator__code="policy-02").verified_level == 3
    assert Evidence.objects.filter(answer__assessment=draft).count() == 1

    page.get_by_role("button", name="Keluar").click()
    log_in(page, "kadis.gumas", demo_data)
    page.goto(draft.get_absolute_url())
    page.get_by_label("Catatan").fill("Penilaian mandiri 2020 selesai.")
    page.get_by_role("button", name="Ajukan penilaian mandiri").click()
    expect(page.get_by_text("Status penilaian sekarang: Diajukan.")).to_be_visible()
    expect(page.get_by_role("heading", name="Riwayat status").locator("..")).to_contain_text(
        "Penilaian mandiri 2020 selesai."
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"

from playwright.sync_api import expect

from assessments.models import Assessment, Clarification, Evidence
from tests.assessments.conftest import MINIMAL_PDF
from tests.e2e.conftest import log_in


def test_reviewer_asks_for_a_document_and_the_head_answers_with_it_and_closes(
    page, demo_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    dimension = f"{draft.get_absolute_url()}policy/"

    log_in(page, "reviewer", demo_data)
    page.goto(dimension)
    panel = page.locator("#clarification-policy-01")
    panel.get_by_label("Pertanyaan untuk kepala Diskominfo").fill("Mohon unggah Perbup TIK.")
    panel.get_by_role("button", name="Ajukan pertanyaan").click()
    panel = page.locator("#clarification-policy-01")
    expect(panel.get_by_test_id("comment")).to_contain_text("Mohon unggah Perbup TIK.")
    expect(page.get_by_test_id("open-count-policy")).to_have_text("1 klarifikasi terbuka")

    page.get_by_role("button", name="Keluar").click()
    log_in(page, "kadis.gumas", demo_data)
    page.goto(draft.get_absolute_url())
    expect(page.get_by_test_id("open-count-policy")).to_have_text("1 klarifikasi terbuka")
    page.goto(dimension)
    pdf = tmp_path / "perbup-tik.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    panel = page.locator("#clarification-policy-01")
    panel.get_by_label("Balasan").fill("Terlampir Perbup Nomor 22 Tahun 2017.")
    panel.get_by_label("Lampiran").set_input_files(str(pdf))
    panel.get_by_role("button", name="Kirim balasan").click()
    panel = page.locator("#clarification-policy-01")
    expect(panel.get_by_role("link", name="perbup-tik.pdf")).to_be_visible()
    expect(panel).to_contain_text("menunggu tanggapan penilai")

    panel.get_by_role("button", name="Tutup klarifikasi").click()
    expect(page.locator("#clarification-policy-01")).to_contain_text("Klarifikasi ditutup.")
    expect(page.get_by_test_id("open-count-policy")).to_have_text("")

    page.reload()
    expect(page.get_by_test_id("evidence-policy-01")).to_contain_text("perbup-tik.pdf")
    assert Clarification.objects.get(assessment=draft).status == "closed"
    assert Evidence.objects.get(answer__assessment=draft, title="perbup-tik.pdf").comments.exists()

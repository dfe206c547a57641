from playwright.sync_api import expect

from assessments.models import Answer, Assessment, Clarification, Evidence
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
    assert (
        Clarification.objects.get(assessment=draft, indicator__code="policy-01").status == "closed"
    )
    assert Evidence.objects.get(answer__assessment=draft, title="perbup-tik.pdf").comments.exists()


def test_a_question_travels_through_both_inboxes_and_ends_in_a_verified_indicator(
    page, demo_data, settings, tmp_path
):
    """The reviewer asks; the head finds the question in the inbox and answers with a file;
    the reviewer finds the answer in the inbox, verifies the indicator and closes the thread."""
    settings.MEDIA_ROOT = tmp_path
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    log_in(page, "reviewer", demo_data)
    page.goto(f"{draft.get_absolute_url()}institutions/")
    panel = page.locator("#clarification-institutions-01")
    panel.get_by_label("Pertanyaan untuk kepala Diskominfo").fill("Mohon unggah SK tim TIK.")
    panel.get_by_role("button", name="Ajukan pertanyaan").click()
    expect(page.locator("#clarification-institutions-01").get_by_test_id("comment")).to_be_visible()
    page.get_by_role("button", name="Keluar").click()

    log_in(page, "kadis.gumas", demo_data)
    question = page.locator('[data-kind="clarification_question"]', has_text="institutions-01")
    expect(question).to_contain_text("Jawab klarifikasi institutions-01")
    question.get_by_role("link").click()
    pdf = tmp_path / "sk-tim-tik.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    panel = page.locator("#clarification-institutions-01")
    panel.get_by_label("Balasan").fill("SK Bupati tentang tim TIK terlampir.")
    panel.get_by_label("Lampiran").set_input_files(str(pdf))
    panel.get_by_role("button", name="Kirim balasan").click()
    expect(page.locator("#clarification-institutions-01")).to_contain_text(
        "menunggu tanggapan penilai"
    )
    page.goto("/")
    expect(
        page.locator('[data-kind="clarification_question"]', has_text="institutions-01")
    ).to_have_count(0)
    page.get_by_role("button", name="Keluar").click()

    log_in(page, "reviewer", demo_data)
    answer = page.locator('[data-kind="clarification_answer"]')
    expect(answer).to_contain_text("institutions-01")
    answer.get_by_role("link").click()
    panel = page.locator("#clarification-institutions-01")
    expect(panel).to_contain_text("SK Bupati tentang tim TIK terlampir.")
    expect(panel.get_by_role("link", name="sk-tim-tik.pdf")).to_be_visible()
    card = page.locator("#indicator-institutions-01")
    card.get_by_label("Level verifikasi 3").check()
    self_level = card.get_by_label("Level mandiri 3")
    if not self_level.is_checked():
        card.get_by_label("Alasan penilai").fill("SK tim TIK diperiksa.")
    with page.expect_response(lambda response: response.request.method == "POST"):
        card.get_by_role("button", name="Simpan indikator").click()
    page.reload()
    expect(
        page.locator("#indicator-institutions-01").get_by_label("Level verifikasi 3")
    ).to_be_checked()
    panel = page.locator("#clarification-institutions-01")
    panel.get_by_role("button", name="Tutup klarifikasi").click()
    expect(page.locator("#clarification-institutions-01")).to_contain_text("Klarifikasi ditutup.")
    page.goto("/")
    expect(page.locator('[data-kind="clarification_answer"]')).to_have_count(0)
    answered = Answer.objects.get(assessment=draft, indicator__code="institutions-01")
    assert answered.verified_level == 3
    assert answered.evidence.filter(title="sk-tim-tik.pdf").exists()

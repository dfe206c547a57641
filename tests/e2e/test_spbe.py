from playwright.sync_api import expect

from assessments import workflow
from assessments.models import Framework
from opds.models import Region
from tests.assessments.test_spbe import LEVELS, answer_all
from tests.e2e.conftest import log_in


def test_reviewer_scores_an_spbe_indicator_and_sees_aspect_domain_and_index_change(
    page, demo_data, django_user_model
):
    # The demo's Gunung Mas has its 2021 SPBE evaluation already: score a later year's.
    assessment = workflow.assessment_create(
        user=django_user_model.objects.get(username="reviewer"),
        region=Region.objects.get(code="62.10"),
        year=2022,
        framework=Framework.objects.get(code="spbe-2020"),
    )
    answer_all(assessment, LEVELS)

    log_in(page, "reviewer", demo_data)
    page.goto(assessment.get_absolute_url())
    expect(page.get_by_test_id("index")).to_have_text("2,72")
    expect(page.get_by_test_id("aspect-score-tik")).to_have_text("3,00")
    page.get_by_role("link", name="Tata Kelola SPBE").click()
    expect(
        page.get_by_role("heading", name="Aspek Teknologi Informasi dan Komunikasi")
    ).to_be_visible()
    expect(page.get_by_test_id("dimension-score")).to_have_text("2,70")
    expect(page.get_by_test_id("aspect-score-tik")).to_have_text("3,00")

    card = page.locator("#indicator-spbe-18")
    expect(card).to_contain_text("Penggunaan Sistem Penghubung Layanan")
    card.get_by_label("Level verifikasi 5").check()
    card.get_by_role("button", name="Simpan indikator").click()
    expect(page.locator("#indicator-spbe-18").get_by_text("Tersimpan.")).to_be_visible()
    # TIK (4 + 3 + 3 + 5) × 2,5 / 10; the domain (25 + 37,5 + 12,5) / 25; the index
    # (272,25 + 3 × 2,5) / 100.
    expect(page.get_by_test_id("aspect-score-tik")).to_have_text("3,75")
    expect(page.get_by_test_id("aspect-score-penyelenggara")).to_have_text("2,50")
    expect(page.get_by_test_id("dimension-score")).to_have_text("3,00")
    expect(page.get_by_test_id("index")).to_contain_text("2,80")

    page.goto(assessment.get_absolute_url())
    expect(page.get_by_test_id("aspect-score-tik")).to_have_text("3,75")
    expect(page.get_by_test_id("score-tata-kelola")).to_have_text("3,00")
    expect(page.get_by_test_id("index")).to_have_text("2,80")
    # On PeGI's scale spbe-18 counts for infrastructure: 44 / 16,5 = 2,67 on 1–5, 2,25 on 1–4.
    expect(page.get_by_test_id("derived-infrastructure")).to_have_text("2,25")
    expect(page.get_by_test_id("derived-index")).to_contain_text("2,19")

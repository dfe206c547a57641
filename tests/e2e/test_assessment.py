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


def test_head_starts_2021_from_2020_and_confirms_an_indicator_then_a_dimension(page, demo_data):
    last_year = Assessment.objects.get(region__code="62.10", year=2020)
    carried = Answer.objects.filter(assessment=last_year, self_level__isnull=False).count()
    policy = Answer.objects.filter(
        assessment=last_year, self_level__isnull=False, indicator__dimension__code="policy"
    ).count()
    first_level = Answer.objects.get(assessment=last_year, indicator__code="policy-01").level

    log_in(page, "kadis.gumas", demo_data)
    page.goto("/assessments/new/")
    # The form offers the framework of the province's current cycle, 2021's SPBE 2020; this
    # region also keeps a PeGI assessment for 2021, started from its PeGI assessment of 2020.
    framework = page.get_by_role("combobox", name=re.compile("^Kerangka penilaian"))
    expect(framework).to_have_value("spbe-2020")
    framework.select_option("pegi")
    source = page.get_by_label("Mulai dari penilaian tahun lalu")
    source.select_option(str(last_year.pk))
    expect(source.locator("option:checked")).to_have_text(re.compile("Gunung Mas 2020"))
    page.get_by_role("spinbutton", name=re.compile("^Tahun")).fill("2021")
    page.get_by_role("button", name="Buat").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Gunung Mas · 2021")
    expect(page.get_by_test_id("awaiting")).to_have_text(str(carried))

    page.get_by_role("link", name="Kebijakan").first.click()
    waiting = page.get_by_test_id("awaiting-dimension")
    expect(waiting).to_contain_text(
        f"{policy} level dari tahun sebelumnya di dimensi ini menunggu konfirmasi."
    )
    card = page.locator("#indicator-policy-01")
    expect(card.get_by_test_id("carried-policy-01")).to_have_text("Dari 2020, belum dikonfirmasi")
    expect(card.get_by_label(f"Level mandiri {first_level}")).to_be_checked()
    card.get_by_role("button", name="Konfirmasi level").click()
    card = page.locator("#indicator-policy-01")
    expect(card.get_by_text("Tersimpan.")).to_be_visible()
    expect(card.get_by_test_id("carried-policy-01")).to_have_count(0)
    # The box above the cards counts one fewer at once, without a reload.
    expect(waiting).to_contain_text(
        f"{policy - 1} level dari tahun sebelumnya di dimensi ini menunggu konfirmasi."
    )

    page.get_by_role("link", name="Kabupaten Gunung Mas 2021").click()
    expect(page.get_by_test_id("awaiting")).to_have_text(str(carried - 1))

    page.get_by_role("link", name="Kebijakan").first.click()
    expect(waiting).to_contain_text(
        f"{policy - 1} level dari tahun sebelumnya di dimensi ini menunggu konfirmasi."
    )
    page.get_by_role("button", name="Konfirmasi semua yang tidak berubah di dimensi ini").click()
    expect(
        page.get_by_text(f"{policy - 1} level dari tahun sebelumnya dikonfirmasi.")
    ).to_be_visible()
    expect(waiting).to_have_count(0)

    page.get_by_role("link", name="Kabupaten Gunung Mas 2021").click()
    expect(page.get_by_test_id("awaiting")).to_have_text(str(carried - policy))
    created = Assessment.objects.get(region__code="62.10", year=2021, framework__code="pegi")
    answer = Answer.objects.get(assessment=created, indicator__code="policy-01")
    assert (answer.self_level, answer.awaiting_confirmation) == (first_level, False)

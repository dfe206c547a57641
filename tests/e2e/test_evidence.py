import re

from playwright.sync_api import expect

from assessments.models import Assessment
from tests.assessments.conftest import MINIMAL_PDF
from tests.e2e.conftest import log_in


def test_evidence_downloads_under_its_title_with_the_real_extension(
    page, demo_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    log_in(page, "reviewer", demo_data)
    page.goto(draft.get_absolute_url())
    page.get_by_role("link", name="Kebijakan").first.click()
    # A full-width slash, as a phone keyboard or a copied Word title gives it, and letters
    # outside ASCII; the file itself is named anyhow.
    title = "SK Wali Kota 12／2020 — Pengesahan Rencana Induk Ékspres"
    card = page.locator("#indicator-policy-01")
    card.get_by_label("Judul").fill(title)
    card.get_by_label("Berkas").set_input_files(
        {
            "name": "scan0001.pdf",
            "mimeType": "application/octet-stream",
            "buffer": MINIMAL_PDF,
        }
    )
    card.get_by_role("button", name="Tambah bukti dukung").click()
    link = page.get_by_test_id("evidence-policy-01").get_by_role("link", name=title)
    expect(link).to_be_visible()

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    expected = "SK Wali Kota 12-2020 — Pengesahan Rencana Induk Ékspres.pdf"
    assert download.suggested_filename == expected
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes() == MINIMAL_PDF

    # A client that reads only the plain name gets the same name in ASCII, never a path.
    response = page.request.get(link.get_attribute("href"))
    plain = re.search(r'filename="([^"]*)"', response.headers["content-disposition"])[1]
    assert plain == "SK Wali Kota 12-2020 Pengesahan Rencana Induk Ekspres.pdf"

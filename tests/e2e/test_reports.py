import io
import re
import subprocess
import zipfile

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_head_downloads_the_2019_report_from_the_dashboard(page, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(page, "kadis.gumas", demo_data)
    page.get_by_role("link", name="Dasbor").click()
    page.get_by_label("Tahun", exact=True).select_option("2019")
    expect(page.get_by_test_id("index")).to_have_text("2,20")
    expect(page.get_by_role("img", name="Skor dimensi Kabupaten Gunung Mas 2019")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh laporan 2019 (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "laporan-egov-62.10-2019.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Kabupaten Gunung Mas" in text
    assert "2,20" in text
    assert "Halaman 1 dari" in text


def test_reviewer_sorts_the_ranking_and_opens_a_region(page, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(page, "reviewer", demo_data)
    page.get_by_role("link", name="Peringkat").click()
    # The latest year with final results is the first of SPBE 2020; 2019 is PeGI's.
    expect(page.get_by_test_id("ranking-framework")).to_contain_text("2021: Evaluasi SPBE")
    page.get_by_label("Tahun", exact=True).select_option("2019")
    expect(page).to_have_url(re.compile(r"year=2019"))
    expect(page.get_by_test_id("ranking-framework")).to_contain_text("2019: Pemeringkatan")
    expect(page.get_by_test_id("rank-62.71")).to_contain_text("3,17")
    applications = page.get_by_role("columnheader", name="Aplikasi", exact=True)
    expect(applications).not_to_have_attribute("aria-sort", re.compile("."))
    page.get_by_role("link", name="Aplikasi", exact=True).click()
    expect(page.locator("tbody tr").first).to_contain_text("Kota Palangka Raya")
    expect(applications).to_have_attribute("aria-sort", "descending")
    # A second click on the same header turns the order round; unscored regions stay last.
    page.get_by_role("link", name="Aplikasi", exact=True).click()
    expect(applications).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("tbody tr").first).to_contain_text("Kabupaten Murung Raya")
    expect(page.get_by_role("link", name="CSV", exact=True)).to_have_attribute(
        "href", re.compile(r"sort=applications&format=csv$")
    )
    page.get_by_role("link", name="Kabupaten Gunung Mas").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Gunung Mas · 2019")


def test_reviewer_builds_the_report_bundle_and_sees_it_being_built(
    page, demo_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(page, "reviewer", demo_data)
    page.get_by_role("link", name="Peringkat").click()
    button = page.get_by_role("button", name="Paket ZIP laporan semua kabupaten/kota")
    indicator = page.get_by_text("Paket sedang dibuat…")
    expect(indicator).to_be_hidden()
    # Without a broker the seven reports are rendered during the request: the page says so.
    button.click()
    expect(indicator).to_be_visible()
    expect(button).to_be_disabled()
    expect(page.get_by_test_id("bundle-status")).to_have_text("Selesai", timeout=120_000)
    expect(page).to_have_url(re.compile(r"/reports/bundles/\d+/$"))
    expect(page.get_by_text("7 dari 7 laporan")).to_be_visible()
    expect(page.get_by_role("button", name="Batalkan paket")).to_have_count(0)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh ZIP").click()
    download = download_info.value
    assert download.suggested_filename == "laporan-egov-62-2021.zip"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert len(archive.namelist()) == 7
        assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def right_shade(page, opacity):
    """Wait until the shade at the table's right edge has ``opacity`` (it fades)."""
    page.wait_for_function(
        "opacity => getComputedStyle(document.querySelector('[data-scroll-cue]'), '::after')"
        ".opacity === opacity",
        arg=opacity,
    )


def test_a_ranking_wider_than_a_tablet_says_it_scrolls(browser, live_server, demo_data):
    def ranking_at(width):
        context = browser.new_context(
            base_url=live_server.url, locale="id-ID", viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        log_in(page, "reviewer", demo_data)
        page.goto("/reports/provinces/62/ranking/?year=2019")
        return context, page

    context, page = ranking_at(768)
    box = page.get_by_role("region", name="Peringkat tahun 2019")
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    hint = page.get_by_text("Geser tabel ke samping untuk melihat kolom lain.")
    expect(hint).to_be_visible()
    cue = page.locator("[data-scroll-cue]")
    expect(cue).to_have_class(re.compile(r"\bis-overflowing\b"))
    right_shade(page, "1")
    # Scrolled to the last column, the shade on the right goes: nothing more there.
    box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    expect(cue).to_have_class(re.compile(r"\bat-end\b"))
    right_shade(page, "0")
    context.close()

    context, page = ranking_at(1400)
    box = page.get_by_role("region", name="Peringkat tahun 2019")
    assert box.evaluate("box => box.scrollWidth <= box.clientWidth")
    expect(page.get_by_text("Geser tabel ke samping untuk melihat kolom lain.")).to_be_hidden()
    right_shade(page, "0")
    context.close()


def test_head_checks_a_downloaded_report_on_the_verify_page(page, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(page, "kadis.gumas", demo_data)
    page.goto("/reports/regions/62.10/?year=2019")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh laporan 2019 (PDF)").click()
    original = tmp_path / "laporan.pdf"
    download_info.value.save_as(original)
    data = original.read_bytes()
    # A copy with one number altered: the index 2,20 becomes 2,90 in the PDF's text.
    altered = tmp_path / "laporan-diubah.pdf"
    altered.write_bytes(altered_copy(data))
    assert "2,90" in pdf_first_page(altered) and "2,90" not in pdf_first_page(original)

    page.goto("/reports/verify/")
    page.get_by_label("Berkas PDF laporan").set_input_files(original)
    page.get_by_role("button", name="Periksa berkas").click()
    result = page.get_by_test_id("verify-file-result")
    expect(result).to_contain_text("Asli: berkas ini diterbitkan oleh portal.")
    expect(result).to_contain_text("Laporan wilayah Kabupaten Gunung Mas tahun 2019.")

    page.get_by_label("Berkas PDF laporan").set_input_files(altered)
    page.get_by_role("button", name="Periksa berkas").click()
    expect(result).to_contain_text("Bukan berkas yang diterbitkan oleh portal.")
    expect(result).not_to_contain_text("Asli")


def altered_copy(data: bytes) -> bytes:
    """The PDF with the index on its first page changed from 2,20 to 2,90, saved as a PDF
    editor would: an incremental update replacing the page's content stream."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0]
    content_ref = page.raw_get("/Contents")
    content = content_ref.get_object().data
    # The text is shown as glyph ids of the embedded DejaVu Sans: digit d is 0x13 + d, the
    # comma 0x0f. "2,20" → "2,90".
    digit = {d: f"<{0x13 + d:04x}>".encode() for d in range(10)}
    pattern = re.compile(
        re.escape(digit[2])
        + rb"(-?\d+)<000f>(-?\d+)"
        + re.escape(digit[2])
        + rb"(-?\d+)"
        + re.escape(digit[0])
    )
    content, count = pattern.subn(
        lambda m: digit[2] + m[1] + b"<000f>" + m[2] + digit[9] + m[3] + digit[0], content, 1
    )
    assert count == 1
    stream = generic.StreamObject(stream_data=content)
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdf_first_page(path) -> str:
    return subprocess.run(
        ["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_head_compares_two_years_from_the_dashboard_and_keeps_only_changes(page, demo_data):
    log_in(page, "kadis.gumas", demo_data)
    page.get_by_role("link", name="Dasbor").click()
    # The latest year, SPBE 2021, compares with the PeGI draft of 2020 through the crosswalk.
    page.get_by_role("link", name="Bandingkan dengan tahun sebelumnya").click()
    expect(page.get_by_label("ke tahun")).to_have_value("2021")
    expect(
        page.get_by_text(
            "Skor kerangka lain dipetakan ke dimensi kerangka "
            "Pemeringkatan e-Government Indonesia (PeGI)."
        )
    ).to_be_visible()
    page.go_back()
    page.get_by_label("Tahun", exact=True).select_option("2020")
    expect(page).to_have_url(re.compile(r"year=2020"))
    page.get_by_role("link", name="Bandingkan dengan tahun sebelumnya").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Perbandingan Kabupaten Gunung Mas"
    )
    expect(page.get_by_label("Dari tahun")).to_have_value("2019")
    expect(page.get_by_label("ke tahun")).to_have_value("2020")
    expect(page.get_by_test_id("index-change")).to_have_text("+0,20")
    rows = page.get_by_test_id("indicator-row")
    expect(rows).to_have_count(35)
    page.get_by_label("Hanya yang berubah").check()
    expect(page).to_have_url(re.compile(r"changed=1"))
    expect(rows).to_have_count(7)
    expect(rows.first).to_contain_text("naik")
    page.get_by_label("Dari tahun").select_option("2018")
    expect(page).to_have_url(re.compile(r"from=2018"))
    expect(page.get_by_label("Hanya yang berubah")).to_be_checked()

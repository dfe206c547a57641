"""Anyone holding a report's PDF can check that the portal issued exactly that file, by the page
or the API, and anyone holding the printed page finds the verification address on every page,
in text and as a QR code."""

import html
import io
import subprocess
import zipfile

import pytest
import segno
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from opds.models import Region
from reports import bundles
from reports.documents import rounded_size
from reports.models import IssuedFile
from tests.reports.conftest import pdf_pages, pdf_text
from tests.reports.test_verify import reopen_and_change

User = get_user_model()
VERIFY_API = "/api/v1/verify/"


def region_pdf(client, year=2019, *, username="reviewer", language=None):
    client.force_login(User.objects.get(username=username))
    if language:
        client.cookies["portal_language"] = language
    response = client.get(reverse("reports:region_report", kwargs={"code": "62.10", "year": year}))
    assert response.status_code == 200
    return response


def post_file(data: bytes, name="laporan.pdf"):
    return APIClient().post(
        VERIFY_API, {"file": SimpleUploadedFile(name, data)}, format="multipart"
    )


def changed(data: bytes) -> bytes:
    """The same file with one byte in its middle changed."""
    position = len(data) // 2
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def test_the_issued_file_is_valid_and_one_changed_byte_makes_it_not(client, demo):
    response = region_pdf(client)
    body = post_file(response.content).json()
    assert body == {
        "valid": True,
        "code": response["X-Verification-Code"],
        "current": True,
        "kind": "region",
        "region": "62.10",
        "region_name": "Kabupaten Gunung Mas",
        "year": 2019,
        "issued_at": body["issued_at"],
        "signed": False,
    }
    assert body["issued_at"] is not None
    body = post_file(changed(response.content)).json()
    assert (body["valid"], body["code"], body["kind"], body["issued_at"]) == (
        False,
        None,
        None,
        None,
    )


def test_the_verify_page_says_genuine_or_not_issued(client, demo):
    data = region_pdf(client).content
    client.logout()
    page = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("a.pdf", data)})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Asli: berkas ini diterbitkan oleh portal." in text
    assert "Laporan wilayah Kabupaten Gunung Mas tahun 2019." in text
    page = client.post(
        reverse("reports:verify"), {"file": SimpleUploadedFile("a.pdf", changed(data))}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bukan berkas yang diterbitkan oleh portal." in text
    assert "Asli:" not in text


def test_each_language_of_a_report_is_a_file_of_its_own(client, demo):
    indonesian = region_pdf(client).content
    english = region_pdf(client, language="en").content
    assert indonesian != english
    files = IssuedFile.objects.filter(report__code=region_pdf(client)["X-Verification-Code"])
    assert sorted(files.values_list("language", flat=True)) == ["en", "id"]
    for data in (indonesian, english):
        assert post_file(data).json()["valid"] is True


def test_a_file_whose_figures_changed_is_genuine_but_not_current(client, demo):
    data = region_pdf(client).content
    reopen_and_change("62.10", 2018, level=4)
    body = post_file(data).json()
    assert (body["valid"], body["current"]) == (True, False)


def test_the_reports_in_a_province_bundle_are_issued_files(client, demo):
    reviewer = User.objects.get(username="reviewer")
    job = bundles.bundle_start(user=reviewer, province=Region.objects.get(code="62"), year=2019)
    job.refresh_from_db()
    with job.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
        assert len(names) == 7
        for name in names:
            body = post_file(archive.read(name)).json()
            assert body["valid"] is True, name
            assert name == f"laporan-egov-{body['region']}-2019.pdf"


def test_bad_uploads_are_refused_with_a_message(client, demo, settings):
    assert post_file(b"bukan pdf, hanya teks").json() == {
        "file": [
            "Berkas ini bukan PDF. Unggah berkas PDF laporan seperti yang diunduh dari portal."
        ]
    }
    empty = post_file(b"")
    assert empty.status_code == 400
    assert empty.json() == {
        "file": ["Pilih berkas PDF laporan yang akan diperiksa; berkas ini kosong."]
    }
    # No file at all is not an empty file.
    missing = APIClient().post(VERIFY_API, {}, format="multipart")
    assert missing.status_code == 400
    assert missing.json() == {"file": ["Pilih berkas PDF laporan yang akan diperiksa."]}
    settings.EVIDENCE_MAX_BYTES = 1000
    too_big = post_file(b"%PDF-1.7\n" + b"0" * 2000)
    assert too_big.status_code == 413
    assert (
        too_big.json()["detail"]
        == "Berkas berukuran 2,0\xa0KB; laporan dari portal tidak lebih dari 1000\xa0bita."
    )


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (b"bukan pdf", 400, "Berkas ini bukan PDF."),
        (b"", 400, "kosong"),
        (b"%PDF-1.7\n" + b"0" * 2000, 413, "laporan dari portal tidak lebih dari"),
    ],
)
def test_the_verify_page_refuses_bad_uploads_with_a_form_error(
    client, db, settings, content, status, message
):
    settings.EVIDENCE_MAX_BYTES = 1000
    page = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("x.pdf", content)})
    assert page.status_code == status
    text = page.content.decode()
    assert message in text
    assert 'data-testid="verify-file-result"' not in text


def test_the_verify_page_asks_for_a_file_when_none_was_chosen(client, db):
    page = client.post(reverse("reports:verify"), {})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Pilih berkas PDF laporan yang akan diperiksa." in text
    assert "kosong" not in text


def test_a_file_just_over_the_limit_is_said_to_be_larger_than_it(client, db, settings):
    # 10,500,009 bytes against 10 MiB: both are 10.0 MB to the nearest tenth.
    settings.EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    data = b"%PDF-1.7\n" + b"0" * (10_500_009 - 9)
    message = "Berkas berukuran 10,1\xa0MB; laporan dari portal tidak lebih dari 10,0\xa0MB."
    response = post_file(data)
    assert response.status_code == 413
    assert response.json()["detail"] == message
    page = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("x.pdf", data)})
    assert page.status_code == 413
    assert message in html.unescape(page.content.decode())


@pytest.mark.parametrize(
    "limit", [1000, 1024, 10 * 1024 * 1024, 10_500_000, 10_540_000, 3 * 1024**3 + 7]
)
def test_a_size_over_the_limit_never_reads_as_the_limit(limit):
    written = rounded_size(limit, up=False)
    for over in (1, 2, 99, 1000, 51_000, limit // 200, limit // 19):
        assert rounded_size(limit + over, up=True) != written, (limit, over)


def test_a_file_upload_larger_than_any_request_is_refused_before_it_is_read(db, settings):
    data = b"%PDF-1.7\n" + b"0" * (settings.REQUEST_MAX_UPLOAD_BYTES + 1)
    response = post_file(data)
    assert response.status_code == 413
    assert "terlalu besar" in response.json()["detail"]


def test_posting_files_counts_against_the_anonymous_rate(db, settings):
    number = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"].split("/")[0])
    api = APIClient(REMOTE_ADDR="203.0.113.9")
    statuses = {api.post(VERIFY_API, {}, format="multipart").status_code for _ in range(number)}
    assert statuses == {400}
    assert api.post(VERIFY_API, {}, format="multipart").status_code == 429


def qr_matrix_from_pdf(data: bytes, tmp_path, page: int) -> list[list[bool]]:
    """The QR image printed on ``page``, read back from the PDF: True for a dark module."""
    path = tmp_path / "qr.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdfimages", "-png", "-f", str(page), "-l", str(page), str(path), str(tmp_path / "img")],
        check=True,
    )
    (image_path,) = tmp_path.glob("img-*.png")
    image = Image.open(image_path).convert("L")
    width, height = image.size
    matrix = [[image.getpixel((x, y)) < 128 for x in range(width)] for y in range(height)]
    image_path.unlink()
    return matrix


def test_every_page_prints_the_verification_address_and_its_qr_code(
    client, demo, settings, tmp_path
):
    settings.PORTAL_URL = "https://egov.kaltengprov.go.id"
    response = region_pdf(client)
    code = response["X-Verification-Code"]
    url = f"https://egov.kaltengprov.go.id/reports/verify/?code={code}"
    pages = pdf_text(response.content, tmp_path)
    count = pdf_pages(response.content, tmp_path)
    assert all(f"Periksa keaslian: {url}" in page for page in pages)
    path = tmp_path / "r.pdf"
    path.write_bytes(response.content)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    pages_with_image = {int(line.split()[0]) for line in listing if line.split()[2] == "image"}
    assert pages_with_image == set(range(1, count + 1))
    # The image is the QR code of exactly the printed address: module for module what segno
    # makes of the URL (quiet zone of four modules included).
    expected = [[bool(module) for module in row] for row in segno.make_qr(url, error="m").matrix]
    quiet = len(expected) + 8
    expected = (
        [[False] * quiet] * 4
        + [[False] * 4 + row + [False] * 4 for row in expected]
        + [[False] * quiet] * 4
    )
    assert qr_matrix_from_pdf(response.content, tmp_path, 1) == expected
    assert qr_matrix_from_pdf(response.content, tmp_path, count) == expected

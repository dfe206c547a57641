import hashlib
import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import workflow
from assessments.evidence import DOCX, ODT, PDF, XLSX, attachment_disposition, download_name, sniff
from assessments.models import Evidence
from tests.assessments.conftest import MINIMAL_PDF


def upload(name, content):
    return SimpleUploadedFile(name, content)


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_types_are_judged_by_content():
    assert sniff(upload("a.pdf", MINIMAL_PDF)) == PDF
    assert sniff(upload("a.docx", docx_bytes())) == DOCX
    assert sniff(upload("a.pdf", b"MZ\x90\x00 this is a program")) is None


def test_a_pdf_is_stored_with_its_hash_and_size(draft, indicators, reviewer, media_root):
    evidence = workflow.evidence_add(
        draft, indicators["policy-01"], user=reviewer, file=upload("perbup.pdf", MINIMAL_PDF)
    )
    assert evidence.title == "perbup.pdf"
    assert evidence.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert evidence.size == len(MINIMAL_PDF)
    assert evidence.content_type == PDF
    assert evidence.file.read() == MINIMAL_PDF
    assert "perbup" not in evidence.file.name


def test_an_executable_renamed_pdf_is_refused_and_nothing_stored(
    draft, indicators, reviewer, media_root
):
    with pytest.raises(ValidationError) as error:
        workflow.evidence_add(
            draft,
            indicators["policy-01"],
            user=reviewer,
            file=upload("perbup.pdf", b"MZ\x90\x00rest"),
        )
    assert "tidak sesuai dengan jenisnya" in error.value.messages[0]
    assert not Evidence.objects.exists()
    assert not (media_root / "evidence").exists() or not any((media_root / "evidence").rglob("*"))


def test_an_oversized_file_is_refused_with_the_limit(draft, indicators, reviewer, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        workflow.evidence_add(
            draft, indicators["policy-01"], user=reviewer, file=upload("besar.pdf", MINIMAL_PDF)
        )
    assert "batasnya 100" in error.value.messages[0]
    assert not Evidence.objects.exists()


def test_an_unknown_extension_is_refused(draft, indicators, reviewer):
    with pytest.raises(ValidationError, match="tidak diterima"):
        workflow.evidence_add(
            draft, indicators["policy-01"], user=reviewer, file=upload("x.exe", b"MZ")
        )


def test_a_link_is_evidence_too(draft, indicators, head):
    evidence = workflow.evidence_add(
        draft,
        indicators["policy-01"],
        user=head,
        url="https://jdih.gunungmaskab.go.id/perbup-22-2017",
    )
    assert evidence.title == "https://jdih.gunungmaskab.go.id/perbup-22-2017"
    assert evidence.get_absolute_url() == evidence.url


def test_evidence_is_served_only_to_users_who_may_see_the_assessment(
    client, draft, indicators, reviewer, head, opd_staff, katingan
):
    from tests.opds.factories import user_with_role

    evidence = workflow.evidence_add(
        draft, indicators["policy-01"], user=reviewer, file=upload("perbup.pdf", MINIMAL_PDF)
    )
    url = evidence.get_absolute_url()
    for user in (reviewer, head):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == MINIMAL_PDF
    for user in (opd_staff, user_with_role("head", region=katingan)):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def ooxml(parts, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOS_PROGRAM = b"MZ\x90\x00" + bytes(60) + b"This program cannot be run in DOS mode.\r\r\n$"


def png_with_text(text):
    """A PNG whose first chunk after the header carries ``text``, as a tEXt chunk may."""
    chunk = b"tEXtComment\x00" + text
    return (
        b"\x89PNG\r\n\x1a\n"
        + len(chunk[4:]).to_bytes(4, "big")
        + chunk
        + b"\x00\x00\x00\x00"
        + b"\x00" * 64
    )


def add(draft, indicators, user, name, content):
    return workflow.evidence_add(
        draft, indicators["policy-01"], user=user, file=upload(name, content)
    )


def refusal(draft, indicators, user, name, content):
    with pytest.raises(ValidationError) as error:
        add(draft, indicators, user, name, content)
    assert not Evidence.objects.exists()
    return error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "kinds"),
    [
        # A PDF reader opens it as the PDF; an unzip tool or an office program as the archive.
        ("perbup.pdf", MINIMAL_PDF + ooxml({"word/document.xml": "<w:document/>"}), "PDF, ZIP"),
        # An image that a browser sniffing the first bytes would render as a page with script.
        ("foto.png", png_with_text(b"<html><script>alert(1)</script>"), "HTML, PNG"),
        # An image that is also a PDF: readers find the PDF header anywhere in the first KB.
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100 + MINIMAL_PDF, "JPG, PDF"),
        # A PDF whose first kilobytes hold a page.
        ("perbup.pdf", MINIMAL_PDF + b"%<!DOCTYPE html><body>", "HTML, PDF"),
        # A document with a stored part that is a page.
        (
            "laporan.docx",
            ooxml({"word/document.html": "<html><body>x</body></html>"}, zipfile.ZIP_STORED),
            "HTML, ZIP",
        ),
        # Word and Excel at once.
        ("laporan.docx", ooxml({"word/document.xml": "<w/>", "xl/workbook.xml": "<w/>"}), None),
    ],
)
def test_a_file_that_can_be_read_as_more_than_one_type_is_refused(
    draft, indicators, reviewer, media_root, name, content, kinds
):
    message = refusal(draft, indicators, reviewer, name, content)
    assert "lebih dari satu jenis berkas" in message
    if kinds:
        assert f"({kinds})" in message


@pytest.mark.parametrize(
    ("parts", "shown"),
    [
        ({"word/document.xml": "<w/>", "word/embeddings/setup.exe": b"MZ\x90\x00"}, "setup.exe"),
        ({"word/document.xml": "<w/>", "word/media/image1.png": DOS_PROGRAM}, "image1.png"),
        ({"word/document.xml": "<w/>", "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, "vbaProject"),
        ({"word/document.xml": "<w/>", "word/run.sh": b"#!/bin/sh\nrm -rf /\n"}, "run.sh"),
    ],
)
def test_an_office_document_carrying_a_program_or_macro_is_refused(
    draft, indicators, reviewer, parts, shown
):
    message = refusal(draft, indicators, reviewer, "laporan.docx", ooxml(parts))
    assert "memuat program, skrip atau makro" in message
    assert shown in message


def test_an_office_document_carrying_another_archive_is_refused(draft, indicators, reviewer):
    content = ooxml({"word/document.xml": "<w/>", "word/embeddings/lagi.zip": b"PK\x05\x06"})
    message = refusal(draft, indicators, reviewer, "laporan.docx", content)
    assert "memuat arsip lain di dalamnya (word/embeddings/lagi.zip)" in message


@pytest.mark.parametrize("action", [b"/JavaScript", b"/J#61vaScript", b"/Launch"])
def test_a_pdf_that_runs_something_when_opened_is_refused(draft, indicators, reviewer, action):
    content = MINIMAL_PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<<" + action + b">>")
    message = refusal(draft, indicators, reviewer, "perbup.pdf", content)
    assert "memuat perintah yang berjalan saat berkas dibuka" in message


def test_a_pdf_whose_compressed_data_happens_to_spell_an_action_is_accepted(
    draft, indicators, reviewer
):
    image = (
        b"4 0 obj<</Length 12/Filter/FlateDecode>>stream\n\x8f/JS (\x01\x02x\nendstream\nendobj\n"
    )
    content = MINIMAL_PDF.replace(b"trailer", image + b"trailer")
    assert add(draft, indicators, reviewer, "scan.pdf", content).content_type == PDF


def test_an_office_document_that_is_a_zip_bomb_is_refused_with_the_reason(
    draft, indicators, reviewer
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as entry:
            for _ in range(60):
                entry.write(bytes(1024 * 1024))
    message = refusal(draft, indicators, reviewer, "laporan.docx", buffer.getvalue())
    assert "mengembang lebih dari 100 kali" in message


def test_real_office_documents_pass_and_keep_their_own_type(draft, indicators, reviewer):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Indikator", "Level"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT)
        archive.writestr("content.xml", "<office:document-content/>")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    for name, content, expected in [
        ("rekap.xlsx", buffer.getvalue(), XLSX),
        ("laporan.docx", docx_bytes(), DOCX),
        # An obfuscated font may begin with the two letters of a Windows program by chance.
        (
            "berfont.docx",
            ooxml({"word/document.xml": "<w/>", "word/fonts/font1.odttf": b"MZ" + bytes(256)}),
            DOCX,
        ),
        ("notulen.odt", odt.getvalue(), ODT),
        ("lama.xls", ole, "application/vnd.ms-excel"),
    ]:
        assert add(draft, indicators, reviewer, name, content).content_type == expected


@pytest.mark.parametrize(
    ("title", "content_type", "expected"),
    [
        ("SK Walikota 12/2020", PDF, "SK Walikota 12-2020.pdf"),
        ("SK Walikota 12／2020", PDF, "SK Walikota 12-2020.pdf"),
        ("Perda 3∕2019 ＼ lampiran：peta", PDF, "Perda 3-2019 - lampiran-peta.pdf"),
        ("perbup.pdf", PDF, "perbup.pdf"),
        ("Foto rapat.JPEG", "image/jpeg", "Foto rapat.jpg"),
        ("Notulen: rapat\tkoordinasi? <final>", DOCX, "Notulen- rapat koordinasi- -final.docx"),
        ("../../etc/passwd", PDF, "etc-passwd.pdf"),
        ("Pengesahan Rencana Induk — Bupati Gunung Mas", PDF, None),
        ("CON", PDF, "CON-.pdf"),
        ("   ", PDF, "bukti-dukung.pdf"),
        ("Rekap", "text/html", "Rekap"),
    ],
)
def test_download_names_are_the_title_made_safe_with_the_real_extension(
    title, content_type, expected
):
    name = download_name(title, content_type)
    assert name == (expected or title + ".pdf")
    assert "/" not in name and "\\" not in name


def test_download_names_keep_any_alphabet_and_are_bounded():
    assert download_name("Laporan Évaluasi Ñusantara 2019/2020", PDF) == (
        "Laporan Évaluasi Ñusantara 2019-2020.pdf"
    )
    assert len(download_name("x" * 1000, PDF)) == 120 + len(".pdf")


def test_the_plain_name_of_a_download_never_holds_a_separator():
    # Full-width letters fold to ASCII for clients that read only the plain name: a "／"
    # would come back as "/", and such a client keeps only what follows it.
    header = attachment_disposition("Ｒｅｋａｐ １２／２０２０ ｆｉｎａｌ.pdf")
    assert header.startswith('attachment; filename="Rekap 12-2020 final.pdf"; filename*=')


def test_a_download_is_always_an_attachment_named_after_its_title(
    client, draft, indicators, reviewer
):
    evidence = workflow.evidence_add(
        draft,
        indicators["policy-01"],
        user=reviewer,
        title="SK Walikota 12/2020",
        file=SimpleUploadedFile("sk.pdf", MINIMAL_PDF, content_type="text/html"),
    )
    client.force_login(reviewer)
    response = client.get(evidence.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="SK Walikota 12-2020.pdf"'
    # The type judged from the content, not what the browser claimed when uploading.
    assert response["Content-Type"] == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_a_title_in_other_letters_downloads_with_its_exact_name_and_a_plain_fallback(
    client, draft, indicators, reviewer
):
    evidence = workflow.evidence_add(
        draft,
        indicators["policy-01"],
        user=reviewer,
        title="Évaluasi SPBE “Gunung Mas” 2019/2020",
        file=upload("foto.png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    )
    client.force_login(reviewer)
    response = client.get(evidence.get_absolute_url())
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Evaluasi SPBE Gunung Mas 2019-2020.png"; ')
    exact = "Évaluasi SPBE “Gunung Mas” 2019-2020.png"
    assert disposition.endswith("filename*=UTF-8''" + quote(exact, safe=""))
    assert response["Content-Type"] == "image/png"

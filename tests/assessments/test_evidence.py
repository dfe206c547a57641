import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import workflow
from assessments.evidence import DOCX, PDF, sniff
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

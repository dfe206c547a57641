"""Reports of final assessments carry the portal's PAdES signature, which poppler's pdfsig finds
valid; drafts carry none; a certificate or key that cannot be used is said at start and in the
log, and reports are still served, unsigned."""

import logging
import re
import subprocess
from datetime import datetime
from io import StringIO

import pytest
import weasyprint
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pyhanko.version import __version__ as pyhanko_version
from rest_framework.test import APIClient

from reports.models import IssuedFile
from reports.signing import DEMO_COMMON_NAME, make_demo_certificate
from tests.reports.test_pdf_archival import PDF, XMP, poppler, xmp

User = get_user_model()


@pytest.fixture
def certificate(settings, tmp_path):
    """A demo certificate and key, configured as the portal's signer."""
    cert, key = make_demo_certificate(tmp_path / "signing")
    settings.REPORT_SIGNING_CERT = str(cert)
    settings.REPORT_SIGNING_KEY = str(key)
    settings.REPORT_SIGNING_KEY_PASSWORD = ""
    return cert, key


def report(client, *, year=2019, province=False):
    client.force_login(User.objects.get(username="reviewer"))
    name, code = ("province_report", "62") if province else ("region_report", "62.10")
    response = client.get(reverse(f"reports:{name}", kwargs={"code": code, "year": year}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def pdfsig(data: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    # pdfsig exits 2 for a file without signatures; what it prints is what matters.
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def verify_file(data: bytes) -> dict:
    upload = SimpleUploadedFile("laporan.pdf", data)
    return APIClient().post("/api/v1/verify/", {"file": upload}, format="multipart").json()


def test_a_final_region_report_is_signed_and_pdfsig_finds_the_signature_valid(
    client, demo, certificate, tmp_path
):
    data = report(client)
    output = pdfsig(data, tmp_path)
    assert "Signature Validation: Signature is Valid." in output
    assert f"Signer Certificate Common Name: {DEMO_COMMON_NAME}" in output
    assert "Total document signed" in output
    # Self-signed: the signature holds, nobody vouches for the certificate.
    assert "Certificate Validation: Certificate issuer is unknown." in output
    # The signed bytes are the ones the portal keeps and recognises.
    body = verify_file(data)
    assert (body["valid"], body["signed"], body["current"]) == (True, True, True)
    assert (
        "Kabupaten Gunung Mas"
        in subprocess.run(
            ["pdftotext", str(tmp_path / "signed.pdf"), "-"], capture_output=True, text=True
        ).stdout
    )


def metadata(data: bytes, tmp_path):
    """(producer, creation moment, modification moment) as the document-info dictionary
    (``pdfinfo``) and as the XMP packet (``pdfinfo -meta``) give them."""
    info = dict(
        re.findall(r"^(\w+):\s+(.*)$", poppler("pdfinfo", data, tmp_path, "-isodates"), re.M)
    )
    packet = xmp(data, tmp_path)

    def moment(text):
        return datetime.fromisoformat(text) if text else None

    def first(name):
        return (packet.get(name) or [None])[0]

    return (
        (info.get("Producer"), moment(info.get("CreationDate")), moment(info.get("ModDate"))),
        (
            first(f"{PDF}Producer"),
            moment(first(f"{XMP}CreateDate")),
            moment(first(f"{XMP}ModifyDate")),
        ),
    )


def test_a_signed_report_says_the_same_in_its_document_info_and_its_xmp(
    client, demo, certificate, tmp_path
):
    # PDF/A: the entries the document-info dictionary shares with the XMP packet agree.
    data = report(client)
    output = pdfsig(data, tmp_path)
    assert "Signature Validation: Signature is Valid." in output
    assert "Total document signed" in output
    info, packet = metadata(data, tmp_path)
    assert info == packet  # the moments the same instants, whatever zone each is written in
    producer, created, modified = info
    assert producer == f"WeasyPrint {weasyprint.__version__}; pyHanko {pyhanko_version}"
    assert created <= modified
    # An unsigned report was never modified: a creation date, no modification date, in both.
    info, packet = metadata(report(client, year=2020), tmp_path)
    assert info == packet
    assert info[0] == f"WeasyPrint {weasyprint.__version__}"
    assert info[1] is not None and info[2] is None


def test_a_draft_report_is_never_signed(client, demo, certificate, tmp_path):
    output = pdfsig(report(client, year=2020), tmp_path)
    assert "does not contain any signatures" in output
    assert "Signature Validation" not in output


def test_a_province_report_is_signed_only_when_every_ranked_assessment_is_final(
    client, demo, certificate, tmp_path
):
    assert "Signature is Valid." in pdfsig(report(client, province=True), tmp_path)
    # 2020 ranks drafts.
    draft = pdfsig(report(client, year=2020, province=True), tmp_path)
    assert "does not contain any signatures" in draft


def test_without_a_certificate_reports_are_unsigned_and_nothing_is_said(
    client, demo, settings, tmp_path
):
    settings.REPORT_SIGNING_CERT = settings.REPORT_SIGNING_KEY = ""
    assert "does not contain any signatures" in pdfsig(report(client), tmp_path)
    assert not [m for m in checks.run_checks() if m.id == "reports.W001"]


def other_key(tmp_path):
    _cert, key = make_demo_certificate(tmp_path / "other")
    return key


def encrypted(tmp_path, password="benar"):
    return make_demo_certificate(tmp_path / "encrypted", password=password)


@pytest.mark.parametrize(
    ("configure", "reason"),
    [
        (lambda tmp: (tmp / "tidak-ada.pem", other_key(tmp), ""), "cannot be read"),
        (lambda tmp: (*make_demo_certificate(tmp / "a")[:1], other_key(tmp), ""), "is not the key"),
        (lambda tmp: (*encrypted(tmp), "salah"), "password (REPORT_SIGNING_KEY_PASSWORD) is wrong"),
        (lambda tmp: (*encrypted(tmp), ""), "password (REPORT_SIGNING_KEY_PASSWORD) is wrong"),
        (
            lambda tmp: (other_key(tmp), other_key(tmp), ""),
            "no certificate in the file",
        ),
    ],
    ids=[
        "unreadable-certificate",
        "key-of-another-certificate",
        "wrong-password",
        "no-password",
        "key-as-certificate",
    ],
)
def test_a_bad_configuration_is_said_at_start_and_reports_are_served_unsigned(
    client, demo, settings, tmp_path, caplog, configure, reason
):
    cert, key, password = configure(tmp_path)
    settings.REPORT_SIGNING_CERT = str(cert)
    settings.REPORT_SIGNING_KEY = str(key)
    settings.REPORT_SIGNING_KEY_PASSWORD = password
    (warning,) = [m for m in checks.run_checks() if m.id == "reports.W001"]
    assert warning.level == checks.WARNING
    assert reason in warning.msg
    output = StringIO()
    call_command("check", stdout=output, stderr=output)
    assert "reports.W001" in output.getvalue()
    # Any server logs it as it starts (gunicorn and the worker run no system checks).
    with caplog.at_level(logging.WARNING, logger="reports.signing"):
        apps.get_app_config("reports").ready()
    assert reason in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="reports.signing"):
        data = report(client)
    assert "does not contain any signatures" in pdfsig(data, tmp_path)
    assert any(
        "issued unsigned" in record.getMessage() and reason in record.getMessage()
        for record in caplog.records
    )
    assert verify_file(data)["valid"] is True


def test_a_configuration_fixed_later_signs_the_next_report(client, demo, settings, tmp_path):
    cert, key = encrypted(tmp_path)
    settings.REPORT_SIGNING_CERT, settings.REPORT_SIGNING_KEY = str(cert), str(key)
    settings.REPORT_SIGNING_KEY_PASSWORD = "salah"
    unsigned = report(client)
    assert "does not contain any signatures" in pdfsig(unsigned, tmp_path)
    settings.REPORT_SIGNING_KEY_PASSWORD = "benar"
    signed = report(client)
    assert "Signature is Valid." in pdfsig(signed, tmp_path)
    # Both files were issued, and both are recognised.
    assert IssuedFile.objects.filter(signed=True).count() == 1
    assert verify_file(unsigned)["signed"] is False
    assert verify_file(signed)["signed"] is True


def test_make_demo_certificate_writes_a_demo_certificate_once(settings, tmp_path):
    settings.DEMO_SIGNING_DIR = tmp_path / "var"
    settings.REPORT_SIGNING_CERT = settings.REPORT_SIGNING_KEY = ""
    call_command("make_demo_certificate", stdout=StringIO())
    cert = (tmp_path / "var" / "certificate.pem").read_bytes()
    key_path = tmp_path / "var" / "key.pem"
    assert key_path.stat().st_mode & 0o777 == 0o600
    text = subprocess.run(
        ["openssl", "x509", "-noout", "-subject"],
        input=cert,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "DEMO" in text and "bukan sertifikat resmi" in text
    call_command("make_demo_certificate", stdout=StringIO())
    assert (tmp_path / "var" / "certificate.pem").read_bytes() == cert
    call_command("make_demo_certificate", "--force", stdout=StringIO())
    assert (tmp_path / "var" / "certificate.pem").read_bytes() != cert


def test_make_demo_certificate_leaves_a_configured_certificate_alone(settings, tmp_path):
    settings.DEMO_SIGNING_DIR = tmp_path / "var"
    settings.REPORT_SIGNING_CERT = str(tmp_path / "bsre" / "chain.pem")
    output = StringIO()
    call_command("make_demo_certificate", stdout=output)
    assert "none made" in output.getvalue()
    assert not (tmp_path / "var").exists()

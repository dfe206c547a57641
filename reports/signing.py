"""PAdES signatures on the PDF reports of final assessments, with the certificate and key that
``REPORT_SIGNING_CERT``, ``REPORT_SIGNING_KEY`` and ``REPORT_SIGNING_KEY_PASSWORD`` name.

The signature is invisible and added as an incremental update: the rendered file stays as it
was, byte for byte, in front of the signature (a PDF/A file stays PDF/A). A readable but wrong
configuration never stops a report: it is issued unsigned and the log says why; the system
check (``check_signing``) says so when the portal starts.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.utils import timezone

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "PortalSignature"


class SigningUnavailable(Exception):
    """The configured certificate or key cannot be used; the message says why."""


@dataclass(frozen=True)
class ReportSigner:
    """The signer of the portal's reports: pyHanko's signer and who it is."""

    signer: object  # pyhanko.sign.signers.SimpleSigner
    common_name: str
    fingerprint: str  # SHA-256 of the signing certificate, hex


def configured() -> bool:
    return bool(settings.REPORT_SIGNING_CERT or settings.REPORT_SIGNING_KEY)


def report_signer() -> ReportSigner | None:
    """The portal's signer; None when signing is not configured. Raises ``SigningUnavailable``
    for a configuration that cannot be used."""
    if not configured():
        return None
    paths = [Path(settings.REPORT_SIGNING_CERT), Path(settings.REPORT_SIGNING_KEY)]
    try:
        stamps = tuple(path.stat().st_mtime_ns for path in paths)
    except OSError:
        stamps = None
    try:
        return _load(
            settings.REPORT_SIGNING_CERT,
            settings.REPORT_SIGNING_KEY,
            settings.REPORT_SIGNING_KEY_PASSWORD,
            stamps,
        )
    except SigningUnavailable:
        raise
    except Exception as error:
        # Whatever else the libraries make of an odd file (a key type they do not sign with):
        # still a configuration that cannot be used, never a failed request.
        raise SigningUnavailable(
            f"REPORT_SIGNING_CERT={settings.REPORT_SIGNING_CERT}, "
            f"REPORT_SIGNING_KEY={settings.REPORT_SIGNING_KEY}: cannot be used ({error})."
        ) from error


@lru_cache(maxsize=4)
def _load(cert_path: str, key_path: str, password: str, _stamps) -> ReportSigner:
    # The files' modification times are part of the key: a renewed certificate is read anew.
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509 import load_der_x509_certificate
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if not cert_path or not key_path:
        raise SigningUnavailable(
            "REPORT_SIGNING_CERT and REPORT_SIGNING_KEY must both be set (PEM files)."
        )
    cert_data = _read(cert_path, "REPORT_SIGNING_CERT")
    key_data = _read(key_path, "REPORT_SIGNING_KEY")
    try:
        certs = list(load_certs_from_pemder_data(cert_data))
    except Exception as error:
        raise SigningUnavailable(
            f"REPORT_SIGNING_CERT={cert_path}: not a PEM certificate ({error})."
        ) from error
    if not certs:
        raise SigningUnavailable(f"REPORT_SIGNING_CERT={cert_path}: no certificate in the file.")
    try:
        key = load_private_key_from_pemder_data(key_data, passphrase=password.encode() or None)
    except (TypeError, ValueError) as error:
        reason = (
            "the password (REPORT_SIGNING_KEY_PASSWORD) is wrong or missing"
            if b"ENCRYPTED" in key_data
            else f"not a PEM private key ({error})"
        )
        raise SigningUnavailable(f"REPORT_SIGNING_KEY={key_path}: {reason}.") from error
    signing_cert = certs[0]
    public = serialization.load_der_private_key(key.dump(), password=None).public_key()
    cert_public = load_der_x509_certificate(signing_cert.dump()).public_key()
    raw = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if public.public_bytes(*raw) != cert_public.public_bytes(*raw):
        raise SigningUnavailable(
            f"REPORT_SIGNING_KEY={key_path} is not the key of the certificate in "
            f"REPORT_SIGNING_CERT={cert_path}."
        )
    signer = SimpleSigner(
        signing_cert=signing_cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(certs),
    )
    return ReportSigner(
        signer=signer,
        common_name=signing_cert.subject.native.get("common_name", ""),
        fingerprint=hashlib.sha256(signing_cert.dump()).hexdigest(),
    )


DEMO_COMMON_NAME = "DEMO — bukan sertifikat resmi (Portal e-Government)"


def make_demo_certificate(directory: Path, *, password: str = "") -> tuple[Path, Path]:
    """Write a self-signed certificate (``certificate.pem``) and its key (``key.pem``, readable
    by the owner only, encrypted when ``password`` is given) into ``directory``. Its name says
    it is a demonstration certificate: a reader trusts nothing it signs."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DEMO Portal Kapabilitas e-Government"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=5 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "certificate.pem", directory / "key.pem"
    encryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def _read(path: str, name: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise SigningUnavailable(f"{name}={path}: cannot be read ({error.strerror}).") from error


def usable_signer() -> ReportSigner | None:
    """The portal's signer, or None (not configured, or configured wrongly: logged)."""
    try:
        return report_signer()
    except SigningUnavailable as error:
        logger.warning("Reports are issued unsigned: %s", error)
        return None


@lru_cache(maxsize=1)
def _archival_writer():
    """pyHanko's incremental writer, updating the document-info dictionary and the XMP packet
    alike, as PDF/A requires of the entries they share: left to itself, pyHanko names only
    itself as the XMP's producer while the dictionary names WeasyPrint and pyHanko, and dates
    the modification in the XMP alone. Both now name both producers and carry one modification
    moment, in UTC as the creation date is."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata import model, xmp_xml

    class ArchivalWriter(IncrementalPdfFileWriter):
        metadata_updated = False

        def _update_meta(self):
            # pyHanko's hook for what a write does to the metadata (called more than once per
            # write): replaced, not extended, so that only these updates are made, once.
            if self.metadata_updated:
                return
            self.metadata_updated = True
            moment = timezone.now().replace(microsecond=0)
            info_ref = self.trailer.raw_get("/Info")
            info = info_ref.get_object()
            producer = str(info["/Producer"]) if "/Producer" in info else ""
            if model.VENDOR not in producer:
                producer = f"{producer}; {model.VENDOR}" if producer else model.VENDOR
            info["/Producer"] = generic.TextStringObject(producer)
            info["/ModDate"] = generic.pdf_date(moment)
            self.mark_update(info_ref)
            old = None
            if "/Metadata" in self.root:
                old = self.root["/Metadata"]  # resolved (its .get() would not)
            if old is not None and not isinstance(old, xmp_xml.MetadataStream):
                old = xmp_xml.MetadataStream(stream_data=old.data)
            (fields,) = xmp_xml.update_xmp_with_meta(
                model.DocumentMetadata(last_modified=moment),
                roots=old.xmp if old is not None else (),
            )
            # That names pyHanko alone as the producer.
            fields = {**dict(fields), model.PDF_PRODUCER: model.XmpValue(producer)}
            xmp = xmp_xml.MetadataStream.from_xmp([model.XmpStructure(fields)])
            self.root["/Metadata"] = self.add_object(xmp)
            self.update_root()

    return ArchivalWriter


def sign_pdf(data: bytes, *, signer: ReportSigner, reason: str, location: str) -> bytes:
    """``data`` with an invisible PAdES signature appended as an incremental update, with its
    metadata updated alike in the document-info dictionary and the XMP packet."""
    from pyhanko.sign import fields, signers

    writer = _archival_writer()(io.BytesIO(data))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        location=location,
        name=signer.common_name,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    return signers.sign_pdf(writer, metadata, signer=signer.signer).getvalue()


@checks.register(checks.Tags.security)
def check_signing(app_configs=None, **kwargs):
    """A configured certificate or key that cannot be used is said at start."""
    try:
        report_signer()
    except SigningUnavailable as error:
        return [
            checks.Warning(
                f"Final reports will be issued unsigned: {error}",
                hint="Fix REPORT_SIGNING_CERT, REPORT_SIGNING_KEY and "
                "REPORT_SIGNING_KEY_PASSWORD (see the README's Signed reports).",
                id="reports.W001",
            )
        ]
    return []

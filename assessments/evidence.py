"""Checks on uploaded evidence: size, and type judged by the file's content, not its name."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG, JPEG, GIF, WEBP = "image/png", "image/jpeg", "image/gif", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE = "application/x-ole-storage"  # legacy .doc, .xls, .ppt
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# The content each accepted file name extension must have.
EXTENSIONS = {
    ".pdf": {PDF},
    ".png": {PNG},
    ".jpg": {JPEG},
    ".jpeg": {JPEG},
    ".gif": {GIF},
    ".webp": {WEBP},
    ".docx": {DOCX},
    ".xlsx": {XLSX},
    ".pptx": {PPTX},
    ".doc": {OLE},
    ".xls": {OLE},
    ".ppt": {OLE},
    ".odt": {ODT},
    ".ods": {ODS},
    ".odp": {ODP},
}
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ODF_TYPES = {ODT, ODS, ODP}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def sniff(upload) -> str | None:
    """The content type an upload really has, from its bytes; None when not accepted."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    declared = archive.read("mimetype").decode("ascii", "replace").strip()
                    return declared if declared in ODF_TYPES else None
                if "[Content_Types].xml" in names:
                    for prefix, content_type in OOXML_PARTS.items():
                        if any(name.startswith(prefix) for name in names):
                            return content_type
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
    return None


def check_upload(upload) -> CheckedUpload:
    """Refuse an oversized file or one whose content is not what its name says."""
    limit = settings.EVIDENCE_MAX_BYTES
    name = PurePath(upload.name or "").name
    if upload.size > limit:
        raise ValidationError(
            _("Berkas %(name)s berukuran %(size)s; batasnya %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    extension = PurePath(name).suffix.lower()
    allowed = EXTENSIONS.get(extension)
    if allowed is None:
        raise ValidationError(
            _(
                "Jenis berkas %(name)s tidak diterima. Unggah PDF, gambar (PNG, JPG, GIF, "
                "WebP) atau dokumen perkantoran (DOC/DOCX, XLS/XLSX, PPT/PPTX, ODT/ODS/ODP)."
            )
            % {"name": name}
        )
    content_type = sniff(upload)
    if content_type not in allowed:
        raise ValidationError(
            _(
                "Isi berkas %(name)s tidak sesuai dengan jenisnya (%(extension)s). Berkas "
                "tidak disimpan."
            )
            % {"name": name, "extension": extension}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        name=name, content_type=content_type, size=upload.size, sha256=digest.hexdigest()
    )

"""Checks on uploaded evidence, and how a stored file is handed out again.

A file is judged by its content, not its name, and by every type its content could be read as.
A polyglot (a PDF with a zip appended, an image that a browser would also render as HTML, an
office document carrying a program) passes the check of one type while another program
reads the other: it is refused, rather than judged only by the type its name or its first
bytes claim. The rule:

- every type the bytes could be taken for is detected (a PDF reader finds ``%PDF-`` anywhere in
  the first kilobyte, a zip reader reads from the end of the file, a browser sniffing HTML
  looks at the first kilobytes);
- a file that is more than one of them, or HTML or a program at all, is refused;
- the one type left must be what the name's extension says, and its content must be free of
  what would run when opened: executables, scripts or macros inside an office document,
  JavaScript or launch actions in a PDF.

Office documents are zips and are opened only through ``egov_portal.archives``, with its limits.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from egov_portal.archives import ArchiveError, check_archive, is_zip

PDF = "application/pdf"
PNG, JPEG, GIF, WEBP = "image/png", "image/jpeg", "image/gif", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE = "application/x-ole-storage"  # legacy .doc, .xls, .ppt
DOC, XLS, PPT = "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
# Kinds of content that are never evidence, named in messages.
ZIP, HTML, PROGRAM = "ZIP", "HTML", "program"

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
# A compound (OLE) file shows that Word, Excel or PowerPoint made it, not which one, without
# parsing its directory; the three are equally safe to hand out, so the checked extension
# names the program.
OLE_TYPES = {".doc": DOC, ".xls": XLS, ".ppt": PPT}

# The type a download is served as, and the extension its name gets.
DOWNLOAD_EXTENSIONS = {
    PDF: ".pdf",
    PNG: ".png",
    JPEG: ".jpg",
    GIF: ".gif",
    WEBP: ".webp",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
    DOC: ".doc",
    XLS: ".xls",
    PPT: ".ppt",
    ODT: ".odt",
    ODS: ".ods",
    ODP: ".odp",
    OLE: "",
}

MAGIC = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
)
PROGRAM_MAGIC = (
    b"MZ",  # Windows
    b"\x7fELF",  # Linux
    b"#!/",  # scripts
    b"\xca\xfe\xba\xbe",  # Java classes, macOS universal binaries
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # macOS
)
# Browsers sniff HTML in the first 512 bytes; a few kilobytes leave no room for doubt at no
# cost, while further in, compressed image or PDF data would match by chance.
SNIFF_BYTES = 8 * 1024
HTML_MARKERS = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)[\s/>]", re.IGNORECASE
)
# PDF readers accept the header anywhere in the first kilobyte.
PDF_HEADER_WITHIN = 1024
# Names in a PDF that run something when the file is opened. ``#xx`` escapes spell any name.
PDF_NAME = re.compile(rb"/((?:[A-Za-z0-9]|#[0-9A-Fa-f]{2}){2,32})")
PDF_ACTIVE_NAMES = {b"JavaScript", b"JS", b"Launch"}
PDF_STREAM = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.S)
# Entries of an office document that are programs, macros or archives inside the archive.
PROGRAM_SUFFIXES = {
    ".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".msi", ".bat", ".cmd", ".ps1", ".vbs",
    ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".jar", ".lnk", ".sh", ".app", ".apk",
}  # fmt: skip
ARCHIVE_SUFFIXES = {".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".cab", ".iso"}
MACRO_NAMES = {"vbaproject.bin", "vbadata.xml"}
MACRO_FOLDERS = ("basic/", "scripts/")  # OpenDocument macros


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


class Refused(Exception):
    """Content that is never evidence; the message says what it is and what to do."""


def _read_head_and_tail(upload) -> tuple[bytes, bool]:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head, is_zip(upload)


def kinds(upload) -> set[str]:
    """Every type the content of ``upload`` could be read as (a zip as ZIP, undivided)."""
    head, zipped = _read_head_and_tail(upload)
    found = set()
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            found.add(content_type)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        found.add(WEBP)
    if b"%PDF-" in head[:PDF_HEADER_WITHIN]:
        found.add(PDF)
    if zipped or head.startswith(b"PK\x03\x04"):
        found.add(ZIP)
    if HTML_MARKERS.search(head):
        found.add(HTML)
    if head.startswith(PROGRAM_MAGIC):
        found.add(PROGRAM)
    return found


def _is_program(head: bytes) -> bool:
    """Whether the first bytes of a part are a program's.

    Two bytes alone would match one obfuscated font or random image in tens of thousands:
    a Windows program must also show its PE signature or the DOS stub's message.
    """
    if head.startswith(b"MZ"):
        return b"PE\x00\x00" in head or b"This program" in head
    return head.startswith(PROGRAM_MAGIC)


def _office_type(upload, name: str) -> str | None:
    """The office document type of a zip, after the archive and its entries are checked."""
    upload.seek(0)
    try:
        entries = check_archive(upload)
    except ArchiveError as error:
        raise Refused(error.message) from error
    finally:
        upload.seek(0)
    names = {entry.name.lower() for entry in entries}
    for entry in entries:
        lower = entry.name.lower()
        suffix = PurePosixPath(lower).suffix
        base = PurePosixPath(lower).name
        if (
            suffix in PROGRAM_SUFFIXES
            or _is_program(entry.head)
            or base in MACRO_NAMES
            or lower.startswith(MACRO_FOLDERS)
        ):
            raise Refused(
                _(
                    "Berkas %(name)s memuat program, skrip atau makro (%(entry)s) yang berjalan "
                    "saat dokumen dibuka, jadi tidak disimpan. Simpan ulang sebagai dokumen biasa "
                    "tanpa makro (misalnya .docx, bukan .docm), lalu unggah lagi."
                )
                % {"name": name, "entry": entry.name[:80]}
            )
        if suffix in ARCHIVE_SUFFIXES:
            raise Refused(
                _(
                    "Berkas %(name)s memuat arsip lain di dalamnya (%(entry)s). Unggah isinya "
                    "sebagai berkas tersendiri."
                )
                % {"name": name, "entry": entry.name[:80]}
            )
    mimetype = next((entry for entry in entries if entry.name == "mimetype"), None)
    if mimetype is not None:
        declared = mimetype.head.decode("ascii", "replace").strip()
        return declared if declared in ODF_TYPES else None
    if "[content_types].xml" in names:
        found = {
            content_type
            for prefix, content_type in OOXML_PARTS.items()
            if any(entry.startswith(prefix) for entry in names)
        }
        if len(found) > 1:
            raise _polyglot(name, found)
        return found.pop() if found else None
    return None


def _pdf_active(upload) -> set[str]:
    """The names of actions that run something, in the PDF's objects outside its streams.

    Stream data (images, fonts, compressed content) is left out: random bytes there spell a
    short name such as ``/JS`` often enough to refuse honest files. Actions inside compressed
    object streams are not seen; the download is an attachment whatever the PDF holds.
    """
    upload.seek(0)
    data = upload.read(settings.EVIDENCE_MAX_BYTES + 1)
    upload.seek(0)
    found = set()
    for match in PDF_NAME.finditer(PDF_STREAM.sub(b" ", data)):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), match[1])
        if name in PDF_ACTIVE_NAMES:
            found.add(name.decode("ascii"))
    return found


def _label(content_type: str) -> str:
    extension = DOWNLOAD_EXTENSIONS.get(content_type)
    if extension:
        return extension[1:].upper()
    return {OLE: "DOC/XLS/PPT"}.get(content_type, content_type)


def _polyglot(name: str, found) -> Refused:
    return Refused(
        _(
            "Berkas %(name)s dapat dibaca sebagai lebih dari satu jenis berkas (%(kinds)s). "
            "Berkas seperti ini dapat menyembunyikan isi berbahaya di balik jenis yang tampak, "
            "jadi tidak disimpan. Simpan ulang dokumennya dari aplikasi aslinya (misalnya "
            "dengan Cetak ke PDF), lalu unggah lagi."
        )
        % {"name": name, "kinds": ", ".join(sorted(_label(kind) for kind in found))}
    )


def judge(upload, name: str) -> str | None:
    """The one accepted type of ``upload``'s content, None when it is no accepted type.

    Raises Refused for content that is several types at once or that would run something.
    """
    found = kinds(upload)
    if len(found) > 1:
        raise _polyglot(name, found)
    if not found or found & {HTML, PROGRAM}:
        return None
    (content_type,) = found
    if content_type == ZIP:
        return _office_type(upload, name)
    if content_type == PDF:
        active = _pdf_active(upload)
        if active:
            raise Refused(
                _(
                    "PDF %(name)s memuat perintah yang berjalan saat berkas dibuka (%(names)s), "
                    "jadi tidak disimpan. Cetak ulang dokumennya ke PDF biasa (Cetak ke PDF), "
                    "lalu unggah lagi."
                )
                % {"name": name, "names": ", ".join(sorted(active))}
            )
    return content_type


def sniff(upload) -> str | None:
    """The content type an upload really has, from its bytes; None when not accepted."""
    try:
        return judge(upload, PurePath(upload.name or "").name)
    except Refused:
        return None


def check_upload(upload) -> CheckedUpload:
    """Refuse an oversized file, one whose content is not what its name says, and one whose
    content could be read as more than one type or would run something when opened."""
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
    try:
        content_type = judge(upload, name)
    except Refused as refused:
        raise ValidationError(str(refused)) from refused
    if content_type not in allowed:
        raise ValidationError(
            _(
                "Isi berkas %(name)s tidak sesuai dengan jenisnya (%(extension)s). Berkas "
                "tidak disimpan."
            )
            % {"name": name, "extension": extension}
        )
    if content_type == OLE:
        content_type = OLE_TYPES[extension]
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        name=name, content_type=content_type, size=upload.size, sha256=digest.hexdigest()
    )


# Characters that no file system, or no browser saving a download, takes in a name.
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
# Slashes of other scripts and of mathematics: a file system takes them, but a name showing
# "12∕2020" reads as a folder and a file. Full-width forms ("／", "：") are caught by folding
# them to the ASCII character they stand for (NFKC), which a plain-ASCII name would become.
SLASH_LIKE = {"\u2044", "\u2215", "\u29f8", "\u29f9"}
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{prefix}{number}" for prefix in ("COM", "LPT") for number in range(10)
}
MAX_NAME_CHARACTERS = 120


def download_type(content_type: str) -> str:
    """The type a stored file is served as: the checked type it was stored with, or bytes."""
    return content_type if content_type in DOWNLOAD_EXTENSIONS else "application/octet-stream"


def _refused_as_itself(character: str) -> str:
    """A character that stands for one a file name cannot hold becomes that one (to be
    replaced in turn); any other stays."""
    if character in SLASH_LIKE:
        return "/"
    folded = unicodedata.normalize("NFKC", character)
    return folded if UNSAFE_IN_NAME.fullmatch(folded) else character


def download_name(title: str, content_type: str) -> str:
    """A safe file name for a download: the title, made safe, with its real type's extension.

    Letters of any alphabet stay; separators and characters file systems refuse become a
    dash, so "SK Walikota 12/2020" downloads as "SK Walikota 12-2020.pdf".
    """
    extension = DOWNLOAD_EXTENSIONS.get(download_type(content_type), "")
    if not extension and content_type == OLE:
        # Stored before the program was recorded: the title may still carry its extension.
        suffix = PurePath(title).suffix.lower()
        extension = suffix if suffix in OLE_TYPES else ""
    stem = unicodedata.normalize("NFC", title)
    stem = "".join(" " if unicodedata.category(c).startswith(("Z", "C")) else c for c in stem)
    stem = "".join(_refused_as_itself(c) for c in stem)
    stem = UNSAFE_IN_NAME.sub("-", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .-")
    if extension and stem.lower().endswith(extension):
        stem = stem[: -len(extension)].rstrip(" .-")
    if extension == ".jpg" and stem.lower().endswith(".jpeg"):
        stem = stem[:-5].rstrip(" .-")
    stem = stem[:MAX_NAME_CHARACTERS].rstrip(" .-") or _("bukti-dukung")
    if stem.upper() in WINDOWS_RESERVED:
        stem += "-"
    return stem + extension


def attachment_disposition(filename: str) -> str:
    """``Content-Disposition`` for a download: a plain ASCII name for every client, and the
    exact name (RFC 5987/6266) for those that read it when it is not plain ASCII."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    # Folding may bring back a separator (a "／" is a "/" in ASCII): a client that reads only
    # this name would keep what follows the last one, so it becomes a dash like in the name.
    fallback = UNSAFE_IN_NAME.sub("-", fallback)
    fallback = re.sub(r"[^\x20-\x7e]|%", "", fallback)
    fallback = re.sub(r"\s+", " ", fallback).strip() or "bukti-dukung"
    if fallback.startswith("."):
        fallback = "bukti-dukung" + fallback
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header

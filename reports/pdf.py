"""PDF reports rendered by WeasyPrint, cached per version of what they show, each page carrying
a verification code that names that version.

``reports.documents`` says what a version covers (every figure the report prints). Same
version, same cached file; any change, a new PDF with a new code. Every code the portal issues
is recorded (``IssuedReport``) with the moment it was first issued, and every file it issues
(``IssuedFile``) by the SHA-256 of its bytes, so that a file can be checked as well as a code.
Each page prints the address of the verification page for its code, as text and as a QR code.
Reports of final assessments are signed (``reports.signing``) before they are hashed and kept.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import logging
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from reports import signing

logger = logging.getLogger(__name__)

CODE_PATTERN = re.compile(
    r"^(?P<kind>[RP])(?P<region>[0-9.]+)-(?P<year>\d{4})-(?P<version>[0-9a-z.]+)-(?P<mac>[0-9a-f]{8})$",
    re.IGNORECASE,
)
KINDS = {"R": "region", "P": "province"}
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"


def _mac(text: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()
    return digest[:8].upper()


@dataclass(frozen=True)
class ReportVersion:
    kind: str  # "R" region report, "P" province report
    region_code: str
    year: int
    version: str  # e.g. "r14" or "r14.r9"

    @property
    def code(self) -> str:
        body = f"{self.kind}{self.region_code}-{self.year}-{self.version}"
        return f"{body}-{_mac(body)}"

    @property
    def cache_name(self) -> str:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return f"report-cache/{self.code}-{language}-{layout_digest()}.pdf"


# How WeasyPrint writes every report: PDF/A-3b (archival: fonts embedded, XMP metadata, an
# sRGB output intent), tagged so a screen reader follows headings, tables and figures.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}

# What shapes a report's file besides its figures: the templates, the partials they include,
# the chart drawing code, the render options above and the signing code (the metadata a
# signature updates).
LAYOUT_SOURCES = (
    "templates/reports/pdf",
    "templates/reports/includes/_plan_summary.html",
    "templates/reports/includes/_inventory_summary.html",
    "templates/reports/includes/_derived_note.html",
    "templates/reports/includes/_level.html",
    "templates/assessments/includes/_score.html",
    "egov_portal/charts.py",
    "reports/signing.py",
)


@lru_cache(maxsize=1)
def layout_digest() -> str:
    """A digest of everything that shapes the layout, so a new layout is never served from an
    old cache: the render options, the settings every page prints (issuer, address, the
    verification address), the templates, the chart code and the signing code."""
    printed = (settings.REPORT_ISSUER, settings.REPORT_ADDRESS, settings.PORTAL_URL)
    digest = hashlib.sha256(repr((sorted(PDF_OPTIONS.items()), printed)).encode())
    for source in LAYOUT_SOURCES:
        path = settings.BASE_DIR / source
        for file in sorted(path.iterdir()) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:8]


def well_formed(code: str) -> bool:
    """Whether ``code`` has the shape of a verification code (whoever made it)."""
    return CODE_PATTERN.match(normalise_code(code)) is not None


def normalise_code(code: str) -> str:
    """A code as typed, in any case and with stray spaces, written the way the portal prints
    it (``R62.10-2019-r3.1a2b3c4d-5E6F7A8B``)."""
    text = re.sub(r"\s+", "", code or "")
    match = CODE_PATTERN.match(text)
    if not match:
        return text
    return (
        f"{match['kind'].upper()}{match['region']}-{match['year']}-"
        f"{match['version'].lower()}-{match['mac'].upper()}"
    )


def parse_code(code: str) -> ReportVersion | None:
    """The report version a verification code names, or None for a code the portal did not
    issue (a wrong shape, or a wrong or forged MAC)."""
    code = normalise_code(code)
    match = CODE_PATTERN.match(code)
    if not match:
        return None
    version = ReportVersion(match["kind"], match["region"], int(match["year"]), match["version"])
    return version if hmac.compare_digest(version.code, code) else None


def static_file_url(path: str) -> str:
    """A file:// URL for a static file, so WeasyPrint reads fonts and CSS from disk."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).as_uri()


def _archival_metadata(metadata):
    """WeasyPrint's document metadata, whose XMP packet also names the document's language
    (``dc:language``), as an archive catalogues it; the PDF's /Lang alone is for readers."""
    from weasyprint.document import DocumentMetadata

    class ArchivalMetadata(DocumentMetadata):
        def generate_rdf_metadata(self, variant, version, conformance):
            rdf = ElementTree.fromstring(
                super().generate_rdf_metadata(variant, version, conformance)
            )
            if self.lang:
                description = ElementTree.SubElement(rdf, f"{{{RDF}}}Description")
                description.set(f"{{{RDF}}}about", "")
                bag = ElementTree.SubElement(
                    ElementTree.SubElement(description, f"{{{DC}}}language"), f"{{{RDF}}}Bag"
                )
                ElementTree.SubElement(bag, f"{{{RDF}}}li").text = self.lang
            return ElementTree.tostring(rdf, encoding="utf-8")

    return ArchivalMetadata(**vars(metadata))


def render_document(template: str, context: dict):
    """The laid-out pages of a report (a WeasyPrint ``Document``), with the metadata an archive
    keeps beside the title and language the template gives: issuer, subject, creation date."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    created = context.get("generated") or timezone.now()
    document.metadata = _archival_metadata(document.metadata)
    document.metadata.authors = [settings.REPORT_ISSUER]
    document.metadata.description = context.get("subject")
    document.metadata.created = created.replace(microsecond=0).isoformat()
    return document


def render_pdf(template: str, context: dict) -> bytes:
    return render_document(template, context).write_pdf(**PDF_OPTIONS)


def verification_url(code: str) -> str:
    """The absolute address of the verification page for ``code`` (``PORTAL_URL``)."""
    return f"{settings.PORTAL_URL}{reverse('reports:verify')}?{urlencode({'code': code})}"


def qr_png(text: str) -> bytes:
    """A PNG of the QR code of ``text``, one pixel per module with the standard quiet zone of
    four: the PDF scales it up without smoothing, so it stays sharp at any size."""
    import segno

    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=1, border=4)
    return buffer.getvalue()


def data_uri(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


@dataclass(frozen=True)
class Pdf:
    content: bytes
    code: str


def record_issue(version: ReportVersion):
    """The ``IssuedReport`` of ``version``'s code, recorded the first time it is issued."""
    from opds.models import Region
    from reports.models import IssuedReport

    issued = IssuedReport.objects.filter(code=version.code).first()
    if issued is not None:
        return issued
    region = Region.objects.get(code=version.region_code)
    issued, _created = IssuedReport.objects.get_or_create(
        code=version.code,
        defaults={"kind": KINDS[version.kind], "region": region, "year": version.year},
    )
    return issued


def record_file(report, data: bytes, *, language: str, signed: bool):
    """The ``IssuedFile`` of ``data``, a file of ``report``, recorded the first time it is
    issued."""
    from reports.models import IssuedFile

    issued, _created = IssuedFile.objects.get_or_create(
        sha256=hashlib.sha256(data).hexdigest(),
        defaults={"report": report, "size": len(data), "language": language, "signed": signed},
    )
    return issued


# Requests for a report nobody has rendered yet, arriving together (a link shared in a meeting),
# wait for the first one's rendering instead of each rendering it: the one that renders marks
# it in Django's cache (shared by every process and machine through DJANGO_CACHE_URL), the
# others look for the file for up to RENDER_WAIT seconds, then render it themselves.
RENDER_WAIT = 30
RENDER_POLL = 0.25


def stored(name: str) -> bytes | None:
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read()


@contextmanager
def rendering(name: str):
    """Whether this request renders ``name`` (True) or another one already is (False)."""
    key = f"report-rendering:{name}"
    try:
        mine = cache.add(key, True, timeout=RENDER_WAIT * 2)
    except Exception:  # a shared cache that cannot be reached: render, as alone
        logger.warning("Report %s rendered without the shared mark", name, exc_info=True)
        yield True
        return
    try:
        yield mine
    finally:
        if mine:
            cache.delete(key)


def wait_for(name: str) -> bytes | None:
    """The file another request is rendering, once it is saved; None after RENDER_WAIT."""
    deadline = time.monotonic() + RENDER_WAIT
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL)
        if (data := stored(name)) is not None:
            return data
    return None


def render_report(version, template, context_builder, signer, place):
    """The report's PDF and who signed it: ``signer``, or None when signing failed."""
    url = verification_url(version.code)
    data = render_pdf(
        template,
        {
            **context_builder(),
            "report_version": version,
            "verification_url": url,
            "verification_qr": data_uri(qr_png(url), "image/png"),
        },
    )
    if signer is None:
        return data, None
    reason = _(
        "Laporan resmi penilaian final, diterbitkan Portal Kapabilitas e-Government; "
        "kode verifikasi %(code)s"
    ) % {"code": version.code}
    try:
        return signing.sign_pdf(data, signer=signer, reason=reason, location=place), signer
    except Exception:
        # A report is never refused for its signature: it goes out unsigned, is not kept
        # under the signed file's name, and is signed at the next request.
        logger.exception("Report %s issued unsigned: signing failed", version.code)
        return data, None


def cached_pdf(
    version: ReportVersion, template: str, context_builder, *, final: bool, place: str
) -> Pdf:
    """The PDF for ``version``, rendered once and kept until the version changes.

    ``final``: the report shows only final assessments, and is signed when the portal has a
    usable signing certificate (``place`` is where the signature says it was made). Whoever the
    signer is is part of the cache's name: a new certificate gives a newly signed file."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    signer = signing.usable_signer() if final else None
    name = version.cache_name
    if signer is not None:
        name = name.removesuffix(".pdf") + f"-signed-{signer.fingerprint[:12]}.pdf"
    report = record_issue(version)
    data = stored(name)
    if data is None:
        with rendering(name) as mine:
            if not mine:
                data = wait_for(name)
            if data is None:
                wanted = signer
                data, signer = render_report(version, template, context_builder, signer, place)
                # Kept once under its name; a signature that failed is tried again next time.
                if signer is wanted and not default_storage.exists(name):
                    default_storage.save(name, ContentFile(data))
    # Recorded on every issue, not only when rendered: the record is the portal's word that it
    # issued these bytes, and must hold whatever became of an earlier database.
    record_file(report, data, language=language, signed=signer is not None)
    return Pdf(data, version.code)


# A page with what every report has: the report fonts in both weights, a table, a running
# footer, an image and the tags and metadata of an archival PDF.
WARM_HTML = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>-</title><style>
@font-face {{ font-family: "Portal Sans"; src: url("{regular}"); font-weight: normal; }}
@font-face {{ font-family: "Portal Sans"; src: url("{bold}"); font-weight: bold; }}
@page {{ size: A4; @bottom-right {{ content: counter(page) " / " counter(pages); }} }}
body {{ font-family: "Portal Sans", sans-serif; }}
</style></head><body><h1>Laporan</h1><p><b>Indeks</b> 3,42</p>
<table><tr><th scope="col">Dimensi</th><td>2,50</td></tr></table>
<img src="{qr}" alt="QR"></body></html>"""

# The templates a report request renders.
REPORT_TEMPLATES = ("reports/pdf/region_report.html", "reports/pdf/province_report.html")


def warm() -> None:
    """Do once, when a server process starts, what the first report after a start would do on
    top of every later one: import WeasyPrint and the PDF libraries (font subsetting, the
    QR code, the signing library when reports are signed), parse WeasyPrint's own stylesheets,
    load the report fonts through fontconfig, compile the report templates and digest the
    layout. The first report then costs what any other does. Nothing is written anywhere."""
    from django.template.loader import get_template
    from weasyprint import HTML

    layout_digest()
    for template in REPORT_TEMPLATES:
        get_template(template)
    reverse("reports:verify")
    html = WARM_HTML.format(
        regular=static_file_url("fonts/DejaVuSans.ttf"),
        bold=static_file_url("fonts/DejaVuSans-Bold.ttf"),
        qr=data_uri(qr_png(settings.PORTAL_URL), "image/png"),
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    document.metadata = _archival_metadata(document.metadata)
    document.write_pdf(**PDF_OPTIONS)
    if signing.usable_signer() is not None:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: F401
        from pyhanko.sign import fields, signers  # noqa: F401

"""PDF reports rendered by WeasyPrint, cached per version of what they show, each page carrying
a verification code that names the exact assessment version.

A region report's version is the assessment's revision (every change to it bumps the
revision) together with the previous year's; a province report's is the revisions of every
assessment it ranks. Same version, same cached file; any edit, a new PDF.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

CODE_PATTERN = re.compile(
    r"^(?P<kind>[RP])(?P<region>[0-9.]+)-(?P<year>\d{4})-(?P<version>[0-9a-z.]+)-(?P<mac>[0-9A-F]{8})$"
)


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


@lru_cache(maxsize=1)
def layout_digest() -> str:
    """A digest of the report templates, so a new layout is never served from an old cache."""
    digest = hashlib.sha256()
    for path in sorted((settings.BASE_DIR / "templates" / "reports" / "pdf").iterdir()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def parse_code(code: str) -> ReportVersion | None:
    """The report version a verification code names, or None for a code the portal did not
    issue (a wrong or forged MAC)."""
    code = (code or "").strip()
    match = CODE_PATTERN.match(code)
    if not match:
        return None
    version = ReportVersion(
        match["kind"], match["region"], int(match["year"]), match["version"].lower()
    )
    return version if hmac.compare_digest(version.code, code) else None


def static_file_url(path: str) -> str:
    """A file:// URL for a static file, so WeasyPrint reads fonts and CSS from disk."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).as_uri()


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def cached_pdf(version: ReportVersion, template: str, context_builder) -> bytes:
    """The PDF for ``version``, rendered once and kept until the version changes."""
    name = version.cache_name
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    data = render_pdf(template, {**context_builder(), "report_version": version})
    default_storage.save(name, ContentFile(data))
    return data

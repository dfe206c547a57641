"""The documents the reports app produces: the region and province PDF reports and the charts
shared by their pages. Views and background tasks both call these."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment
from egov_portal import charts
from opds.models import Region
from reports import figures, frozen
from reports.models import IssuedFile, IssuedReport
from reports.pdf import Pdf, ReportVersion, cached_pdf, normalise_code, parse_code


def region_charts(data: figures.RegionFigures) -> dict:
    """The radar of this year's scores beside the previous year's and the line of the index
    over the years, both on the trend's framework: figures of another framework come through
    its crosswalk, drawn as open circles and dashed lines and named "derived" in the legend;
    nothing else is dashed. The previous year is drawn thinner and in grey."""
    framework = data.trend_framework
    labels = [d.label for d in data.trend_dimensions]
    scale = (framework.scale_min, framework.scale_max)
    series = []
    for point, previous in ((data.trend_current, False), (data.trend_previous, True)):
        if point is None:
            continue
        name = str(point.year)
        if point.derived:
            name = _("%(year)s (turunan)") % {"year": point.year}
        series.append(
            charts.Series(
                name,
                point.scores,
                color=charts.MUTED if previous else None,
                hollow=[point.derived] * len(point.scores),
                secondary=previous,
            )
        )
    radar = charts.radar_chart(
        labels,
        series,
        scale=scale,
        title=_("Skor %(term)s %(region)s %(year)s")
        % {
            "term": framework.dimension_word,
            "region": data.region.name,
            "year": data.assessment.year,
        },
        desc=_(
            "Skor setiap %(term)s %(framework)s pada skala %(low)s–%(high)s, dibandingkan dengan "
            "tahun sebelumnya."
        )
        % {
            "term": framework.dimension_word,
            "framework": framework.label,
            "low": scale[0],
            "high": scale[1],
        },
    )
    history = charts.line_chart(
        [str(point.year) for point in data.trend],
        [
            charts.Series(
                _("Indeks %(framework)s") % {"framework": framework.label},
                [point.index for point in data.trend],
                hollow=[point.derived for point in data.trend],
                hollow_name=_("Nilai turunan melalui tabel padanan"),
            )
        ],
        scale=scale,
        title=_("Indeks %(region)s dari tahun ke tahun") % {"region": data.region.name},
        desc=_("Indeks kapabilitas e-government pada setiap tahun penilaian."),
    )
    return {"radar": radar, "history": history}


def region_context(*, user, region: Region, year: int) -> dict | None:
    data = figures.region_figures(user=user, region=region, year=year)
    if data is None:
        return None
    report = frozen.report_data(data.assessment)
    applications = figures.inventory_figures(report.data["inventory"])
    plan = figures.plan_figures(report.data["plan"], year=year, figures=data)
    return {
        "data": data,
        "region": region,
        "year": year,
        "inventory": applications,
        "inventory_chart": inventory_chart(applications.summary, region),
        "plan": plan,
        "plan_chart": plan_chart(plan, data) if plan else None,
        "figures_taken_at": report.taken_at,
        "version": region_version(
            data.assessment,
            earlier=[(a.year, a.revision) for a in data.earlier],
            data=report.data,
        ),
        **region_charts(data),
    }


def plan_chart(plan: figures.PlanFigures, data: figures.RegionFigures):
    labels = {d.code: d.label for d in plan.dimensions}
    return charts.bar_chart(
        [labels[code] for code, *_rest in plan.rows],
        [
            charts.Series(
                (_("Skor %(year)s (turunan)") if plan.derived else _("Skor %(year)s"))
                % {"year": plan.year},
                [row[1] for row in plan.rows],
            ),
            charts.Series(
                _("Target rencana induk"), [row[2] for row in plan.rows], color=charts.MUTED
            ),
        ],
        maximum=plan.scale_max,
        title=_("Skor %(year)s dibandingkan target rencana induk") % {"year": plan.year},
        desc=_("Skor tiap dimensi pada penilaian dan target skor dalam rencana induk."),
    )


def inventory_chart(summary, region: Region):
    bars = summary.by_status + summary.by_platform
    return charts.bar_chart(
        [bar.label for bar in bars],
        [charts.Series(_("Aplikasi"), [bar.count for bar in bars])],
        places=0,
        title=_("Aplikasi %(region)s menurut status dan platform") % {"region": region.name},
        desc=_("Jumlah aplikasi dalam katalog menurut status, lalu menurut platform."),
    )


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:8]


def region_version(assessment: Assessment, *, earlier, data: dict) -> ReportVersion:
    """Everything a region report prints, as a version: the assessment's revision (every
    change to its answers bumps it), the revisions of the earlier years it compares with and
    charts, and the inventory and master-plan figures (frozen for a final assessment). Any
    change gives a new PDF and a new code."""
    version = f"r{assessment.revision}.{digest([sorted(earlier), data])}"
    return ReportVersion("R", assessment.region.code, assessment.year, version)


def current_region_version(region_code: str, year: int) -> ReportVersion | None:
    """The version a region report of ``year`` would have now; None without an assessment."""
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        return None
    by_year = figures.yearly_assessments(Assessment.objects.all(), region, up_to=year)
    current = by_year.get(year)
    if current is None:
        return None
    return region_version(
        current,
        earlier=[(a.year, a.revision) for a in by_year.values() if a.year < year],
        data=frozen.report_data(current, store=False).data,
    )


def letterhead(region: Region) -> dict:
    province = region if region.kind == Region.Kind.PROVINCE else region.parent
    return {
        # Region names carry their kind ("Provinsi Kalimantan Tengah"); the letterhead's
        # "Pemerintah Provinsi …" already says it, in each language's own word order.
        "province_short_name": province.name.removeprefix("Provinsi ").strip(),
        "place": signing_place(region),
        "issuer": settings.REPORT_ISSUER,
        "address": settings.REPORT_ADDRESS,
        "generated": timezone.now(),
    }


def signing_place(region: Region) -> str:
    """Where a report of ``region`` is issued: its province's capital."""
    province = region if region.kind == Region.Kind.PROVINCE else region.parent
    return province.capital or province.name


@dataclass(frozen=True)
class ReportSource:
    """What a PDF report is made from: its version, its template and the function that builds
    the template's context (called only when the cache has no PDF of that version); whether it
    reports final assessments only (then it is signed) and where it is issued."""

    version: ReportVersion
    template: str
    build: Callable[[], dict]
    final: bool
    place: str

    def pdf(self) -> Pdf:
        return cached_pdf(
            self.version, self.template, self.build, final=self.final, place=self.place
        )


def region_report(*, user, region: Region, year: int) -> Pdf | None:
    """The region's PDF report for ``year``; None when there is no assessment to report."""
    source = region_report_source(user=user, region=region, year=year)
    return source.pdf() if source else None


def region_report_source(*, user, region: Region, year: int) -> ReportSource | None:
    context = region_context(user=user, region=region, year=year)
    if context is None:
        return None
    data = context["data"]

    def build():
        return {
            **context,
            **letterhead(region),
            "draft": data.assessment.status != "final",
            "subject": _(
                "Hasil penilaian kapabilitas e-government %(region)s tahun %(year)s: indeks, "
                "skor dimensi, rekomendasi, rencana induk dan katalog aplikasi."
            )
            % {"region": region.name, "year": year},
            "score_groups": figures.score_groups(data),
            "indicator_rows": figures.indicator_details(
                data.assessment, data.dimensions, data.result
            ),
            **changes_since_previous(data),
        }

    return ReportSource(
        context["version"],
        "reports/pdf/region_report.html",
        build,
        final=data.assessment.status == "final",
        place=signing_place(region),
    )


# How many changed indicators the region report lists; it counts the others in a line.
REPORT_CHANGES_LISTED = 15


def changes_since_previous(data: figures.RegionFigures) -> dict:
    """The indicators whose level changed since the latest earlier assessment of the same
    framework, the largest changes first. The report's version covers them: it holds the
    revisions of every earlier year of the framework."""
    earlier = [assessment for year, assessment, _r in data.history if year < data.assessment.year]
    if not earlier:
        return {"changes": None}
    comparison = figures.assessment_comparison(earlier[-1], data.assessment)
    listed = comparison.most_changed(REPORT_CHANGES_LISTED)
    return {
        "changes": comparison,
        "changes_listed": listed,
        "changes_unlisted": len(comparison.changed_indicators) - len(listed),
    }


def ranking_chart(rows, framework, year):
    scored = [row for row in rows if row.index is not None]
    return charts.bar_chart(
        [row.region.name for row in scored],
        [charts.Series(_("Indeks"), [row.index for row in scored])],
        maximum=framework.scale_max,
        title=_("Indeks per kabupaten/kota %(year)s") % {"year": year},
        desc=_("Indeks kapabilitas e-government tiap kabupaten/kota, dari tertinggi."),
    )


def averages_chart(averages, dimensions, framework, year):
    return charts.bar_chart(
        [d.label for d in dimensions],
        [charts.Series(_("Rata-rata provinsi"), [averages[d.code] for d in dimensions])],
        maximum=framework.scale_max,
        title=_("Rata-rata provinsi per %(term)s %(year)s")
        % {"term": framework.dimension_word, "year": year},
        desc=_("Rata-rata skor tiap %(term)s atas kabupaten/kota yang dinilai.")
        % {"term": framework.dimension_word},
    )


def province_version(province_code: str, year: int) -> ReportVersion:
    """Everything a province report prints, as a version: the revisions of the assessments it
    ranks and of the previous year's it compares with, in the framework of the year."""
    province = Region.objects.filter(code=province_code).first()
    parts = sorted(
        Assessment.objects.filter(
            region__parent__code=province_code,
            framework=figures.framework_of_year(province, year) if province else None,
            year__in=[year, year - 1],
        ).values_list("region__code", "year", "revision")
    )
    return ReportVersion("P", province_code, year, digest(parts))


def province_report(*, user, province: Region, year: int) -> Pdf | None:
    """The province's PDF report for ``year``; None when no region has an assessment."""
    source = province_report_source(user=user, province=province, year=year)
    return source.pdf() if source else None


def province_report_source(*, user, province: Region, year: int) -> ReportSource | None:
    framework = figures.framework_of_year(province, year)
    if framework is None:
        return None
    rows = figures.province_ranking(user=user, province=province, year=year, framework=framework)
    if not any(row.assessment for row in rows):
        return None
    dimensions = list(framework.dimensions.all())

    def build():
        averages = figures.dimension_averages(rows, dimensions)
        return {
            **letterhead(province),
            "province": province,
            "framework": framework,
            "year": year,
            "rows": rows,
            "dimensions": dimensions,
            "averages": averages,
            "draft": any(row.assessment and row.assessment.status != "final" for row in rows),
            "subject": _(
                "Peringkat kapabilitas e-government kabupaten/kota %(province)s tahun %(year)s "
                "dan rata-rata provinsi per dimensi."
            )
            % {"province": province.name, "year": year},
            "index_chart": ranking_chart(rows, framework, year),
            "average_chart": averages_chart(averages, dimensions, framework, year),
        }

    # Signed only when every assessment it ranks is final.
    final = all(row.assessment.status == "final" for row in rows if row.assessment)
    return ReportSource(
        province_version(province.code, year),
        "reports/pdf/province_report.html",
        build,
        final=final,
        place=signing_place(province),
    )


def regions_with_assessment(*, user, province: Region, year: int):
    framework = figures.framework_of_year(province, year)
    return (
        Region.objects.visible_to(user)
        .filter(
            parent=province,
            assessments__year=year,
            assessments__framework=framework,
        )
        .distinct()
        .order_by("code")
    )


@dataclass(frozen=True)
class Verification:
    """What the portal can say about a verification code."""

    code: str | None  # None for a file the portal did not issue
    valid: bool  # issued by this portal (its MAC is right; for a file, its very bytes)
    current: bool  # the figures it names are still the figures now
    kind: str | None = None  # "region" or "province"
    region: Region | None = None
    year: int | None = None
    issued_at: datetime | None = None
    signed: bool | None = None  # for a file: whether it carries the portal's signature


def verify(code: str) -> Verification:
    """Check a code typed (any case, stray spaces) or read off a report."""
    version = parse_code(code)
    if version is None:
        return Verification(normalise_code(code), valid=False, current=False)
    if version.kind == "R":
        now = current_region_version(version.region_code, version.year)
    else:
        now = province_version(version.region_code, version.year)
    issued = IssuedReport.objects.filter(code=version.code).first()
    return Verification(
        version.code,
        valid=True,
        current=now is not None and now.version == version.version,
        kind="region" if version.kind == "R" else "province",
        region=Region.objects.filter(code=version.region_code).first(),
        year=version.year,
        issued_at=issued.issued_at if issued else None,
    )


class FileTooLarge(ValidationError):
    """An uploaded file larger than any the portal issues (HTTP 413)."""


def rounded_size(size: int, *, up: bool) -> str:
    """``size`` bytes as ``filesizeformat`` writes them (1000 bytes, 2.0 KB, 10.1 MB), its
    tenths rounded up or down instead of to the nearest: a size written rounded up beside a
    limit written rounded down never reads as equal to it when it is over."""
    unit = 1
    while unit < 1 << 50 and size >= unit << 10:
        unit <<= 10
    tenths = -(-size * 10 // unit) if up else size * 10 // unit
    # Within a byte of the tenth, on its side: filesizeformat writes exactly that tenth.
    return filesizeformat(-(-tenths * unit // 10) if up else tenths * unit // 10)


# What the verify page and the API say of an upload without a file and of an empty file.
MISSING_FILE = gettext_lazy("Pilih berkas PDF laporan yang akan diperiksa.")
EMPTY_FILE = gettext_lazy("Pilih berkas PDF laporan yang akan diperiksa; berkas ini kosong.")


def check_report_file(upload) -> bytes:
    """The bytes of an uploaded file to check, refused when there is none, or it is empty, too
    large or not a PDF at all. The size limit is the evidence files' (``EVIDENCE_MAX_BYTES``)."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload is None:
        raise ValidationError(MISSING_FILE, code="required")
    if not upload.size:
        raise ValidationError(EMPTY_FILE, code="empty")
    if upload.size > limit:
        raise FileTooLarge(
            _("Berkas berukuran %(size)s; laporan dari portal tidak lebih dari %(limit)s.")
            % {"size": rounded_size(upload.size, up=True), "limit": rounded_size(limit, up=False)},
            code="too_large",
        )
    data = upload.read(limit + 1)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            _("Berkas ini bukan PDF. Unggah berkas PDF laporan seperti yang diunduh dari portal.")
        )
    return data


def verify_file(data: bytes) -> Verification:
    """Check a file: valid when its bytes are exactly those of a PDF the portal issued; then
    what its code says (kind, region, year, whether its figures are still current), with when
    this file was issued."""
    issued = (
        IssuedFile.objects.select_related("report")
        .filter(sha256=hashlib.sha256(data).hexdigest())
        .first()
    )
    if issued is None:
        return Verification(None, valid=False, current=False)
    return replace(verify(issued.report.code), issued_at=issued.issued_at, signed=issued.signed)

"""The documents the reports app produces: the region and province PDF reports and the charts
shared by their pages. Views and background tasks both call these."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from egov_portal import charts
from opds.models import Region
from reports import figures
from reports.pdf import ReportVersion, cached_pdf


def region_charts(data: figures.RegionFigures) -> dict:
    labels = [d.label for d in data.dimensions]
    scale = (data.framework.scale_min, data.framework.scale_max)
    series = [charts.Series(str(data.assessment.year), [d.score for d in data.result.dimensions])]
    if data.previous_result:
        series.append(
            charts.Series(
                str(data.previous.year),
                [d.score for d in data.previous_result.dimensions],
                dashed=True,
            )
        )
    radar = charts.radar_chart(
        labels,
        series,
        scale=scale,
        title=_("Skor dimensi %(region)s %(year)s")
        % {"region": data.region.name, "year": data.assessment.year},
        desc=_(
            "Skor kelima dimensi pada skala %(low)s–%(high)s, dibandingkan dengan tahun sebelumnya."
        )
        % {"low": scale[0], "high": scale[1]},
    )
    history = charts.line_chart(
        [str(year) for year, _a, _r in data.history],
        [charts.Series(_("Indeks"), [result.index for _y, _a, result in data.history])],
        scale=scale,
        title=_("Indeks %(region)s dari tahun ke tahun") % {"region": data.region.name},
        desc=_("Indeks kapabilitas e-government pada setiap tahun penilaian."),
    )
    return {"radar": radar, "history": history}


def region_context(*, user, region: Region, year: int) -> dict | None:
    framework = figures.framework_for()
    if framework is None:
        return None
    data = figures.region_figures(user=user, region=region, year=year, framework=framework)
    if data is None:
        return None
    applications = figures.inventory_figures(user=user, region=region)
    plan = figures.plan_figures(user=user, region=region, year=year, result=data.result)
    return {
        "data": data,
        "region": region,
        "year": year,
        "inventory": applications,
        "inventory_chart": inventory_chart(applications.summary, region),
        "plan": plan,
        "plan_chart": plan_chart(plan, data) if plan else None,
        **region_charts(data),
    }


def plan_chart(plan: figures.PlanFigures, data: figures.RegionFigures):
    labels = {d.code: d.label for d in data.dimensions}
    return charts.bar_chart(
        [labels[code] for code, *_rest in plan.rows],
        [
            charts.Series(_("Skor %(year)s") % {"year": plan.year}, [row[1] for row in plan.rows]),
            charts.Series(
                _("Target rencana induk"), [row[2] for row in plan.rows], color=charts.MUTED
            ),
        ],
        maximum=data.framework.scale_max,
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


def region_version(context: dict) -> ReportVersion:
    """The assessment's revision (and the previous year's), plus a digest of the master plan
    and inventory figures the report also shows, so that any change gives a new PDF."""
    data = context["data"]
    version = f"r{data.assessment.revision}"
    if data.previous:
        version += f".r{data.previous.revision}"
    others = figures.other_inputs_stamp(region=data.region, plan=context["plan"])
    version += "." + figures.short_digest(others)[:6]
    return ReportVersion("R", data.region.code, data.assessment.year, version)


def letterhead(region: Region) -> dict:
    province = region if region.kind == Region.Kind.PROVINCE else region.parent
    return {
        "province_name": province.name,
        "place": province.capital or province.name,
        "issuer": settings.REPORT_ISSUER,
        "address": settings.REPORT_ADDRESS,
        "generated": timezone.now(),
    }


def region_report(*, user, region: Region, year: int) -> bytes | None:
    """The region's PDF report for ``year``; None when there is no assessment to report."""
    context = region_context(user=user, region=region, year=year)
    if context is None:
        return None
    data = context["data"]

    def build():
        return {
            **context,
            **letterhead(region),
            "draft": data.assessment.status != "final",
            "indicator_rows": figures.indicator_details(
                data.assessment, data.dimensions, data.result
            ),
        }

    return cached_pdf(region_version(context), "reports/pdf/region_report.html", build)


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
        title=_("Rata-rata provinsi per dimensi %(year)s") % {"year": year},
        desc=_("Rata-rata skor tiap dimensi atas kabupaten/kota yang dinilai."),
    )


def province_version(province: Region, year: int, rows) -> ReportVersion:
    parts = [f"{row.region.code}r{row.assessment.revision}" for row in rows if row.assessment]
    return ReportVersion("P", province.code, year, figures.short_digest("|".join(parts)))


def province_report(*, user, province: Region, year: int) -> bytes | None:
    """The province's PDF report for ``year``; None when no region has an assessment."""
    framework = figures.framework_for()
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
            "index_chart": ranking_chart(rows, framework, year),
            "average_chart": averages_chart(averages, dimensions, framework, year),
        }

    return cached_pdf(
        province_version(province, year, rows), "reports/pdf/province_report.html", build
    )


def regions_with_assessment(*, user, province: Region, year: int):
    framework = figures.framework_for()
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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import cycles
from assessments.scoring import bands_of
from egov_portal import spreadsheets
from egov_portal.errors import WrongState
from egov_portal.params import InvalidNumber, parse_year
from opds.access import home_region, is_admin, membership_of, own_opd
from opds.models import Region
from reports import bundles, documents, exports, figures
from reports.access import rankable_provinces, reportable_regions
from reports.forms import ReportFileForm
from reports.inbox import inbox_for, province_summaries
from reports.models import BundleJob
from reports.pdf import well_formed


class ReportNotFound(Http404):
    """A 404 whose message is meant for the reader (the 404 page shows it)."""

    def __init__(self, message):
        super().__init__(message)
        self.user_message = message


@login_required
def home(request):
    """Each role's home page: its work inbox, most urgent first, beside what it looks after."""
    membership = membership_of(request.user)
    context = {"membership": membership}
    if membership is None:
        return render(request, "reports/home.html", context)
    today = timezone.localdate()
    items = inbox_for(request.user, today)
    context["rows"] = [
        (item, item.days_overdue(today), item.days_left(today), item.days_waiting(today))
        for item in items
    ]
    context["admin_home"] = is_admin(request.user)
    region = home_region(request.user)
    if region is None:  # a role over several regions: how each province's evaluation stands
        provinces = list(rankable_provinces(request.user))
        # The year of the evaluation under way: the provinces' current cycle (the latest of
        # them), this calendar year where none has a cycle.
        running = cycles.current_cycles([province.pk for province in provinces], today)
        year = max((cycle.year for cycle in running.values()), default=today.year)
        context["summaries"] = province_summaries(provinces, year=year)
        context["year"] = year
    else:
        context["region"] = Region.objects.with_opd_counts().get(pk=region.pk)
        context["opd"] = own_opd(request.user)
    return render(request, "reports/home.html", context)


def ranking_province(request, code):
    """The province ``code`` if the user may rank its regions (reviewers and admins)."""
    return get_object_or_404(rankable_provinces(request.user), code=code)


def report_region(request, code):
    """A region whose assessments the user may see (its head, reviewers, admins)."""
    return get_object_or_404(reportable_regions(request.user), code=code)


def framework_or_404(province, year):
    """The framework ``province`` evaluates ``year`` in (``figures.framework_of_year``)."""
    framework = figures.framework_of_year(province, year)
    if framework is None:
        raise ReportNotFound(_("Kerangka penilaian belum dimuat."))
    return framework


def year_param(request, default, *, name="year") -> int:
    """The ``?year=`` (or ``?<name>=``) of a page: ``default`` when absent, 404 when not a year
    the portal serves."""
    value = request.GET.get(name)
    if value in (None, ""):
        return default
    try:
        return parse_year(value)
    except InvalidNumber as error:
        raise Http404 from error


@login_required
def province_ranking(request, code):
    province = ranking_province(request, code)
    years = figures.assessment_years(user=request.user, province=province)
    # Without a chosen year: the latest year with final results, not a year of early drafts.
    finals = figures.assessment_years(user=request.user, province=province, final=True)
    default = (finals or years or [timezone.now().year])[0]
    year = year_param(request, default)
    # A ranking never mixes frameworks: every region in the framework of the year.
    framework = framework_or_404(province, year)
    rows = figures.province_ranking(
        user=request.user, province=province, year=year, framework=framework
    )
    context = ranking_context(request, rows, framework=framework, year=year, years=years)
    rows, dimensions, sort = context["rows"], context["dimensions"], context["sort"]
    if "format" in request.GET:
        return exports.ranking_response(
            rows,
            dimensions=dimensions,
            province=province,
            year=year,
            framework=framework,
            file_format=spreadsheets.file_format_or_404(request.GET["format"]),
        )
    return render(
        request,
        "reports/province_ranking.html",
        {
            **context,
            "province": province,
            "export_links": spreadsheets.export_links(
                lambda key: f"?{urlencode({'year': year, 'sort': sort, 'format': key})}"
            ),
            "chart": documents.ranking_chart(rows, framework, year),
            "bundle_jobs": BundleJob.objects.filter(province=province, year=year).order_by("-pk")[
                :3
            ],
        },
    )


@login_required
def national_ranking(request):
    """Every kabupaten/kota of the provinces the user may rank, ranked together (all of them
    for an administrator of the national evaluation)."""
    provinces = rankable_provinces(request.user)
    if not provinces.exists():
        raise Http404
    years = figures.assessment_years(user=request.user)
    finals = figures.assessment_years(user=request.user, final=True)
    year = year_param(request, (finals or years or [timezone.now().year])[0])
    framework = figures.national_framework_of_year(year)
    if framework is None:
        raise ReportNotFound(_("Kerangka penilaian belum dimuat."))
    rows = figures.national_ranking(
        user=request.user, provinces=provinces, year=year, framework=framework
    )
    context = ranking_context(request, rows, framework=framework, year=year, years=years)
    return render(request, "reports/national_ranking.html", {**context, "show_province": True})


def ranking_context(request, rows, *, framework, year, years) -> dict:
    """What a ranking's table shows: its rows in the order asked for (``?sort=``), the
    framework's dimensions and bands, the averages of each dimension."""
    dimensions = list(framework.dimensions.all())
    sort = figures.ranking_sort(request.GET.get("sort"), [d.code for d in dimensions])
    rows = figures.sorted_ranking(rows, sort)
    return {
        "framework": framework,
        "dimensions": dimensions,
        "year": year,
        "years": years,
        "rows": rows,
        "sort": sort,
        "averages": figures.dimension_averages(rows, dimensions),
        "bands": bands_of(framework),
    }


@login_required
def region_dashboard(request, code):
    region = report_region(request, code)
    years = figures.assessment_years(user=request.user, region=region)
    if not years:
        raise ReportNotFound(_("Belum ada penilaian untuk %(region)s.") % {"region": region.name})
    year = year_param(request, years[0])
    context = documents.region_context(user=request.user, region=region, year=year)
    if context is None:
        raise ReportNotFound(no_assessment_message(region, year))
    return render(request, "reports/region_dashboard.html", {**context, "years": years})


@login_required
def region_compare(request, code):
    """Two assessments of a region side by side: by default the latest and the one before."""
    region = report_region(request, code)
    by_year = figures.comparable_assessments(user=request.user, region=region)
    if not by_year:
        raise ReportNotFound(_("Belum ada penilaian untuk %(region)s.") % {"region": region.name})
    years = list(by_year)
    from_year, to_year = figures.compared_years(
        years,
        from_year=year_param(request, None, name="from"),
        to_year=year_param(request, None, name="to"),
    )
    for year in (to_year, from_year):
        if year is not None and year not in by_year:
            raise ReportNotFound(no_assessment_message(region, year))
    only_changed = request.GET.get("changed") == "1"
    context = {
        "region": region,
        "years": years,
        "from_year": from_year,
        "to_year": to_year,
        "only_changed": only_changed,
    }
    if from_year is None or from_year == to_year:
        context["problem"] = (
            _("Pilih dua tahun yang berbeda untuk dibandingkan.")
            if from_year == to_year
            else _("Belum ada penilaian sebelum tahun %(year)s untuk dibandingkan.")
            % {"year": to_year}
        )
        status = 400 if from_year == to_year else 200
        return render(request, "reports/region_compare.html", context, status=status)
    comparison = figures.assessment_comparison(by_year[from_year], by_year[to_year])
    rows = comparison.changed_indicators if only_changed else comparison.indicators
    return render(
        request,
        "reports/region_compare.html",
        {
            **context,
            "comparison": comparison,
            "groups": figures.indicator_groups(rows),
        },
    )


def no_assessment_message(region, year):
    return _("Belum ada penilaian %(region)s untuk tahun %(year)s.") % {
        "region": region.name,
        "year": year,
    }


def pdf_response(pdf, filename: str) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Verification-Code"] = pdf.code
    return response


@login_required
def region_report(request, code, year):
    region = report_region(request, code)
    data = documents.region_report(user=request.user, region=region, year=year)
    if data is None:
        raise ReportNotFound(no_assessment_message(region, year))
    return pdf_response(data, f"laporan-egov-{region.code}-{year}.pdf")


@login_required
def province_report(request, code, year):
    province = ranking_province(request, code)
    data = documents.province_report(user=request.user, province=province, year=year)
    if data is None:
        raise ReportNotFound(no_assessment_message(province, year))
    return pdf_response(data, f"laporan-egov-{province.code}-{year}.pdf")


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """Anyone holding a printed report can check its code: whether the portal issued it, for
    which region or province and year, and whether its figures are still the current ones.
    Anyone holding the PDF file can upload it: whether the portal issued exactly that file."""
    if request.method == "POST":
        form = ReportFileForm(request.POST, request.FILES)
        if not form.is_valid():
            status = 413 if form.too_large else 400
            return render(request, "reports/verify.html", {"file_form": form}, status=status)
        context = {
            "file_form": ReportFileForm(),
            "file_name": form.cleaned_data["file"].name,
            "file_result": documents.verify_file(form.pdf_bytes),
        }
        return render(request, "reports/verify.html", context)
    code = request.GET.get("code", "").strip()[:200]
    result = documents.verify(code) if code else None
    status = 400 if code and not well_formed(code) else 200
    return render(
        request,
        "reports/verify.html",
        {
            "code": code,
            "result": result,
            "well_formed": status == 200,
            "file_form": ReportFileForm(),
        },
        status=status,
    )


def redirect_after_post(request, url):
    """A 302 for a plain form; for htmx, ``HX-Redirect`` so the browser loads ``url`` itself."""
    if request.headers.get("HX-Request"):
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


@login_required
@require_POST
def bundle_create(request, code, year):
    province = ranking_province(request, code)
    ranking = reverse("reports:province_ranking", kwargs={"code": province.code})
    try:
        job = bundles.bundle_start(user=request.user, province=province, year=year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect_after_post(request, f"{ranking}?year={year}")
    except bundles.QueueUnavailable:
        messages.error(
            request,
            _(
                "Paket ZIP tidak dapat dimulai: antrean tugas latar belakang (broker Celery) "
                "tidak dapat dihubungi. Coba lagi beberapa saat lagi; bila berulang, hubungi "
                "administrator."
            ),
        )
        return redirect_after_post(request, f"{ranking}?year={year}")
    return redirect_after_post(request, job.get_absolute_url())


def visible_job(request, pk):
    return get_object_or_404(
        BundleJob.objects.visible_to(request.user).select_related("province"), pk=pk
    )


@login_required
def bundle_detail(request, pk):
    job = visible_job(request, pk)
    context = {"job": job, "stale": bundles.bundle_is_stale(job)}
    if request.headers.get("HX-Request"):
        return render(request, "reports/includes/_bundle_status.html", context)
    return render(request, "reports/bundle_detail.html", context)


@login_required
@require_POST
def bundle_cancel(request, pk):
    job = visible_job(request, pk)
    try:
        bundles.bundle_cancel(job, user=request.user)
    except WrongState as error:
        messages.warning(request, error.message)
    return redirect(job)


@login_required
def bundle_download(request, pk):
    job = visible_job(request, pk)
    if job.status != BundleJob.Status.DONE or not job.file:
        raise ReportNotFound(_("Berkas ZIP belum siap."))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)

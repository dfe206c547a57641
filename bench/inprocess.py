"""The measurements the benchmark takes inside a Django process rather than over HTTP, each
printed as JSON for ``bench/run.py``:

    python bench/inprocess.py info         what the database holds and whom to sign in as
    python bench/inprocess.py rescoring    every assessment's scores vs one aggregate query
    python bench/inprocess.py references   bare template renders and WeasyPrint alone, one
                                           at a time as run.py asks for them

Run with ``DATABASE_URL`` (and the other settings) in the environment.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from assessments.models import Answer, Assessment  # noqa: E402
from opds.models import OPD, Application, Membership, Region  # noqa: E402

EDITABLE = ("in_review", "draft")
AGGREGATE_SQL = (
    "SELECT assessment_id, avg(coalesce(verified_level, self_level)) "
    "FROM assessments_answer GROUP BY assessment_id"
)


class Statements:
    """Counts the SQL statements run inside it (Django's query log keeps only the last 9,000,
    too few for the rescoring at national scale)."""

    def __enter__(self):
        self.count = 0
        self.wrapper = connection.execute_wrapper(self)
        self.wrapper.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)


def timed(function, runs=1):
    """Median and all timings (ms) of ``function`` over ``runs`` calls, and the statements of
    the last call."""
    timings = []
    for _run in range(runs):
        with Statements() as statements:
            began = time.perf_counter()
            function()
            timings.append((time.perf_counter() - began) * 1000)
    return {
        "median_ms": statistics.median(timings),
        "timings": timings,
        "queries": statements.count,
    }


def member(role, region=None):
    """The username of a member with ``role`` (of ``region``), the generated accounts first."""
    members = Membership.objects.filter(role=role, user__is_active=True)
    if region is not None:
        members = members.filter(region=region)
    names = sorted(members.values_list("user__username", flat=True))
    names.sort(key=lambda name: not name.startswith("bench."))
    return names[0] if names else None


def info():
    """The sizes of the data and the objects and accounts every case of the benchmark uses:
    an assessment a reviewer may still change, its region and province, the latest year."""
    year = max(Assessment.objects.values_list("year", flat=True))
    target = (
        Assessment.objects.filter(year=year, status__in=EDITABLE)
        .select_related("region__parent", "framework")
        .order_by("region__code")
        .first()
    ) or Assessment.objects.filter(status__in=EDITABLE).order_by("-year", "region__code").first()
    region, province = target.region, target.region.parent
    dimension = target.framework.dimensions.order_by("order", "pk").first()
    answer = target.answers.select_related("indicator").order_by("indicator__code").first()
    final = (
        Assessment.objects.filter(region=region, status="final").order_by("-year").first() or target
    )
    admin = member("admin") or (
        type(target.created_by)
        .objects.filter(is_superuser=True)
        .order_by("username")
        .values_list("username", flat=True)
        .first()
    )
    reviewer = member("reviewer", province) or admin
    head = member("head", region) or reviewer
    word = next(
        (
            part
            for name in Application.objects.order_by("pk").values_list("name", flat=True)[:50]
            for part in name.split()
            if len(part) >= 5 and part.isalpha()
        ),
        "sistem",
    )
    password = "bench12345" if admin.startswith("bench.") else settings.DEMO_PASSWORD
    return {
        "sizes": {
            "regional governments": Region.objects.count(),
            "provinces": Region.objects.filter(kind="province").count(),
            "opds": OPD.objects.count(),
            "applications": Application.objects.count(),
            "assessments": Assessment.objects.count(),
            "answers": Answer.objects.count(),
        },
        "year": year,
        "province": province.code,
        "region": region.code,
        "assessment": target.pk,
        "assessment_year": target.year,
        "dimension": dimension.code,
        "indicator": answer.indicator.code if answer else None,
        "levels": list(target.framework.levels),
        "report_year": final.year,
        "search": word.lower(),
        "users": {"admin": admin, "reviewer": reviewer, "head": head},
        "password": password,
        "statuses": dict(
            Assessment.objects.filter(year=year).values_list("status").annotate(n=Count("pk"))
        ),
    }


def rescoring(runs=3):
    """Scores of every assessment through ``results_for`` against one aggregate query over
    all answers: the same data read, without the scoring."""
    from assessments.scoring import results_for

    count = Assessment.objects.count()

    def aggregate():
        with connection.cursor() as cursor:
            cursor.execute(AGGREGATE_SQL)
            cursor.fetchall()

    return {
        "assessments": count,
        "results_for": timed(lambda: results_for(Assessment.objects.all()), runs),
        "aggregate": timed(aggregate, runs),
    }


def template_render(path):
    """The page at ``path`` once through the test client (as the admin); then a function that
    renders its template alone from the context the view gave it. None when there is no page."""
    from django.contrib.auth import get_user_model
    from django.template.loader import render_to_string
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=info_cache["users"]["admin"]))
    response = client.get(path)
    if response.status_code != 200 or not response.templates:
        return None
    template = response.templates[0].name
    # One context per template rendered (includes too): the page's own comes first.
    context = response.context[0] if isinstance(response.context, list) else response.context
    flat = context.flatten()
    return lambda: render_to_string(template, flat, request=response.wsgi_request)


def weasyprint_render():
    """WeasyPrint alone on the region report's HTML, with the options and base URL the portal
    uses."""
    from django.template.loader import render_to_string

    from reports import documents
    from reports.pdf import PDF_OPTIONS, data_uri, qr_png, verification_url

    user = Membership.objects.get(user__username=info_cache["users"]["head"]).user
    region = Region.objects.get(code=info_cache["region"])
    source = documents.region_report_source(
        user=user, region=region, year=info_cache["report_year"]
    )
    url = verification_url(source.version.code)
    context = {
        **source.build(),
        "report_version": source.version,
        "verification_url": url,
        "verification_qr": data_uri(qr_png(url), "image/png"),
    }
    html = render_to_string(source.template, context)
    base_url = str(settings.BASE_DIR)

    def write():
        from weasyprint import HTML

        HTML(string=html, base_url=base_url).write_pdf(**PDF_OPTIONS)

    return write


def references():
    """Serve the references one run at a time, so that ``bench/run.py`` interleaves them with
    its requests: reads a name per line, answers a JSON line with its time and statements.
    The first line written says what WeasyPrint's first render in this fresh process took
    (its import and every first-use cost included)."""
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    # The test client keeps the context of the templates it renders.
    setup_test_environment()
    year, province = info_cache["year"], info_cache["province"]
    weasyprint = weasyprint_render()
    first = timed(weasyprint)
    renders = {"weasyprint": weasyprint}
    if has_url("reports:national_ranking"):
        renders["national_ranking"] = template_render(
            f"{reverse('reports:national_ranking')}?year={year}"
        )
    renders["province_ranking"] = template_render(
        f"{reverse('reports:province_ranking', kwargs={'code': province})}?year={year}"
    )
    available = sorted(name for name, render in renders.items() if render)
    print(json.dumps({"first_ms": first["median_ms"], "available": available}), flush=True)
    for line in sys.stdin:
        result = timed(renders[line.strip()])
        print(json.dumps({"ms": result["median_ms"], "queries": result["queries"]}), flush=True)
    return None


def has_url(name):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)
    info_cache = info()
    what = sys.argv[1]
    result = {"info": lambda: info_cache, "rescoring": rescoring, "references": references}[what]()
    if result is not None:
        print(json.dumps(result, default=str))

"""The measurements the benchmark takes inside a Django process rather than over HTTP, each
printed as JSON for ``bench/run.py``:

    python bench/inprocess.py info         what the database holds and whom to sign in as
    python bench/inprocess.py rescoring    every assessment's scores vs one aggregate query
    python bench/inprocess.py references   bare template renders and WeasyPrint alone, one
                                           at a time as run.py asks for them
    python bench/inprocess.py profile SCALE OUT CASE...
                                           cProfile of each case's request (run.py's cases,
                                           through Django's test client), written to OUT

Run with ``DATABASE_URL`` (and the other settings) in the environment.
"""

import cProfile
import io
import json
import os
import pstats
import re
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


PROFILE_RUNS = 10
TOP = 25


class ClientSession:
    """Django's test client in the shape of ``bench/run.py``'s HTTP session, so that the
    profile runs the very requests the benchmark times. While ``profiler`` is set, the first
    request of a case's run (the one run.py times; not the save's reading back of the
    version) is profiled and its statements' time recorded."""

    def __init__(self, username):
        from django.contrib.auth import get_user_model
        from django.test import Client

        self.client = Client(SERVER_NAME="127.0.0.1")
        if username:
            self.client.force_login(get_user_model().objects.get(username=username))
            self.client.get("/accounts/login/")  # the CSRF cookie, as a browser has it
        self.profiler = None
        self.armed = False
        self.sql = []  # (statements, ms, request ms) of each measured request
        self.statements = {}  # SQL -> [runs, seconds] of the measured requests

    @property
    def cookies(self):
        return {name: morsel.value for name, morsel in self.client.cookies.items()}

    def csrf_headers(self, **extra):
        return {"X-CSRFToken": self.cookies.get("csrftoken", ""), **extra}

    def request(self, method, path, body=None, headers=None):
        from bench.run import Response

        measured, self.armed = self.armed, False
        timings = []

        def timer(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append(time.perf_counter() - began)
                if measured:
                    entry = self.statements.setdefault(" ".join(sql.split()), [0, 0.0])
                    entry[0] += 1
                    entry[1] += timings[-1]

        kwargs = {"headers": headers or {}}
        if body is not None:
            kwargs["data"] = body
            if isinstance(body, dict):
                kwargs["content_type"] = "application/x-www-form-urlencoded"
                from urllib.parse import urlencode

                kwargs["data"] = urlencode(body)
            else:
                kwargs["content_type"] = (headers or {}).get("Content-Type", "application/json")
        call = getattr(self.client, method.lower())
        with connection.execute_wrapper(timer):
            began = time.perf_counter()
            if measured and self.profiler:
                self.profiler.enable()
            response = call(path, **kwargs)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            if measured and self.profiler:
                self.profiler.disable()
            ms = (time.perf_counter() - began) * 1000
        if measured:
            self.sql.append((len(timings), sum(timings) * 1000, ms))
        return Response(
            response.status_code, {k.lower(): v for k, v in response.headers.items()}, content, ms
        )


TEMPLATE_TIMES = {}  # template name -> [renders, seconds], while timing them


def time_templates():
    """Record each template's renders and their time (inclusive: an included template's time
    counts in the one including it too, a child's blocks in the template it extends)."""
    from django.template import base

    original = base.Template._render

    def _render(template, context):
        began = time.perf_counter()
        try:
            return original(template, context)
        finally:
            entry = TEMPLATE_TIMES.setdefault(template.name or "(from a string)", [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - began

    base.Template._render = _render


def short_paths(text):
    """The profile's file names relative to the project, the site-packages and the standard
    library, so that it reads the same on every machine."""
    import sysconfig

    prefixes = [
        (sysconfig.get_paths()["purelib"] + "/", ""),
        (sysconfig.get_paths()["stdlib"] + "/", ""),
        (str(Path(__file__).resolve().parent.parent) + "/", ""),
    ]
    for prefix, replacement in prefixes:
        text = text.replace(prefix, replacement)
    return text


def area(filename, function):
    """Where a function's own time is spent, for the profile's summary."""
    if filename == "~" and "psycopg" in function:
        return "database driver calls (execute, commit: the round trips)"
    name = short_paths(filename)
    for prefix, label in (
        ("django/template", "Django templates"),
        ("django/db", "Django ORM"),
        ("psycopg", "psycopg (database driver)"),
        ("rest_framework", "Django REST framework"),
        ("simple_history", "django-simple-history"),
        ("django/forms", "Django forms"),
        ("django/utils/translation", "Django translation"),
        ("django", "Django (other)"),
    ):
        if name.startswith(prefix):
            return label
    if name.startswith(("~", "<")):
        return "built-ins (getattr, isinstance, …)"
    top = name.split("/", 1)[0]
    if (Path(__file__).resolve().parent.parent / top).is_dir():
        return f"portal: {top}/"
    return "other libraries and the standard library"


def profile(scale, out, *names):
    """cProfile of each named case's request, repeated ``PROFILE_RUNS`` times after a warm-up,
    written to ``OUT/<case>-<scale>.txt``: the request's time without and with the profiler,
    its statements and their time, the own time by area, and the top functions by cumulative
    and by own time."""
    from bench.run import ScaleState, cases

    by_name = {case.name: case for case in cases()}
    time_templates()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = [profile_case(by_name[name], scale, out, ScaleState) for name in names]
    print(json.dumps({"written": written}))


def profile_case(case, scale, out, state_class):
    user = None if case.role == "anonymous" else info_cache["users"][case.role]
    session = ClientSession(user)
    state = state_class(info_cache, Path(settings.MEDIA_ROOT), port=0)
    state.sessions = {case.role: session}
    if case.name.startswith("save answer"):
        state.refresh(
            session,
            f"/api/v1/assessments/{info_cache['assessment']}/answers/{info_cache['indicator']}/",
        )

    def run_once():
        session.armed = True
        reply = case.run(session, state)
        if not 200 <= reply.status < 400:
            raise SystemExit(f"{case.name}: HTTP {reply.status}")

    run_once()  # warm-up
    session.sql, session.statements = [], {}
    TEMPLATE_TIMES.clear()
    for _run in range(PROFILE_RUNS):
        run_once()
    plain = list(session.sql)
    templates, statements = dict(TEMPLATE_TIMES), session.statements
    TEMPLATE_TIMES.clear()
    session.statements = {}
    session.sql, session.profiler = [], cProfile.Profile()
    for _run in range(PROFILE_RUNS):
        run_once()
    stats = pstats.Stats(session.profiler)
    return write_profile(out, scale, case, plain, session.sql, stats, templates, statements)


def write_profile(out, scale, case, plain, profiled, stats, templates, statements):
    from bench.run import profile_file

    wall = statistics.median(ms for _n, _sql, ms in plain)
    sql = statistics.median(sql for _n, sql, _ms in plain)
    count = max(n for n, _sql, _ms in plain)
    wall_profiled = statistics.median(ms for _n, _sql, ms in profiled)
    total = sum(entry[2] for entry in stats.stats.values())  # own time of every function
    areas = {}
    for (filename, _line, function), entry in stats.stats.items():
        label = area(filename, function)
        areas[label] = areas.get(label, 0) + entry[2]
    sizes = ", ".join(f"{v:,} {k}" for k, v in info_cache["sizes"].items())
    lines = [
        f"Profile of {case.name!r} at {scale} scale ({sizes}).",
        f"Taken by bench/inprocess.py profile on {time.strftime('%Y-%m-%d')}: the request "
        f"through Django's test client (as {case.role}, settings of a benchmark server), "
        f"a warm-up, then {PROFILE_RUNS} runs without and {PROFILE_RUNS} with cProfile.",
        "",
        f"Request, median of {PROFILE_RUNS} without the profiler: {wall:.1f} ms; "
        f"{count} SQL statements taking {sql:.1f} ms of it ({sql / wall:.0%}) from the "
        f"call to the database driver to its return, round trip included.",
        f"With the profiler: {wall_profiled:.1f} ms a request ({wall_profiled / wall:.1f} times: "
        f"cProfile's overhead falls on every Python call, so the times below are inflated by "
        f"about as much and the database's share is smaller than without it; read the shares).",
        "",
        "Own time by area (profiled ms a request, share of the profiled time):",
        "",
    ]
    for label, seconds in sorted(areas.items(), key=lambda item: -item[1]):
        lines.append(
            f"  {seconds / PROFILE_RUNS * 1000:8.1f} ms a request  {seconds / total:5.1%}  {label}"
        )
    lines += [
        "",
        "SQL statements, without the profiler (ms a request, runs a request, the statement's "
        "start):",
        "",
    ]
    for sql, (runs, seconds) in sorted(statements.items(), key=lambda item: -item[1][1]):
        lines.append(
            f"  {seconds / PROFILE_RUNS * 1000:8.1f} ms  {runs / PROFILE_RUNS:6.1f}×  "
            f"{sql[:150]}{'…' if len(sql) > 150 else ''}"
        )
    if templates:
        lines += [
            "",
            "Templates, without the profiler (ms a request, inclusive of what each includes or "
            "the blocks it is extended with; renders a request):",
            "",
        ]
        ranked = sorted(templates.items(), key=lambda item: -item[1][1])[:15]
        for name, (renders, seconds) in ranked:
            lines.append(
                f"  {seconds / PROFILE_RUNS * 1000:8.1f} ms  {renders / PROFILE_RUNS:6.1f}×  {name}"
            )
    project = re.escape(str(Path(__file__).resolve().parent.parent)) + r"/(?!\.venv/|bench/)"
    for order, restriction, title in (
        ("cumulative", (), "functions by cumulative time"),
        ("cumulative", (project,), "of the portal's own functions by cumulative time"),
        ("tottime", (), "functions by own time"),
    ):
        stream = io.StringIO()
        stats.stream = stream
        stats.sort_stats(order).print_stats(*restriction, TOP)
        text = short_paths(stream.getvalue())
        body = text[text.index("   ncalls") :] if "   ncalls" in text else text
        lines += ["", f"Top {TOP} {title} (seconds, all {PROFILE_RUNS} runs):", "", body]
    path = out / profile_file(case.name, scale)
    path.write_text("\n".join(line.rstrip() for line in "\n".join(lines).splitlines()) + "\n")
    return str(path)


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
    if what == "profile":
        profile(*sys.argv[2:])
        sys.exit(0)
    result = {"info": lambda: info_cache, "rescoring": rescoring, "references": references}[what]()
    if result is not None:
        print(json.dumps(result, default=str))

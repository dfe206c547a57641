"""Load test of the portal: people of three kinds at once for a bounded time, then a check that
every save the portal acknowledged is what the database holds.

    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --seconds 60 --workers 3
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/egov_load \\
        --prepare --gunicorn-workers 3 --seconds 60 --workers 3 --json load.json

Kinds, each run by ``--workers`` threads (users taken in turn from the comma-separated lists):

- reviewers open an answer of an assessment in review and save a verified level (with a
  reason) through the answer API, with the version they read; a 409 (someone saved in between)
  is a real conflict, not an error: the thread takes the current version from the answer and
  tries again;
- heads open their region's dashboard and download its PDF report (the latest year; requested
  once before the clock starts, so the table shows the report as heads meet it once made, and
  the time of that first request is printed apart);
- OPD operators open and change the description of their own OPD's applications through the
  API, the same way with versions.

Reviewers and operators work on the first ``--objects`` answers and applications, so that
they do meet. At the end the portal is read back through the API: for every answer and
application, the last acknowledged save (the highest version a 2xx answered with) must be
what is saved, and no two acknowledged saves may have been given the same version.

Without ``--url`` the script starts the portal itself under gunicorn, debug off, on a free port
of 127.0.0.1 against ``--database-url`` (``--prepare``: migrate and load the demo data first),
with the API's per-user rate limit lifted (the limit is not what is measured) and static files
served from the finders (no collectstatic). Only the standard library is used on the client
side. Exits 1 when a request failed or the check found a difference.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import math
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SETTINGS_SHIM = """\
from egov_portal.settings import *

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
"""
KINDS = {
    "review_open": "reviewer opens an answer (API)",
    "review_save": "reviewer saves a verified level (API)",
    "head_dashboard": "head opens the region dashboard",
    "head_pdf": "head downloads the region PDF",
    "opd_open": "operator opens an application (API)",
    "opd_save": "operator saves an application (API)",
}
RETRIES = 10


class SetupFailed(Exception):
    pass


# --- HTTP -------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One signed-in person: a cookie jar (pages) or an API token, and nothing else shared."""

    def __init__(self, base: str, timeout: float):
        self.base, self.timeout, self.token = base.rstrip("/"), timeout, None
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def call(self, method: str, path: str, body=None, *, form=False) -> tuple[int, bytes]:
        """(status, body) of one request; redirects are not followed."""
        url = self.base + path
        headers = {"Referer": url, "Accept-Language": "en"}
        data = None
        if body is not None and form:
            data = urllib.parse.urlencode(body).encode()
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def json(self, path: str):
        status, data = self.call("GET", path)
        if status != 200:
            raise SetupFailed(f"GET {path} answered {status}: {data[:200]!r}")
        return json.loads(data)

    def results(self, path: str) -> list:
        """Every row of a paginated list (500 a page)."""
        sep = "&" if "?" in path else "?"
        page, rows = 1, []
        while True:
            data = self.json(f"{path}{sep}page_size=500&page={page}")
            rows += data["results"]
            if not data.get("next"):
                return rows
            page += 1

    def api_sign_in(self, username: str, password: str):
        status, data = self.call(
            "POST", "/api/v1/auth/token/", {"username": username, "password": password}
        )
        if status != 200:
            raise SetupFailed(f"no API token for {username}: {status} {data[:200]!r}")
        self.token = json.loads(data)["token"]

    def page_sign_in(self, username: str, password: str):
        status, page = self.call("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise SetupFailed(f"the login page answered {status} without a form")
        status, _ = self.call(
            "POST",
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": match[1].decode()},
            form=True,
        )
        if status != 302:
            raise SetupFailed(f"signing in as {username} answered {status}")


# --- What is measured -------------------------------------------------------------------------


@dataclass
class Tally:
    seconds: list[float] = field(default_factory=list)
    ok: int = 0
    conflicts: int = 0
    errors: int = 0
    gave_up: int = 0
    samples: list[str] = field(default_factory=list)


class Recorder:
    """Timings and outcomes per kind, and every acknowledged save, from all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tallies = defaultdict(Tally)
        # (kind of object, id) -> [(version, value), …] of every 2xx save
        self.acks = defaultdict(list)

    def record(self, kind: str, seconds: float, status: int | None, what: str = ""):
        with self.lock:
            tally = self.tallies[kind]
            tally.seconds.append(seconds)
            if status is not None and 200 <= status < 300:
                tally.ok += 1
            elif status == 409:
                tally.conflicts += 1
            else:
                tally.errors += 1
                if len(tally.samples) < 5:
                    tally.samples.append(f"{what} → {status if status else 'no answer'}")

    def gave_up(self, kind: str):
        with self.lock:
            self.tallies[kind].gave_up += 1

    def acknowledged(self, key: tuple, version: int, value):
        with self.lock:
            self.acks[key].append((version, value))


def timed(recorder: Recorder, kind: str, client: Client, method: str, path: str, body=None):
    started = time.perf_counter()
    try:
        status, data = client.call(method, path, body)
    except OSError as error:  # refused, reset or timed out: an error, and the loop goes on
        recorder.record(kind, time.perf_counter() - started, None, f"{method} {path}: {error}")
        return None, b""
    recorder.record(kind, time.perf_counter() - started, status, f"{method} {path}")
    return status, data


def save_with_versions(recorder, kind, client, path, changes, version, key, value_of):
    """PATCH ``changes`` with ``version``; on 409 take the current version and try again.
    Returns the version to use next time."""
    for _attempt in range(RETRIES):
        status, data = timed(recorder, kind, client, "PATCH", path, {**changes, "version": version})
        if status is not None and 200 <= status < 300:
            saved = json.loads(data)
            recorder.acknowledged(key, saved["version"], value_of(saved))
            return saved["version"]
        if status != 409:
            return version
        current = json.loads(data).get("current") or {}
        if "version" in current:
            version = current["version"]
        else:  # refetch when the conflict did not say
            status, data = client.call("GET", path)
            version = json.loads(data)["version"] if status == 200 else version
    recorder.gave_up(kind)
    return version


# --- The three kinds --------------------------------------------------------------------------


@dataclass
class Plan:
    """What one thread works on, found before the clock starts."""

    client: Client
    targets: list = field(default_factory=list)  # (path, key, version)
    extra: dict = field(default_factory=dict)


def reviewer_plan(args, number: int) -> Plan:
    users = args.reviewers.split(",")
    client = Client(args.url, args.timeout)
    client.api_sign_in(users[number % len(users)], args.password)
    in_review = client.results("/api/v1/assessments/?status=in_review")
    if not in_review:
        raise SetupFailed(f"{users[number % len(users)]} sees no assessment in review")
    assessment = in_review[(number // len(users)) % len(in_review)]
    framework = client.json(f"/api/v1/frameworks/{assessment['framework']}/")
    answers = {a["indicator"]: a["version"] for a in client.results(answers_path(assessment))}
    codes = list(answers) or [code for code in framework_indicators(framework)]
    plan = Plan(client, extra={"levels": (framework["scale_min"], framework["scale_max"])})
    for code in codes[: args.objects]:
        path = f"/api/v1/assessments/{assessment['id']}/answers/{code}/"
        plan.targets.append([path, ("answer", assessment["id"], code), answers.get(code, 0)])
    return plan


def answers_path(assessment) -> str:
    return f"/api/v1/assessments/{assessment['id']}/answers/"


def framework_indicators(framework):
    for dimension in framework["dimensions"]:
        for group in dimension.get("aspects") or [dimension]:
            for indicator in group["indicators"]:
                yield indicator["code"]


def reviewer_loop(plan: Plan, stop: threading.Event, recorder: Recorder, tag: str):
    low, high = plan.extra["levels"]
    rng = random.Random(tag)
    edit_loop(
        plan, stop, recorder, tag, rng,
        kinds=("review_open", "review_save"),
        changes=lambda sequence: {
            "verified_level": rng.randint(low, high),
            "reason": f"load {tag}-{sequence}",
        },
        value_of=answer_value,
    )  # fmt: skip


def edit_loop(plan, stop, recorder, tag, rng, *, kinds, changes, value_of):
    """As a person edits: open a record (its current version), change it, save; a 409 means
    someone saved in between."""
    open_kind, save_kind = kinds
    sequence = 0
    while not stop.is_set():
        target = rng.choice(plan.targets)
        path, key, version = target
        status, data = timed(recorder, open_kind, plan.client, "GET", path)
        if status == 200:
            version = json.loads(data)["version"]
        sequence += 1
        target[2] = save_with_versions(
            recorder, save_kind, plan.client, path, changes(sequence), version, key, value_of
        )


def answer_value(answer) -> tuple:
    return (answer["verified_level"], answer["reason"])


def head_plan(args, number: int) -> Plan:
    users = args.heads.split(",")
    client = Client(args.url, args.timeout)
    client.page_sign_in(users[number % len(users)], args.password)
    assessments = client.results("/api/v1/assessments/")
    if not assessments:
        raise SetupFailed(f"{users[number % len(users)]} sees no assessment")
    latest = max(assessments, key=lambda a: a["year"])
    region, year = latest["region"], latest["year"]
    plan = Plan(
        client,
        extra={
            "dashboard": f"/reports/regions/{region}/",
            "pdf": f"/reports/regions/{region}/{year}.pdf",
        },
    )
    # Rendered (or found in the report cache) before the clock starts: the table measures
    # what heads meet once the report is made; the first render is reported on its own.
    started = time.perf_counter()
    status, _ = client.call("GET", plan.extra["pdf"])
    if status != 200:
        raise SetupFailed(f"GET {plan.extra['pdf']} answered {status}")
    plan.extra["first_pdf_ms"] = (time.perf_counter() - started) * 1000
    return plan


def head_loop(plan: Plan, stop: threading.Event, recorder: Recorder, tag: str):
    while not stop.is_set():
        timed(recorder, "head_dashboard", plan.client, "GET", plan.extra["dashboard"])
        if not stop.is_set():
            timed(recorder, "head_pdf", plan.client, "GET", plan.extra["pdf"])


def operator_plan(args, number: int) -> Plan:
    """The operator's own applications: those whose OPTIONS offer a PUT (the API answers it
    only to someone who may change the record)."""
    users = args.operators.split(",")
    client = Client(args.url, args.timeout)
    client.api_sign_in(users[number % len(users)], args.password)
    plan = Plan(client)
    for application in client.results("/api/v1/applications/")[: args.probe]:
        path = f"/api/v1/applications/{application['id']}/"
        status, data = client.call("OPTIONS", path)
        if status == 200 and "PUT" in json.loads(data).get("actions", {}):
            plan.targets.append([path, ("application", application["id"]), application["version"]])
        if len(plan.targets) == args.objects:
            break
    if not plan.targets:
        raise SetupFailed(f"{users[number % len(users)]} may change none of the applications")
    return plan


def operator_loop(plan: Plan, stop: threading.Event, recorder: Recorder, tag: str):
    edit_loop(
        plan, stop, recorder, tag, random.Random(tag),
        kinds=("opd_open", "opd_save"),
        changes=lambda sequence: {"description": f"Uji beban {tag}-{sequence}"},
        value_of=application_value,
    )  # fmt: skip


def application_value(application) -> str:
    return application["description"]


# --- Running and checking ---------------------------------------------------------------------


def run_load(args) -> tuple[Recorder, float, list[Plan]]:
    kinds = [
        ("r", reviewer_plan, reviewer_loop),
        ("h", head_plan, head_loop),
        ("o", operator_plan, operator_loop),
    ]
    plans = [
        (f"{letter}{number + 1}", make_plan(args, number), loop)
        for letter, make_plan, loop in kinds
        for number in range(args.workers)
    ]
    recorder, stop = Recorder(), threading.Event()
    threads = [
        threading.Thread(target=loop, args=(plan, stop, recorder, tag), daemon=True)
        for tag, plan, loop in plans
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in threads:  # a request under way finishes within --timeout
        thread.join(args.timeout + 5)
    return recorder, time.monotonic() - started, [plan for _tag, plan, _loop in plans]


def check_saves(recorder: Recorder, plans: list[Plan]) -> dict:
    """Every acknowledged save against what the API reads back now."""
    reader = {}
    for plan in plans:
        for path, key, _version in plan.targets:
            reader[key] = (plan.client, path)
    problems, checked = [], 0
    for key, acks in sorted(recorder.acks.items(), key=lambda item: str(item[0])):
        versions = [version for version, _value in acks]
        values = {}
        for version, value in acks:
            values.setdefault(version, set()).add(repr(value))
        shared = sorted(version for version, seen in values.items() if len(seen) > 1)
        if shared:
            problems.append(f"{key}: different saves acknowledged with version(s) {shared}")
        client, path = reader[key]
        saved = client.json(path)
        last_version = max(versions)
        last_value = next(value for version, value in acks if version == last_version)
        now = answer_value(saved) if key[0] == "answer" else application_value(saved)
        checked += 1
        if saved["version"] != last_version or now != last_value:
            problems.append(
                f"{key}: last acknowledged v{last_version} {last_value!r}, "
                f"saved v{saved['version']} {now!r}"
            )
    return {
        "objects": checked,
        "saves": sum(len(acks) for acks in recorder.acks.values()),
        "problems": problems,
    }


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def summary(recorder: Recorder, elapsed: float) -> dict:
    rows = {}
    for kind in KINDS:
        tally = recorder.tallies.get(kind, Tally())
        rows[kind] = {
            "requests": len(tally.seconds),
            "ok": tally.ok,
            "conflicts": tally.conflicts,
            "errors": tally.errors,
            "gave_up": tally.gave_up,
            "per_second": len(tally.seconds) / elapsed,
            "ok_per_second": tally.ok / elapsed,
            "p50_ms": percentile(tally.seconds, 0.50) * 1000,
            "p95_ms": percentile(tally.seconds, 0.95) * 1000,
            "max_ms": max(tally.seconds, default=float("nan")) * 1000,
            "error_samples": tally.samples,
            "label": KINDS[kind],
        }
    return rows


def markdown(rows: dict, check: dict, info: dict) -> str:
    lines = [
        f"Portal {info['url']}: {info['server']}; {info['workers']} client threads per kind, "
        f"{info['seconds']:.0f} s.",
        "",
        "| kind | requests | 2xx | 2xx/s | 409 conflicts | errors | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, row in rows.items():
        lines.append(
            f"| {KINDS[kind]} | {row['requests']} | {row['ok']} | {row['ok_per_second']:.1f} | "
            f"{row['conflicts']} | {row['errors']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} "
            f"| {row['max_ms']:.0f} |"
        )
    lines.append("")
    lines.append(f"Region PDF before the clock (a first render): {info['first_pdf_ms']:.0f} ms.")
    lines.append(
        f"Consistency: {check['saves']} acknowledged saves on {check['objects']} objects, "
        f"{len(check['problems'])} differences."
    )
    lines += [f"- {problem}" for problem in check["problems"]]
    for kind, row in rows.items():
        lines += [f"- {KINDS[kind]}: {sample}" for sample in row["error_samples"]]
        if row["gave_up"]:
            lines.append(f"- {KINDS[kind]}: gave up after {RETRIES} conflicts {row['gave_up']}×")
    return "\n".join(lines)


# --- A portal of our own ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def own_portal(args):
    """gunicorn on a free port of 127.0.0.1 against ``--database-url``, stopped afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="egov-load-"))
    (folder / "load_settings.py").write_text(SETTINGS_SHIM)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "API_THROTTLE"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(folder), str(PROJECT)]),
        DJANGO_SETTINGS_MODULE="load_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=args.database_url,
        DJANGO_MEDIA_ROOT=str(args.media_root or folder / "media"),
        DJANGO_LOG_LEVEL="WARNING",
        API_THROTTLE_USER="1000000/minute",
    )
    env.pop("CELERY_BROKER_URL", None)
    if args.prepare:
        for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=PROJECT, env=env, check=True, stdout=subprocess.DEVNULL, timeout=600,
            )  # fmt: skip
    port = free_port()
    log = (folder / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "egov_portal.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(args.gunicorn_workers),
            "--timeout", "120", "--no-control-socket",
        ],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SetupFailed(
                        f"gunicorn did not start; its log: {folder / 'gunicorn.log'}"
                    ) from None
                time.sleep(0.5)
        yield url, f"gunicorn --workers {args.gunicorn_workers}, debug off"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    # Kept, with gunicorn's log, when something failed.
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def given_portal(args):
    yield args.url, "given by --url"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running portal")
    where.add_argument("--database-url", help="start gunicorn against this database")
    parser.add_argument("--prepare", action="store_true", help="migrate and load the demo first")
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--media-root", type=Path, help="DJANGO_MEDIA_ROOT of the own portal")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="client threads per kind")
    parser.add_argument("--objects", type=int, default=5, help="answers/applications in play")
    parser.add_argument("--probe", type=int, default=200, help="applications checked for edit")
    parser.add_argument("--timeout", type=float, default=60, help="seconds for one request")
    parser.add_argument("--reviewers", default="reviewer", help="comma-separated user names")
    parser.add_argument("--heads", default="kadis.gumas")
    parser.add_argument("--operators", default="opd.kominfo")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "demo12345"))
    parser.add_argument("--json", type=Path, help="also write the results here")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    args.url_given = bool(args.url)
    try:
        with (given_portal if args.url else own_portal)(args) as (url, server):
            args.url = url
            recorder, elapsed, plans = run_load(args)
            check = check_saves(recorder, plans)
    except (SetupFailed, OSError, subprocess.SubprocessError) as error:
        print(f"load test failed: {error}", file=sys.stderr)
        return 1
    rows = summary(recorder, elapsed)
    first_pdf = max(plan.extra.get("first_pdf_ms", 0) for plan in plans)
    info = {"url": url, "server": server, "workers": args.workers, "seconds": elapsed}
    info["first_pdf_ms"] = first_pdf
    # For bench/run.py's report: when, against what, with how many gunicorn workers.
    info["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    info["load_average"] = os.getloadavg()[0]
    if not args.url_given:
        info["gunicorn_workers"] = args.gunicorn_workers
        info["database"] = urllib.parse.urlparse(args.database_url).path.lstrip("/")
    print(markdown(rows, check, info))
    if args.json:
        args.json.write_text(json.dumps({**info, "kinds": rows, "check": check}, indent=2))
    failed = check["problems"] or any(row["errors"] for row in rows.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

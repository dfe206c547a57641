"""Benchmark the portal over HTTP at national and at province scale in one run.

Two gunicorns (debug off, PostgreSQL, one per scale) serve the same code; every round sends
each case once to each scale, so both scales share whatever else the machine is doing. The
in-process references (the bare template render, WeasyPrint alone, the rescoring query) run in
``bench/inprocess.py`` against the same databases, and so are the profiles of the cases that
miss a budget. Writes ``bench/results.json``, ``bench/meta.json``, ``bench/profiles/`` and
``bench/RESULTS.md`` (with the load test's ``bench/load.json`` when there is one); see
``bench/README.md``.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BASE = BENCH.parent
PYTHON = sys.executable
SCALES = ("national", "province")
PG = "postgres://postgres@127.0.0.1:5432/"
WORKERS = 2
REASON = "Diverifikasi ulang oleh tim penilai."


# --- Databases and servers ----------------------------------------------------------------------


def database_url(value: str) -> str:
    return value if "://" in value else PG + value


def django_env(url: str, work: Path, scale: str, *, warm: bool = True) -> dict:
    """The environment of a benchmark server and of the in-process measurements of a scale."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_STATIC_ROOT=str(work / "static"),
        DATABASE_URL=url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_MEDIA_ROOT=str(work / f"media-{scale}"),
        DJANGO_QUERY_COUNT_HEADER="1",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_WARM_AT_START="1" if warm else "0",
        PYTHONPATH=str(BASE),
        # A benchmark is many requests from one address and one user in a minute.
        API_THROTTLE_USER="1000000/minute",
        API_THROTTLE_ANON="1000000/minute",
    )
    return env


def manage(env: dict, *args: str, capture=False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def inprocess(env: dict, what: str) -> dict:
    output = subprocess.run(
        [PYTHON, str(BENCH / "inprocess.py"), what],
        cwd=BASE,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    return json.loads(next(line for line in output.splitlines() if line.startswith("{")))


def profile_file(name: str, scale: str) -> str:
    """The file, in ``profiles/``, of the profile of case ``name`` at ``scale``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + f"-{scale}.txt"


def take_profiles(envs: dict, rows: list[dict], out: Path) -> None:
    """cProfile of every case that misses a budget, at each scale where it misses it, in
    ``out/profiles`` (``bench/inprocess.py profile``); profiles of cases that no longer miss
    are removed. The HTTP cases only: the references and the rescoring are not requests."""
    folder = out / "profiles"
    missed = {}
    for row in rows:
        missing = any(not entry["pass"] for entry in row.get("budgets", []))
        if missing and row["measured_ok"] and row["scale"] in SCALES and row["kind"] != "batch":
            missed.setdefault(row["scale"], []).append(row["name"])
    for scale, names in missed.items():
        print(f"  {scale}: {', '.join(names)}", flush=True)
        subprocess.run(
            [PYTHON, str(BENCH / "inprocess.py"), "profile", scale, str(folder), *names],
            cwd=BASE,
            env=envs[scale],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    wanted = {profile_file(name, scale) for scale, names in missed.items() for name in names}
    for path in folder.glob("*.txt"):
        if path.name not in wanted:
            path.unlink()


def ensure_data(env: dict, *, provinces: int, label: str) -> None:
    """Create and fill the scale's database when it is missing or holds no region: migrate,
    then the national data generator (the demo data where there is no generator)."""
    url = env["DATABASE_URL"]
    name = urllib.parse.urlparse(url).path.lstrip("/")
    host = url.rsplit("/", 1)[0]
    exists = subprocess.run(
        ["psql", host + "/postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists:
        count = subprocess.run(
            ["psql", url, "-Atc", "SELECT count(*) FROM opds_region"],
            capture_output=True,
            text=True,
        )
        if count.returncode == 0 and int(count.stdout.strip() or 0) > 0:
            # Filled earlier, perhaps by older code: the schema of the code under test.
            manage(env, "migrate", "-v0")
            return
    else:
        subprocess.run(["psql", host + "/postgres", "-c", f'CREATE DATABASE "{name}"'], check=True)
    began = time.perf_counter()
    manage(env, "migrate", "-v0")
    commands = manage(env, "help", "--commands", capture=True).split()
    if "generate_national_data" in commands:
        manage(env, "generate_national_data", "--seed", "1", "--provinces", str(provinces))
    else:
        print(f"  {label}: no generate_national_data command; loading the demo data instead")
        manage(env, "load_demo")
    print(f"  {label}: database {name} filled in {time.perf_counter() - began:.0f} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, work: Path, scale: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = open(work / f"gunicorn-{scale}.log", "w")  # noqa: SIM115 (open while it runs)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "egov_portal.wsgi:application", "--workers", str(WORKERS)]
        + ["--bind", f"127.0.0.1:{port}", "--timeout", "300", "--access-logfile", "-"],
        cwd=BASE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn ({scale}) stopped; see {work}/gunicorn-{scale}.log")
        try:
            if Session(port).request("GET", "/healthz").status == 200:
                # Every worker has loaded (and warmed) the application before timing begins.
                time.sleep(1 + WORKERS)
                return server, port
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn ({scale}) did not answer within two minutes")


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    ms: float

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-query-count")
        return int(value) if value is not None else None

    def json(self):
        return json.loads(self.body)


@dataclass
class Session:
    """One client with its cookies (a browser's session), speaking plain HTTP/1.1."""

    port: int
    cookies: dict = field(default_factory=dict)

    def request(self, method, path, body=None, headers=None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body)
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            began = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            content = reply.read()
            ms = (time.perf_counter() - began) * 1000
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, content, ms)

    def csrf_headers(self, **extra) -> dict:
        return {"X-CSRFToken": self.cookies.get("csrftoken", ""), **extra}

    def login(self, username: str, password: str) -> Session:
        page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        reply = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.decode(), "username": username, "password": password},
        )
        if reply.status != 302:
            raise SystemExit(f"signing in as {username} failed ({reply.status})")
        return self


# --- Cases ------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    kind: str  # page | api | pdf | batch
    role: str  # anonymous | admin | reviewer | head
    run: object  # (session, scale state) -> Response
    rows: int | None = None  # the page size of a paginated list
    once: bool = False  # measured once per server (not in the rounds)


def get(path, **headers):
    return lambda session, state: session.request("GET", path.format(**state.info), None, headers)


def save_answer(via: str):
    """Save the reviewer's verified level of one answer, through the page (a form POST) or
    the API (PATCH with the version); levels alternate so that every save changes something,
    and the version is read again afterwards (untimed)."""

    def run(session, state):
        info = state.info
        levels = info["levels"]
        state.level = levels[1] if state.level == levels[0] else levels[0]
        answer_url = f"/api/v1/assessments/{info['assessment']}/answers/{info['indicator']}/"
        if via == "api":
            body = json.dumps(
                {"verified_level": state.level, "reason": REASON, "version": state.version}
            )
            headers = session.csrf_headers(**{"Content-Type": "application/json"})
            reply = session.request("PATCH", answer_url, body, headers)
        else:
            code = info["indicator"]
            form = {
                f"{code}-verified_level": state.level,
                f"{code}-reason": REASON,
                f"{code}-version": state.version,
                f"{code}-note": state.note,
            }
            path = f"/assessments/{info['assessment']}/answers/{code}/"
            reply = session.request(
                "POST", path, form, session.csrf_headers(**{"HX-Request": "true"})
            )
        state.refresh(session, answer_url)
        return reply

    return run


def region_pdf(cache: str):
    """The region report: rendered (its cached file removed first) or served from the cache."""

    def run(session, state):
        if cache == "cleared":
            for path in (state.media / "report-cache").glob("*.pdf"):
                path.unlink()
        return session.request(
            "GET", "/reports/regions/{region}/{report_year}.pdf".format(**state.info)
        )

    return run


DONE = {"done", "failed", "cancelled"}


def bundle(session, state):
    """The province's ZIP of every region's report: started, then polled until it is done
    (tasks run in the server's process without a broker); the whole wait is the time."""
    info = state.info
    began = time.perf_counter()
    start = session.request(
        "POST",
        f"/reports/provinces/{info['province']}/{info['year']}/bundle/",
        {"csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
    )
    queries = start.queries or 0
    status = None
    location = start.headers.get("location", "")
    while start.status == 302 and "/bundles/" in location and status not in DONE:
        reply = session.request(
            "GET", urllib.parse.urlparse(location).path, None, {"HX-Request": "true"}
        )
        queries += reply.queries or 0
        status = re.search(rb'data-status="(\w+)"', reply.body).group(1).decode()
        if status not in DONE:
            time.sleep(0.5)
    ok = start.status == 302 and status == "done"
    return Response(
        200 if ok else start.status,
        {"x-query-count": str(queries)},
        b"",
        (time.perf_counter() - began) * 1000,
    )


def cases() -> list[Case]:
    ranking_year = "?year={year}"
    lists = []
    for rows in (50, 500):
        for name, path in (
            ("assessments", "/api/v1/assessments/"),
            ("applications", "/api/v1/applications/"),
            ("regions", "/api/v1/regions/"),
            ("opds", "/api/v1/opds/"),
            ("rankings", "/api/v1/rankings/?year={year}&province={province}&"),
        ):
            joiner = "" if path.endswith("&") else "?"
            lists.append(
                Case(
                    f"API {name}, {rows} rows",
                    "api",
                    "admin",
                    get(f"{path}{joiner}page_size={rows}"),
                    rows,
                )
            )
    return [
        Case("healthz (floor)", "page", "anonymous", get("/healthz")),
        Case("login page", "page", "anonymous", get("/accounts/login/")),
        Case(
            "province ranking",
            "page",
            "admin",
            get("/reports/provinces/{province}/ranking/" + ranking_year),
        ),
        Case("national ranking", "page", "admin", get("/reports/ranking/" + ranking_year)),
        Case("region dashboard", "page", "head", get("/reports/regions/{region}/")),
        Case("assessment detail", "page", "reviewer", get("/assessments/{assessment}/")),
        Case("dimension page", "page", "reviewer", get("/assessments/{assessment}/{dimension}/")),
        Case(
            "answer list API", "api", "reviewer", get("/api/v1/assessments/{assessment}/answers/")
        ),
        Case("save answer (page)", "page", "reviewer", save_answer("page")),
        Case("save answer (API)", "api", "reviewer", save_answer("api")),
        Case(
            "application catalogue, search", "page", "admin", get("/applications/?q={search}"), 50
        ),
        Case(
            "application catalogue, filter",
            "page",
            "admin",
            get("/applications/?status=active"),
            50,
        ),
        *lists,
        Case("region PDF, first after start", "pdf", "head", region_pdf("cleared"), once=True),
        Case("region PDF, render", "pdf", "head", region_pdf("cleared")),
        Case("region PDF, cached", "pdf", "head", region_pdf("kept")),
        Case("province bundle", "batch", "admin", bundle, once=True),
    ]


@dataclass
class ScaleState:
    """What the cases of one scale share: the server's port, signed-in sessions, the data's
    objects and the answer being saved."""

    info: dict
    media: Path
    port: int
    sessions: dict = field(default_factory=dict)
    level: int | None = None
    version: int = 0
    note: str = ""

    def refresh(self, session, answer_url):
        answer = session.request("GET", answer_url).json()
        self.version, self.note = answer["version"], answer.get("note") or ""
        self.level = answer.get("verified_level") or self.level


def sign_in(state: ScaleState) -> None:
    users, password = state.info["users"], state.info["password"]
    state.sessions = {"anonymous": Session(state.port)}
    for role in ("admin", "reviewer", "head"):
        state.sessions[role] = Session(state.port).login(users[role], password)
    state.refresh(
        state.sessions["reviewer"],
        f"/api/v1/assessments/{state.info['assessment']}/answers/{state.info['indicator']}/",
    )


class References:
    """The in-process references (``bench/inprocess.py references``), one render at a time on
    request, so that they share the rounds' moments with the HTTP cases."""

    NAMES = {
        "weasyprint": ("WeasyPrint alone, region report HTML", "pdf"),
        "national_ranking": ("national ranking: template render alone", "page"),
        "province_ranking": ("province ranking: template render alone", "page"),
    }

    def __init__(self, env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [PYTHON, str(BENCH / "inprocess.py"), "references"],
            cwd=BASE,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
        )
        ready = self.reply()
        self.first_ms, self.available = ready["first_ms"], ready["available"]

    def reply(self) -> dict:
        for line in self.process.stdout:
            if line.startswith("{"):
                return json.loads(line)
        raise SystemExit(f"bench/inprocess.py references stopped; see {self.log}")

    def run(self, name: str) -> Response:
        self.process.stdin.write(name + "\n")
        self.process.stdin.flush()
        answer = self.reply()
        return Response(200, {"x-query-count": str(answer["queries"])}, b"", answer["ms"])

    def close(self):
        self.process.stdin.close()
        self.process.wait(30)


def measure(states: dict, case_list: list[Case], rounds: int, references: References) -> dict:
    """Every case at both scales, interleaved: a round sends each case once to each scale,
    then runs each in-process reference once. The first round is a warm-up and is not
    counted; a case measured ``once`` (the first PDF after the server started, the bundle) is
    timed once, first of its kind."""
    samples = {(case.name, scale): [] for case in case_list for scale in states}
    for case in [case for case in case_list if case.once and case.kind == "pdf"]:
        for scale, state in states.items():
            samples[case.name, scale].append(case.run(state.sessions[case.role], state))
    repeated = [case for case in case_list if not case.once]
    for round_number in range(rounds + 1):
        for case in repeated:
            for scale, state in states.items():
                reply = case.run(state.sessions[case.role], state)
                if round_number:
                    samples[case.name, scale].append(reply)
        for name in references.available:
            reply = references.run(name)
            if round_number:
                samples.setdefault((name, "reference"), []).append(reply)
        print(f"  round {round_number}/{rounds} done", flush=True)
    for case in [case for case in case_list if case.once and case.kind != "pdf"]:
        for scale, state in states.items():
            samples[case.name, scale].append(case.run(state.sessions[case.role], state))
    return samples


# --- Results ------------------------------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(name, kind, scale, replies, **extra) -> dict:
    """A row of the results: the median and p95 of the replies' times, their largest count of
    statements, and whether every reply succeeded."""
    times = [reply.ms for reply in replies] or [0]
    queries = [reply.queries for reply in replies if reply.queries is not None]
    if kind == "api" and replies and replies[-1].status == 200:
        # How many rows a list returned: a small province may have fewer than the page size.
        results = replies[-1].json()
        if isinstance(results, dict) and isinstance(results.get("results"), list):
            extra.setdefault("returned", len(results["results"]))
    return {
        "name": name,
        "kind": kind,
        "scale": scale,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": max(queries) if queries else None,
        "n": len(replies),
        "ok": bool(replies) and all(200 <= reply.status < 300 for reply in replies),
        "status": sorted({reply.status for reply in replies}),
        **extra,
    }


def result_rows(samples, case_list, references: References, rescoring: dict) -> list[dict]:
    rows = [
        summary(case.name, case.kind, scale, samples[case.name, scale], rows=case.rows)
        for case in case_list
        for scale in SCALES
    ]
    for key, (name, kind) in References.NAMES.items():
        rows.append(summary(name, kind, "reference", samples.get((key, "reference"), [])))
    first = Response(200, {"x-query-count": "0"}, b"", references.first_ms)
    rows.append(summary("WeasyPrint alone, first in a fresh process", "pdf", "reference", [first]))
    for scale in SCALES:
        data = rescoring[scale]
        for name, key in (
            ("rescoring every assessment", "results_for"),
            ("one aggregate query over all answers", "aggregate"),
        ):
            replies = [
                Response(200, {"x-query-count": str(data[key]["queries"])}, b"", ms)
                for ms in data[key]["timings"]
            ]
            rows.append(summary(name, "batch", scale, replies, assessments=data["assessments"]))
    return rows


def find(rows, name, scale):
    return next((r for r in rows if r["name"] == name and r["scale"] == scale), None)


def budget(row, text, ratio=None, limit=None, *, misses=()):
    """Record on ``row`` whether it keeps the budget ``text`` (``ratio`` at most ``limit``,
    no other ``misses``), and by how much it misses."""
    if row is None:
        return
    misses = [miss for miss in misses if miss]
    if ratio is not None and limit is not None and ratio > limit:
        misses.insert(0, f"{ratio:.2f}× against {limit}× ({ratio / limit:.1f}× the budget)")
    if not row["measured_ok"]:
        misses = [not_measured(row)]
    entry = {
        "budget": text,
        "limit": limit,
        "value": None if ratio is None else round(ratio, 2),
        "pass": not misses,
        "miss": "; ".join(misses),
    }
    row.setdefault("budgets", []).append(entry)
    # The row's budget and value: the first it misses, else the first it has.
    binding = next((b for b in row["budgets"] if not b["pass"]), row["budgets"][0])
    row["budget"], row["value"] = binding["budget"], binding["value"]
    row["ok"] = all(b["pass"] for b in row["budgets"])


def not_measured(row) -> str:
    statuses = ", ".join(map(str, row.get("status", [])))
    return f"not measured (HTTP {statuses})" if statuses else "not measured (no such page)"


def queries_over(row, limit):
    if row["queries"] is not None and row["queries"] > limit:
        return f"{row['queries']} queries against {limit}"
    return ""


def apply_budgets(rows: list[dict]) -> None:
    for row in rows:
        row["measured_ok"] = row["ok"]
    floors = {scale: find(rows, "healthz (floor)", scale)["median_ms"] for scale in SCALES}
    for row in rows:
        floor = floors.get(row["scale"]) or floors["national"]
        row["ratio_to_floor"] = round(row["median_ms"] / floor, 1) if floor else None
    # Growth: the same page (or list of the same size) at both scales; the national ranking
    # lists every region and the floor is the floor.
    for row in [r for r in rows if r["scale"] == "national" and r["kind"] in {"page", "api"}]:
        province = find(rows, row["name"], "province")
        if row["name"] in ("healthz (floor)", "national ranking") or province is None:
            continue
        same = row["queries"] == province["queries"]
        growth = row["median_ms"] / province["median_ms"] if province["median_ms"] else None
        label = "growth: ≤1.5× the province scale's time, the same queries (≤25)"
        # A page the province's data cannot fill (98 assessments, 15 regions for a page of
        # 500) is compared per row returned: the same page size is not there to compare.
        returned = row.get("returned"), province.get("returned")
        if all(returned) and returned[0] != returned[1] and growth is not None:
            growth = growth * returned[1] / returned[0]
            label = (
                f"growth per row returned ({returned[0]} at national scale, "
                f"{returned[1]} at province scale): ≤1.5×, the same queries (≤25)"
            )
        budget(
            row,
            label,
            growth,
            1.5,
            misses=[
                queries_over(row, 25),
                ""
                if same
                else f"{row['queries']} queries against {province['queries']} at province scale",
            ],
        )
    for row in rows:
        if row.get("rows") and row["rows"] <= 50 and row["scale"] != "reference":
            budget(row, "overhead: ≤10× floor", row["ratio_to_floor"], 10)
    weasy = find(rows, "WeasyPrint alone, region report HTML", "reference")
    for scale in SCALES:
        answers = find(rows, "answer list API", scale)
        budget(
            answers,
            "≤10× floor, ≤10 queries",
            answers["ratio_to_floor"],
            10,
            misses=[queries_over(answers, 10)],
        )
        detail = find(rows, "assessment detail", scale)
        budget(detail, "≤5× floor", detail["ratio_to_floor"], 5)
        for name in ("save answer (page)", "save answer (API)"):
            save = find(rows, name, scale)
            budget(
                save,
                "≤5× floor, ≤10 queries",
                save["ratio_to_floor"],
                5,
                misses=[queries_over(save, 10)],
            )
        for name in ("region PDF, render", "region PDF, first after start"):
            pdf = find(rows, name, scale)
            budget(pdf, "≤1.5× WeasyPrint alone", pdf["median_ms"] / weasy["median_ms"], 1.5)
    template = find(rows, "national ranking: template render alone", "reference")
    ranking = find(rows, "national ranking", "national")
    budget(
        ranking,
        "≤1.5× the bare template render",
        ranking["median_ms"] / template["median_ms"] if template["measured_ok"] else None,
        1.5,
        misses=[] if template["measured_ok"] else ["no bare template render to compare with"],
    )
    rescoring = {s: find(rows, "rescoring every assessment", s) for s in SCALES}
    for scale in SCALES:
        aggregate = find(rows, "one aggregate query over all answers", scale)
        budget(
            rescoring[scale],
            "≤20× the aggregate query",
            rescoring[scale]["median_ms"] / max(aggregate["median_ms"], 0.001),
            20,
        )
    national, province = rescoring["national"], rescoring["province"]
    budget(
        national,
        "the same statements at any size",
        misses=[queries_over(national, province["queries"])],
    )


def explanations() -> dict[str, str]:
    """Why each case misses its budget, by case name: the sections of ``bench/WHY.md``, each
    headed ``### <case name>``. Kept apart from the results, so that a new run keeps them."""
    sections, name = {}, None
    for line in (BENCH / "WHY.md").read_text().splitlines():
        if line.startswith("### "):
            name = line[4:].strip()
            sections[name] = []
        elif name is not None:
            sections[name].append(line)
    return {name: "\n".join(text).strip() for name, text in sections.items()}


def write_results(rows, meta, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    (out / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
    lines = [
        "# Benchmark results",
        "",
        f"- Date: {meta['date']} (run took {meta['run_seconds']:.0f} s)",
        f"- Machine: {meta['machine']}",
        f"- Server: gunicorn, {WORKERS} sync workers per scale, debug off, PostgreSQL; "
        f"{meta['rounds']} interleaved rounds (a warm-up round not counted); the PDF renderer "
        f"{'warmed' if meta['warm_at_start'] else 'not warmed'} at start",
    ]
    for scale in SCALES:
        sizes = ", ".join(f"{v:,} {k}" for k, v in meta["data"][scale]["sizes"].items())
        lines.append(f"- {scale.capitalize()} data ({meta['databases'][scale]}): {sizes}")
    lines += [
        "",
        "| case | kind | scale | median ms | p95 ms | queries | × floor | budget |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        verdict = " ".join(("✓" if b["pass"] else "✗ " + b["miss"]) for b in row.get("budgets", []))
        if not row.get("measured_ok", row["ok"]):
            verdict = not_measured(row)
        lines.append(
            f"| {row['name']} | {row['kind']} | {row['scale']} | {row['median_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {'' if row['queries'] is None else row['queries']} | "
            f"{'' if row.get('ratio_to_floor') is None else row['ratio_to_floor']} | {verdict} |"
        )
    lines += ["", "## Budgets", ""]
    misses = []
    for row in rows:
        for entry in row.get("budgets", []):
            mark = "pass" if entry["pass"] else f"MISS: {entry['miss']}"
            lines.append(f"- {row['name']} ({row['scale']}) — {entry['budget']}: {mark}")
            if not entry["pass"]:
                misses.append((row, entry))
    lines += ["", "## Why", ""]
    why = explanations()
    by_case, scales = {}, {}
    for row, entry in misses:
        by_case.setdefault(row["name"], []).append(f"{entry['miss']} ({row['scale']})")
        scales.setdefault(row["name"], []).append(row["scale"])
    for name, missed in by_case.items():
        lines += [f"### {name}", "", f"Missed: {'; '.join(missed)}.", ""]
        lines += [why.get(name, "Not explained yet."), ""]
        profiles = [
            f"[{scale}](profiles/{profile_file(name, scale)})"
            for scale in dict.fromkeys(scales[name])
            if (out / "profiles" / profile_file(name, scale)).exists()
        ]
        if profiles:
            label = "Profile" if len(profiles) == 1 else "Profiles"
            lines += [f"{label}: {', '.join(profiles)}.", ""]
    if not misses:
        lines.append("Every budget kept.")
    lines += load_section(out)
    (out / "RESULTS.md").write_text("\n".join(lines).rstrip() + "\n")


def load_section(out: Path) -> list[str]:
    """The load test's results (``bench/load.py --json bench/load.json``), when there are."""
    path = out / "load.json"
    if not path.exists():
        return []
    load = json.loads(path.read_text())
    kinds, check = load["kinds"], load["check"]
    requests = sum(row["requests"] for row in kinds.values())
    errors = sum(row["errors"] for row in kinds.values())
    conflicts = sum(row["conflicts"] for row in kinds.values())
    workers = load.get("gunicorn_workers")
    lines = [
        "",
        "## Load",
        "",
        f"`bench/load.py` ({load.get('date', 'date not recorded')}) on "
        f"{load.get('database') or 'the portal at ' + load['url']}: "
        f"{load['server'] if workers is None else f'gunicorn with {workers} sync workers'}, "
        f"{load['workers']} client threads for each of the six kinds of request, "
        f"{load['seconds']:.0f} s; {requests / load['seconds']:.1f} requests a second in all, "
        f"{errors} errors, {conflicts} conflicts (409, a real conflict: the save was tried "
        f"again with the current version)"
        + (
            f"; the machine's load average at the end: {load['load_average']:.1f}."
            if "load_average" in load
            else "."
        ),
        "",
        "| kind | requests | 2xx | 2xx/s | 409 conflicts | errors | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, row in kinds.items():
        lines.append(
            f"| {row.get('label', kind)} | {row['requests']} | {row['ok']} | "
            f"{row['ok_per_second']:.1f} | {row['conflicts']} | {row['errors']} | "
            f"{row['p50_ms']:.0f} | {row['p95_ms']:.0f} |"
        )
    differences = len(check["problems"])
    lines += [
        "",
        f"Consistency check: {check['saves']:,} acknowledged saves on {check['objects']} "
        f"objects read back, {differences} "
        f"{'difference' if differences == 1 else 'differences'}"
        f"{': every acknowledged save is in the database' if not differences else ''}.",
    ]
    lines += [f"- {problem}" for problem in check["problems"]]
    if load.get("first_pdf_ms"):
        lines.append(
            f"The region PDF's first request, before the clock started, took "
            f"{load['first_pdf_ms']:,.0f} ms."
        )
    if explanations().get("load test"):
        lines += ["", explanations()["load test"]]
    return lines


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = f"{platform.system()} {platform.release()}"
    python = f"Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} CPUs, {memory:.0f} GB, {system}, {python}"


def report_again(out: Path) -> None:
    """The budgets applied again to the rows of an earlier run (``results.json`` and
    ``meta.json``), and its RESULTS.md rewritten."""
    rows = json.loads((out / "results.json").read_text())
    meta = json.loads((out / "meta.json").read_text())
    for row in rows:
        row["ok"] = row.pop("measured_ok", row["ok"])
        for key in ("budgets", "budget", "value"):
            row.pop(key, None)
    apply_budgets(rows)
    write_results(rows, meta, out)
    return rows, meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national-db", default="bench_national", help="database name or URL")
    parser.add_argument("--province-db", default="bench_province", help="database name or URL")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--out", type=Path, default=BENCH, help="where the results are written")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, media)")
    parser.add_argument(
        "--cold", action="store_true", help="servers that do not warm the PDF renderer at start"
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="write RESULTS.md again from results.json, with the budgets and WHY.md as they are",
    )
    parser.add_argument(
        "--profiles",
        action="store_true",
        help="with --report: take the profiles of the cases results.json says miss again first",
    )
    options = parser.parse_args()
    if options.report:
        rows, meta = report_again(options.out)
        if options.profiles:
            work = Path(tempfile.mkdtemp(prefix="egov-bench-"))
            try:
                envs = {
                    scale: django_env(database_url(meta["databases"][scale]), work, scale)
                    for scale in SCALES
                }
                manage(envs["national"], "collectstatic", "--noinput", "-v0")
                print("Profiles")
                take_profiles(envs, rows, options.out)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            report_again(options.out)
        return
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="egov-bench-"))
    urls = {
        "national": database_url(options.national_db),
        "province": database_url(options.province_db),
    }
    envs = {scale: django_env(urls[scale], work, scale, warm=not options.cold) for scale in SCALES}
    servers = []
    try:
        print("Data")
        for scale, provinces in (("national", 38), ("province", 1)):
            ensure_data(envs[scale], provinces=provinces, label=scale)
        print("Static files")
        manage(envs["national"], "collectstatic", "--noinput", "-v0")
        infos = {scale: inprocess(envs[scale], "info") for scale in SCALES}
        print("Servers")
        states = {}
        for scale in SCALES:
            server, port = start_server(envs[scale], work, scale)
            servers.append(server)
            states[scale] = ScaleState(infos[scale], work / f"media-{scale}", port)
            sign_in(states[scale])
        print("In-process references: the first WeasyPrint render")
        references = References(envs["national"], work / "references.log")
        print(f"Measuring ({options.rounds} rounds)")
        case_list = cases()
        samples = measure(states, case_list, options.rounds, references)
        references.close()
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(30)
        servers = []
        print("Rescoring")
        rescoring = {scale: inprocess(envs[scale], "rescoring") for scale in SCALES}
        rows = result_rows(samples, case_list, references, rescoring)
        apply_budgets(rows)
        meta = {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "rounds": options.rounds,
            "workers": WORKERS,
            "warm_at_start": not options.cold,
            "databases": {s: urllib.parse.urlparse(u).path.lstrip("/") for s, u in urls.items()},
            "data": infos,
            "run_seconds": time.perf_counter() - began,
        }
        write_results(rows, meta, options.out)
        print("Profiles of the cases that miss a budget")
        take_profiles(envs, rows, options.out)
        write_results(rows, meta, options.out)  # with the links to the profiles
        print(
            f"Wrote results.json, meta.json, profiles/ and RESULTS.md in {options.out}; "
            f"{meta['run_seconds']:.0f} s in all"
        )
    finally:
        for server in servers:
            server.terminate()
            server.wait(30)
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"Kept {work}")


if __name__ == "__main__":
    main()

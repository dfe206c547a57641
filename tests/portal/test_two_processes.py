"""The portal as several machines run it: two gunicorn processes on one database, one Redis
(cache and broker), one media folder and one Celery worker, driven over HTTP with nothing but
the standard library. What one process did, the other sees: the sign-in, the report cache, the
province bundle, the sign-in lockout and the API's rate limit.

The processes run the deployment's settings with debug off; only static files come from the
finders, as in the test settings, so that no collectstatic is needed. Their database is a
scratch one of the suite's kind (a SQLite file, or a PostgreSQL database beside the suite's),
migrated and filled with the demo data in the subprocesses, since the suite's own test
database is invisible to them.
"""

import contextlib
import hashlib
import http.cookiejar
import io
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

REDIS = ("127.0.0.1", 6379)
CACHE_URL = "redis://127.0.0.1:6379/11"
BROKER_URL = "redis://127.0.0.1:6379/12"
# Anonymous API requests allowed per minute, for the whole portal; failed sign-ins that lock.
ANON_RATE = 4
FAILURE_LIMIT = 3
PASSWORD = "two-processes-12345"
SETTINGS_SHIM = """\
from egov_portal.settings import *

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
"""


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def scratch_database(tmp_path):
    """A database URL both processes share, dropped afterwards: PostgreSQL beside the suite's
    database when the suite runs on it, else a SQLite file."""
    suite = settings.DATABASES["default"]
    if suite["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        return
    import psycopg2

    name = f"{suite['NAME']}_two_processes"[:63]
    server = {
        "host": suite.get("HOST") or "127.0.0.1",
        "port": suite.get("PORT") or 5432,
        "user": suite.get("USER") or "postgres",
        "password": suite.get("PASSWORD") or None,
    }

    def execute(statement):
        connection = psycopg2.connect(dbname="postgres", **server)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    execute(f'CREATE DATABASE "{name}"')
    credentials = server["user"] + (f":{server['password']}" if server["password"] else "")
    try:
        yield f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    finally:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Processes:
    """The processes a test starts, each with its log, all stopped however the test ends."""

    def __init__(self, folder: Path, env: dict):
        self.folder, self.env, self.running = folder, env, []

    def run(self, *args, timeout=180):
        result = subprocess.run(
            [sys.executable, *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self, name, *args):
        log = self.folder / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.running.append((name, process, log))
        return process, log

    def stop(self):
        for _name, process, _log in self.running:
            if process.poll() is None:
                process.terminate()
        for _name, process, _log in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(
            f"== {name} log\n{log.read_text(errors='replace')}" for name, _p, log in self.running
        )


def wait_for(condition, *, timeout, message, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            pytest.fail(f"{message}: the process exited with {process.returncode}")
        time.sleep(0.5)
    pytest.fail(f"{message} after {timeout} s")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class Browser:
    """One person's cookies, sent to whichever process a request goes to (cookies belong to
    the host name, not the port, as behind one load balancer)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect(),
        )

    def request(self, url, data=None, headers=None):
        """(status, headers, body) of one request; redirects are not followed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Django checks the Referer of a POST against the host (CSRF).
        request = urllib.request.Request(
            url, data=body, headers={"Referer": url, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf_token(self, url) -> str:
        status, _headers, page = self.request(url)
        assert status == 200, f"{url} answered {status}"
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, f"no CSRF token on {url}"
        return match.group(1).decode()

    def log_in(self, base, username, password):
        token = self.csrf_token(f"{base}/accounts/login/")
        return self.request(
            f"{base}/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def portal(tmp_path):
    """Two portal processes (``a``, ``b``) and a Celery worker sharing one database, one Redis
    and one media folder; yields their base URLs and the media folder."""
    if not redis_answers():
        message = "Redis does not answer on 127.0.0.1:6379"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import redis

    for url in (CACHE_URL, BROKER_URL):
        redis.Redis.from_url(url).flushdb()
    (tmp_path / "nodes_settings.py").write_text(SETTINGS_SHIM)
    media = tmp_path / "media"
    with scratch_database(tmp_path) as database_url:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "API_", "LOGIN_", "DEMO_"))
        }
        env.update(
            PYTHONPATH=os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
            DJANGO_SETTINGS_MODULE="nodes_settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=database_url,
            DJANGO_MEDIA_ROOT=str(media),
            DJANGO_CACHE_URL=CACHE_URL,
            CELERY_BROKER_URL=BROKER_URL,
            API_THROTTLE_ANON=f"{ANON_RATE}/minute",
            LOGIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
            DEMO_PASSWORD=PASSWORD,
            DJANGO_LOG_LEVEL="WARNING",
        )
        processes = Processes(tmp_path, env)
        try:
            processes.run("manage.py", "migrate", "--noinput", "-v0")
            processes.run("manage.py", "load_demo")
            worker, worker_log = processes.start(
                "worker",
                "celery", "-A", "egov_portal", "worker", "--pool=solo", "--loglevel=info",
                f"--hostname=two-processes-{os.getpid()}@%h",
            )  # fmt: skip
            urls = {}
            for name in ("a", "b"):
                port = free_port()
                server, _log = processes.start(
                    name,
                    "gunicorn", "egov_portal.wsgi", "--bind", f"127.0.0.1:{port}",
                    "--workers", "1", "--timeout", "90", "--no-control-socket",
                )  # fmt: skip
                urls[name] = f"http://127.0.0.1:{port}"
                wait_for(
                    lambda url=urls[name]: answers(f"{url}/healthz"),
                    timeout=60,
                    message=f"portal {name} does not answer",
                    process=server,
                )
            wait_for(
                lambda: b" ready." in worker_log.read_bytes(),
                timeout=60,
                message="the Celery worker is not ready",
                process=worker,
            )
            yield {**urls, "media": media, "worker_log": worker_log}
        finally:
            processes.stop()
            print(processes.logs())
            for url in (CACHE_URL, BROKER_URL):
                redis.Redis.from_url(url).flushdb()


def test_two_portal_processes_share_sign_in_reports_bundles_and_limits(portal):
    a, b = portal["a"], portal["b"]
    reviewer = Browser()

    # Signed in on A, the same session cookie is signed in on B.
    status, headers, _ = reviewer.log_in(a, "reviewer", PASSWORD)
    assert status == 302 and "/accounts/login/" not in headers["Location"]
    status, headers, _ = reviewer.request(f"{b}/reports/regions/62.10/")
    assert status == 200, f"B answered {status} {headers.get('Location')}"
    assert Browser().request(f"{b}/reports/regions/62.10/")[0] == 302  # not for anyone

    # A renders the region report once and keeps it; B serves the kept file, not a new one.
    status, headers, first = reviewer.request(f"{a}/reports/regions/62.10/2019.pdf")
    assert status == 200 and first.startswith(b"%PDF")
    code = headers["X-Verification-Code"]
    cache = portal["media"] / "report-cache"
    kept = {path: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert len(kept) == 1 and code in next(iter(kept)).name
    status, headers, second = reviewer.request(f"{b}/reports/regions/62.10/2019.pdf")
    assert status == 200 and headers["X-Verification-Code"] == code
    assert hashlib.sha256(second).digest() == hashlib.sha256(first).digest()
    assert {path: path.stat().st_mtime_ns for path in cache.iterdir()} == kept

    # A bundle started on A is built by the worker and downloads the same from A and B.
    ranking = "/reports/provinces/62/ranking/?year=2019"
    status, headers, _ = reviewer.request(
        f"{a}/reports/provinces/62/2019/bundle/",
        {"csrfmiddlewaretoken": reviewer.csrf_token(f"{a}{ranking}")},
    )
    assert status == 302, status
    job = urllib.parse.urlsplit(headers["Location"]).path
    assert re.fullmatch(r"/reports/bundles/\d+/", job), job

    def built():
        status, _headers, page = reviewer.request(f"{b}{job}", headers={"HX-Request": "true"})
        assert status == 200
        match = re.search(rb'data-status="(\w+)"', page)
        assert match and match.group(1) not in (b"failed", b"cancelled"), page[:500]
        return match.group(1) == b"done"

    wait_for(built, timeout=180, message="the bundle is not done")
    zips = [reviewer.request(f"{base}{job}download/") for base in (a, b)]
    assert [status for status, _h, _z in zips] == [200, 200]
    assert zips[0][2] == zips[1][2]
    names = zipfile.ZipFile(io.BytesIO(zips[0][2])).namelist()
    assert len(names) == 7 and all(name.endswith(".pdf") for name in names)
    worker_log = portal["worker_log"].read_bytes()
    assert re.search(rb"Task reports\.tasks\.build_bundle\[.*\] succeeded in .*: 7", worker_log)

    # Failed sign-ins count together: A and B between them lock the account.
    stranger = Browser()
    for attempt in range(FAILURE_LIMIT):
        stranger.log_in((a, b)[attempt % 2], "opd.dukcapil", "wrong-password")
    status, _headers, _ = stranger.log_in(b, "opd.dukcapil", PASSWORD)
    assert status == 429

    # The API's rate limit is one count in Redis, not one per process.
    statuses = [
        Browser().request(f"{(a, b)[number % 2]}/api/v1/verify/?code=R62.10-2019-r1-00000000")[0]
        for number in range(ANON_RATE + 1)
    ]
    assert 429 not in statuses[:ANON_RATE] and statuses[ANON_RATE] == 429, statuses

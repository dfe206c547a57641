"""Walk the province bundle through a running portal as a reviewer would, with nothing but
the standard library: log in, start the bundle, wait for the worker, download the ZIP.

    python3 .ci/bundle_client.py http://127.0.0.1:8000 [--timeout 180]

Exits 0 when the ZIP holds one PDF per region of the demo province; prints what went wrong
and exits 1 otherwise.
"""

import argparse
import http.cookiejar
import io
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

USERNAME = "reviewer"
PASSWORD = "demo12345"
PROVINCE = "62"
YEAR = 2019
EXPECTED_REPORTS = 7
FINISHED = {"done", "failed", "cancelled"}


class CheckFailed(Exception):
    pass


class Client:
    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path: str, data: dict | None = None, headers: dict | None = None):
        url = self.base_url + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Django checks the Referer of a POST against the host (CSRF).
        request = urllib.request.Request(
            url, data=body, headers={"Referer": url, **(headers or {})}
        )
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            raise CheckFailed(
                f"{'POST' if body else 'GET'} {path} answered {error.code}"
            ) from error
        return response, response.read()

    def csrf_token(self, html: bytes) -> str:
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise CheckFailed("no CSRF token in the form")
        return match.group(1).decode()


def run(base_url: str, timeout: float) -> None:
    client = Client(base_url)
    _, login_page = client.open("/accounts/login/")
    response, _ = client.open(
        "/accounts/login/",
        {
            "username": USERNAME,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.csrf_token(login_page),
        },
    )
    if "/accounts/login/" in response.url:
        raise CheckFailed(f"logging in as {USERNAME} failed")
    print(f"logged in as {USERNAME}")

    ranking = f"/reports/provinces/{PROVINCE}/ranking/?year={YEAR}"
    _, ranking_page = client.open(ranking)
    response, _ = client.open(
        f"/reports/provinces/{PROVINCE}/{YEAR}/bundle/",
        {"csrfmiddlewaretoken": client.csrf_token(ranking_page)},
    )
    job_path = urllib.parse.urlsplit(response.url).path
    if not re.fullmatch(r"/reports/bundles/\d+/", job_path):
        raise CheckFailed(f"starting the bundle led to {response.url}, not to a job page")
    print(f"bundle started: {job_path}")

    started = time.monotonic()
    status = None
    while time.monotonic() - started < timeout:
        _, page = client.open(job_path, headers={"HX-Request": "true"})
        match = re.search(rb'data-status="(\w+)"', page)
        if not match:
            raise CheckFailed("the job page shows no status")
        if match.group(1).decode() != status:
            status = match.group(1).decode()
            print(f"{time.monotonic() - started:5.1f}s  {status}")
        if status in FINISHED:
            break
        time.sleep(2)
    if status != "done":
        raise CheckFailed(f"the bundle is {status} after {time.monotonic() - started:.0f}s")

    response, data = client.open(job_path + "download/")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise CheckFailed("the download is not a ZIP file") from error
    names = archive.namelist()
    pdfs = [name for name in names if name.endswith(".pdf")]
    if len(pdfs) != EXPECTED_REPORTS or len(names) != EXPECTED_REPORTS:
        raise CheckFailed(f"the ZIP holds {names}, not {EXPECTED_REPORTS} PDFs")
    not_pdf = [name for name in pdfs if not archive.read(name).startswith(b"%PDF")]
    if not_pdf:
        raise CheckFailed(f"not PDF documents: {not_pdf}")
    print(f"ZIP of {len(data):,} bytes holds {len(pdfs)} PDFs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for the job")
    args = parser.parse_args()
    try:
        run(args.base_url, args.timeout)
    except (CheckFailed, OSError) as error:
        print(f"bundle check failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The Content-Security-Policy, and pages that need nothing inline to keep working under it."""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import Assessment
from egov_portal.middleware import ContentSecurityPolicyMiddleware
from egov_portal.templatetags.portal_tags import width_class
from masterplan.models import MasterPlan
from opds.models import Application

PORTAL_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class InlineCode(HTMLParser):
    """Everything in a page that a policy without 'unsafe-inline' refuses."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
        if (attributes.get("href") or "").strip().lower().startswith("javascript:"):
            self.found.append(f"<{tag} href={attributes['href']!r}>")
        # A data block (type="application/json") never runs, so no policy concerns it.
        runs = (attributes.get("type") or "").lower() in {"", "text/javascript", "module"}
        if tag == "script" and runs and not attributes.get("src"):
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO())


def demo_pages():
    """(user, URL) of a representative page of each kind; no user is a visitor."""
    final = Assessment.objects.get(region__code="62.10", year=2019)
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    plan = MasterPlan.objects.filter(region__code="62.10").latest("start_year")
    application = Application.objects.filter(opd__short_name="Diskominfo,SP").first()
    return [
        (None, reverse("login")),
        (None, "/tidak-ada/"),
        (None, reverse("reports:verify")),
        ("admin", reverse("opds:home")),
        ("admin", reverse("opds:history_log")),
        ("reviewer", reverse("opds:home")),
        ("reviewer", reverse("reports:province_ranking", kwargs={"code": "62"})),
        ("reviewer", reverse("assessments:assessment_detail", kwargs={"pk": final.pk})),
        ("reviewer", reverse("assessments:assessment_list")),
        ("kadis.gumas", reverse("opds:home")),
        ("kadis.gumas", reverse("reports:region_dashboard", kwargs={"code": "62.10"})),
        ("kadis.gumas", reverse("assessments:assessment_detail", kwargs={"pk": draft.pk})),
        (
            "kadis.gumas",
            reverse(
                "assessments:assessment_dimension", kwargs={"pk": draft.pk, "dimension": "policy"}
            ),
        ),
        (
            "kadis.gumas",
            reverse(
                "assessments:answer_history", kwargs={"pk": draft.pk, "indicator": "policy-01"}
            ),
        ),
        ("kadis.gumas", reverse("masterplan:masterplan_list")),
        ("kadis.gumas", reverse("masterplan:masterplan_detail", kwargs={"pk": plan.pk})),
        ("opd.kominfo", reverse("opds:home")),
        ("opd.kominfo", reverse("opds:application_list")),
        ("opd.kominfo", reverse("opds:application_detail", kwargs={"pk": application.pk})),
        ("opd.kominfo", reverse("opds:application_update", kwargs={"pk": application.pk})),
        ("opd.kominfo", reverse("opds:application_create")),
        ("opd.kominfo", reverse("opds:opd_list")),
    ]


def test_the_portals_pages_carry_the_policy_and_nothing_inline(client, demo):
    problems = []
    for username, url in demo_pages():
        client.logout()
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        response = client.get(url)
        expected_status = 404 if url == "/tidak-ada/" else 200
        if response.status_code != expected_status:
            problems.append(f"{username} {url}: status {response.status_code}")
            continue
        if response.headers.get("Content-Security-Policy") != PORTAL_POLICY:
            problems.append(
                f"{username} {url}: policy {response.headers.get('Content-Security-Policy')}"
            )
        problems += [
            f"{username} {url}: {found}" for found in inline_code(response.content.decode())
        ]
    assert problems == []


def test_the_pages_checked_hold_indicator_cards_bars_and_charts(client, demo):
    """The page test above covers the parts that used to be written inline."""
    client.force_login(get_user_model().objects.get(username="kadis.gumas"))
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    dimension = client.get(
        reverse("assessments:assessment_dimension", kwargs={"pk": draft.pk, "dimension": "policy"})
    ).content.decode()
    assert 'class="card indicator-card' in dimension
    assert re.search(r'class="progress-bar width-pct-\d+', dimension)
    dashboard = client.get(reverse("reports:region_dashboard", kwargs={"code": "62.10"}))
    assert (
        dashboard.content.decode().count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
        >= 2
    )
    assert "data-submit-on-change" in dashboard.content.decode()


def test_no_template_of_a_page_writes_code_or_style_inline():
    """Every template a browser gets, partials too (an edit row, a bundle's progress).

    The PDF templates are left out: WeasyPrint reads them, no browser does.
    """
    pattern = re.compile(
        r"""\s(style|on[a-z]+)\s*=|<script(?![^>]*\bsrc=)[^>]*>|<style\b|javascript:"""
    )
    offenders = []
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        if "reports/pdf" in path.as_posix():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_api_answers_with_the_policy(client, demo):
    client.force_login(get_user_model().objects.get(username="reviewer"))
    response = client.get("/api/v1/regions/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == PORTAL_POLICY


def test_library_pages_may_style_inline_but_never_script_inline(client, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    library_policy = PORTAL_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors 'none'; style-src 'self' 'unsafe-inline'"
    )
    for url in (
        reverse("admin:index"),
        reverse("admin:opds_region_changelist"),
        reverse("api_docs"),
        reverse("api_docs") + "?script=",
        "/api/v1/regions/",  # the browsable API, as a browser asks for it
    ):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert response.headers["Content-Security-Policy"] == library_policy, url
        if not url.endswith("?script="):
            assert "<script> without src" not in inline_code(response.content.decode()), url


def middleware_response(response):
    middleware = ContentSecurityPolicyMiddleware(lambda request: response)
    return middleware(RequestFactory().get("/"))


def test_a_pdf_forbids_framing_and_leaves_the_browsers_viewer_alone():
    pdf = middleware_response(HttpResponse(b"%PDF-1.7", content_type="application/pdf"))
    assert pdf.headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_a_policy_a_view_set_itself_is_kept():
    own = HttpResponse()
    own.headers["Content-Security-Policy"] = "default-src 'none'"
    assert middleware_response(own).headers["Content-Security-Policy"] == "default-src 'none'"


def test_django_debug_error_pages_stay_readable_in_debug_only(settings):
    settings.DEBUG = True
    assert "Content-Security-Policy" not in middleware_response(HttpResponse(status=500)).headers
    assert "Content-Security-Policy" in middleware_response(HttpResponse()).headers
    settings.DEBUG = False
    assert "Content-Security-Policy" in middleware_response(HttpResponse(status=500)).headers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "width-pct-0"),
        (0, "width-pct-0"),
        (62.5, "width-pct-63"),
        ("37.4", "width-pct-37"),
        (100, "width-pct-100"),
        (140, "width-pct-100"),
        (-5, "width-pct-0"),
    ],
)
def test_a_bar_width_is_a_whole_per_cent_between_0_and_100(value, expected):
    assert width_class(value) == expected


def test_every_bar_width_class_exists_in_the_stylesheet():
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    for percent in range(101):
        assert f".width-pct-{percent} {{ width: {percent}%; }}" in css

"""The permission matrix: every URL of the portal and of its API, for every role (anonymous and
a user without a role included), on an object inside the user's scope and on one outside it,
for reading and for writing.

Each entry gives the expected outcome per role in the order of ``ROLES``:
``ok`` (the request passed access: 2xx or 3xx), ``login`` (sent to the login page), or the
status code of the refusal or of the request's own problem (``400``, ``401``, ``403``,
``404``, ``405``, ``409``). Inside is Gunung Mas (the head's and the OPD operator's region, in
the reviewer's province); outside is a regency of another province, which only an admin sees.
Where a 400 for empty data would hide who may write, an entry sends valid data (``data``), so
that each role meets its own outcome. A URL pattern without a name or an entry fails
``test_every_url_has_an_entry``.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, combinations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from assessments import clarifications, workflow
from assessments.models import Answer, Cycle, Indicator
from egov_portal.models import Notification
from opds.models import Membership, Region
from reports.models import BundleJob
from tests.assessments.factories import make_assessment
from tests.masterplan.factories import (
    MasterPlanFactory,
    ProgrammeFactory,
    TargetFactory,
    pegi_framework,
)
from tests.opds.factories import (
    TEST_PASSWORD,
    ApplicationFactory,
    OPDFactory,
    ProvinceFactory,
    RegencyFactory,
    UserFactory,
    user_with_role,
)

ROLES = ("anonymous", "no_role", "admin", "reviewer", "head", "opd_staff")


@dataclass
class Entry:
    """How to address a URL and what each role gets, reading and writing."""

    kwargs: object = None  # a function (world, scope) → kwargs, or None
    read: str | None = None  # outcomes inside, one per role; None: no GET
    write: str | None = None  # outcomes inside for ``write_method``; None: nothing to write
    read_outside: str | None = None  # default: 404 for every role that reads inside
    write_outside: str | None = None
    write_method: str = "post"
    # What a write sends: a dict, or a function (world, scope, user) → dict, called afresh for
    # each request (an upload is read once).
    data: object = field(default_factory=dict)
    query: str = ""
    scoped: bool = True  # whether the kwargs name an object inside or outside a scope


def pk_of(name):
    return lambda world, scope: {"pk": world[scope][name].pk}


def code_of(name):
    return lambda world, scope: {"code": world[scope][name].code}


def region_year(name):
    return lambda world, scope: {"code": world[scope][name].code, "year": 2019}


def answer_of(world, scope):
    return {"pk": world[scope]["assessment"].pk, "indicator": world[scope]["indicator"].code}


def api_answer_of(world, scope):
    return {
        "assessment_pk": world[scope]["assessment"].pk,
        "indicator": world[scope]["indicator"].code,
    }


def open_thread_of(world, scope):
    """The answer's address, with an open clarification thread on it."""
    clarifications.ask(
        world[scope]["assessment"],
        world[scope]["indicator"],
        user=world["users"]["admin"],
        text="Mohon unggah SK.",
    )
    return answer_of(world, scope)


def api_open_thread_of(world, scope):
    open_thread_of(world, scope)
    return api_answer_of(world, scope)


def dimension_of(world, scope):
    return {
        "pk": world[scope]["assessment"].pk,
        "dimension": world[scope]["indicator"].dimension.code,
    }


def programme_of(world, scope):
    return {"plan_pk": world[scope]["plan"].pk, "pk": world[scope]["programme"].pk}


# Valid writes, so that each role meets its own refusal (or success), not a form's.
def new_application(world, scope, user):
    return {"opd": world[scope]["opd"].pk, "name": "Sistem Informasi Kepegawaian"}


def new_assessment(world, scope, user):
    # The world's assessments are of 2019.
    return {"region": world[scope]["region"].code, "year": 2020, "framework": "pegi"}


def level_change(world, scope):
    """A self level the answer does not have yet, with the answer's current version."""
    assessment, indicator = world[scope]["assessment"], world[scope]["indicator"]
    answer = Answer.objects.get(assessment=assessment, indicator=indicator)
    level = max(assessment.framework.levels)
    assert answer.self_level != level
    return {"self_level": level, "version": answer.version}


def api_level_change(world, scope, user):
    return level_change(world, scope)


def form_level_change(world, scope, user):
    code = world[scope]["indicator"].code
    return {f"{code}-{name}": value for name, value in level_change(world, scope).items()}


def new_evidence(world, scope, user):
    code = world[scope]["indicator"].code
    return {
        f"ev-{code}-title": "SK Tim",
        f"ev-{code}-file": SimpleUploadedFile("sk.png", png(), content_type="image/png"),
    }


def own_credentials(world, scope, user):
    """The user's own name and password; anonymous has none, and tries a name no one has."""
    if user is None:
        return {"username": "tidak.ada", "password": TEST_PASSWORD}
    return {"username": user.username, "password": TEST_PASSWORD}


# anonymous, no_role, admin, reviewer, head, opd_staff
MATRIX: dict[str, Entry] = {
    # Open to everyone.
    "healthz": Entry(read="ok ok ok ok ok ok"),
    "login": Entry(read="ok ok ok ok ok ok"),
    "assessments:band_styles": Entry(read="ok ok ok ok ok ok"),
    # Signing out sends everyone to the login page.
    "logout": Entry(read=None, write="login login login login login login"),
    "set_language": Entry(write="ok ok ok ok ok ok", data={"language": "en"}),
    # A code that is not shaped like one, and a POST without a file: refused, to everyone alike.
    "reports:verify": Entry(
        read="400 400 400 400 400 400",
        write="400 400 400 400 400 400",
        query="?code=R62.10-2019-x",
    ),
    # Anyone with a name and password gets a token (anonymous tries a name no one has).
    "api_token": Entry(
        read="405 405 405 405 405 405",
        write="400 ok ok ok ok ok",
        data=own_credentials,
        scoped=False,
    ),
    # Only a token signs a token out; the matrix's clients sign in with a session.
    "api_logout": Entry(read="401 401 401 401 401 401", write="401 401 401 401 401 401"),
    "verify": Entry(read="400 400 400 400 400 400", write="400 400 400 400 400 400"),
    "api_schema": Entry(read="ok ok ok ok ok ok"),
    "api_docs": Entry(read="ok ok ok ok ok ok"),
    # The inventory and the places it lives in.
    "opds:home": Entry(read="login ok ok ok ok ok"),
    "opds:region_list": Entry(read="login ok ok ok ok ok"),
    "opds:region_detail": Entry(
        kwargs=code_of("region"),
        read="login 404 ok ok ok ok",
        read_outside="login 404 ok 404 404 404",
    ),
    "opds:opd_list": Entry(read="login ok ok ok ok ok"),
    "opds:history_log": Entry(read="login 404 ok 404 404 404"),
    "opds:application_list": Entry(read="login ok ok ok ok ok"),
    "opds:application_create": Entry(
        read="login 403 ok 403 403 ok", write="login 403 ok 403 403 ok"
    ),
    "opds:application_export": Entry(
        kwargs=lambda world, scope: {"file_format": "csv"},
        read="login ok ok ok ok ok",
        scoped=False,
    ),
    "opds:application_import": Entry(
        read="login 403 ok 403 403 ok", write="login 403 ok 403 403 ok"
    ),
    "opds:application_import_template": Entry(
        kwargs=lambda world, scope: {"file_format": "xlsx"},
        read="login 403 ok 403 403 ok",
        scoped=False,
    ),
    "opds:application_import_preview": Entry(
        kwargs=lambda world, scope: {"token": "none"},
        read="login 403 ok 403 403 ok",
        write="login 403 ok 403 403 ok",
        scoped=False,
    ),
    "opds:application_detail": Entry(
        kwargs=pk_of("application"),
        read="login 404 ok ok ok ok",
        read_outside="login 404 ok 404 404 404",
    ),
    "opds:application_update": Entry(
        kwargs=pk_of("application"),
        read="login 404 ok 403 403 ok",
        write="login 404 ok 403 403 ok",
        read_outside="login 404 ok 404 404 404",
        write_outside="login 404 ok 404 404 404",
    ),
    "opds:application_retire": Entry(
        kwargs=pk_of("application"),
        read="login 405 405 405 405 405",
        write="login 404 ok 403 403 ok",
        read_outside="login 405 405 405 405 405",
        write_outside="login 404 ok 404 404 404",
    ),
    # Assessments.
    "assessments:assessment_list": Entry(read="login 403 ok ok ok 403"),
    "assessments:assessment_create": Entry(
        read="login 403 ok ok ok 403", write="login 403 ok ok ok 403"
    ),
    "assessments:assessment_detail": Entry(
        kwargs=pk_of("assessment"), read="login 404 ok ok ok 404"
    ),
    "assessments:assessment_history": Entry(
        kwargs=pk_of("assessment"), read="login 404 ok ok ok 404"
    ),
    "assessments:assessment_dimension": Entry(kwargs=dimension_of, read="login 404 ok ok ok 404"),
    # Confirming the levels carried from an earlier year is the region's (and an admin's).
    "assessments:assessment_dimension_confirm": Entry(
        kwargs=dimension_of,
        read="login 405 405 405 405 405",
        write="login 404 ok 403 ok 404",
        read_outside="login 405 405 405 405 405",
    ),
    "assessments:assessment_transition": Entry(
        kwargs=pk_of("assessment"),
        read="login 405 405 405 405 405",
        write="login 404 ok 403 ok 404",
        read_outside="login 405 405 405 405 405",
        data={"to": "submitted"},
    ),
    # The world's assessments are drafts: the confirmation of making them final is 409.
    "assessments:assessment_finalise": Entry(
        kwargs=pk_of("assessment"), read="login 404 409 409 403 404"
    ),
    # The form takes only the fields the user may change: a reviewer's self level is not
    # among them, and a reviewer's save of the rest passes.
    "assessments:answer_update": Entry(
        kwargs=answer_of,
        read="login 405 405 405 405 405",
        write="login 404 ok ok ok 404",
        read_outside="login 405 405 405 405 405",
        data=form_level_change,
    ),
    "assessments:answer_history": Entry(kwargs=answer_of, read="login 404 ok ok ok 404"),
    "assessments:evidence_create": Entry(
        kwargs=answer_of,
        read="login 405 405 405 405 405",
        write="login 404 ok ok ok 404",
        read_outside="login 405 405 405 405 405",
        data=new_evidence,
    ),
    "assessments:evidence_download": Entry(kwargs=pk_of("evidence"), read="login 404 ok ok ok 404"),
    "assessments:evidence_delete": Entry(
        kwargs=pk_of("evidence"),
        read="login 405 405 405 405 405",
        write="login 404 ok ok ok 404",
        read_outside="login 405 405 405 405 405",
    ),
    # The head answers a question but does not open one (403).
    "assessments:clarification_create": Entry(
        kwargs=answer_of,
        read="login 405 405 405 405 405",
        write="login 404 ok ok 403 404",
        read_outside="login 405 405 405 405 405",
        data={"text": "Mohon unggah SK."},
    ),
    "assessments:clarification_close": Entry(
        kwargs=open_thread_of,
        read="login 405 405 405 405 405",
        write="login 404 ok ok ok 404",
        read_outside="login 405 405 405 405 405",
    ),
    # Evaluation cycles: every role reads its province's; its reviewers and admins set them.
    "assessments:cycle_list": Entry(read="login 403 ok ok ok ok"),
    "assessments:cycle_create": Entry(
        read="login 403 ok ok 403 403", write="login 403 400 400 403 403"
    ),
    "assessments:cycle_update": Entry(
        kwargs=pk_of("cycle"), read="login 404 ok ok 403 403", write="login 404 400 400 403 403"
    ),
    "assessments:extension_create": Entry(
        kwargs=pk_of("cycle"), read="login 404 ok ok 403 403", write="login 404 400 400 403 403"
    ),
    # Master plans.
    "masterplan:masterplan_list": Entry(read="login 403 ok ok ok 403"),
    "masterplan:masterplan_detail": Entry(kwargs=pk_of("plan"), read="login 404 ok ok ok 404"),
    "masterplan:masterplan_edit": Entry(
        kwargs=pk_of("plan"), read="login 404 ok 403 ok 404", write="login 404 400 403 400 404"
    ),
    "masterplan:masterplan_transition": Entry(
        kwargs=pk_of("plan"),
        read="login 405 405 405 405 405",
        write="login 404 ok 403 ok 404",
        read_outside="login 405 405 405 405 405",
        data={"status": "reviewed"},
    ),
    "masterplan:masterplan_review": Entry(kwargs=pk_of("plan"), read="login 404 ok ok ok 404"),
    "masterplan:masterplan_redraft": Entry(
        kwargs=pk_of("plan"),
        read="login 405 405 405 405 405",
        write="login 404 400 403 400 404",
        read_outside="login 405 405 405 405 405",
    ),
    "masterplan:programme_detail": Entry(kwargs=programme_of, read="login 404 ok ok ok 404"),
    "masterplan:programme_create": Entry(
        kwargs=pk_of("plan"), read="login 404 ok 403 ok 404", write="login 404 400 403 400 404"
    ),
    "masterplan:target_create": Entry(
        kwargs=programme_of, read="login 404 ok 403 ok 404", write="login 404 400 403 400 404"
    ),
    "masterplan:target_update": Entry(
        kwargs=pk_of("target"),
        read="login 405 405 405 405 405",
        write="login 404 ok 403 ok 404",
        read_outside="login 405 405 405 405 405",
    ),
    # Reports.
    "reports:province_ranking": Entry(kwargs=code_of("province"), read="login 404 ok ok 404 404"),
    # Every province the user may rank: a reviewer's own, an administrator's all.
    "reports:national_ranking": Entry(read="login 404 ok ok 404 404", scoped=False),
    "reports:province_report": Entry(
        kwargs=region_year("province"), read="login 404 ok ok 404 404"
    ),
    "reports:bundle_create": Entry(
        kwargs=region_year("province"),
        read="login 405 405 405 405 405",
        write="login 404 ok ok 404 404",
        read_outside="login 405 405 405 405 405",
    ),
    "reports:bundle_detail": Entry(kwargs=pk_of("bundle"), read="login 404 ok ok 404 404"),
    "reports:bundle_cancel": Entry(
        kwargs=pk_of("bundle"),
        read="login 405 405 405 405 405",
        write="login 404 ok ok 404 404",
        read_outside="login 405 405 405 405 405",
    ),
    "reports:bundle_download": Entry(kwargs=pk_of("bundle"), read="login 404 404 404 404 404"),
    "reports:region_dashboard": Entry(kwargs=code_of("region"), read="login 404 ok ok ok 404"),
    "reports:region_report": Entry(kwargs=region_year("region"), read="login 404 ok ok ok 404"),
    # The world's regions have one assessment: the page says there is no earlier year to compare.
    "reports:region_compare": Entry(
        kwargs=code_of("region"),
        read="login 404 ok ok ok 404",
        read_outside="login 404 ok 404 404 404",
    ),
    # Notifications: each user's own; one opened answers a redirect to what it is about.
    "notifications:notification_list": Entry(read="login ok ok ok ok ok"),
    "notifications:notification_open": Entry(
        kwargs=pk_of("notification"),
        read="login 404 404 404 ok 404",
        read_outside="login 404 ok 404 404 404",
    ),
    "notifications:notification_read_all": Entry(
        read="login 405 405 405 405 405", write="login ok ok ok ok ok"
    ),
    "notifications:preferences": Entry(
        read="login ok ok ok ok ok", write="login ok ok ok ok ok", data={"language": "en"}
    ),
    # The API.
    "region-list": Entry(read="401 ok ok ok ok ok"),
    "region-detail": Entry(
        kwargs=code_of("region"), read="401 404 ok ok ok ok", read_outside="401 404 ok 404 404 404"
    ),
    "opd-list": Entry(read="401 ok ok ok ok ok"),
    "opd-detail": Entry(
        kwargs=pk_of("opd"), read="401 404 ok ok ok ok", read_outside="401 404 ok 404 404 404"
    ),
    # The OPD is named in the body: one the user cannot see is refused as one that does not
    # exist (400), one the user sees but does not keep with 403.
    "application-list": Entry(
        read="401 ok ok ok ok ok",
        write="401 400 ok 403 403 ok",
        write_outside="401 400 ok 400 400 400",
        data=new_application,
    ),
    "application-detail": Entry(
        kwargs=pk_of("application"),
        read="401 404 ok ok ok ok",
        write="401 404 400 403 403 400",
        read_outside="401 404 ok 404 404 404",
        write_outside="401 404 400 404 404 404",
        write_method="patch",
    ),
    "application-history": Entry(
        kwargs=pk_of("application"),
        read="401 404 ok ok ok ok",
        read_outside="401 404 ok 404 404 404",
    ),
    "framework-list": Entry(read="401 ok ok ok ok ok"),
    "framework-detail": Entry(
        kwargs=lambda world, scope: {"code": "pegi"},
        read="401 ok ok ok ok ok",
        scoped=False,
    ),
    "assessment-list": Entry(
        read="401 ok ok ok ok ok",
        write="401 403 ok ok ok 403",
        write_outside="401 403 ok 403 403 403",
        data=new_assessment,
    ),
    "assessment-detail": Entry(kwargs=pk_of("assessment"), read="401 404 ok ok ok 404"),
    "assessment-transition": Entry(
        kwargs=pk_of("assessment"),
        read="401 405 405 405 405 405",
        write="401 404 400 403 400 404",
        read_outside="401 405 405 405 405 405",
        data={"to": "submitted"},
    ),
    "assessment-answers": Entry(
        kwargs=lambda world, scope: {"assessment_pk": world[scope]["assessment"].pk},
        read="401 404 ok ok ok 404",
    ),
    # A reviewer verifies; the self level is the head's (and an admin's).
    "assessment-answer": Entry(
        kwargs=api_answer_of,
        read="401 404 ok ok ok 404",
        write="401 404 ok 403 ok 404",
        write_method="patch",
        data=api_level_change,
    ),
    "assessment-answer-history": Entry(kwargs=api_answer_of, read="401 404 ok ok ok 404"),
    "assessment-answer-comments": Entry(
        kwargs=api_answer_of,
        read="401 404 ok ok ok 404",
        write="401 404 ok ok 403 404",
        data={"text": "Mohon unggah SK."},
    ),
    "assessment-answer-comments-close": Entry(
        kwargs=api_open_thread_of,
        read="401 405 405 405 405 405",
        write="401 404 ok ok ok 404",
        read_outside="401 405 405 405 405 405",
    ),
    "masterplan-list": Entry(read="401 ok ok ok ok ok"),
    "masterplan-detail": Entry(kwargs=pk_of("plan"), read="401 404 ok ok ok 404"),
    "masterplan-realisation": Entry(
        kwargs=pk_of("plan"),
        read="401 405 405 405 405 405",
        write="401 404 400 403 400 404",
        read_outside="401 405 405 405 405 405",
    ),
    "rankings": Entry(read="401 404 ok ok 404 404", query="?year=2019"),
    # One assessment per region in the world: nothing earlier to compare it with (400).
    "region-compare": Entry(
        kwargs=code_of("region"),
        read="401 404 400 400 400 404",
        read_outside="401 404 400 404 404 404",
    ),
    "inbox": Entry(read="401 ok ok ok ok ok"),
    "cycle-list": Entry(read="401 ok ok ok ok ok"),
}

# Reading a list answers 200 with what the user may see, so a list has no outside variant for
# reading; a list whose write names an object (``data`` from the world) has one for writing.
SCOPED = {
    name
    for name, entry in MATRIX.items()
    if (entry.kwargs is not None or callable(entry.data)) and entry.scoped
}


def url_patterns(patterns, namespace="", prefix=""):
    """(name with its namespace or None when unnamed, route, namespace) of every pattern."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), route, namespace


def url_names(patterns):
    return (name for name, _route, _namespace in url_patterns(patterns) if name)


def portal_url_names():
    return {
        name for name in url_names(get_resolver().url_patterns) if not name.startswith("admin:")
    }


def admin_url_names():
    return sorted(
        {name for name in url_names(get_resolver().url_patterns) if name.startswith("admin:")}
    )


def test_every_url_has_an_entry():
    # The matrix is keyed by name: a pattern without one would go unchecked. (The admin's own
    # unnamed patterns, a redirect to each change page and its catch-all, are the admin's.)
    unnamed = sorted(
        route
        for name, route, namespace in url_patterns(get_resolver().url_patterns)
        if name is None and not namespace.startswith("admin:")
    )
    assert not unnamed, (
        f"URL patterns without a name: {unnamed}. Give each a name and an entry in the "
        "permission matrix."
    )
    missing = portal_url_names() - set(MATRIX)
    assert not missing, f"URLs without an entry in the permission matrix: {sorted(missing)}"
    stale = set(MATRIX) - portal_url_names()
    assert not stale, f"Entries for URLs that no longer exist: {sorted(stale)}"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def scope_objects(region, opd, author):
    """An assessment with an answer and evidence, an application, a plan with a programme and a
    target, and a report bundle in ``region``'s province."""
    framework = pegi_framework()
    assessment = make_assessment(author, region, framework, year=2019)
    indicator = Indicator.objects.filter(dimension__framework=framework).order_by("code").first()
    evidence = workflow.evidence_add(
        assessment,
        indicator,
        user=author,
        title="Bukti",
        file=ContentFile(png(), name="bukti.png"),
    )
    plan = MasterPlanFactory(region=region)
    programme = ProgrammeFactory(plan=plan, opd=opd)
    target = TargetFactory(programme=programme, year=2017, target=Decimal(10))
    bundle = BundleJob.objects.create(province=region.parent, year=2019, status="done")
    cycle = Cycle.objects.create(
        province=region.parent,
        year=2019,
        framework=framework,
        self_assessment_opens=datetime.date(2019, 7, 1),
        submission_deadline=datetime.date(2019, 8, 30),
        verification_starts=datetime.date(2019, 9, 2),
        verification_ends=datetime.date(2019, 12, 6),
        finalisation_deadline=datetime.date(2019, 12, 20),
    )
    return {
        "region": region,
        "province": region.parent,
        "opd": opd,
        "application": ApplicationFactory(opd=opd),
        "assessment": assessment,
        "indicator": indicator,
        "evidence": evidence,
        "plan": plan,
        "programme": programme,
        "target": target,
        "bundle": bundle,
        "cycle": cycle,
        # The author's own: the head's inside, the admin's outside.
        "notification": Notification.objects.create(
            recipient=author, kind="assessment_final", language="id", title="Final", url="/"
        ),
    }


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = ProvinceFactory(code="62", name="Provinsi Kalimantan Tengah")
    gunung_mas = RegencyFactory(parent=province, code="10", name="Kabupaten Gunung Mas")
    kominfo = OPDFactory(region=gunung_mas, name="Dinas Kominfo Gunung Mas")
    other = RegencyFactory(
        parent=ProvinceFactory(code="63", name="Provinsi Kalimantan Selatan"), code="01"
    )
    admin = user_with_role(Membership.Role.ADMIN, username="admin")
    admin.is_staff = True
    admin.save()
    users = {
        "anonymous": None,
        "no_role": UserFactory(username="tanpa.peran"),
        "admin": admin,
        "reviewer": user_with_role(Membership.Role.REVIEWER, region=province, username="reviewer"),
        "head": user_with_role(Membership.Role.HEAD, region=gunung_mas, username="kadis"),
        "opd_staff": user_with_role(Membership.Role.OPD_STAFF, opd=kominfo, username="operator"),
    }
    return {
        "users": users,
        "inside": scope_objects(gunung_mas, kominfo, users["head"]),
        "outside": scope_objects(other, OPDFactory(region=other), admin),
    }


def outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303) and (
        location.startswith(reverse("login")) or "/login/" in location
    ):
        return "login"
    if response.status_code < 400:
        return "ok"
    return str(response.status_code)


def request_as(client, world, scope, user, method, url, entry, *, api):
    client.logout()
    if user is not None:
        client.force_login(user)
    data = entry.data(world, scope, user) if callable(entry.data) else entry.data
    # Each request leaves the world as it found it, so one role's write does not change what
    # the next role meets.
    with transaction.atomic():
        if method == "get":
            response = client.get(url + entry.query)
        elif api:
            response = getattr(client, method)(url, data, content_type="application/json")
        else:
            response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return outcome(response)


def expected(entry, scope, kind):
    inside = entry.read if kind == "read" else entry.write
    if scope == "inside" or inside is None:
        return inside
    if kind == "read" and entry.kwargs is None:
        return None  # a list's read names nothing outside: checked inside
    override = entry.read_outside if kind == "read" else entry.write_outside
    if override is not None:
        return override
    # Outside the scope: what a role may reach inside is hidden (404) there, except for the
    # admin, whose scope is everything.
    return " ".join(
        value if role == "admin" or value in {"login", "401", "405"} else "404"
        for role, value in zip(ROLES, inside.split(), strict=True)
    )


def matrix_cases():
    for name in sorted(MATRIX):
        for scope in ("inside", "outside") if name in SCOPED else ("inside",):
            yield pytest.param(name, scope, id=f"{name}-{scope}")


@pytest.mark.parametrize(("name", "scope"), list(matrix_cases()))
def test_each_role_gets_the_expected_outcome(client, world, name, scope):
    entry = MATRIX[name]
    kwargs = entry.kwargs(world, scope) if entry.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    api = url.startswith("/api/")
    found, wanted = {}, {}
    for kind, method in (("read", "get"), ("write", entry.write_method)):
        outcomes = expected(entry, scope, kind)
        if outcomes is None:
            continue
        for role, want in zip(ROLES, outcomes.split(), strict=True):
            user = world["users"][role]
            found[f"{kind} {role}"] = request_as(
                client, world, scope, user, method, url, entry, api=api
            )
            wanted[f"{kind} {role}"] = want
    shown = {
        kind: " ".join(found[f"{kind} {role}"] for role in ROLES)
        for kind in ("read", "write")
        if f"{kind} anonymous" in found
    }
    assert found == wanted, f"{name} ({scope}) answered {shown}"


@pytest.mark.parametrize("name", admin_url_names())
def test_the_admin_is_for_administrators_only(client, world, name):
    pattern_kwargs = {
        "app_label": "opds",
        "object_id": str(world["inside"]["region"].pk),
        "content_type_id": ContentType.objects.get_for_model(Region).pk,
        "history_id": "1",
        "id": str(world["users"]["admin"].pk),
    }
    url = None
    # The kwargs a pattern takes: the first subset of the known ones that reverses.
    sizes = range(len(pattern_kwargs) + 1)
    for keys in chain.from_iterable(combinations(pattern_kwargs, n) for n in sizes):
        try:
            url = reverse(name, kwargs={key: pattern_kwargs[key] for key in keys})
        except NoReverseMatch:
            continue
        break
    # A few admin patterns (django-simple-history's) take positional arguments.
    for count in range(1, 3):
        if url is None:
            try:
                url = reverse(name, args=[pattern_kwargs["object_id"]] * count)
            except NoReverseMatch:
                continue
    assert url is not None
    for role in ROLES:
        user = world["users"][role]
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if name == "admin:login":
            assert response.status_code < 400, (role, url)
        elif name == "admin:logout":
            # Signing out is a POST: a GET signs nobody out (405, or a redirect when no one
            # was signed in to the admin).
            assert response.status_code in {302, 405}, (role, url)
        elif role == "admin":
            assert response.status_code < 500, (role, url)
            assert "/login/" not in response.get("Location", ""), (role, url)
        else:
            assert response.status_code == 302, (role, url)
            assert "/login/" in response["Location"], (role, url)

"""Every list page and list endpoint makes as many SQL queries for ten times the rows as for a
few (no query per row), and stays within ``CEILING`` queries.

Each list is read, as each role that may see it, over a data set built at ``SMALL`` and at
``LARGE`` (``build``): ten times as many provinces, regencies of one province, OPDs,
applications (with integrations, user OPDs and changes), assessments (with answers, a thread of
clarification, an answer saved many times), frameworks, master plans (with programmes and
targets), cycles, notifications, and the history rows all of these leave. A paginated list shows
every row at ``SMALL`` and a full page, or every row, at ``LARGE``; each list's answer must be
larger at ``LARGE``, so that no list is compared empty with empty.

What counts as a list: a named URL pattern or API route whose name's last word (after the
namespace, split at ``_`` and ``-``) is one of ``LIST_WORDS`` (``…_list``, ``…-list``,
``history_log``, ``…ranking``, ``rankings``, ``inbox``, ``home``, ``…-history``,
``…-answers``, ``…-comments``). A name matching the rule without an entry in ``LISTS`` fails
``test_every_list_has_an_entry``; so does an entry for a name that is not (or no longer) a list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import clarifications, workflow
from assessments.models import (
    Assessment,
    Cycle,
    CycleExtension,
    Indicator,
    Stage,
    Transition,
)
from egov_portal import history
from egov_portal.models import Notification
from masterplan.models import MasterPlan
from opds.models import Membership
from tests.assessments.factories import make_assessment, make_framework
from tests.masterplan.factories import (
    MasterPlanFactory,
    ProgrammeFactory,
    TargetFactory,
    pegi_framework,
)
from tests.opds.factories import (
    ApplicationFactory,
    OPDFactory,
    ProvinceFactory,
    RegencyFactory,
    user_with_role,
)
from tests.portal.test_permissions import portal_url_names

SMALL, LARGE = 2, 20
CEILING = 25
LIST_WORDS = {
    "list",
    "log",
    "ranking",
    "rankings",
    "inbox",
    "home",
    "history",
    "answers",
    "comments",
}
ROLE_NAMES = ("admin", "reviewer", "head", "opd_staff")
WHOLE_LOG = "whole history log"
LOG_KINDS = sorted(tracked.kind for tracked in history.tracked())


def answer(assessment, indicator, user, **levels):
    saved = assessment.answers.filter(indicator=indicator).first()
    return workflow.answer_save(
        assessment, indicator, user=user, version=saved.version if saved else 0, **levels
    )


def build(n):
    """A province with ``n`` regencies and ``n`` rows in every list the roles read."""
    framework = pegi_framework()
    indicators = list(
        Indicator.objects.filter(dimension__framework=framework).order_by("dimension", "code")
    )
    province = ProvinceFactory(code="62", name="Provinsi Kalimantan Tengah")
    regions = [
        RegencyFactory(parent=province, code=f"{i + 1:02d}", name=f"Kabupaten {i + 1}")
        for i in range(n)
    ]
    home = regions[0]
    # n other provinces, each with a regency: rows of an administrator's home page.
    for i in range(n):
        RegencyFactory(parent=ProvinceFactory(code=f"{70 + i}", name=f"Provinsi {70 + i}"))
    home_opd = OPDFactory(region=home, name="Dinas Kominfo")
    admin = user_with_role(Membership.Role.ADMIN, username="admin")
    users = {
        "admin": admin,
        "reviewer": user_with_role(Membership.Role.REVIEWER, region=province, username="penilai"),
        "head": user_with_role(Membership.Role.HEAD, region=home, username="kadis"),
        "opd_staff": user_with_role(Membership.Role.OPD_STAFF, opd=home_opd, username="operator"),
    }
    # The home region: n OPDs with an application each, and the home OPD n applications, each
    # integrated with the one before.
    previous = None
    for _ in range(n):
        ApplicationFactory(opd=OPDFactory(region=home))
        application = ApplicationFactory(opd=home_opd)
        application.user_opds.add(home_opd)
        if previous is not None:
            application.integrations.add(previous)
        previous = application
    # The home OPD's first application, integrated with the last and changed n times.
    catalogued = home_opd.applications.order_by("pk").first()
    catalogued.integrations.add(previous)
    for i in range(n):
        catalogued.description = f"Versi {i + 1}"
        catalogued.save()
    # Every region: an OPD with an application, an assessment of 2019 with every indicator
    # answered and a question open, and a master plan with a programme and a target.
    statuses = [Assessment.Status.FINAL, Assessment.Status.SUBMITTED, Assessment.Status.IN_REVIEW]
    for i, region in enumerate(regions):
        opd = OPDFactory(region=region)
        application = ApplicationFactory(opd=opd)
        application.integrations.add(previous)
        application.user_opds.add(home_opd, opd)
        assessment = make_assessment(admin, region, framework, year=2019)
        for indicator in indicators:
            answer(assessment, indicator, admin, self_level=2, verified_level=2)
        clarifications.ask(assessment, indicators[0], user=users["reviewer"], text="Mohon SK.")
        Assessment.objects.filter(pk=assessment.pk).update(status=statuses[i % 3])
        Transition.objects.create(
            assessment=assessment, from_status="draft", to_status=statuses[i % 3], user=admin
        )
        plan = MasterPlanFactory(
            region=region,
            status=MasterPlan.Status.REVIEWED if i % 2 else MasterPlan.Status.IN_FORCE,
        )
        programme = ProgrammeFactory(plan=plan, opd=opd)
        TargetFactory(programme=programme, year=2017)
    # The home region's assessment of 2018, on a framework of n indicators a dimension: n·2
    # answers with a link as evidence each, one of them saved n times, with a thread of n
    # comments.
    wide = make_framework(code=f"lebar{n}", dimensions=("policy", "planning"), per_dimension=n)
    focus = make_assessment(users["head"], home, wide, year=2018)
    wide_indicators = list(Indicator.objects.filter(dimension__framework=wide).order_by("code"))
    for indicator in wide_indicators:
        answer(focus, indicator, users["head"], self_level=1, note="Catatan")
        workflow.evidence_add(
            focus, indicator, user=users["head"], title="SK", url="https://example.org/sk.pdf"
        )
    for level in range(n):
        answer(focus, wide_indicators[0], users["head"], self_level=1 + (level + 1) % 4)
    for _ in range(n):
        clarifications.ask(focus, wide_indicators[0], user=users["reviewer"], text="Mohon SK.")
    # n more frameworks, each with an assessment of the home region, and n earlier master plans.
    for i in range(n):
        other = make_framework(code=f"kerangka{i}", dimensions=("policy",), per_dimension=1)
        make_assessment(users["head"], home, other, year=2017)
        MasterPlanFactory(
            region=home, start_year=2000 + i, end_year=2000 + i, status=MasterPlan.Status.SUPERSEDED
        )
    # n cycles of the province with an extension each, and n notifications for every user.
    for i in range(n):
        cycle = Cycle.objects.create(
            province=province,
            year=2019 - i,
            framework=framework,
            self_assessment_opens=datetime.date(2019 - i, 7, 1),
            submission_deadline=datetime.date(2019 - i, 8, 30),
            verification_starts=datetime.date(2019 - i, 9, 2),
            verification_ends=datetime.date(2019 - i, 12, 6),
            finalisation_deadline=datetime.date(2019 - i, 12, 20),
        )
        CycleExtension.objects.create(
            cycle=cycle,
            region=regions[i],
            stage=Stage.SELF_ASSESSMENT,
            until=datetime.date(2019 - i, 9, 15),
            reason="Banjir",
            created_by=users["reviewer"],
        )
    for user in users.values():
        Notification.objects.bulk_create(
            Notification(
                recipient=user,
                kind="clarification_asked",
                language="id",
                title=f"Klarifikasi {i}",
                url="/",
                read_at=None,
            )
            for i in range(n)
        )
    return {
        "users": users,
        "province": province,
        "home": home,
        "application": catalogued,
        "focus": focus,
        "indicator": wide_indicators[0],
    }


@dataclass
class List:
    roles: tuple[str, ...] = ROLE_NAMES
    kwargs: object = None  # a function (world) → kwargs
    query: str = ""


def focus_of(world):
    return {"assessment_pk": world["focus"].pk}


def focus_answer_of(world):
    return {"assessment_pk": world["focus"].pk, "indicator": world["indicator"].code}


REVIEWERS = ("admin", "reviewer")
REGION_ROLES = ("admin", "reviewer", "head")

LISTS: dict[str, List] = {
    # Pages.
    "opds:home": List(),
    # A head and an OPD's staff see their own region only.
    "opds:region_list": List(roles=REVIEWERS),
    "opds:opd_list": List(),
    # One kind of record: a page reads each kind on it once (see the test of the whole log).
    "opds:history_log": List(roles=("admin",), query="?kind=application"),
    "opds:application_list": List(),
    "assessments:assessment_list": List(roles=REGION_ROLES),
    "assessments:assessment_history": List(
        roles=REGION_ROLES, kwargs=lambda world: {"pk": world["focus"].pk}
    ),
    "assessments:answer_history": List(
        roles=REGION_ROLES,
        kwargs=lambda world: {"pk": world["focus"].pk, "indicator": world["indicator"].code},
    ),
    "assessments:cycle_list": List(),
    "masterplan:masterplan_list": List(roles=REGION_ROLES),
    "reports:province_ranking": List(
        roles=REVIEWERS, kwargs=lambda world: {"code": "62"}, query="?year=2019"
    ),
    "reports:national_ranking": List(roles=REVIEWERS, query="?year=2019"),
    "notifications:notification_list": List(),
    # The API.
    # A head and an OPD's staff see their own region only.
    "region-list": List(roles=REVIEWERS),
    "opd-list": List(),
    "application-list": List(),
    "application-history": List(kwargs=lambda world: {"pk": world["application"].pk}),
    "framework-list": List(),
    "assessment-list": List(roles=REGION_ROLES),
    "assessment-answers": List(roles=REGION_ROLES, kwargs=focus_of),
    "assessment-answer-history": List(roles=REGION_ROLES, kwargs=focus_answer_of),
    "assessment-answer-comments": List(roles=REGION_ROLES, kwargs=focus_answer_of),
    "masterplan-list": List(roles=REGION_ROLES),
    "rankings": List(roles=REVIEWERS, query="?year=2019&province=62"),
    # An administrator's inbox holds no assessment or plan of its own to act on.
    "inbox": List(roles=("reviewer", "head", "opd_staff")),
    "cycle-list": List(),
}


def is_list(name: str) -> bool:
    last = name.rsplit(":", 1)[-1].replace("-", "_").rsplit("_", 1)[-1]
    return last in LIST_WORDS


def test_every_list_has_an_entry():
    lists = {name for name in portal_url_names() if is_list(name)}
    missing = lists - set(LISTS)
    assert not missing, f"Lists without an entry: {sorted(missing)}"
    stale = set(LISTS) - lists
    assert not stale, f"Entries that are not lists (or no longer exist): {sorted(stale)}"


def count_queries(client, world, name, role, *, query=None):
    entry = LISTS[name]
    client.force_login(world["users"][role])
    query = entry.query if query is None else query
    url = reverse(name, kwargs=entry.kwargs(world) if entry.kwargs else None) + query
    cache.clear()  # the API's throttles count in the cache
    client.get(url)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), len(response.content), url


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """Queries per (list, role), at both sizes: one build per size for every case."""
    found = {}
    with django_db_blocker.unblock():
        for size in (SMALL, LARGE):
            cache.clear()
            with transaction.atomic():
                world = build(size)
                for name, entry in LISTS.items():
                    for role in entry.roles:
                        found[(name, role, size)] = count_queries(Client(), world, name, role)
                for kind in ("", *LOG_KINDS):
                    found[WHOLE_LOG, kind, size] = count_queries(
                        Client(), world, "opds:history_log", "admin", query=f"?kind={kind}"
                    )
                transaction.set_rollback(True)
    return found


def cases():
    for name in sorted(LISTS):
        for role in LISTS[name].roles:
            yield pytest.param(name, role, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "role"), list(cases()))
def test_queries_do_not_grow_with_the_rows(counts, db, name, role):
    # ``db``: pytest-django sets the test database up only for tests that ask for it.
    small, small_size, url = counts[(name, role, SMALL)]
    large, large_size, _url = counts[(name, role, LARGE)]
    # The larger data set shows more: the list is not empty nor the same at both sizes.
    assert large_size > small_size, f"{url} as {role}: {small_size} bytes, then {large_size}"
    assert small == large, f"{url} as {role}: {small} queries at {SMALL}, {large} at {LARGE}"
    assert large <= CEILING, f"{url} as {role}: {large} queries"


@pytest.mark.parametrize("kind", LOG_KINDS)
def test_the_history_log_of_each_kind_does_not_grow_with_the_rows(counts, db, kind):
    """Each kind of record has its own names and links to read (some kinds have no rows in
    the data set, and are only held to the ceiling)."""
    small, _small_size, url = counts[WHOLE_LOG, kind, SMALL]
    large, _large_size, _url = counts[WHOLE_LOG, kind, LARGE]
    assert small == large, f"{url}: {small} queries at {SMALL}, {large} at {LARGE}"
    assert large <= CEILING, f"{url}: {large} queries"


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_the_whole_history_log_stays_within_the_ceiling(counts, db, size):
    """Unfiltered, a page of the log mixes kinds of record, and each kind on it is read once
    (its records, their many-to-many rows); the names they refer to are read once per related
    model for the whole page. Which kinds the newest page holds differs between the sizes, and
    a page holding every kind reads more than one list: the ceiling grows with the kinds
    tracked, never with the rows."""
    queries, _size, url = counts[WHOLE_LOG, "", size]
    ceiling = CEILING + len(LOG_KINDS)
    assert queries <= ceiling, f"{url}: {queries} queries at {size}"

"""Every save a person makes often (a page's form, an API write) makes as many SQL queries over
ten times the rows as over a few (no query per row), and stays within its ceiling.

Each save is made, as a role that may make it, over the data set of the list test
(``tests.portal.test_list_queries.build``) at ``SMALL`` and at ``LARGE``: ten times as many
regions, OPDs, applications (with integrations and changes), assessments (with answers, their
history and a thread of clarification), master plans, cycles and notifications. A save's own
object is made fresh for it (``Save.prepare``), with ``n`` rows of its own around it where it has
any (the programmes of a plan, the evidence of an answer, the comments of a thread), and each
save runs in a transaction rolled back afterwards, so every save meets the world as it was built.
Each save is made twice: once to warm the per-process caches (content types, the framework's
structure), then counted; what it commits afterwards (``on_commit``: notices, warm-ups) is
counted with it.

Saving one answer is measured by ``tests/assessments/test_save_queries.py``. Every write of the
permission matrix (``tests.portal.test_permissions.MATRIX``) has an entry in ``SAVES`` or a
reason in ``NOT_MEASURED``: ``test_every_write_has_an_entry``.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import carry, clarifications, workflow
from assessments.models import Assessment, Cycle, Evidence
from egov_portal.models import Notification
from masterplan.models import MasterPlan, Programme, Target
from opds.models import Application, Membership
from reports.models import BundleJob
from tests.assessments.factories import make_assessment
from tests.masterplan.factories import ProgrammeFactory, TargetFactory, dimension
from tests.opds.factories import user_with_role
from tests.portal.test_list_queries import LARGE, SMALL, build
from tests.portal.test_permissions import MATRIX

CEILING = 25

# Writes of the permission matrix that are not measured here, and why.
NOT_MEASURED = {
    # Signing in and out, and choosing the language, read and write the session only.
    "logout": "the session only",
    "set_language": "the session only",
    "api_token": "signing in: the user and a token",
    "api_logout": "signing out: the token",
    # A report's signature is checked, nothing is saved.
    "verify": "reads a signature, saves nothing",
    "reports:verify": "reads a signature, saves nothing",
    # An import reads a whole file, and writes as many rows as it holds: its own tests
    # (tests/opds/test_spreadsheet_roundtrip.py bounds the queries of a whole catalogue).
    "opds:application_import": "an import reads a file of many rows",
    "opds:application_import_preview": "an import reads a file of many rows",
    # Asking for a bundle starts a worker that renders every region's report.
    "reports:bundle_create": "starts a worker over the province's reports",
    # Saving an answer: tests/assessments/test_save_queries.py (the page's POST and the API's
    # PATCH, with a fixed count each, over ten times the data).
    "assessments:answer_update": "tests/assessments/test_save_queries.py",
    "assessment-answer": "tests/assessments/test_save_queries.py",
}


def is_write(name):
    """A URL of the matrix with a write: the matrix sends an empty form, so many of them
    answer 400 there to everyone; this test sends what succeeds."""
    return MATRIX[name].write is not None


@dataclass
class Save:
    """One save: who makes it, where, with what, and how to tell that it was made."""

    role: str
    url: Callable  # (world, obj) → url
    data: Callable = lambda world, obj: {}  # (world, obj) → the form or the JSON body
    prepare: Callable = lambda world, n: None  # (world, n) → obj, made before counting
    done: Callable = lambda world, obj: True  # (world, obj) → whether the save took effect
    method: str = "post"
    status: tuple[int, ...] = (302,)
    ceiling: int = CEILING
    headers: dict = field(default_factory=dict)


def home_opd(world):
    return world["application"].opd


def home_plan(world):
    return MasterPlan.objects.get(region=world["home"], status=MasterPlan.Status.IN_FORCE)


def plan_with_programmes(world, n):
    """The home region's plan in force, with ``n`` more programmes of a target each."""
    plan = home_plan(world)
    for _ in range(n):
        TargetFactory(programme=ProgrammeFactory(plan=plan, opd=home_opd(world)), year=2017)
    return plan


def a_target(world, n):
    plan = plan_with_programmes(world, n)
    return Target.objects.filter(programme__plan=plan).order_by("pk").first()


def ticked(world):
    """What a person ticks on an application's form: every OPD of the home region as a user,
    every other application of the home OPD as an integration (``n`` each)."""
    application = world["application"]
    return {
        "user_opds": list(application.opd.region.opds.values_list("pk", flat=True)),
        "integrations": list(
            Application.objects.filter(opd__region=application.opd.region_id)
            .exclude(pk=application.pk)
            .values_list("pk", flat=True)
        ),
    }


def application_form(application, **changes):
    """What the edit page sends back: the record as it stands, with ``changes``."""
    data = {
        "opd": application.opd_id,
        "name": application.name,
        "status": application.status,
        "platform": application.platform,
        "developer": application.developer or "in_house",
        "description": application.description,
        "user_opds": [opd.pk for opd in application.user_opds.all()],
        "integrations": [other.pk for other in application.integrations.all()],
        "version": application.version,
    }
    return {**data, **changes}


def crowd(world, n):
    """``n`` more reviewers of the province, heads of the home region and staff of its OPD:
    the people a step of an assessment or a question is told to (in one insert).

    They have no e-mail address: each notice's e-mail is a task of its own (retried on its
    own), run by the worker when a broker is set, three queries each; without a broker, as
    here, it would run inside the request and be counted with it."""
    for _ in range(n):
        user_with_role(Membership.Role.REVIEWER, region=world["province"])
        user_with_role(Membership.Role.HEAD, region=world["home"])
        user_with_role(Membership.Role.OPD_STAFF, opd=home_opd(world))


def a_draft(world, n):
    """A draft of the home region for 2021, every indicator of the framework answered with a
    link as evidence (``n`` times over for the first), among a crowd of ``n`` people."""
    crowd(world, n)
    focus = world["focus"]
    assessment = make_assessment(world["users"]["head"], world["home"], focus.framework, year=2021)
    indicators = [answer.indicator for answer in focus.answers.select_related("indicator")]
    for indicator in indicators:
        workflow.answer_save(
            assessment,
            indicator,
            user=world["users"]["head"],
            version=0,
            self_level=2,
            note="Catatan",
        )
    for _ in range(n):
        workflow.evidence_add(
            assessment,
            indicators[0],
            user=world["users"]["head"],
            title="SK",
            url="https://example.org/sk.pdf",
        )
    return assessment


def carried(world, n):
    """The focus assessment carried forward to 2021: its levels wait for confirmation."""
    focus = world["focus"]
    assessment = make_assessment(world["users"]["head"], world["home"], focus.framework, year=2021)
    carry.answers_carry(assessment, focus, user=world["users"]["head"])
    return assessment


def moved_to(status):
    """A draft moved on to ``status``."""

    def prepare(world, n):
        assessment = a_draft(world, n)
        Assessment.objects.filter(pk=assessment.pk).update(status=status)
        return Assessment.objects.get(pk=assessment.pk)

    return prepare


def verified(world, n):
    """A draft in review, every answer verified: ready to be made final."""
    assessment = moved_to(Assessment.Status.IN_REVIEW)(world, n)
    for answer in assessment.answers.select_related("indicator"):
        workflow.answer_save(
            assessment,
            answer.indicator,
            user=world["users"]["reviewer"],
            version=answer.version,
            verified_level=2,
        )
    return Assessment.objects.get(pk=assessment.pk)


def status_is(status):
    return lambda world, obj: Assessment.objects.get(pk=obj.pk).status == status


def focus_answer(world, obj):
    return {"pk": world["focus"].pk, "indicator": world["indicator"].code}


def api_focus_answer(world, obj):
    return {"assessment_pk": world["focus"].pk, "indicator": world["indicator"].code}


def open_thread(world, n):
    """The focus answer's thread (``n`` questions in the data set), with ``n`` more, among a
    crowd of ``n`` people."""
    crowd(world, n)
    for _ in range(n):
        clarifications.ask(
            world["focus"], world["indicator"], user=world["users"]["reviewer"], text="Mohon SK."
        )


def thread_closed(world, obj):
    return clarifications.open_thread(world["focus"], world["indicator"]) is None


def cycle_2019(world, n):
    return Cycle.objects.get(province=world["province"], year=2019)


def cycle_form(**changes):
    data = {
        "province": "62",
        "year": "2021",
        "framework": "pegi",
        "self_assessment_opens": "2021-07-01",
        "submission_deadline": "2021-09-30",
        "verification_starts": "2021-10-04",
        "verification_ends": "2021-11-26",
        "finalisation_deadline": "2021-12-17",
    }
    return {**data, **changes}


def unread(world, n):
    user = world["users"]["head"]
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def pk_url(name):
    return lambda world, obj: reverse(name, kwargs={"pk": obj.pk})


HTMX = {"HTTP_HX_REQUEST": "true"}

SAVES: dict[str, Save] = {
    # The inventory.
    # The record, its checks, both lists of ids and their history (the many-to-many rows
    # each have their own), and the page it returns to.
    "opds:application_create": Save(
        role="opd_staff",
        url=lambda world, obj: reverse("opds:application_create"),
        data=lambda world, obj: {
            "opd": home_opd(world).pk,
            "name": "E-Office Baru",
            "status": "active",
            "platform": "web",
            "developer": "in_house",
            **ticked(world),
        },
        done=lambda world, obj: Application.objects.filter(name="E-Office Baru").exists(),
        ceiling=36,
    ),
    # The home OPD's first application: integrated, used and changed ``n`` times.
    # As creating, and the version checked and the changes of both lists written.
    "opds:application_update": Save(
        role="opd_staff",
        url=lambda world, obj: reverse("opds:application_update", kwargs={"pk": obj.pk}),
        prepare=lambda world, n: Application.objects.get(pk=world["application"].pk),
        data=lambda world, obj: application_form(obj, name="Portal Diubah", **ticked(world)),
        done=lambda world, obj: Application.objects.get(pk=obj.pk).name == "Portal Diubah",
        ceiling=40,
    ),
    "opds:application_retire": Save(
        role="opd_staff",
        url=lambda world, obj: reverse("opds:application_retire", kwargs={"pk": obj.pk}),
        prepare=lambda world, n: world["application"],
        done=lambda world, obj: Application.objects.get(pk=obj.pk).status == "inactive",
    ),
    # As the page, and the record read back with its completeness.
    "application-list": Save(
        role="opd_staff",
        url=lambda world, obj: reverse("application-list"),
        data=lambda world, obj: {
            "opd": home_opd(world).pk,
            "name": "E-Office Baru",
            **ticked(world),
        },
        status=(201,),
        done=lambda world, obj: Application.objects.filter(name="E-Office Baru").exists(),
        ceiling=35,
    ),
    "application-detail": Save(
        role="opd_staff",
        method="patch",
        url=lambda world, obj: reverse("application-detail", kwargs={"pk": obj.pk}),
        prepare=lambda world, n: Application.objects.get(pk=world["application"].pk),
        data=lambda world, obj: {"name": "Portal Diubah", "version": obj.version, **ticked(world)},
        status=(200,),
        done=lambda world, obj: Application.objects.get(pk=obj.pk).name == "Portal Diubah",
        ceiling=38,
    ),
    # Assessments.
    "assessments:assessment_create": Save(
        role="head",
        url=lambda world, obj: reverse("assessments:assessment_create"),
        data=lambda world, obj: {"region": world["home"].code, "year": 2022, "framework": "pegi"},
        done=lambda world, obj: Assessment.objects.filter(year=2022).exists(),
    ),
    # From the focus assessment of 2018: its ``n``·2 answers and their evidence carried.
    "assessments:assessment_create carried": Save(
        role="head",
        url=lambda world, obj: reverse("assessments:assessment_create"),
        data=lambda world, obj: {
            "region": world["home"].code,
            "year": 2022,
            "framework": world["focus"].framework.code,
            "carry_forward_from": world["focus"].pk,
        },
        done=lambda world, obj: (
            Assessment.objects.get(year=2022).answers.count() == world["focus"].answers.count()
        ),
        ceiling=33,
    ),
    "assessment-list": Save(
        role="head",
        url=lambda world, obj: reverse("assessment-list"),
        data=lambda world, obj: {"region": world["home"].code, "year": 2022, "framework": "pegi"},
        status=(201,),
        done=lambda world, obj: Assessment.objects.filter(year=2022).exists(),
    ),
    # Submitting: the region's step.
    "assessments:assessment_transition": Save(
        role="head",
        url=pk_url("assessments:assessment_transition"),
        prepare=a_draft,
        data=lambda world, obj: {"to": "submitted"},
        done=status_is(Assessment.Status.SUBMITTED),
    ),
    "assessment-transition": Save(
        role="head",
        url=pk_url("assessment-transition"),
        prepare=a_draft,
        data=lambda world, obj: {"to": "submitted"},
        status=(200,),
        done=status_is(Assessment.Status.SUBMITTED),
    ),
    # The focus assessment's ``n`` answers of a dimension, carried to the next year and
    # confirmed at once.
    "assessments:assessment_dimension_confirm": Save(
        role="head",
        url=lambda world, obj: reverse(
            "assessments:assessment_dimension_confirm",
            kwargs={"pk": obj.pk, "dimension": world["indicator"].dimension.code},
        ),
        prepare=carried,
        done=lambda world, obj: (
            not obj.answers.filter(
                indicator__dimension=world["indicator"].dimension, awaiting_confirmation=True
            ).exists()
        ),
    ),
    # Starting the review and making final: the reviewer's steps.
    "assessments:assessment_transition in_review": Save(
        role="reviewer",
        url=pk_url("assessments:assessment_transition"),
        prepare=moved_to(Assessment.Status.SUBMITTED),
        data=lambda world, obj: {"to": "in_review"},
        done=status_is(Assessment.Status.IN_REVIEW),
    ),
    "assessment-transition in_review": Save(
        role="reviewer",
        url=pk_url("assessment-transition"),
        prepare=moved_to(Assessment.Status.SUBMITTED),
        data=lambda world, obj: {"to": "in_review"},
        status=(200,),
        done=status_is(Assessment.Status.IN_REVIEW),
    ),
    # Final: the check of what is left, the scores kept, the region told.
    "assessments:assessment_transition final": Save(
        role="reviewer",
        url=pk_url("assessments:assessment_transition"),
        prepare=verified,
        data=lambda world, obj: {"to": "final", "confirmed": "on"},
        done=status_is(Assessment.Status.FINAL),
        ceiling=28,
    ),
    "assessment-transition final": Save(
        role="reviewer",
        url=pk_url("assessment-transition"),
        prepare=verified,
        data=lambda world, obj: {"to": "final"},
        status=(200,),
        done=status_is(Assessment.Status.FINAL),
        ceiling=31,
    ),
    "assessments:evidence_create": Save(
        role="head",
        url=lambda world, obj: reverse("assessments:evidence_create", kwargs=obj),
        prepare=lambda world, n: {"pk": a_draft(world, n).pk, "indicator": world["indicator"].code},
        data=lambda world, obj: {
            f"ev-{obj['indicator']}-title": "Perbup",
            f"ev-{obj['indicator']}-url": "https://example.org/perbup.pdf",
        },
        status=(200,),
        headers=HTMX,
        done=lambda world, obj: Evidence.objects.filter(title="Perbup").exists(),
    ),
    "assessments:evidence_delete": Save(
        role="head",
        url=pk_url("assessments:evidence_delete"),
        prepare=lambda world, n: (
            Evidence.objects.filter(answer__assessment=a_draft(world, n)).order_by("pk").first()
        ),
        status=(200, 302),
        headers=HTMX,
        done=lambda world, obj: not Evidence.objects.filter(pk=obj.pk).exists(),
    ),
    "assessments:clarification_create": Save(
        role="reviewer",
        url=lambda world, obj: reverse(
            "assessments:clarification_create", kwargs=focus_answer(world, obj)
        ),
        prepare=open_thread,
        data=lambda world, obj: {"text": "Mohon SK yang ditandatangani."},
        status=(200,),
        headers=HTMX,
    ),
    "assessments:clarification_close": Save(
        role="reviewer",
        url=lambda world, obj: reverse(
            "assessments:clarification_close", kwargs=focus_answer(world, obj)
        ),
        prepare=open_thread,
        status=(200,),
        headers=HTMX,
        done=thread_closed,
    ),
    "assessment-answer-comments": Save(
        role="reviewer",
        url=lambda world, obj: reverse(
            "assessment-answer-comments", kwargs=api_focus_answer(world, obj)
        ),
        prepare=open_thread,
        data=lambda world, obj: {"text": "Mohon SK yang ditandatangani."},
        status=(200, 201),
    ),
    "assessment-answer-comments-close": Save(
        role="reviewer",
        url=lambda world, obj: reverse(
            "assessment-answer-comments-close", kwargs=api_focus_answer(world, obj)
        ),
        prepare=open_thread,
        status=(200,),
        done=thread_closed,
    ),
    # Cycles.
    "assessments:cycle_create": Save(
        role="reviewer",
        url=lambda world, obj: reverse("assessments:cycle_create"),
        data=lambda world, obj: cycle_form(),
        done=lambda world, obj: Cycle.objects.filter(year=2021).exists(),
    ),
    "assessments:cycle_update": Save(
        role="reviewer",
        url=pk_url("assessments:cycle_update"),
        prepare=cycle_2019,
        data=lambda world, obj: cycle_form(
            year="2019",
            self_assessment_opens="2019-07-01",
            submission_deadline="2019-09-02",
            verification_starts="2019-09-03",
            verification_ends="2019-12-06",
            finalisation_deadline="2019-12-20",
        ),
        done=lambda world, obj: (
            Cycle.objects.get(pk=obj.pk).submission_deadline == datetime.date(2019, 9, 2)
        ),
    ),
    "assessments:extension_create": Save(
        role="reviewer",
        url=pk_url("assessments:extension_create"),
        prepare=cycle_2019,
        data=lambda world, obj: {
            "region": world["home"].code,
            "stage": "verification",
            "until": "2019-12-13",
            "reason": "Banjir",
        },
        done=lambda world, obj: obj.extensions.filter(stage="verification").exists(),
    ),
    # Master plans: the home region's plan in force, with ``n`` more programmes.
    "masterplan:masterplan_edit": Save(
        role="head",
        url=pk_url("masterplan:masterplan_edit"),
        prepare=plan_with_programmes,
        data=lambda world, obj: {"title": obj.title, "legal_basis": "Perbup Nomor 22 Tahun 2017"},
        done=lambda world, obj: MasterPlan.objects.get(pk=obj.pk).legal_basis.endswith(
            "22 Tahun 2017"
        ),
    ),
    "masterplan:masterplan_transition": Save(
        role="head",
        url=pk_url("masterplan:masterplan_transition"),
        prepare=plan_with_programmes,
        data=lambda world, obj: {"status": "reviewed"},
        done=lambda world, obj: MasterPlan.objects.get(pk=obj.pk).status == "reviewed",
    ),
    # The review of the plan (its progress, its scores), the successor, and the carried
    # programmes and targets in bulk.
    "masterplan:masterplan_redraft": Save(
        role="head",
        url=pk_url("masterplan:masterplan_redraft"),
        prepare=plan_with_programmes,
        data=lambda world, obj: {
            "start_year": 2021,
            "end_year": 2024,
            # Every programme, as the review page offers them.
            "carry": [programme.pk for programme in obj.programmes.all()],
        },
        done=lambda world, obj: MasterPlan.objects.filter(supersedes=obj).exists(),
        ceiling=46,
    ),
    "masterplan:programme_create": Save(
        role="head",
        url=pk_url("masterplan:programme_create"),
        prepare=plan_with_programmes,
        data=lambda world, obj: {
            "dimension": dimension(obj, "infrastructure").pk,
            "name": "Program baru",
            "opd": home_opd(world).pk,
            "expected_output": "Keluaran",
        },
        done=lambda world, obj: Programme.objects.filter(name="Program baru").exists(),
    ),
    "masterplan:target_create": Save(
        role="head",
        url=lambda world, obj: reverse(
            "masterplan:target_create", kwargs={"plan_pk": obj.plan_id, "pk": obj.pk}
        ),
        prepare=lambda world, n: a_target(world, n).programme,
        data=lambda world, obj: {
            "year": 2018,
            "metric": "OPD terhubung",
            "unit": "OPD",
            "baseline": "0",
            "target": "12",
            "budget_planned": "",
            "funding_source": "apbd",
        },
        done=lambda world, obj: obj.targets.filter(year=2018).exists(),
    ),
    # A year's realisation (the programme page's row).
    # The row and the programme's summary drawn again (htmx).
    "masterplan:target_update": Save(
        role="head",
        url=pk_url("masterplan:target_update"),
        prepare=a_target,
        data=lambda world, obj: {
            f"target-{obj.pk}-{name}": value
            for name, value in {
                "realisation": "7",
                "budget_realised": "",
                "notes": "",
                "evidence": "",
                "version": obj.version,
            }.items()
        },
        status=(200,),
        headers=HTMX,
        done=lambda world, obj: Target.objects.get(pk=obj.pk).realisation == 7,
        ceiling=32,
    ),
    # The plan read, the target saved, and the programme's figures answered.
    "masterplan-realisation": Save(
        role="head",
        url=lambda world, obj: reverse(
            "masterplan-realisation", kwargs={"pk": obj.programme.plan_id}
        ),
        prepare=a_target,
        data=lambda world, obj: {
            "programme": obj.programme_id,
            "year": obj.year,
            "version": obj.version,
            "realisation": 7,
        },
        status=(200,),
        done=lambda world, obj: Target.objects.get(pk=obj.pk).realisation == 7,
        ceiling=31,
    ),
    # Reports: cancelling a bundle waiting for its worker.
    "reports:bundle_cancel": Save(
        role="reviewer",
        url=pk_url("reports:bundle_cancel"),
        prepare=lambda world, n: BundleJob.objects.create(
            province=world["province"], year=2019, status="queued"
        ),
    ),
    # Notifications: ``n`` unread in the data set, ``n`` more here.
    "notifications:notification_read_all": Save(
        role="head",
        url=lambda world, obj: reverse("notifications:notification_read_all"),
        prepare=lambda world, n: Notification.objects.bulk_create(
            Notification(
                recipient=world["users"]["head"],
                kind="assessment_final",
                language="id",
                title="Final",
                url="/",
            )
            for _ in range(n)
        ),
        done=lambda world, obj: unread(world, 0) == 0,
    ),
    "notifications:preferences": Save(
        role="head",
        url=lambda world, obj: reverse("notifications:preferences"),
        data=lambda world, obj: {"language": "en"},
    ),
}


def url_name(key):
    """A key of ``SAVES`` is a URL name, followed by what the save does when one URL makes
    more than one (``assessment-transition final``)."""
    return key.split(" ", 1)[0]


def test_every_write_has_an_entry():
    writes = {name for name in MATRIX if is_write(name)}
    measured = {url_name(key) for key in SAVES}
    missing = writes - measured - set(NOT_MEASURED)
    assert not missing, f"Writes with neither an entry nor a reason: {sorted(missing)}"
    stale = (measured | set(NOT_MEASURED)) - writes
    assert not stale, f"Entries that are not writes (or no longer exist): {sorted(stale)}"
    both = measured & set(NOT_MEASURED)
    assert not both, f"Both measured and excused: {sorted(both)}"


@dataclass
class Measured:
    url: str
    status: int
    saved: bool
    queries: list[str]  # their SQL, to name what a count that grows repeats
    detail: str = ""  # why the save was not made


def send(client, save, world, n) -> Measured:
    """Make ``save`` on a fresh object over ``world``, and roll it back."""
    with transaction.atomic():
        obj = save.prepare(world, n)
        url = save.url(world, obj)
        data = save.data(world, obj)
        cache.clear()  # the API's throttles count in the cache
        with (
            CaptureQueriesContext(connection) as captured,
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            if url.startswith("/api/"):
                response = getattr(client, save.method)(
                    url, json.dumps(data), content_type="application/json"
                )
            else:
                response = getattr(client, save.method)(url, data, **save.headers)
        measured = Measured(url, response.status_code, False, [query["sql"] for query in captured])
        if response.status_code not in save.status:
            measured.detail = response.content[:300].decode(errors="replace")
        else:
            try:
                measured.saved = save.done(world, obj)
            except Exception as error:  # reported by this save's test, not by the fixture
                measured.detail = repr(error)
        transaction.set_rollback(True)
    return measured


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """Each save at both sizes: one build per size for every save."""
    found = {}
    with django_db_blocker.unblock():
        for size in (SMALL, LARGE):
            cache.clear()
            with transaction.atomic():
                world = build(size)
                for key, save in SAVES.items():
                    client = Client()
                    client.force_login(world["users"][save.role])
                    send(client, save, world, size)  # warm the per-process caches
                    found[key, size] = send(client, save, world, size)
                transaction.set_rollback(True)
    return found


def repeated(small: list[str], large: list[str]) -> list[str]:
    """The statements (their first words) made more often at ``LARGE`` than at ``SMALL``."""
    more = Counter(sql[:120] for sql in large) - Counter(sql[:120] for sql in small)
    return [f"{count}× {sql}" for sql, count in more.most_common(5)]


@pytest.mark.parametrize("key", sorted(SAVES))
def test_a_save_costs_the_same_queries_at_ten_times_the_rows(measured, db, key):
    small, large = measured[key, SMALL], measured[key, LARGE]
    for size, found in ((SMALL, small), (LARGE, large)):
        assert found.saved, f"{found.url} at {size}: {found.status}, not saved: {found.detail}"
    assert len(small.queries) == len(large.queries), (
        f"{large.url}: {len(small.queries)} queries at {SMALL}, {len(large.queries)} at {LARGE}",
        repeated(small.queries, large.queries),
    )
    assert len(large.queries) <= SAVES[key].ceiling, f"{large.url}: {len(large.queries)} queries"

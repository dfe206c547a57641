"""Two people saving at the same moment, on the database the suite runs on (SQLite as
``make run`` uses it, or PostgreSQL): each writer waits its turn, a stale one is told what is
saved now, nothing is lost and nobody sees a server error."""

import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import workflow
from assessments.models import Answer
from masterplan.models import Target
from opds.inventory import application_create
from opds.models import Application, Membership
from tests.assessments.factories import make_assessment, make_framework
from tests.masterplan.factories import MasterPlanFactory, ProgrammeFactory, dimension, targets
from tests.opds.factories import user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    """Run each call in its own thread (with its own database connection), released together;
    the results in the order of the calls."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # reported by the test, not lost in a thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def logged_in(user, client_class=Client):
    client = client_class()
    client.force_login(user)
    return client


def test_two_people_saving_one_application_at_once_lose_nothing(kominfo, opd_staff):
    colleague = user_with_role(Membership.Role.OPD_STAFF, opd=kominfo, username="opd.kominfo2")
    portal = application_create(user=opd_staff, opd=kominfo, name="Portal", description="Awal")
    url = reverse("opds:application_update", kwargs={"pk": portal.pk})
    first, second = logged_in(opd_staff), logged_in(colleague)

    def save(client, description):
        data = {
            "opd": kominfo.pk,
            "name": "Portal",
            "description": description,
            "status": "active",
            "platform": "web",
            "developer": "in_house",
            "version": 1,
        }
        return client.post(url, data).status_code

    results = at_once(lambda: save(first, "Dari A"), lambda: save(second, "Dari B"))
    assert sorted(results) == [302, 409], results
    portal.refresh_from_db()
    winner = "Dari A" if results[0] == 302 else "Dari B"
    assert (portal.description, portal.version) == (winner, 2)
    assert Application.history.filter(id=portal.pk).count() == 2


def test_two_heads_recording_one_realisation_at_once_lose_nothing(gunung_mas, kominfo, head):
    deputy = user_with_role(Membership.Role.HEAD, region=gunung_mas, username="sekdis.gumas")
    plan = MasterPlanFactory(region=gunung_mas)
    programme = ProgrammeFactory(plan=plan, opd=kominfo, dimension=dimension(plan, "policy"))
    targets(programme, (2018, 0, 20, None))
    url = f"/api/v1/masterplans/{plan.pk}/realisation/"
    first, second = logged_in(head, APIClient), logged_in(deputy, APIClient)

    def record(client, value):
        payload = {"programme": programme.pk, "year": 2018, "version": 1, "realisation": value}
        return client.post(url, payload, format="json").status_code

    results = at_once(lambda: record(first, 14), lambda: record(second, 16))
    assert sorted(results) == [200, 409], results
    target = Target.objects.get(programme=programme)
    assert target.realisation == (Decimal(14) if results[0] == 200 else Decimal(16))
    assert target.version == 2


def test_many_saves_at_the_same_moment_all_succeed(gunung_mas, reviewer, head):
    """Two people each saving a run of indicators at the same time: every save lands, none
    fails with "database is locked" (SQLite) or a deadlock (PostgreSQL)."""
    framework = make_framework(code="besar", per_dimension=12)
    assessment = make_assessment(reviewer, gunung_mas, framework)
    codes = list(framework.dimensions.get(code="policy").indicators.values_list("code", flat=True))
    url = f"/api/v1/assessments/{assessment.pk}/answers/"
    clients = {"self": logged_in(head, APIClient), "verified": logged_in(reviewer, APIClient)}

    def run(kind):
        statuses = []
        for code in codes:
            body = {"version": 0, f"{kind}_level": 2} if kind == "self" else {}
            if kind == "verified":
                # The head answers first or second; the reviewer reads what is there now.
                current = clients[kind].get(f"{url}{code}/").json()["version"]
                body = {"version": current, "verified_level": 2}
            response = clients[kind].patch(f"{url}{code}/", body, format="json")
            statuses.append(response.status_code)
        return statuses

    self_statuses, verified_statuses = at_once(lambda: run("self"), lambda: run("verified"))
    assert not isinstance(self_statuses, Exception), self_statuses
    assert not isinstance(verified_statuses, Exception), verified_statuses
    # A save may be refused as stale (409) when the other person saved the same indicator
    # in between; nothing may fail.
    assert set(self_statuses) | set(verified_statuses) <= {200, 409}
    saved = Answer.objects.filter(assessment=assessment)
    assert saved.filter(self_level=2).count() == sum(s == 200 for s in self_statuses)
    assert saved.filter(verified_level=2).count() == sum(s == 200 for s in verified_statuses)
    assessment.refresh_from_db()
    assert assessment.revision == sum(s == 200 for s in self_statuses + verified_statuses)
    workflow.assessment_history(assessment)  # readable after the rush

"""One history for the whole portal: every tracked record keeps who changed what and when;
administrators read it all, filtered by user, region, kind of record and date."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments import workflow
from egov_portal import history
from opds.inventory import application_create, application_update
from opds.models import Membership
from tests.assessments.factories import make_assessment, make_framework
from tests.opds.factories import user_with_role

LOG = "/history/"


@pytest.fixture
def activity(gunung_mas, katingan, kominfo, katingan_opd, reviewer, head, opd_staff):
    """Some changes in two regencies by three people."""
    framework = make_framework()
    assessment = make_assessment(reviewer, gunung_mas, framework)
    indicator = framework.dimensions.get(code="policy").indicators.first()
    workflow.answer_save(assessment, indicator, user=head, version=0, self_level=2)
    portal = application_create(user=opd_staff, opd=kominfo, name="Portal")
    application_update(portal, user=opd_staff, data={"status": "inactive"}, version=1)
    application_create(user=None, opd=katingan_opd, name="Portal Katingan")
    return {"assessment": assessment, "portal": portal}


def log(client, **params):
    response = client.get(LOG, params)
    return response, response.context["entries"]


def test_only_administrators_read_the_whole_history(client, activity, reviewer, admin_user):
    client.force_login(reviewer)
    assert client.get(LOG).status_code == 404
    client.force_login(admin_user)
    response, entries = log(client)
    assert response.status_code == 200
    assert {entry.object_kind for entry in entries} >= {"assessment", "answer", "application"}


def test_the_history_filters_by_user_region_kind_and_date(client, activity, admin_user):
    client.force_login(admin_user)
    _response, entries = log(client, user="opd.kominfo")
    assert {(e.object_kind, e.kind) for e in entries} == {
        ("application", "created"),
        ("application", "changed"),
    }
    assert entries[0].changes[0].new_shown == "Tidak aktif"
    _response, entries = log(client, region="62.06")
    assert [e.object_label for e in entries] == ["Portal Katingan"]
    _response, entries = log(client, region="62", kind="answer")
    assert [(e.object_kind, e.user.username) for e in entries] == [("answer", "kadis.gumas")]
    today = timezone.localdate()
    _response, entries = log(client, since=today + timedelta(days=1))
    assert entries == []
    _response, entries = log(client, since=today, until=today)
    assert len(entries) >= 5


def test_a_filter_that_matches_nothing_shows_an_empty_page(client, activity, admin_user):
    client.force_login(admin_user)
    response, entries = log(client, user=admin_user.username)
    assert response.status_code == 200
    assert entries == []


def test_the_pages_of_the_log_follow_each_other_newest_first(activity, opd_staff):
    # Each page reads only the newest rows of each history table (where the database allows):
    # the pages still follow each other as one list, newest first.
    portal = activity["portal"]
    for year in range(1980, 2026):
        portal.refresh_from_db()
        application_update(
            portal, user=opd_staff, data={"year_built": year}, version=portal.version
        )
    rows = list(history.history_log())
    assert rows == sorted(rows, key=lambda row: (row[0], row[1]), reverse=True)
    pages = history.history_log()
    assert len(rows) > 50
    assert list(pages[0:30]) + list(pages[30:60]) == rows[:60]
    assert pages.count() == len(rows)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"user": "tidak.ada"}, "user"),
        ({"region": "99"}, "region"),
        ({"kind": "rahasia"}, "kind"),
        ({"since": "2020-13-45"}, "since"),
        ({"since": "2021-01-01", "until": "2020-01-01"}, "until"),
    ],
)
def test_bad_filters_answer_400_with_a_message(client, activity, admin_user, params, field):
    client.force_login(admin_user)
    response = client.get(LOG, params)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert response.context["entries"] == []


def test_the_log_takes_a_bounded_number_of_queries(
    client, activity, admin_user, opd_staff, django_assert_max_num_queries
):
    portal = activity["portal"]
    for year in range(1980, 2026):
        portal.refresh_from_db()
        application_update(
            portal, user=opd_staff, data={"year_built": year}, version=portal.version
        )
    client.force_login(admin_user)
    # A few per kind of record on the page, however many entries and however long each
    # record's history.
    with django_assert_max_num_queries(15):
        response = client.get(LOG)
    assert len(response.context["entries"]) == 50
    assert response.context["paginator"].count > 50


def test_a_membership_changed_in_the_admin_is_in_the_history(
    client, admin_user, gunung_mas, katingan
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    head = user_with_role(Membership.Role.HEAD, region=gunung_mas, username="kadis.baru")
    membership = head.membership
    client.force_login(admin_user)
    url = reverse("admin:opds_membership_change", args=[membership.pk])
    response = client.post(url, {"user": head.pk, "role": "head", "region": katingan.pk})
    assert response.status_code == 302
    entry = history.object_history(membership)[0]
    assert entry.user == admin_user
    assert [(c.field, c.old_shown, c.new_shown) for c in entry.changes] == [
        ("region", "Kabupaten Gunung Mas", "Kabupaten Katingan")
    ]
    client.force_login(admin_user)
    _response, entries = log(client, kind="membership", region="62.06")
    assert [e.object_label for e in entries] == ["kadis.baru"]


def test_loading_the_demo_again_adds_nothing_to_the_history(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    counts = {t.kind: t.history_model.objects.count() for t in history.tracked()}
    assert all(counts[kind] for kind in ("application", "answer", "target", "membership"))
    call_command("load_demo", stdout=StringIO())
    assert {t.kind: t.history_model.objects.count() for t in history.tracked()} == counts
    assert history.record_baselines() == 0

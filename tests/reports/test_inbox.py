import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import clarifications, cycles, workflow
from assessments.models import Assessment, Clarification, Cycle, Indicator
from masterplan.models import MasterPlan
from opds.models import Application, Region
from reports.inbox import KINDS, inbox_for
from tests.assessments.factories import make_assessment, make_framework
from tests.masterplan.factories import MasterPlanFactory, ProgrammeFactory, TargetFactory
from tests.opds.factories import ApplicationFactory, OPDFactory, RegencyFactory, UserFactory

TODAY = timezone.localdate()
YEAR = TODAY.year
INBOX_API = "/api/v1/inbox/"


@pytest.fixture
def framework(db):
    return make_framework()


def submit(head, region, framework, *, days_ago=0):
    assessment = make_assessment(head, region, framework, year=YEAR)
    for indicator in Indicator.objects.filter(dimension__framework=framework):
        workflow.answer_save(assessment, indicator, user=head, version=0, self_level=2)
    workflow.assessment_transition(assessment, user=head, to="submitted")
    assessment.transitions.filter(to_status="submitted").update(
        at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return assessment


def grow(province, framework, admin_user, *, regions):
    """``regions`` more regencies of ``province``, each with OPDs, incomplete applications,
    a submitted and an in-review assessment, and a plan year without realisations."""
    for number in range(regions):
        regency = RegencyFactory(parent=province, code=f"{Region.objects.count() + 30:02d}")
        opd = OPDFactory(region=regency)
        ApplicationFactory.create_batch(3, opd=opd)
        submitted = submit(admin_user, regency, framework, days_ago=number)
        # An open question on it, answered by the head: waiting for the reviewer.
        indicator = Indicator.objects.filter(dimension__framework=framework).first()
        thread = clarifications.ask(submitted, indicator, user=admin_user, text="Mohon SK.").thread
        Clarification.objects.filter(pk=thread.pk).update(waiting_on=Clarification.Side.REVIEWER)
        review = make_assessment(admin_user, regency, framework, year=YEAR - 1)
        workflow.assessment_transition(review, user=admin_user, to="in_review")
        plan = MasterPlanFactory(region=regency, start_year=YEAR - 3, end_year=YEAR)
        TargetFactory(programme=ProgrammeFactory(plan=plan), year=YEAR - 2)


def test_a_heads_inbox_gathers_every_source_most_urgent_first(scoped_world, head):
    gunung_mas = scoped_world["gunung_mas"]
    plan = MasterPlanFactory(region=gunung_mas, start_year=YEAR - 3, end_year=YEAR)
    TargetFactory(programme=ProgrammeFactory(plan=plan), year=YEAR - 2, realisation=None)
    ApplicationFactory(opd=scoped_world["kominfo"])
    items = inbox_for(head, TODAY)
    # The plan year waits since the year after it ended, the assessment since this year
    # began; the inventory item waits since no particular day.
    assert [item.kind for item in items] == [
        "realisation_missing",
        "assessment_start",
        "region_applications",
    ]


def test_a_reviewers_inbox_puts_the_longest_waiting_submission_first(
    scoped_world, head, admin_user, reviewer, framework
):
    recent = submit(head, scoped_world["gunung_mas"], framework, days_ago=2)
    older = submit(admin_user, scoped_world["katingan"], framework, days_ago=9)
    submit(admin_user, scoped_world["other_regency"], framework, days_ago=30)
    items = inbox_for(reviewer, TODAY)
    assert [(i.kind, i.object_id) for i in items] == [
        ("assessment_submitted", older.pk),
        ("assessment_submitted", recent.pk),
    ]


def test_an_opd_operators_inbox_holds_their_opds_records(scoped_world, opd_staff):
    mine = ApplicationFactory(opd=scoped_world["kominfo"])
    ApplicationFactory(opd=scoped_world["dukcapil"])
    assert [(i.kind, i.object_id) for i in inbox_for(opd_staff, TODAY)] == [
        ("application_incomplete", mine.pk)
    ]


def test_an_administrator_has_no_items_of_their_own(scoped_world, admin_user, framework):
    ApplicationFactory(opd=scoped_world["kominfo"])
    submit(admin_user, scoped_world["gunung_mas"], framework)
    assert inbox_for(admin_user, TODAY) == []


def test_the_home_page_lists_the_items_with_days_waiting(
    client, scoped_world, head, reviewer, framework
):
    submit(head, scoped_world["gunung_mas"], framework, days_ago=4)
    client.force_login(reviewer)
    content = client.get(reverse("opds:home")).content.decode()
    assert 'data-kind="assessment_submitted"' in content
    assert "Menunggu 4 hari" in content
    assert "Verifikasi penilaian mandiri Kabupaten Gunung Mas" in content
    assert 'data-testid="inbox-empty"' not in content


def test_the_home_page_says_when_nothing_needs_the_user(client, scoped_world, reviewer):
    client.force_login(reviewer)
    content = client.get(reverse("opds:home")).content.decode()
    assert 'data-testid="inbox-empty"' in content
    assert "Tidak ada yang perlu Anda tangani sekarang." in content
    assert "Provinsi Kalimantan Tengah" in content  # the scope, beside the inbox


def test_a_head_home_keeps_the_region_card(client, scoped_world, head):
    client.force_login(head)
    content = client.get(reverse("opds:home")).content.decode()
    assert "Kabupaten Gunung Mas" in content
    assert "Kabupaten Katingan" not in content
    assert 'data-kind="assessment_start"' in content


def test_an_operator_home_keeps_the_opd_card(client, scoped_world, opd_staff):
    client.force_login(opd_staff)
    content = client.get(reverse("opds:home")).content.decode()
    assert "Dinas Komunikasi, Informatika, Statistik dan Persandian" in content
    assert f'href="/applications/?opd={scoped_world["kominfo"].pk}"' in content


def test_an_administrator_home_summarises_each_province(
    client, scoped_world, head, admin_user, framework
):
    submit(head, scoped_world["gunung_mas"], framework)
    ApplicationFactory(opd=scoped_world["kominfo"])
    ApplicationFactory(
        opd=scoped_world["other_opd"],
        description="Lengkap",
        person_in_charge="Kepala Bidang",
        url="https://tanahlautkab.go.id",
    )
    client.force_login(admin_user)
    response = client.get(reverse("opds:home"))
    summaries = {s.province.code: s for s in response.context["summaries"]}
    assert summaries["62"].regions == 2
    assert summaries["62"].waiting == 1
    assert summaries["62"].incomplete_applications == 1
    assert summaries["63"].regions == 1
    assert summaries["63"].waiting == 0
    assert summaries["63"].incomplete_applications == 0
    content = response.content.decode()
    assert content.count('data-testid="province-summary"') == 2
    assert reverse("reports:province_ranking", kwargs={"code": "62"}) in content


def test_the_api_gives_each_item_with_its_stable_fields(
    client, scoped_world, head, reviewer, framework
):
    assessment = submit(head, scoped_world["gunung_mas"], framework, days_ago=3)
    client.force_login(reviewer)
    body = client.get(INBOX_API).json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["kind"] == "assessment_submitted"
    assert row["region"] == "62.10"
    assert row["object_id"] == assessment.pk
    assert row["due"] is None
    assert row["url"] == f"http://testserver{assessment.get_absolute_url()}"
    assert row["title"]
    assert row["waiting_since"] == str(TODAY - datetime.timedelta(days=3))


def test_the_api_is_for_signed_in_users_and_empty_without_a_role(client, scoped_world, db):
    assert client.get(INBOX_API).status_code == 401
    client.force_login(UserFactory())
    assert client.get(INBOX_API).json()["results"] == []


def this_years_cycle(province, framework, admin_user, *, year=YEAR):
    """The province's cycle of this year, its self-assessment running; of an earlier ``year``,
    the same dates as many years back."""
    day = datetime.timedelta(days=1)
    start = TODAY - (YEAR - year) * 365 * day
    cycle = Cycle(
        province=province,
        year=year,
        framework=framework,
        self_assessment_opens=start - 30 * day,
        submission_deadline=start + 5 * day,
        verification_starts=start + 6 * day,
        verification_ends=start + 20 * day,
        finalisation_deadline=start + 30 * day,
    )
    return cycles.cycle_save(cycle, user=admin_user)


def fill(scoped_world, framework, admin_user, *, regions):
    """Grow the world by ``regions`` regencies, stale records in Gunung Mas's OPDs, plan
    years without realisations, this year's cycle, and questions to Gunung Mas's head; and by
    earlier years' cycles, each with a draft of Gunung Mas left unfinished, extended."""
    gunung_mas = scoped_world["gunung_mas"]
    if not Cycle.objects.exists():
        this_years_cycle(gunung_mas.parent, framework, admin_user)
    for year in range(YEAR - regions, YEAR):
        if Cycle.objects.filter(year=year).exists():
            continue
        cycle = this_years_cycle(gunung_mas.parent, framework, admin_user, year=year)
        make_assessment(admin_user, gunung_mas, framework, year=year)
        cycles.extension_grant(
            cycle,
            user=admin_user,
            region=gunung_mas,
            stage="self_assessment",
            until=cycle.submission_deadline + datetime.timedelta(days=10),
            reason="Bukti dukung menyusul.",
        )
    draft = Assessment.objects.filter(region=gunung_mas, year=YEAR).first() or make_assessment(
        admin_user, gunung_mas, framework, year=YEAR
    )
    for indicator in Indicator.objects.filter(dimension__framework=framework)[:regions]:
        clarifications.ask(draft, indicator, user=admin_user, text="Mohon unggah dokumen.")
    grow(gunung_mas.parent, framework, admin_user, regions=regions)
    for opd in (scoped_world["kominfo"], scoped_world["dukcapil"]):
        ApplicationFactory.create_batch(regions * 2, opd=opd)
    Application.objects.update(changed_at=timezone.now() - datetime.timedelta(days=400))
    plan = MasterPlan.objects.filter(region=scoped_world["gunung_mas"]).first() or (
        MasterPlanFactory(region=scoped_world["gunung_mas"], start_year=YEAR - 3, end_year=YEAR)
    )
    for year in range(YEAR - 3, YEAR):
        for _n in range(regions):
            TargetFactory(programme=ProgrammeFactory(plan=plan), year=year, realisation=None)


# Queries of a page beyond the inbox: session, user, membership, the scope card or summaries,
# the navigation's unread notifications.
# A head's and a reviewer's assessments carry the deadlines of their own years' cycles: two
# queries (the cycles, the extensions) whatever the number of assessments and years.
PAGE_QUERIES = {"admin_user": 9, "reviewer": 18, "head": 15, "opd_staff": 6}
API_QUERIES = {"admin_user": 3, "reviewer": 12, "head": 13, "opd_staff": 4}


@pytest.mark.parametrize("user", ["admin_user", "reviewer", "head", "opd_staff"])
def test_an_inbox_takes_the_same_number_of_queries_whatever_the_data(
    client, scoped_world, request, framework, admin_user, django_assert_max_num_queries, user
):
    client.force_login(request.getfixturevalue(user))
    for regions in (1, 8):
        fill(scoped_world, framework, admin_user, regions=regions)
        with django_assert_max_num_queries(PAGE_QUERIES[user]):
            page = client.get(reverse("opds:home"))
        with django_assert_max_num_queries(API_QUERIES[user]):
            api = client.get(INBOX_API)
        assert page.status_code == api.status_code == 200
        assert api.json()["count"] == len(page.context["rows"])
        assert {row["kind"] for row in api.json()["results"]} <= set(KINDS)

import datetime

from django.utils import timezone

from assessments import inbox, workflow
from assessments.models import Transition
from tests.assessments.factories import make_assessment

TODAY = timezone.localdate()
YEAR = TODAY.year


def answer_all(assessment, indicators, user, *, level="self_level", leave=0):
    for indicator in list(indicators.values())[leave:]:
        workflow.answer_save(assessment, indicator, user=user, version=0, **{level: 2})


def backdate(assessment, to_status, days):
    Transition.objects.filter(assessment=assessment, to_status=to_status).update(
        at=timezone.now() - datetime.timedelta(days=days)
    )


def kinds(items):
    return [item.kind for item in items]


def test_a_head_without_this_years_assessment_is_asked_to_start_it(scoped_world, head, framework):
    make_assessment(head, scoped_world["gunung_mas"], framework, year=YEAR - 1)
    [item] = inbox.inbox_items(head, today=TODAY)
    assert item.kind == "assessment_start"
    assert item.region == "62.10"
    assert item.object_id is None
    assert item.url == f"/assessments/new/?region=62.10&year={YEAR}"


def test_a_head_continues_a_draft_with_the_indicators_left(
    scoped_world, head, framework, indicators
):
    draft = make_assessment(head, scoped_world["gunung_mas"], framework, year=YEAR)
    answer_all(draft, indicators, head, leave=1)
    [item] = inbox.inbox_items(head, today=TODAY)
    assert (item.kind, item.object_id) == ("assessment_continue", draft.pk)
    assert "1 dari 4 indikator belum diisi" in item.detail
    assert item.url == draft.get_absolute_url()


def test_a_head_with_every_indicator_answered_is_asked_to_submit(
    scoped_world, head, framework, indicators
):
    draft = make_assessment(head, scoped_world["gunung_mas"], framework, year=YEAR)
    answer_all(draft, indicators, head)
    assert kinds(inbox.inbox_items(head, today=TODAY)) == ["assessment_submit"]


def test_a_returned_assessment_shows_the_reviewers_note(
    scoped_world, head, reviewer, framework, indicators
):
    draft = make_assessment(head, scoped_world["gunung_mas"], framework, year=YEAR)
    answer_all(draft, indicators, head)
    workflow.assessment_transition(draft, user=head, to="submitted")
    assert inbox.inbox_items(head, today=TODAY) == []
    workflow.assessment_transition(
        draft, user=reviewer, to="draft", note="Lampirkan Perbup SPBE pada indikator kebijakan."
    )
    [item] = inbox.inbox_items(head, today=TODAY)
    assert item.kind == "assessment_returned"
    assert item.detail == "Lampirkan Perbup SPBE pada indikator kebijakan."


def test_a_reviewer_sees_submitted_assessments_with_the_days_waiting(
    scoped_world, head, reviewer, framework, indicators
):
    submitted = make_assessment(head, scoped_world["gunung_mas"], framework, year=YEAR)
    answer_all(submitted, indicators, head)
    workflow.assessment_transition(submitted, user=head, to="submitted")
    backdate(submitted, "submitted", 5)
    make_assessment(reviewer, scoped_world["katingan"], framework, year=YEAR)  # a draft
    [item] = inbox.inbox_items(reviewer, today=TODAY)
    assert (item.kind, item.object_id, item.region) == (
        "assessment_submitted",
        submitted.pk,
        "62.10",
    )
    assert item.days_waiting(TODAY) == 5


def test_a_reviewer_sees_what_is_left_to_verify(scoped_world, reviewer, framework, indicators):
    review = make_assessment(reviewer, scoped_world["katingan"], framework, year=YEAR - 1)
    workflow.assessment_transition(review, user=reviewer, to="in_review")
    answer_all(review, indicators, reviewer, level="verified_level", leave=3)
    [item] = inbox.inbox_items(reviewer, today=TODAY)
    assert (item.kind, item.object_id) == ("assessment_in_review", review.pk)
    assert "3 dari 4 indikator belum diverifikasi" in item.detail


def test_another_provinces_assessments_never_reach_a_reviewer(
    scoped_world, reviewer, admin_user, framework
):
    other = make_assessment(admin_user, scoped_world["other_regency"], framework, year=YEAR)
    workflow.assessment_transition(other, user=admin_user, to="in_review")
    assert inbox.inbox_items(reviewer, today=TODAY) == []


def test_operators_and_admins_get_no_assessment_items(scoped_world, opd_staff, admin_user):
    assert inbox.inbox_items(opd_staff, today=TODAY) == []
    assert inbox.inbox_items(admin_user, today=TODAY) == []

import datetime

from django.utils import timezone

from assessments import clarifications, cycles, inbox, workflow
from assessments.models import Assessment, Cycle, Transition
from egov_portal.inbox import sort_items
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
    earlier = make_assessment(head, scoped_world["gunung_mas"], framework, year=YEAR - 1)
    Assessment.objects.filter(pk=earlier.pk).update(status="final")
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


# Deadlines from the province's evaluation cycle, and clarification threads.


def running_cycle(province, framework, user, *, year=YEAR, submission_in=5, opened=30):
    day = datetime.timedelta(days=1)
    cycle = Cycle(
        province=province,
        year=year,
        framework=framework,
        self_assessment_opens=TODAY - opened * day,
        submission_deadline=TODAY + submission_in * day,
        verification_starts=TODAY + (submission_in + 1) * day,
        verification_ends=TODAY + (submission_in + 15) * day,
        finalisation_deadline=TODAY + (submission_in + 25) * day,
    )
    return cycles.cycle_save(cycle, user=user)


def test_a_heads_step_carries_the_cycles_deadline_and_the_regions_extension(
    scoped_world, head, reviewer, framework
):
    gunung_mas = scoped_world["gunung_mas"]
    cycle = running_cycle(gunung_mas.parent, framework, reviewer)
    [item] = inbox.inbox_items(head, today=TODAY)
    assert (item.kind, item.due) == ("assessment_start", cycle.submission_deadline)
    draft = make_assessment(head, gunung_mas, framework, year=YEAR)
    later = TODAY + datetime.timedelta(days=12)
    cycles.extension_grant(
        cycle,
        user=reviewer,
        region=gunung_mas,
        stage="self_assessment",
        until=later,
        reason="Banjir bandang di Kuala Kurun.",
    )
    [item] = inbox.inbox_items(head, today=TODAY)
    assert (item.kind, item.object_id, item.due) == ("assessment_continue", draft.pk, later)


def test_a_head_works_on_the_current_cycles_year_not_the_calendars(
    scoped_world, head, reviewer, framework
):
    gunung_mas = scoped_world["gunung_mas"]
    running_cycle(gunung_mas.parent, framework, reviewer, year=YEAR - 1, submission_in=-3)
    draft = make_assessment(head, gunung_mas, framework, year=YEAR - 1)
    [item] = inbox.inbox_items(head, today=TODAY)
    assert (item.kind, item.object_id) == ("assessment_continue", draft.pk)
    assert item.is_overdue(TODAY)


def test_a_heads_earlier_draft_stays_with_its_own_cycles_deadline_and_comes_first(
    scoped_world, head, reviewer, framework, indicators
):
    gunung_mas = scoped_world["gunung_mas"]
    earlier_cycle = running_cycle(
        gunung_mas.parent, framework, reviewer, year=YEAR - 1, submission_in=-40, opened=400
    )
    extended = TODAY - datetime.timedelta(days=20)
    cycles.extension_grant(
        earlier_cycle,
        user=reviewer,
        region=gunung_mas,
        stage="self_assessment",
        until=extended,
        reason="Pembatasan kegiatan menunda pengumpulan bukti dukung.",
    )
    current = running_cycle(gunung_mas.parent, framework, reviewer)
    earlier = make_assessment(head, gunung_mas, framework, year=YEAR - 1)
    answer_all(earlier, indicators, head)
    items = sort_items(inbox.inbox_items(head, today=TODAY), today=TODAY)
    assert [(i.kind, i.object_id, i.due) for i in items] == [
        ("assessment_submit", earlier.pk, extended),
        ("assessment_start", None, current.submission_deadline),
    ]
    assert items[0].days_overdue(TODAY) == 20
    # This year's assessment submitted, the earlier draft still waits for the head.
    this_year = make_assessment(head, gunung_mas, framework, year=YEAR)
    Assessment.objects.filter(pk=this_year.pk).update(status="submitted")
    [item] = inbox.inbox_items(head, today=TODAY)
    assert (item.kind, item.object_id, item.due) == ("assessment_submit", earlier.pk, extended)


def test_a_reviewer_sees_earlier_years_submissions_late_by_their_own_cycle(
    scoped_world, head, reviewer, framework
):
    gunung_mas, katingan = scoped_world["gunung_mas"], scoped_world["katingan"]
    earlier_cycle = running_cycle(
        gunung_mas.parent, framework, reviewer, year=YEAR - 1, submission_in=-40, opened=400
    )
    extended = TODAY - datetime.timedelta(days=10)
    cycles.extension_grant(
        earlier_cycle,
        user=reviewer,
        region=gunung_mas,
        stage="verification",
        until=extended,
        reason="Kunjungan lapangan ditunda.",
    )
    current = running_cycle(gunung_mas.parent, framework, reviewer, submission_in=-3)
    late = make_assessment(head, gunung_mas, framework, year=YEAR - 1)
    in_review = make_assessment(reviewer, katingan, framework, year=YEAR - 1)
    this_year = make_assessment(reviewer, katingan, framework, year=YEAR)
    Assessment.objects.filter(pk__in=[late.pk, this_year.pk]).update(status="submitted")
    Assessment.objects.filter(pk=in_review.pk).update(status="in_review")
    items = [
        item
        for item in sort_items(inbox.inbox_items(reviewer, today=TODAY), today=TODAY)
        if item.kind.startswith("assessment_")
    ]
    assert [(i.kind, i.object_id, i.due) for i in items] == [
        ("assessment_in_review", in_review.pk, earlier_cycle.finalisation_deadline),
        ("assessment_submitted", late.pk, extended),
        ("assessment_submitted", this_year.pk, current.verification_ends),
    ]
    assert [item.is_overdue(TODAY) for item in items] == [True, True, False]


def test_a_reviewer_sees_the_regions_that_have_not_submitted_before_a_coming_deadline(
    scoped_world, head, reviewer, framework, indicators
):
    gunung_mas = scoped_world["gunung_mas"]
    cycle = running_cycle(gunung_mas.parent, framework, reviewer)
    items = inbox.inbox_items(reviewer, today=TODAY)
    [deadline] = [item for item in items if item.kind == "deadline_submission"]
    assert deadline.due == cycle.submission_deadline
    assert gunung_mas.name in deadline.detail
    assert deadline.url == "/assessments/cycles/"
    # Once every region has submitted, the item is gone and the submitted one has its deadline.
    regions = gunung_mas.parent.children.all()
    for region in regions:
        assessment = make_assessment(reviewer, region, framework, year=YEAR)
        Assessment.objects.filter(pk=assessment.pk).update(status="submitted")
    items = inbox.inbox_items(reviewer, today=TODAY)
    assert "deadline_submission" not in kinds(items)
    assert {item.due for item in items if item.kind == "assessment_submitted"} == {
        cycle.verification_ends
    }


def test_a_deadline_months_away_is_not_yet_in_a_reviewers_inbox(scoped_world, reviewer, framework):
    running_cycle(scoped_world["gunung_mas"].parent, framework, reviewer, submission_in=40)
    assert "deadline_submission" not in kinds(inbox.inbox_items(reviewer, today=TODAY))


def test_a_question_waits_for_the_head_and_the_answer_for_the_reviewer(
    scoped_world, head, reviewer, framework, indicators
):
    draft = make_assessment(head, scoped_world["gunung_mas"], framework, year=YEAR)
    indicator = list(indicators.values())[0]
    comment = clarifications.ask(draft, indicator, user=reviewer, text="Mohon unggah SK.")
    [question] = [i for i in inbox.inbox_items(head, today=TODAY) if i.kind.startswith("clar")]
    assert (question.kind, question.object_id) == ("clarification_question", comment.thread.pk)
    assert question.url == comment.thread.get_absolute_url()
    assert "clarification_answer" not in kinds(inbox.inbox_items(reviewer, today=TODAY))
    clarifications.reply(comment.thread, user=head, text="SK terlampir.")
    assert "clarification_question" not in kinds(inbox.inbox_items(head, today=TODAY))
    [answer] = [i for i in inbox.inbox_items(reviewer, today=TODAY) if i.kind.startswith("clar")]
    assert answer.kind == "clarification_answer"

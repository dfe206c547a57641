import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import workflow
from assessments.models import Answer, Assessment, Transition
from egov_portal.errors import WrongState
from tests.assessments.factories import make_assessment
from tests.opds.factories import ProvinceFactory, user_with_role

Status = Assessment.Status


def fill(assessment, indicators, user, *, field, level=3):
    for indicator in indicators.values():
        answer = Answer.objects.filter(assessment=assessment, indicator=indicator).first()
        workflow.answer_save(
            assessment,
            indicator,
            user=user,
            version=answer.version if answer else 0,
            **{field: level},
        )


def move(assessment, user, to, note=""):
    workflow.assessment_transition(assessment, user=user, to=to, note=note)
    assessment.refresh_from_db()


def test_creating_an_assessment_records_the_draft_step(draft, reviewer):
    assert draft.status == Status.DRAFT
    step = draft.transitions.get()
    assert (step.from_status, step.to_status, step.user) == ("", Status.DRAFT, reviewer)


def test_one_assessment_per_region_year_and_framework(draft, reviewer, gunung_mas, framework):
    with pytest.raises(ValidationError) as error:
        make_assessment(reviewer, gunung_mas, framework)
    assert "sudah memiliki penilaian" in str(error.value)


def test_reviewer_cannot_create_an_assessment_outside_the_province(
    reviewer, other_province_regency, framework
):
    with pytest.raises(PermissionDenied):
        make_assessment(reviewer, other_province_regency, framework)


def test_head_may_create_only_for_own_region(head, gunung_mas, katingan, framework):
    assert make_assessment(head, gunung_mas, framework).region == gunung_mas
    with pytest.raises(PermissionDenied):
        make_assessment(head, katingan, framework)


def test_opd_staff_cannot_create_assessments(opd_staff, gunung_mas, framework):
    with pytest.raises(PermissionDenied):
        make_assessment(opd_staff, gunung_mas, framework)


def test_head_sets_self_levels_and_reviewer_verified_levels_in_draft(
    draft, indicators, head, reviewer
):
    indicator = indicators["policy-01"]
    answer = workflow.answer_save(draft, indicator, user=head, version=0, self_level=3)
    assert (answer.self_level, answer.version, answer.updated_by) == (3, 1, head)
    answer = workflow.answer_save(draft, indicator, user=reviewer, version=1, verified_level=3)
    assert answer.level == 3
    with pytest.raises(PermissionDenied):
        workflow.answer_save(draft, indicator, user=head, version=2, verified_level=2)
    with pytest.raises(PermissionDenied):
        workflow.answer_save(draft, indicator, user=reviewer, version=2, self_level=1)


def test_a_verified_level_that_differs_needs_a_reason(draft, indicators, head, reviewer):
    indicator = indicators["policy-01"]
    workflow.answer_save(draft, indicator, user=head, version=0, self_level=4)
    with pytest.raises(ValidationError) as error:
        workflow.answer_save(draft, indicator, user=reviewer, version=1, verified_level=2)
    assert "reason" in error.value.message_dict
    assert Answer.objects.get(indicator=indicator).verified_level is None
    answer = workflow.answer_save(
        draft, indicator, user=reviewer, version=1, verified_level=2, reason="Belum ada SK."
    )
    assert answer.differs


def test_a_level_outside_the_scale_is_refused_naming_the_range(draft, indicators, head):
    with pytest.raises(ValidationError) as error:
        workflow.answer_save(draft, indicators["policy-01"], user=head, version=0, self_level=5)
    assert error.value.message_dict["self_level"] == ["Pilih level antara 1 dan 4."]
    assert not Answer.objects.exists()


def test_a_stale_version_is_a_conflict_carrying_the_current_answer(
    draft, indicators, reviewer, admin_user
):
    indicator = indicators["planning-01"]
    workflow.answer_save(draft, indicator, user=reviewer, version=0, verified_level=2)
    with pytest.raises(workflow.AnswerConflict) as conflict:
        workflow.answer_save(draft, indicator, user=admin_user, version=0, verified_level=4)
    assert conflict.value.current.verified_level == 2
    assert Answer.objects.get(indicator=indicator).verified_level == 2


def test_every_change_bumps_the_assessment_revision(draft, indicators, head):
    before = draft.revision
    workflow.answer_save(draft, indicators["policy-01"], user=head, version=0, self_level=2)
    draft.refresh_from_db()
    assert draft.revision == before + 1


def test_head_submits_only_a_complete_self_assessment(draft, indicators, head):
    workflow.answer_save(draft, indicators["policy-01"], user=head, version=0, self_level=2)
    with pytest.raises(ValidationError) as error:
        move(draft, head, Status.SUBMITTED)
    assert "3 dari 4 indikator" in error.value.messages[0]
    fill(draft, indicators, head, field="self_level")
    move(draft, head, Status.SUBMITTED, "Penilaian mandiri selesai.")
    assert draft.status == Status.SUBMITTED


def test_submitted_assessment_accepts_no_level_changes(draft, indicators, head, reviewer):
    fill(draft, indicators, head, field="self_level")
    move(draft, head, Status.SUBMITTED)
    with pytest.raises(WrongState):
        workflow.answer_save(draft, indicators["policy-01"], user=head, version=1, self_level=1)
    with pytest.raises(WrongState):
        workflow.answer_save(
            draft, indicators["policy-01"], user=reviewer, version=1, verified_level=1
        )


def test_full_path_with_self_assessment_review_and_final(draft, indicators, head, reviewer):
    fill(draft, indicators, head, field="self_level")
    move(draft, head, Status.SUBMITTED)
    move(draft, reviewer, Status.IN_REVIEW)
    with pytest.raises(WrongState):
        workflow.answer_save(draft, indicators["policy-01"], user=head, version=1, self_level=1)
    with pytest.raises(ValidationError):
        move(draft, reviewer, Status.FINAL)
    fill(draft, indicators, reviewer, field="verified_level")
    move(draft, reviewer, Status.FINAL, "Disepakati.")
    assert draft.status == Status.FINAL
    assert [t.to_status for t in draft.transitions.all()] == [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.IN_REVIEW,
        Status.FINAL,
    ]


def test_province_led_visit_skips_the_self_assessment(draft, indicators, reviewer):
    fill(draft, indicators, reviewer, field="verified_level", level=2)
    move(draft, reviewer, Status.IN_REVIEW)
    move(draft, reviewer, Status.FINAL)
    assert draft.status == Status.FINAL


def test_final_assessment_is_read_only_until_an_admin_reopens_it_with_a_reason(
    draft, indicators, reviewer, admin_user
):
    fill(draft, indicators, reviewer, field="verified_level")
    move(draft, reviewer, Status.IN_REVIEW)
    move(draft, reviewer, Status.FINAL)
    for user in (reviewer, admin_user):
        with pytest.raises(WrongState):
            workflow.answer_save(
                draft, indicators["policy-01"], user=user, version=2, verified_level=1
            )
    with pytest.raises(PermissionDenied):
        move(draft, reviewer, Status.IN_REVIEW, "Salah hitung")
    with pytest.raises(ValidationError):
        move(draft, admin_user, Status.IN_REVIEW, "")
    move(draft, admin_user, Status.IN_REVIEW, "Bukti baru dari Bagian Hukum.")
    assert draft.status == Status.IN_REVIEW
    assert draft.transitions.last().note == "Bukti baru dari Bagian Hukum."


def test_reviewer_may_return_a_submission_with_a_note(draft, indicators, head, reviewer):
    fill(draft, indicators, head, field="self_level")
    move(draft, head, Status.SUBMITTED)
    with pytest.raises(ValidationError):
        move(draft, reviewer, Status.DRAFT)
    move(draft, reviewer, Status.DRAFT, "Lengkapi bukti dukung kebijakan.")
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (Status.DRAFT, Status.SUBMITTED, {"head", "admin"}),
        (Status.DRAFT, Status.IN_REVIEW, {"reviewer", "admin"}),
        (Status.DRAFT, Status.FINAL, set()),
        (Status.SUBMITTED, Status.IN_REVIEW, {"reviewer", "admin"}),
        (Status.SUBMITTED, Status.DRAFT, {"reviewer", "admin"}),
        (Status.SUBMITTED, Status.FINAL, set()),
        (Status.IN_REVIEW, Status.FINAL, {"reviewer", "admin"}),
        (Status.IN_REVIEW, Status.SUBMITTED, set()),
        (Status.FINAL, Status.IN_REVIEW, {"admin"}),
        (Status.FINAL, Status.DRAFT, set()),
    ],
)
def test_each_transition_is_made_only_by_its_roles(
    start, to, allowed, framework, gunung_mas, province, indicators, kominfo
):
    users = {
        "admin": user_with_role("admin"),
        "reviewer": user_with_role("reviewer", region=province),
        "head": user_with_role("head", region=gunung_mas),
        "opd_staff": user_with_role("opd_staff", opd=kominfo),
        "other_reviewer": user_with_role("reviewer", region=ProvinceFactory(code="63")),
    }
    for role, user in users.items():
        assessment = make_assessment(users["admin"], gunung_mas, framework, year=2000 + len(role))
        for indicator in indicators.values():
            Answer.objects.create(
                assessment=assessment, indicator=indicator, self_level=3, verified_level=3
            )
        Assessment.objects.filter(pk=assessment.pk).update(status=start)
        assessment.refresh_from_db()
        expected = role in allowed
        if expected:
            move(assessment, user, to, "catatan")
            assert assessment.status == to
        else:
            with pytest.raises((PermissionDenied, WrongState)):
                move(assessment, user, to, "catatan")
            assessment.refresh_from_db()
            assert assessment.status == start
        moved = Transition.objects.filter(assessment=assessment, from_status=start, to_status=to)
        assert moved.exists() == expected

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from assessments import scoring, verification, workflow
from assessments.loader import FRAMEWORKS_DIR
from assessments.models import Answer, Assessment, Framework, Indicator
from tests.assessments.factories import make_assessment

Status = Assessment.Status


@pytest.fixture
def pegi(db):
    call_command("load_framework", str(FRAMEWORKS_DIR / "pegi.json"), stdout=StringIO())
    return Framework.objects.get(code="pegi")


@pytest.fixture
def assessment(pegi, reviewer, gunung_mas):
    return make_assessment(reviewer, gunung_mas, pegi)


@pytest.fixture
def pegi_indicators(pegi):
    return {i.code: i for i in Indicator.objects.filter(dimension__framework=pegi)}


def save(assessment, indicator, user, **changes):
    answer = Answer.objects.filter(assessment=assessment, indicator=indicator).first()
    return workflow.answer_save(
        assessment, indicator, user=user, version=answer.version if answer else 0, **changes
    )


@pytest.fixture
def half_verified(assessment, pegi_indicators, head, reviewer):
    """Policy: the head answered all seven; the reviewer verified four in draft (one the same,
    one differing with a reason, one set before the head answered differently, one N/A).
    Planning: the reviewer verified one indicator the head has not answered."""
    for n in range(1, 8):
        if n != 4:
            save(assessment, pegi_indicators[f"policy-0{n}"], head, self_level=2)
    save(assessment, pegi_indicators["policy-01"], reviewer, verified_level=2)
    save(assessment, pegi_indicators["policy-02"], reviewer, verified_level=3, reason="Perbup.")
    save(assessment, pegi_indicators["policy-04"], reviewer, verified_level=4)
    save(assessment, pegi_indicators["policy-04"], head, self_level=1)
    save(assessment, pegi_indicators["policy-05"], reviewer, not_applicable=True)
    save(assessment, pegi_indicators["planning-01"], reviewer, verified_level=1)
    return assessment


def test_nothing_answered_leaves_every_indicator_of_pegi_to_verify(assessment):
    progress = verification.progress(assessment)
    assert list(progress.dimensions) == [
        "policy",
        "institutions",
        "infrastructure",
        "applications",
        "planning",
    ]
    for counts in progress.dimensions.values():
        assert (counts.total, counts.verified, counts.to_verify) == (7, 0, 7)
    assert (progress.total.total, progress.total.to_verify) == (35, 35)


def test_counts_per_dimension_and_in_total(half_verified):
    progress = verification.progress(half_verified)
    policy = progress.dimension("policy")
    assert (policy.total, policy.answered, policy.verified, policy.to_verify) == (7, 7, 4, 3)
    assert (policy.verified_levels, policy.differing, policy.differing_unexplained) == (3, 2, 1)
    planning = progress.dimension("planning")
    assert (planning.answered, planning.verified, planning.to_verify) == (0, 1, 6)
    assert progress.dimension("institutions").to_verify == 7
    total = progress.total
    assert (total.total, total.answered, total.verified, total.to_verify) == (35, 7, 5, 30)
    assert (total.differing, total.differing_unexplained) == (2, 1)


def test_a_reason_of_blanks_is_no_reason(half_verified):
    Answer.objects.filter(indicator__code="policy-02").update(reason="   \n ")
    assert verification.progress(half_verified).total.differing_unexplained == 2
    codes = [item.code for item in verification.final_check(half_verified).unexplained]
    assert codes == ["policy-02", "policy-04"]


def test_answered_count_of_the_workflow_is_the_same_count(half_verified):
    assert workflow.answered_count(half_verified, verified=False) == (7, 35)
    assert workflow.answered_count(half_verified, verified=True) == (5, 35)


def test_counts_take_one_query_and_the_final_check_one(half_verified, django_assert_num_queries):
    scoring.framework_spec(half_verified.framework)  # built once per process and framework
    with django_assert_num_queries(1):
        verification.progress(half_verified)
    with django_assert_num_queries(1):
        verification.final_check(half_verified)


def test_final_check_lists_what_is_left_in_the_framework_order(half_verified):
    check = verification.final_check(half_verified)
    assert not check.ready
    assert check.total == 35
    assert [item.code for item in check.unverified][:4] == [
        "policy-03",
        "policy-06",
        "policy-07",
        "institutions-01",
    ]
    assert len(check.unverified) == 30
    assert [(item.code, item.dimension) for item in check.unexplained] == [("policy-04", "policy")]
    assert check.unexplained[0].name == Indicator.objects.get(code="policy-04").name
    assert check.problems() == [
        "Masih ada 30 dari 35 indikator tanpa level verifikasi. Verifikasi semuanya (atau "
        "tandai tidak berlaku) sebelum menetapkan final.",
        "Indikator policy-04: level verifikasi berbeda dari level mandiri tanpa alasan.",
    ]


def test_the_workflow_refuses_final_with_the_final_checks_words(half_verified, reviewer):
    workflow.assessment_transition(half_verified, user=reviewer, to=Status.IN_REVIEW)
    with pytest.raises(ValidationError) as refusal:
        workflow.assessment_transition(half_verified, user=reviewer, to=Status.FINAL)
    assert refusal.value.messages == verification.final_check(half_verified).problems()


def test_a_fully_verified_assessment_is_ready(assessment, pegi_indicators, reviewer):
    for indicator in pegi_indicators.values():
        save(assessment, indicator, reviewer, verified_level=3)
    check = verification.final_check(assessment)
    assert check.ready and check.problems() == [] and check.unverified == []
    workflow.assessment_transition(assessment, user=reviewer, to=Status.IN_REVIEW)
    workflow.assessment_transition(assessment, user=reviewer, to=Status.FINAL)
    assessment.refresh_from_db()
    assert assessment.status == Status.FINAL


def test_filters_keep_the_unverified_and_the_differing_indicators(half_verified, pegi):
    policy = Indicator.objects.filter(dimension__framework=pegi, dimension__code="policy")

    def codes(show):
        found = verification.filter_indicators(policy, half_verified, show)
        return sorted(found.values_list("code", flat=True))

    assert codes("unverified") == ["policy-03", "policy-06", "policy-07"]
    assert codes("differing") == ["policy-02", "policy-04"]
    with pytest.raises(ValueError):
        codes("everything")


def test_another_assessment_does_not_count(half_verified, pegi, reviewer, katingan):
    other = make_assessment(reviewer, katingan, pegi)
    assert verification.progress(other).total.verified == 0
    assert len(verification.final_check(other).unverified) == 35

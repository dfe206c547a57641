import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from assessments import cycles
from assessments.models import Assessment, Cycle, CycleExtension
from egov_portal.errors import NotAllowed
from opds.access import Role
from opds.models import Membership
from tests.assessments.factories import make_assessment
from tests.opds.factories import RegencyFactory, user_with_role

D = datetime.date
DATES = {
    "self_assessment_opens": D(2020, 7, 1),
    "submission_deadline": D(2020, 9, 30),
    "verification_starts": D(2020, 10, 5),
    "verification_ends": D(2020, 11, 27),
    "finalisation_deadline": D(2020, 12, 18),
}


def new_cycle(province, framework, *, year=2020, **dates):
    values = {**DATES, **dates}
    if year != 2020:
        values = {name: day.replace(year=year) for name, day in values.items()}
    return Cycle(province=province, year=year, framework=framework, **values)


@pytest.fixture
def cycle(province, framework, reviewer):
    return cycles.cycle_save(new_cycle(province, framework), user=reviewer)


def set_status(assessment, status):
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()
    return assessment


# The rules of a cycle.


def test_a_cycle_has_three_stages_in_order_with_stable_codes(cycle):
    assert [(s.code, s.starts, s.ends) for s in cycle.stages] == [
        ("self_assessment", D(2020, 7, 1), D(2020, 9, 30)),
        ("verification", D(2020, 10, 5), D(2020, 11, 27)),
        ("finalisation", D(2020, 11, 28), D(2020, 12, 18)),
    ]
    assert cycle.stage_on(D(2020, 10, 1)) is None
    assert cycle.stage_on(D(2020, 10, 5)).code == "verification"


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"submission_deadline": D(2020, 6, 30)}, "submission_deadline"),
        ({"verification_starts": D(2020, 9, 30)}, "verification_starts"),
        ({"verification_ends": D(2020, 10, 4)}, "verification_ends"),
        ({"finalisation_deadline": D(2020, 11, 27)}, "finalisation_deadline"),
    ],
)
def test_a_stage_out_of_order_is_refused_on_the_date_to_move(
    province, framework, reviewer, dates, field
):
    with pytest.raises(ValidationError) as error:
        cycles.cycle_save(new_cycle(province, framework, **dates), user=reviewer)
    assert list(error.value.message_dict) == [field]
    assert not Cycle.objects.exists()


def test_a_province_has_one_cycle_per_year(cycle, province, framework, reviewer):
    with pytest.raises(ValidationError) as error:
        cycles.cycle_save(new_cycle(province, framework), user=reviewer)
    assert "sudah memiliki siklus" in " ".join(error.value.messages)


def test_a_cycle_belongs_to_a_province_not_a_regency(gunung_mas, framework, admin_user):
    with pytest.raises(ValidationError) as error:
        cycles.cycle_save(new_cycle(gunung_mas, framework), user=admin_user)
    assert "province" in error.value.message_dict


def test_only_the_provinces_reviewers_and_admins_set_its_cycles(
    province, other_province, framework, head, reviewer, admin_user
):
    with pytest.raises(NotAllowed):
        cycles.cycle_save(new_cycle(province, framework), user=head)
    with pytest.raises(NotAllowed):
        cycles.cycle_save(new_cycle(other_province, framework), user=reviewer)
    cycles.cycle_save(new_cycle(other_province, framework), user=admin_user)
    assert Cycle.objects.get().province == other_province


def test_a_changed_cycle_keeps_its_history(cycle, reviewer):
    cycle.submission_deadline = D(2020, 10, 2)
    cycles.cycle_save(cycle, user=reviewer)
    records = list(cycle.history.order_by("history_date"))
    assert [r.submission_deadline for r in records] == [D(2020, 9, 30), D(2020, 10, 2)]
    assert records[-1].history_user == reviewer


# Extensions.


def grant(cycle, user, region, **kwargs):
    values = {"stage": "self_assessment", "until": D(2020, 10, 16), "reason": "Banjir"}
    return cycles.extension_grant(cycle, user=user, region=region, **{**values, **kwargs})


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_extension_needs_a_reason(cycle, reviewer, gunung_mas, reason):
    with pytest.raises(ValidationError) as error:
        grant(cycle, reviewer, gunung_mas, reason=reason)
    assert error.value.message_dict["reason"] == ["Tuliskan alasan perpanjangan."]


def test_an_extension_is_for_a_region_of_the_cycles_province(
    cycle, reviewer, admin_user, other_province_regency
):
    with pytest.raises(ValidationError) as error:
        grant(cycle, admin_user, other_province_regency)
    assert "region" in error.value.message_dict


def test_an_extension_ends_after_the_deadline_it_extends(cycle, reviewer, gunung_mas):
    with pytest.raises(ValidationError) as error:
        grant(cycle, reviewer, gunung_mas, until=D(2020, 9, 30))
    assert "30 September 2020" in error.value.message_dict["until"][0]
    grant(cycle, reviewer, gunung_mas, stage="verification", until=D(2020, 11, 28))


def test_a_second_extension_of_a_stage_replaces_the_first(cycle, reviewer, gunung_mas):
    grant(cycle, reviewer, gunung_mas)
    grant(cycle, reviewer, gunung_mas, until=D(2020, 10, 23), reason="Banjir kedua")
    extension = CycleExtension.objects.get()
    assert (extension.until, extension.reason) == (D(2020, 10, 23), "Banjir kedua")
    assert extension.history.count() == 2


def test_a_head_cannot_grant_an_extension(cycle, head, gunung_mas):
    with pytest.raises(NotAllowed):
        grant(cycle, head, gunung_mas)


# Steps.


@pytest.mark.parametrize(
    ("status", "stage", "action", "actor", "due"),
    [
        ("draft", "self_assessment", "submit", Role.HEAD, D(2020, 9, 30)),
        ("submitted", "verification", "verify", Role.REVIEWER, D(2020, 11, 27)),
        ("in_review", "finalisation", "finalise", Role.REVIEWER, D(2020, 12, 18)),
        ("final", "finalisation", "done", None, D(2020, 12, 18)),
    ],
)
def test_the_step_follows_the_assessments_status(cycle, draft, status, stage, action, actor, due):
    step = cycles.step_for(set_status(draft, status), today=D(2020, 9, 20))
    assert (step.stage, step.action, step.actor_role, step.due) == (stage, action, actor, due)
    assert step.days_left == (due - D(2020, 9, 20)).days
    assert not step.late
    assert step.assessment == draft and step.extension is None


def test_a_step_past_its_due_date_is_late(cycle, draft):
    step = cycles.step_for(draft, today=D(2020, 10, 3))
    assert (step.days_left, step.late) == (-3, True)


def test_a_final_assessment_is_never_late(cycle, draft):
    step = cycles.step_for(set_status(draft, "final"), today=D(2021, 3, 1))
    assert step.days_left < 0 and not step.late


def test_an_extension_moves_the_due_date_of_its_stage_only(cycle, draft, reviewer, gunung_mas):
    extension = grant(cycle, reviewer, gunung_mas)
    step = cycles.step_for(draft, today=D(2020, 10, 3))
    assert (step.due, step.days_left, step.late, step.extension) == (
        D(2020, 10, 16),
        13,
        False,
        extension,
    )
    step = cycles.step_for(set_status(draft, "submitted"), today=D(2020, 10, 3))
    assert (step.due, step.extension) == (D(2020, 11, 27), None)


def test_no_step_without_a_cycle_for_the_year_and_framework(cycle, framework, reviewer, katingan):
    assessment = make_assessment(reviewer, katingan, framework, year=2021)
    assert cycles.step_for(assessment) is None


def test_the_current_cycle_is_the_latest_whose_self_assessment_opened(
    province, framework, reviewer, gunung_mas
):
    cycles.cycle_save(new_cycle(province, framework, year=2019), user=reviewer)
    cycles.cycle_save(new_cycle(province, framework, year=2020), user=reviewer)
    assert cycles.current_steps([gunung_mas], today=D(2020, 6, 30))[gunung_mas.pk].cycle.year == (
        2019
    )
    assert cycles.current_steps([gunung_mas], today=D(2020, 7, 1))[gunung_mas.pk].cycle.year == (
        2020
    )
    assert cycles.current_steps([gunung_mas], today=D(2019, 6, 30)) == {}


def test_current_steps_of_each_region_with_and_without_an_assessment(
    cycle, draft, katingan, other_province_regency, province
):
    steps = cycles.current_steps(
        [draft.region, katingan, other_province_regency, province], today=D(2020, 9, 23)
    )
    assert set(steps) == {draft.region.pk, katingan.pk}
    assert (steps[draft.region.pk].action, steps[draft.region.pk].assessment) == ("submit", draft)
    assert (steps[katingan.pk].action, steps[katingan.pk].assessment) == ("start", None)
    assert steps[katingan.pk].days_left == 7


def test_current_steps_reads_in_a_constant_number_of_queries(
    cycle, province, framework, reviewer, django_assert_num_queries
):
    def regions_with_assessments(count):
        regions = [RegencyFactory(parent=province) for _ in range(count)]
        for region in regions:
            make_assessment(reviewer, region, framework)
        return regions

    few = regions_with_assessments(2)
    with django_assert_num_queries(3):
        cycles.current_steps(few, today=D(2020, 8, 1))
    many = few + regions_with_assessments(6)
    with django_assert_num_queries(3):
        steps = cycles.current_steps(many, today=D(2020, 8, 1))
    assert len(steps) == 8


def test_due_in_finds_the_steps_due_that_day_and_not_done(
    cycle, draft, reviewer, framework, katingan, province, django_assert_max_num_queries
):
    done = RegencyFactory(parent=province)
    set_status(make_assessment(reviewer, done, framework), "final")
    extended = RegencyFactory(parent=province)
    grant(cycle, reviewer, extended, until=D(2020, 10, 7))
    with django_assert_max_num_queries(4):
        steps = cycles.due_in(7, today=D(2020, 9, 23))
    assert {(s.region, s.action) for s in steps} == {(draft.region, "submit"), (katingan, "start")}
    assert [s.region for s in cycles.due_in(7, today=D(2020, 9, 30))] == [extended]
    assert cycles.due_in(1, today=D(2020, 9, 23)) == []


def test_a_reviewer_of_another_province_sees_no_cycle_of_ours(cycle, other_province):
    reviewer = user_with_role(Membership.Role.REVIEWER, region=other_province)
    assert not Cycle.objects.visible_to(reviewer).exists()


def test_the_demo_has_kalimantan_tengahs_2019_to_2021_cycles_once(db):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert list(Cycle.objects.values_list("province__code", "year", "framework__code")) == [
        ("62", 2021, "spbe-2020"),
        ("62", 2020, "pegi"),
        ("62", 2019, "pegi"),
    ]
    assert Cycle.history.count() == 3
    extension = CycleExtension.objects.get()
    assert (extension.region.code, extension.cycle.year, extension.stage) == (
        "62.10",
        2020,
        "self_assessment",
    )
    gunung_mas_2020 = Assessment.objects.get(region__code="62.10", year=2020)
    step = cycles.step_for(gunung_mas_2020, today=D(2020, 10, 20))
    assert (step.action, step.due, step.late, step.extension) == (
        "submit",
        D(2020, 10, 30),
        False,
        extension,
    )
    gunung_mas_2019 = Assessment.objects.get(region__code="62.10", year=2019)
    assert cycles.step_for(gunung_mas_2019).done


@pytest.fixture
def other_framework(db):
    from tests.assessments.factories import make_framework

    return make_framework(code="other")


def test_a_new_assessment_is_suggested_in_the_framework_its_province_evaluates_the_year_in(
    framework, other_framework, province, reviewer, gunung_mas, katingan
):
    cycles.cycle_save(new_cycle(province, other_framework, year=2020), user=reviewer)
    make_assessment(reviewer, katingan, framework, year=2021)
    # The year's cycle, whatever the assessments of other years use.
    assert cycles.framework_to_assess(province, year=2020) == other_framework
    # Without a cycle, what that year's assessments of the province use.
    assert cycles.framework_to_assess(province, year=2021) == framework
    # Without a year, the current cycle's (2020's: no later one has opened).
    assert cycles.framework_to_assess(province, year=None, today=D(2022, 1, 3)) == other_framework
    # Without either, the newest in use anywhere: the 2021 assessment's.
    assert cycles.framework_to_assess(province, year=2030) == framework
    assert cycles.framework_to_assess(None, year=None) == framework


def test_nothing_is_suggested_while_no_cycle_or_assessment_uses_a_framework(framework, province):
    assert cycles.latest_framework() is None
    assert cycles.framework_to_assess(province, year=2020) is None
    assert cycles.framework_to_cycle(province) is None


def test_the_newest_framework_in_use_is_that_of_the_newest_year_a_cycles_first(
    framework, other_framework, province, other_province, reviewer, admin_user, gunung_mas
):
    make_assessment(reviewer, gunung_mas, framework, year=2021)
    assert cycles.latest_framework() == framework
    cycles.cycle_save(new_cycle(other_province, other_framework, year=2021), user=admin_user)
    assert cycles.latest_framework() == other_framework
    make_assessment(reviewer, gunung_mas, framework, year=2022)
    assert cycles.latest_framework() == framework


def test_a_new_cycle_is_suggested_in_the_framework_of_the_provinces_latest_cycle(
    framework, other_framework, province, other_province, reviewer, admin_user, gunung_mas
):
    cycles.cycle_save(new_cycle(province, other_framework, year=2019), user=reviewer)
    cycles.cycle_save(new_cycle(province, framework, year=2020), user=reviewer)
    make_assessment(reviewer, gunung_mas, other_framework, year=2022)
    assert cycles.framework_to_cycle(province) == framework
    # A province without a cycle: the newest framework in use.
    assert cycles.framework_to_cycle(other_province) == other_framework

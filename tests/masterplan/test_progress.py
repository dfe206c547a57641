from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments.models import Answer, Indicator
from assessments.scoring import assessment_result
from masterplan.models import MasterPlan, Target
from masterplan.progress import (
    Budget,
    ProgrammeStatus,
    budget_absorption,
    plan_progress,
    plan_review,
    programme_progress,
    score_comparison,
    target_percent,
)
from tests.assessments.factories import make_assessment
from tests.masterplan.factories import (
    DimensionTargetFactory,
    MasterPlanFactory,
    ProgrammeFactory,
    dimension,
    targets,
)

D = Decimal


def percent(baseline, target, realisation):
    return target_percent(
        baseline=D(baseline),
        target=D(target),
        realisation=None if realisation is None else D(realisation),
    )


class Many(list):
    def all(self):
        return self


def programme_of(*rows):
    """An unsaved programme: rows of (year, baseline, target, realisation)."""
    return SimpleNamespace(
        targets=Many(
            Target(year=year, baseline=D(b), target=D(t), realisation=None if r is None else D(r))
            for year, b, t, r in rows
        )
    )


def test_achievement_is_the_share_of_the_way_from_baseline_to_target():
    assert percent(10, 30, 25) == D("75.0")


def test_a_target_that_goes_down_is_measured_the_same_way():
    # Downtime from 10 hours to 2: reaching 4 hours is three quarters of the way.
    assert percent(10, 2, 4) == D("75.0")


def test_nothing_recorded_means_no_achievement_yet():
    assert percent(10, 30, None) is None


def test_moving_away_from_the_target_counts_zero():
    assert percent(10, 20, 5) == D("0.0")


def test_over_achievement_is_shown_above_one_hundred():
    assert percent(0, 10, 15) == D("150.0")


def test_a_target_equal_to_its_baseline_is_to_hold_that_level():
    assert percent(5, 5, 5) == D("100.0")
    assert percent(5, 5, 7) == D("100.0")
    assert percent(5, 5, 4) == D("80.0")
    assert percent(0, 0, 0) == D("100.0")


def test_an_over_achieved_target_counts_one_hundred_in_a_programme_mean():
    programme = programme_of((2017, 0, 10, 15), (2018, 0, 20, 10))
    # 150 % is capped to 100 before averaging with 50 %.
    assert programme_progress(programme, year=2021).percent == D("75.0")


def test_a_programme_without_targets_has_no_progress_and_has_not_started():
    progress = programme_progress(programme_of(), year=2019)
    assert progress.percent is None
    assert progress.status == ProgrammeStatus.NOT_STARTED
    assert progress.budget == Budget()


def test_past_years_without_realisation_count_zero_and_open_years_are_left_out():
    programme = programme_of(
        (2017, 0, 10, 10),  # 100 %
        (2018, 0, 20, None),  # over and not recorded: 0 %
        (2019, 0, 30, None),  # the current year, not recorded yet: left out
        (2020, 0, 40, None),  # ahead: left out
    )
    assert programme_progress(programme, year=2019).percent == D("50.0")


def test_a_realisation_recorded_in_the_current_year_counts():
    programme = programme_of((2019, 0, 10, 5), (2020, 0, 20, None))
    assert programme_progress(programme, year=2019).percent == D("50.0")


@pytest.mark.parametrize(
    ("rows", "year", "status"),
    [
        # the final target met, even before its year
        (((2017, 0, 10, 10), (2018, 0, 20, 20)), 2018, ProgrammeStatus.ACHIEVED),
        (((2017, 0, 10, 20), (2018, 0, 20, None)), 2017, ProgrammeStatus.ON_TRACK),
        (((2019, 0, 10, 20), (2020, 0, 20, 21)), 2019, ProgrammeStatus.ACHIEVED),
        # the first target year is still ahead
        (((2018, 0, 10, None),), 2017, ProgrammeStatus.NOT_STARTED),
        # last year's target missed
        (((2017, 0, 10, 5), (2018, 0, 20, None)), 2018, ProgrammeStatus.BEHIND),
        # last year's target not recorded
        (((2017, 0, 10, None), (2018, 0, 20, None)), 2018, ProgrammeStatus.BEHIND),
        # an early miss caught up by last year's target
        (((2017, 0, 10, 5), (2018, 0, 20, 20), (2019, 0, 30, None)), 2019, "on_track"),
        # the plan period is over and the final target was missed
        (((2017, 0, 10, 10), (2018, 0, 20, 15)), 2021, ProgrammeStatus.BEHIND),
        # the first year is running: on track until it is over
        (((2017, 0, 10, None),), 2017, ProgrammeStatus.ON_TRACK),
    ],
)
def test_programme_status_follows_the_current_year(rows, year, status):
    assert programme_progress(programme_of(*rows), year=year).status == status


def test_budget_absorption_is_realised_over_planned():
    assert budget_absorption(1_250_000_000, 500_000_000) == D("40.0")
    assert budget_absorption(0, 0) is None
    assert budget_absorption(1_000_000, None) is None


def test_a_budget_with_nothing_realised_recorded_has_no_absorption_or_gap():
    budget = Budget(1_000_000, 0, False) + Budget(500_000, 0, False)
    assert budget.planned == 1_500_000
    assert budget.absorption is None
    assert budget.gap is None
    recorded = budget + Budget(0, 300_000, True)
    assert recorded.absorption == D("20.0")
    assert recorded.gap == 1_200_000


@pytest.fixture
def plan(gunung_mas):
    return MasterPlanFactory(region=gunung_mas)


def overview(plan):
    return MasterPlan.objects.for_overview().get(pk=plan.pk)


def test_plan_progress_of_an_empty_plan_is_empty_but_complete(plan):
    progress = plan_progress(overview(plan), year=2021)
    assert progress.percent is None
    assert progress.budget == Budget()
    assert [d.dimension.code for d in progress.dimensions] == [
        "policy",
        "institutions",
        "infrastructure",
        "applications",
        "planning",
    ]
    assert all(d.percent is None and not d.programmes for d in progress.dimensions)
    assert [y.year for y in progress.years] == [2017, 2018, 2019, 2020]
    assert all(y.percent is None and y.targets == 0 for y in progress.years)
    assert progress.funding == ()


def test_plan_progress_groups_by_dimension_year_and_funding_source(plan):
    network = ProgrammeFactory(plan=plan, dimension=dimension(plan, "infrastructure"))
    targets(
        network,
        (2017, 0, 10, 10, 1_000_000_000, 600_000_000),
        (2018, 0, 20, 10, 1_000_000_000, 400_000_000),
    )
    portal = ProgrammeFactory(plan=plan, dimension=dimension(plan, "applications"))
    (portal_2017,) = targets(portal, (2017, 0, 1, 0, 500_000_000, 500_000_000))
    portal_2017.funding_source = Target.FundingSource.DAK
    portal_2017.save()

    progress = plan_progress(overview(plan), year=2019)

    by_code = {d.dimension.code: d for d in progress.dimensions}
    assert by_code["infrastructure"].percent == D("75.0")  # 100 % and 50 %
    assert by_code["applications"].percent == D("0.0")
    assert by_code["policy"].percent is None
    assert by_code["infrastructure"].budget == Budget(2_000_000_000, 1_000_000_000, True)
    assert by_code["infrastructure"].budget.absorption == D("50.0")
    # The plan weighs each programme the same: (75 + 0) / 2.
    assert progress.percent == D("37.5")
    years = {y.year: y for y in progress.years}
    assert years[2017].percent == D("50.0")
    assert (years[2017].targets, years[2017].met) == (2, 1)
    assert years[2017].budget.absorption == D("73.3")  # 1,1 M of 1,5 M
    assert years[2019].budget == Budget()
    assert dict(progress.funding) == {
        "APBD": Budget(2_000_000_000, 1_000_000_000, True),
        "DAK": Budget(500_000_000, 500_000_000, True),
    }
    assert progress.budget.gap == 1_000_000_000
    assert (progress.achieved, progress.behind) == (0, 2)


def test_score_comparison_takes_actual_scores_from_the_assessment_scoring(plan, reviewer):
    DimensionTargetFactory(plan=plan, dimension=dimension(plan, "policy"), year=2019)
    final = make_assessment(reviewer, plan.region, plan.framework, year=2019)
    for indicator in Indicator.objects.filter(dimension__framework=plan.framework):
        Answer.objects.create(assessment=final, indicator=indicator, verified_level=3)
    Answer.objects.filter(assessment=final, indicator__code="policy-01").update(verified_level=2)
    final.status = "final"
    final.save()
    draft = make_assessment(reviewer, plan.region, plan.framework, year=2020)
    Answer.objects.create(
        assessment=draft,
        indicator=Indicator.objects.get(code="policy-01", dimension__framework=plan.framework),
        self_level=4,
    )

    comparison = {d.dimension.code: d for d in score_comparison(overview(plan))}

    policy = {p.year: p for p in comparison["policy"].points}
    expected = assessment_result(final).dimension("policy").score
    assert policy[2019].actual == expected == D("2.50")
    assert policy[2019].target == D("2.50")
    assert policy[2019].gap == D("0.00")
    assert not policy[2019].provisional
    assert policy[2020].actual == D("4.00")
    assert policy[2020].provisional
    assert policy[2020].target is None
    assert policy[2017].actual is None and policy[2017].assessment_status is None
    assert comparison["policy"].latest_compared.year == 2019


def test_score_comparison_ignores_other_regions_and_years_outside_the_plan(
    plan, katingan, reviewer
):
    make_assessment(reviewer, katingan, plan.framework, year=2019)
    make_assessment(reviewer, plan.region, plan.framework, year=2021)
    comparison = score_comparison(overview(plan))
    assert all(p.assessment_status is None for d in comparison for p in d.points)


def test_review_separates_achieved_from_unfinished_and_works_out_what_remains(plan):
    done = ProgrammeFactory(plan=plan, name="Jaringan intra")
    targets(done, (2017, 0, 10, 10), (2020, 0, 30, 31))
    unfinished = ProgrammeFactory(plan=plan, name="Pusat data")
    targets(
        unfinished,
        (2018, 5, 50, 20, 1_000_000_000, 300_000_000),
        (2019, 5, 80, 35, 1_000_000_000, 250_000_000),
        (2020, 5, 100, None, 1_000_000_000, None),
    )

    review = plan_review(overview(plan), year=2021)

    assert [p.programme.name for p in review.achieved] == ["Jaringan intra"]
    assert [p.programme.name for p in review.unfinished] == ["Pusat data"]
    (carry,) = review.carry
    assert carry.programme == unfinished
    assert carry.baseline == D(35)  # where it got to
    assert carry.target == D(100)  # what it still aims at
    assert carry.budget == 2_450_000_000  # 3 M planned, 0,55 M realised
    assert (review.targets_met, review.targets_total) == (2, 5)

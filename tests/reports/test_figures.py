from decimal import Decimal

from assessments import workflow
from assessments.models import Assessment
from assessments.scoring import assessment_result, results_for
from opds.models import Region
from reports import figures
from tests.assessments.factories import make_assessment, make_framework
from tests.opds.factories import RegencyFactory


def test_the_list_computation_equals_the_one_scoring_function_for_every_demo_assessment(demo):
    assessments = list(Assessment.objects.select_related("framework"))
    assert len(assessments) >= 9
    listed = results_for(assessments)
    for assessment in assessments:
        assert listed[assessment.pk] == assessment_result(assessment)


def test_ranking_puts_the_highest_index_first_and_unscored_regions_last(demo):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="reviewer")
    province = Region.objects.get(code="62")
    rows = figures.province_ranking(
        user=user, province=province, year=2019, framework=figures.framework_for()
    )
    assert len(rows) == 14
    ranked = [row for row in rows if row.rank]
    assert [row.region.code for row in ranked][:2] == ["62.71", "62.01"]
    assert [row.index for row in ranked] == sorted((row.index for row in ranked), reverse=True)
    assert all(row.rank is None and row.index is None for row in rows[len(ranked) :])
    gunung_mas = next(row for row in rows if row.region.code == "62.10")
    assert gunung_mas.index == Decimal("2.20")
    assert gunung_mas.change == Decimal("0.52")


def test_equal_indexes_share_a_rank(reviewer, province):
    framework = make_framework()
    indicators = list(framework.dimensions.first().indicators.all())
    for code in ("01", "02", "03"):
        assessment = make_assessment(
            reviewer, RegencyFactory(parent=province, code=code), framework, 2019
        )
        level = 2 if code == "03" else 3
        for indicator in indicators:
            workflow.answer_save(
                assessment, indicator, user=reviewer, version=0, verified_level=level
            )
    rows = figures.province_ranking(
        user=reviewer, province=province, year=2019, framework=framework
    )
    assert [row.rank for row in rows] == [1, 1, 3]


def test_recommendations_are_the_lowest_levels_with_the_next_descriptor(demo):
    assessment = Assessment.objects.get(region__code="62.10", year=2019)
    items = figures.recommendations(assessment, list(assessment.framework.dimensions.all()))
    assert items[0].level == 1
    assert {item.indicator_code for item in items if item.level == 1} <= {
        "infrastructure-04",
        "infrastructure-05",
        "planning-03",
        "planning-05",
        "planning-07",
    }
    assert items[0].next_level == 2
    assert items[0].next_descriptor


def test_a_year_with_two_assessments_and_no_cycle_shows_the_reference_frameworks(
    reviewer, gunung_mas, django_assert_num_queries
):
    from tests.assessments.test_crosswalks import small_crosswalk

    # "alpha" comes first by code; "zeta" is what the crosswalk maps to.
    alpha, zeta = make_framework(code="alpha"), make_framework(code="zeta")
    small_crosswalk(alpha, zeta)
    make_assessment(reviewer, gunung_mas, alpha, year=2020)
    on_reference = make_assessment(reviewer, gunung_mas, zeta, year=2021)
    alone = make_assessment(reviewer, gunung_mas, alpha, year=2021)
    # The assessments, the cycles, and the reference once a year has two.
    with django_assert_num_queries(3):
        by_year = figures.yearly_assessments(Assessment.objects.all(), gunung_mas)
    assert by_year[2021] == on_reference
    on_reference.delete()
    with django_assert_num_queries(2):
        assert figures.yearly_assessments(Assessment.objects.all(), gunung_mas)[2021] == alone

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import (
    AnswerValue,
    AspectSpec,
    Band,
    DimensionSpec,
    FrameworkSpec,
    IndicatorSpec,
    rating_for,
    round_score,
    score,
    weighted_mean,
)

D = Decimal
PEGI_BANDS = (
    Band(D("1.00"), "Sangat Kurang"),
    Band(D("1.60"), "Kurang"),
    Band(D("2.60"), "Baik"),
    Band(D("3.60"), "Sangat Baik"),
)


def flat_framework(*sizes, weights=None):
    """Dimensions d0, d1, … with ``sizes[i]`` indicators each, all weights 1 by default."""
    dimensions = []
    for d, size in enumerate(sizes):
        indicators = tuple(
            IndicatorSpec(f"d{d}-{i}", D(weights[d][i]) if weights else D(1)) for i in range(size)
        )
        dimensions.append(DimensionSpec(f"d{d}", D(1), indicators))
    return FrameworkSpec(1, 4, tuple(dimensions), PEGI_BANDS)


def test_weighted_mean_of_nothing_is_none():
    assert weighted_mean([]) is None


def test_dimension_score_is_the_weighted_mean_of_its_levels():
    framework = flat_framework(3, weights=[["1", "2", "1"]])
    result = score(
        framework, {"d0-0": AnswerValue(4), "d0-1": AnswerValue(2), "d0-2": AnswerValue(3)}
    )
    # (1×4 + 2×2 + 1×3) / 4 = 2.75
    assert result.dimension("d0").score == D("2.75")


def test_verified_level_is_what_counts_when_set():
    from assessments.models import Answer

    answer = Answer(self_level=4, verified_level=2)
    assert answer.level == 2
    assert Answer(self_level=3).level == 3


def test_not_applicable_answers_are_left_out():
    framework = flat_framework(3)
    result = score(
        framework,
        {
            "d0-0": AnswerValue(4),
            "d0-1": AnswerValue(2),
            "d0-2": AnswerValue(1, not_applicable=True),
        },
    )
    assert result.dimension("d0").score == D("3.00")
    assert result.dimension("d0").answered == 3


def test_a_dimension_with_nothing_answered_has_no_score_and_is_left_out_of_the_index():
    framework = flat_framework(2, 2)
    result = score(framework, {"d0-0": AnswerValue(3), "d0-1": AnswerValue(4)})
    assert result.dimension("d1").score is None
    assert result.dimension("d1").rating is None
    assert result.index == D("3.50")


def test_index_is_computed_from_the_rounded_dimension_scores():
    framework = flat_framework(3, 3)
    answers = {
        "d0-0": AnswerValue(3),
        "d0-1": AnswerValue(3),
        "d0-2": AnswerValue(4),  # 3.333… → 3.33
        "d1-0": AnswerValue(2),
        "d1-1": AnswerValue(2),
        "d1-2": AnswerValue(3),  # 2.333… → 2.33
    }
    result = score(framework, answers)
    assert [d.score for d in result.dimensions] == [D("3.33"), D("2.33")]
    assert result.index == D("2.83")


def test_published_example_337_is_rated_baik():
    assert rating_for(D("3.37"), PEGI_BANDS).name == "Baik"
    assert rating_for(D("3.60"), PEGI_BANDS).name == "Sangat Baik"
    assert rating_for(D("3.59"), PEGI_BANDS).name == "Baik"
    assert rating_for(D("1.59"), PEGI_BANDS).name == "Sangat Kurang"
    assert rating_for(None, PEGI_BANDS) is None


def test_bands_without_a_colour_take_the_ramp_from_red_to_green_whatever_their_number():
    four = [Band(D(i + 1), str(i), position=i, count=4) for i in range(4)]
    assert [band.fill for band in four] == ["#f8d7da", "#ffe5b4", "#d1e7dd", "#a3cfbb"]
    five = [Band(D(i + 1), str(i), position=i, count=5, framework="x") for i in range(5)]
    fills = [band.fill for band in five]
    assert len(set(fills)) == 5
    assert (fills[0], fills[-1]) == ("#f8d7da", "#a3cfbb")
    assert [band.css_class for band in five] == [f"band-x-{i}" for i in range(5)]
    assert Band(D(1), "a", color="#123456").fill == "#123456"


def test_completeness_counts_levels_and_not_applicable_answers():
    framework = flat_framework(4)
    result = score(framework, {"d0-0": AnswerValue(2), "d0-1": AnswerValue(None, True)})
    assert result.completeness == D("50.0")
    assert (result.answered, result.total) == (2, 4)


def test_aspects_are_weighted_means_of_their_indicators():
    dimension = DimensionSpec(
        "tata-kelola",
        D(25),
        (
            IndicatorSpec("a1", D("2.5"), "perencanaan"),
            IndicatorSpec("a2", D("2.5"), "perencanaan"),
            IndicatorSpec("b1", D("2.5"), "penyelenggara"),
        ),
        (AspectSpec("perencanaan", D(10)), AspectSpec("penyelenggara", D(5))),
    )
    framework = FrameworkSpec(1, 5, (dimension,), (Band(D(1), "Kurang"),))
    result = score(framework, {"a1": AnswerValue(5), "a2": AnswerValue(3), "b1": AnswerValue(1)})
    # aspects: perencanaan 4, penyelenggara 1; dimension (10×4 + 5×1) / 15 = 3
    assert result.dimension("tata-kelola").score == D("3.00")


# Property-based tests over random frameworks and answers.

weights = st.decimals(min_value=D("0.1"), max_value=D("100"), places=1)


@st.composite
def framework_and_answers(draw, scale=(1, 4)):
    low, high = scale
    dimensions = []
    answers = {}
    for d in range(draw(st.integers(1, 5))):
        indicators = []
        for i in range(draw(st.integers(1, 8))):
            code = f"d{d}-{i}"
            indicators.append(IndicatorSpec(code, draw(weights)))
            kind = draw(st.sampled_from(["level", "level", "level", "na", "none"]))
            if kind == "level":
                answers[code] = AnswerValue(draw(st.integers(low, high)))
            elif kind == "na":
                answers[code] = AnswerValue(draw(st.integers(low, high)), not_applicable=True)
        dimensions.append(DimensionSpec(f"d{d}", draw(weights), tuple(indicators)))
    return FrameworkSpec(low, high, tuple(dimensions), PEGI_BANDS), answers


@given(framework_and_answers())
def test_scores_stay_within_the_scale(data):
    framework, answers = data
    result = score(framework, answers)
    for value in [result.index, *(d.score for d in result.dimensions)]:
        assert value is None or D(framework.scale_min) <= value <= D(framework.scale_max)
    assert D(0) <= result.completeness <= D(100)


@given(framework_and_answers(), st.data())
def test_raising_a_level_never_lowers_a_score(data, draw):
    framework, answers = data
    raisable = [
        c for c, a in answers.items() if not a.not_applicable and a.level < framework.scale_max
    ]
    if not raisable:
        return
    code = draw.draw(st.sampled_from(raisable))
    raised = {**answers, code: AnswerValue(answers[code].level + 1)}
    before, after = score(framework, answers), score(framework, raised)
    assert after.index >= before.index
    for b, a in zip(before.dimensions, after.dimensions, strict=True):
        assert b.score is None or a.score >= b.score


@given(framework_and_answers(), st.data())
def test_marking_an_indicator_not_applicable_equals_leaving_it_out_of_the_framework(data, draw):
    framework, answers = data
    codes = [i.code for d in framework.dimensions for i in d.indicators]
    code = draw.draw(st.sampled_from(codes))
    with_na = {**answers, code: AnswerValue(draw.draw(st.integers(1, 4)), not_applicable=True)}
    without = FrameworkSpec(
        framework.scale_min,
        framework.scale_max,
        tuple(
            DimensionSpec(d.code, d.weight, tuple(i for i in d.indicators if i.code != code))
            for d in framework.dimensions
        ),
        framework.bands,
    )
    remaining = {c: a for c, a in answers.items() if c != code}
    a, b = score(framework, with_na), score(without, remaining)
    assert a.index == b.index
    assert [d.score for d in a.dimensions] == [d.score for d in b.dimensions]


@given(framework_and_answers(), st.decimals(min_value=D("0.01"), max_value=D("1000"), places=2))
def test_scaling_every_weight_changes_no_score(data, factor):
    framework, answers = data
    scaled = FrameworkSpec(
        framework.scale_min,
        framework.scale_max,
        tuple(
            DimensionSpec(
                d.code,
                d.weight * factor,
                tuple(IndicatorSpec(i.code, i.weight * factor) for i in d.indicators),
            )
            for d in framework.dimensions
        ),
        framework.bands,
    )
    a, b = score(framework, answers), score(scaled, answers)
    assert a.index == b.index
    assert [d.score for d in a.dimensions] == [d.score for d in b.dimensions]


@given(framework_and_answers(scale=(1, 5)))
def test_a_one_to_five_scale_is_scored_within_its_bounds(data):
    framework, answers = data
    result = score(framework, answers)
    assert result.index is None or D(1) <= result.index <= D(5)


@given(framework_and_answers(scale=(1, 5)))
def test_a_pooled_index_is_the_weighted_mean_of_every_counted_indicator(data):
    grouped, answers = data
    pooled = FrameworkSpec(1, 5, grouped.dimensions, grouped.bands, "pooled")
    counted = [
        (i.weight, D(a.level))
        for d in grouped.dimensions
        for i in d.indicators
        if (a := answers.get(i.code)) and a.level is not None and not a.not_applicable
    ]
    expected = weighted_mean(counted)
    result = score(pooled, answers)
    assert result.index == (None if expected is None else round_score(expected))

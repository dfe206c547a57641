"""The one implementation of the capability scores.

A score is a weighted mean, Σ(weight × level) / Σ weight, in Decimal:

- an indicator counts with its verified level where set, else its self level; indicators that
  are unanswered or not applicable are left out;
- an aspect's score is the weighted mean of its indicators; a dimension's, of its aspects (or
  of its indicators when it has none);
- the index is the weighted mean of the dimension scores, each rounded to two decimals first,
  so anyone can recompute the index from the published table; a dimension with nothing
  answered has no score ("—") and is left out of the index;
- the rating is the band with the highest minimum at or below the score;
- completeness is the share of indicators answered (a level or not applicable), in per cent.

The pure functions take plain values; ``framework_spec`` and ``assessment_result`` adapt model
instances, and ``results_for`` computes many assessments with a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Band:
    min_score: Decimal
    name: str
    name_en: str = ""
    position: int = 0  # 0 for the lowest band of its framework
    count: int = 1  # how many bands the framework has

    @property
    def tone(self) -> int:
        """0 (lowest band) to 3 (highest), whatever the number of bands: for colouring."""
        return round(3 * self.position / (self.count - 1)) if self.count > 1 else 3

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    weight: Decimal
    aspect: str | None = None


@dataclass(frozen=True)
class AspectSpec:
    code: str
    weight: Decimal


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    weight: Decimal
    indicators: tuple[IndicatorSpec, ...]
    aspects: tuple[AspectSpec, ...] = ()


@dataclass(frozen=True)
class FrameworkSpec:
    scale_min: int
    scale_max: int
    dimensions: tuple[DimensionSpec, ...]
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class AnswerValue:
    level: int | None = None
    not_applicable: bool = False

    @property
    def answered(self) -> bool:
        return self.not_applicable or self.level is not None


@dataclass(frozen=True)
class DimensionResult:
    code: str
    score: Decimal | None
    rating: Band | None
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass(frozen=True)
class Result:
    index: Decimal | None
    rating: Band | None
    completeness: Decimal
    answered: int
    total: int
    dimensions: tuple[DimensionResult, ...] = field(default_factory=tuple)

    def dimension(self, code: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.code == code)


def round_score(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ(weight × value) / Σ weight over (weight, value) pairs; None when there are none."""
    total_weight = Decimal(0)
    total = Decimal(0)
    for weight, value in pairs:
        total_weight += weight
        total += weight * value
    if not total_weight:
        return None
    return total / total_weight


def mean_score(scores: Iterable[Decimal | None]) -> Decimal | None:
    """The plain mean of the scores given (None left out), rounded like every score: the
    province average of a dimension. None when there is none."""
    scores = [score for score in scores if score is not None]
    if not scores:
        return None
    return round_score(sum(scores, Decimal(0)) / len(scores))


def rating_for(score: Decimal | None, bands: Iterable[Band]) -> Band | None:
    if score is None:
        return None
    eligible = [band for band in bands if band.min_score <= score]
    return max(eligible, key=lambda band: band.min_score) if eligible else None


def counted_level(answer: AnswerValue | None) -> Decimal | None:
    if answer is None or answer.not_applicable or answer.level is None:
        return None
    return Decimal(answer.level)


def dimension_score(dimension: DimensionSpec, answers: Mapping[str, AnswerValue]) -> Decimal | None:
    """The unrounded score of one dimension, or None when nothing in it counts."""

    def indicators_mean(indicators):
        return weighted_mean(
            (indicator.weight, level)
            for indicator in indicators
            if (level := counted_level(answers.get(indicator.code))) is not None
        )

    if not dimension.aspects:
        return indicators_mean(dimension.indicators)
    by_aspect = defaultdict(list)
    for indicator in dimension.indicators:
        by_aspect[indicator.aspect].append(indicator)
    return weighted_mean(
        (aspect.weight, score)
        for aspect in dimension.aspects
        if (score := indicators_mean(by_aspect[aspect.code])) is not None
    )


def score(framework: FrameworkSpec, answers: Mapping[str, AnswerValue]) -> Result:
    """Dimension scores, index, rating and completeness of one set of answers."""
    dimensions = []
    for dimension in framework.dimensions:
        raw = dimension_score(dimension, answers)
        rounded = None if raw is None else round_score(raw)
        answered = sum(1 for i in dimension.indicators if (a := answers.get(i.code)) and a.answered)
        dimensions.append(
            DimensionResult(
                code=dimension.code,
                score=rounded,
                rating=rating_for(rounded, framework.bands),
                answered=answered,
                total=len(dimension.indicators),
            )
        )
    index = weighted_mean(
        (spec.weight, result.score)
        for spec, result in zip(framework.dimensions, dimensions, strict=True)
        if result.score is not None
    )
    index = None if index is None else round_score(index)
    answered = sum(d.answered for d in dimensions)
    total = sum(d.total for d in dimensions)
    completeness = (
        (Decimal(100) * answered / total).quantize(TENTH, rounding=ROUND_HALF_UP)
        if total
        else Decimal(0)
    )
    return Result(
        index=index,
        rating=rating_for(index, framework.bands),
        completeness=completeness,
        answered=answered,
        total=total,
        dimensions=tuple(dimensions),
    )


def framework_spec(framework) -> FrameworkSpec:
    """The scoring structure of a Framework instance (three queries)."""
    from assessments.models import Indicator

    indicators = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(dimension__framework=framework)
        .select_related("aspect")
        .order_by("order", "code")
    ):
        indicators[indicator.dimension_id].append(
            IndicatorSpec(
                code=indicator.code,
                weight=indicator.weight,
                aspect=indicator.aspect.code if indicator.aspect_id else None,
            )
        )
    dimensions = tuple(
        DimensionSpec(
            code=dimension.code,
            weight=dimension.weight,
            indicators=tuple(indicators[dimension.pk]),
            aspects=tuple(AspectSpec(a.code, a.weight) for a in dimension.aspects.all()),
        )
        for dimension in framework.dimensions.prefetch_related("aspects")
    )
    rows = sorted(framework.bands.all(), key=lambda b: b.min_score)
    bands = tuple(
        Band(b.min_score, b.name, b.name_en, position, len(rows)) for position, b in enumerate(rows)
    )
    return FrameworkSpec(framework.scale_min, framework.scale_max, dimensions, bands)


def answer_values(answers) -> dict[str, AnswerValue]:
    return {
        answer.indicator.code: AnswerValue(answer.level, answer.not_applicable)
        for answer in answers
    }


def assessment_result(assessment, *, spec: FrameworkSpec | None = None) -> Result:
    """The scores of one assessment, from its saved answers."""
    spec = spec or framework_spec(assessment.framework)
    answers = assessment.answers.select_related("indicator")
    return score(spec, answer_values(answers))


def results_for(assessments) -> dict[int, Result]:
    """Scores of many assessments with a fixed number of queries, keyed by assessment id."""
    from assessments.models import Answer

    assessments = list(assessments)
    specs = {}
    for assessment in assessments:
        if assessment.framework_id not in specs:
            specs[assessment.framework_id] = framework_spec(assessment.framework)
    answers = defaultdict(list)
    for answer in Answer.objects.filter(assessment__in=assessments).select_related("indicator"):
        answers[answer.assessment_id].append(answer)
    return {a.pk: score(specs[a.framework_id], answer_values(answers[a.pk])) for a in assessments}

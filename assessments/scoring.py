"""The one implementation of the capability scores.

A score is a weighted mean, Σ(weight × level) / Σ weight, in Decimal:

- an indicator counts with its verified level where set, else its self level; indicators that
  are unanswered or not applicable are left out;
- an aspect's score is the weighted mean of its indicators;
- in a *grouped* framework (PeGI) a dimension's score is the weighted mean of its aspects (or
  of its indicators when it has none), and the index is the weighted mean of the dimension
  scores, each rounded to two decimals first, so anyone can recompute the index from the
  published table; a dimension with nothing answered has no score ("—") and is left out of
  the index;
- in a *pooled* framework (SPBE 2020) every score, aspect, dimension and index alike, is the
  weighted mean of the counted indicators beneath it with their own weights, as the
  regulation computes it: Σ(wᵢ × levelᵢ) / Σ wᵢ;
- the rating is the band with the highest minimum at or below the score;
- completeness is the share of indicators answered (a level or not applicable), in per cent.

The pure functions take plain values; ``framework_spec`` and ``assessment_result`` adapt model
instances, and ``results_for`` computes many assessments with a fixed number of queries.

``derived_result`` scores an assessment of one framework (SPBE 2020) on another (PeGI) through
a crosswalk, the one from its framework to the reference framework (the target the loaded
crosswalks share, ``crosswalks.reference_framework``): each target dimension is the weighted
mean (with the source weights) of the levels of the source indicators mapped to it, each level
first rescaled linearly from the source scale to the target's (1–5 → 1–4:
1 + (level − 1) × 3/4), and the index is then computed the target framework's way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils.translation import get_language

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


# The ramp a band without its own colour takes its colour from, by its place among its
# framework's bands: from red (the lowest band) through amber to green (the highest).
BAND_RAMP = ((0xF8, 0xD7, 0xDA), (0xFF, 0xE5, 0xB4), (0xD1, 0xE7, 0xDD), (0xA3, 0xCF, 0xBB))


def ramp_color(position: int, count: int) -> str:
    """The colour (#rrggbb) of the band at ``position`` (0 = lowest) of ``count`` bands."""
    if count < 2:
        return _hex(BAND_RAMP[-1])
    at = position / (count - 1) * (len(BAND_RAMP) - 1)
    low = min(int(at), len(BAND_RAMP) - 2)
    part = at - low
    return _hex(
        round(a + (b - a) * part) for a, b in zip(BAND_RAMP[low], BAND_RAMP[low + 1], strict=True)
    )


def _hex(rgb) -> str:
    return "#" + "".join(f"{part:02x}" for part in rgb)


@dataclass(frozen=True)
class Band:
    min_score: Decimal
    name: str
    name_en: str = ""
    position: int = 0  # 0 for the lowest band of its framework
    count: int = 1  # how many bands the framework has
    color: str = ""  # the framework's colour for it; blank: the ramp's
    framework: str = ""  # the framework's code

    @property
    def fill(self) -> str:
        """The colour a score of this band is shown in (#rrggbb)."""
        return self.color or ramp_color(self.position, self.count)

    @property
    def css_class(self) -> str:
        """The class ``assessments:band_styles`` colours with ``fill``."""
        return f"band-{self.framework}-{self.position}"

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    weight: Decimal
    aspect: str | None = None
    pk: int | None = None  # the Indicator's id, where built from the database


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

    @cached_property
    def aspect_sizes(self) -> dict[str | None, int]:
        """How many indicators each aspect has, the aspects in order, then any other aspect
        code the indicators carry (None for those outside any aspect)."""
        sizes = dict.fromkeys((aspect.code for aspect in self.aspects), 0)
        for indicator in self.indicators:
            sizes[indicator.aspect] = sizes.get(indicator.aspect, 0) + 1
        return sizes


GROUPED, POOLED = "grouped", "pooled"


@dataclass(frozen=True)
class FrameworkSpec:
    scale_min: int
    scale_max: int
    dimensions: tuple[DimensionSpec, ...]
    bands: tuple[Band, ...] = ()
    aggregation: str = GROUPED

    @cached_property
    def by_pk(self) -> dict[int, tuple[str, IndicatorSpec]]:
        """Each indicator by its id, with its dimension's code."""
        return {
            indicator.pk: (dimension.code, indicator)
            for dimension in self.dimensions
            for indicator in dimension.indicators
        }


@dataclass(frozen=True)
class AnswerValue:
    level: int | Decimal | None = None
    not_applicable: bool = False

    @property
    def answered(self) -> bool:
        return self.not_applicable or self.level is not None


@dataclass(frozen=True)
class AspectResult:
    code: str
    score: Decimal | None
    rating: Band | None
    answered: int
    total: int


@dataclass(frozen=True)
class DimensionResult:
    code: str
    score: Decimal | None
    rating: Band | None
    answered: int
    total: int
    aspects: tuple[AspectResult, ...] = ()

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    def aspect(self, code: str) -> AspectResult:
        return next(a for a in self.aspects if a.code == code)


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


@dataclass
class Sums:
    """The answers of one group of indicators (an aspect of a dimension, or the dimension's
    indicators outside any aspect): Σ(weight × level) and Σ weight over the counted ones, and
    how many are answered."""

    total: Decimal = Decimal(0)
    weight: Decimal = Decimal(0)
    answered: int = 0

    def add(self, weight: Decimal, level, not_applicable: bool) -> None:
        """Count one indicator's answer: its level (None when unanswered) or not applicable."""
        if not_applicable:
            self.answered += 1
        elif level is not None:
            self.answered += 1
            self.total += weight * level
            self.weight += weight

    @property
    def mean(self) -> Decimal | None:
        """The unrounded weighted mean of the counted levels; None when nothing counts."""
        return self.total / self.weight if self.weight else None

    @classmethod
    def of(cls, groups: Iterable[Sums | None]) -> Sums:
        together = cls()
        for group in groups:
            if group is not None:
                together.total += group.total
                together.weight += group.weight
                together.answered += group.answered
        return together


# A group's key: (dimension code, aspect code or None).
GroupSums = dict[tuple[str, str | None], Sums]


def group_sums(framework: FrameworkSpec, answers: Mapping[str, AnswerValue]) -> GroupSums:
    """The sums of each group of ``framework``'s indicators, from answers by indicator code."""
    sums: GroupSums = defaultdict(Sums)
    for dimension in framework.dimensions:
        for indicator in dimension.indicators:
            if (answer := answers.get(indicator.code)) is not None:
                sums[dimension.code, indicator.aspect].add(
                    indicator.weight, answer.level, answer.not_applicable
                )
    return sums


def score(framework: FrameworkSpec, answers: Mapping[str, AnswerValue]) -> Result:
    """Aspect and dimension scores, index, rating and completeness of one set of answers."""
    return score_sums(framework, group_sums(framework, answers))


def score_sums(framework: FrameworkSpec, sums: GroupSums) -> Result:
    """``score`` from the sums of each group of indicators: what many assessments are scored
    from at once (``results_for``) without an object per answer."""
    pooled = framework.aggregation == POOLED
    dimensions = []
    for dimension in framework.dimensions:
        groups = {aspect: sums.get((dimension.code, aspect)) for aspect in dimension.aspect_sizes}
        whole = Sums.of(groups.values())
        aspects = []
        for aspect in dimension.aspects:
            group = groups.get(aspect.code) or Sums()
            rounded = _rounded(group.mean)
            aspects.append(
                AspectResult(
                    code=aspect.code,
                    score=rounded,
                    rating=rating_for(rounded, framework.bands),
                    answered=group.answered,
                    total=dimension.aspect_sizes[aspect.code],
                )
            )
        if pooled or not dimension.aspects:
            raw = whole.mean
        else:
            raw = weighted_mean(
                (aspect.weight, mean)
                for aspect in dimension.aspects
                if (mean := (groups.get(aspect.code) or Sums()).mean) is not None
            )
        rounded = _rounded(raw)
        dimensions.append(
            DimensionResult(
                code=dimension.code,
                score=rounded,
                rating=rating_for(rounded, framework.bands),
                answered=whole.answered,
                total=len(dimension.indicators),
                aspects=tuple(aspects),
            )
        )
    if pooled:
        # The sums hold the framework's own groups only.
        index = Sums.of(sums.values()).mean
    else:
        index = weighted_mean(
            (spec.weight, result.score)
            for spec, result in zip(framework.dimensions, dimensions, strict=True)
            if result.score is not None
        )
    index = _rounded(index)
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


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_score(value)


# The scoring structure of each framework this process has scored, by framework id, with the
# key it was built under: (id, structure_revision). Loading a framework file that changes what
# scores use raises the framework's ``structure_revision`` (``assessments.loader``), so every
# process builds the structure again at its next use; saving or deleting any part of a
# framework in this process also empties the cache (``forget_framework_specs``). The specs are
# frozen dataclasses, safe to share between threads.
_specs: dict[int, tuple[tuple, FrameworkSpec, dict]] = {}


def forget_framework_specs(**kwargs) -> None:
    """Empty the cache of scoring structures (a receiver of the framework models' signals)."""
    _specs.clear()


def framework_spec(framework, *, dimensions=None) -> FrameworkSpec:
    """The scoring structure of a Framework instance: no query when this process has built it
    since the framework was last changed; otherwise four queries, or two when the caller has
    already read ``dimensions`` (the framework's dimensions with their aspects prefetched)."""
    return _structures([framework], dimensions=dimensions)[framework.pk][0]


def framework_specs(frameworks) -> dict[int, FrameworkSpec]:
    """The scoring structures of several Framework instances, keyed by id: no query for those
    this process keeps since they were last changed, four queries for all the others however
    many."""
    return {pk: spec for pk, (spec, _rows) in _structures(frameworks).items()}


def framework_indicator(framework, code: str):
    """A new Indicator instance (no relation read) of ``framework`` by its code, from the
    structure ``framework_spec`` keeps: no query when it is kept; None for an unknown code."""
    from assessments.models import Indicator

    rows = _structures([framework])[framework.pk][1]
    row = rows["indicators"].get(code)
    if row is None:
        return None
    indicator = Indicator.from_db("default", *row)
    indicator.dimension = _instance("Dimension", rows["dimensions"][indicator.dimension_id])
    return indicator


def framework_dimensions(framework) -> list:
    """New Dimension instances of ``framework`` (no relation read), in order; no query when
    ``framework_spec`` keeps the framework's structure."""
    rows = _structures([framework])[framework.pk][1]
    return [_instance("Dimension", row) for row in rows["dimensions"].values()]


def framework_aspects(framework, dimension) -> list:
    """New Aspect instances of ``dimension`` of ``framework``, in order; no query when
    ``framework_spec`` keeps the framework's structure."""
    rows = _structures([framework])[framework.pk][1]
    return [_instance("Aspect", row) for row in rows["aspects"][dimension.pk]]


def _instance(model_name: str, row):
    from django.apps import apps

    return apps.get_model("assessments", model_name).from_db("default", *row)


def _row(instance) -> tuple[tuple, tuple]:
    names = tuple(f.attname for f in type(instance)._meta.concrete_fields)
    return names, tuple(getattr(instance, name) for name in names)


def _structures(frameworks, *, dimensions=None) -> dict[int, tuple[FrameworkSpec, dict]]:
    """The scoring structure and the columns of its parts of each framework, keyed by id: those
    kept under the framework's current structure revision as kept, the others built together
    and kept."""
    found, missing = {}, {}
    for framework in frameworks:
        key = (framework.pk, framework.structure_revision)
        cached = _specs.get(framework.pk)
        if cached is not None and cached[0] == key:
            found[framework.pk] = cached[1:]
        else:
            missing[framework.pk] = framework
    if missing:
        for pk, built in _build(missing, dimensions=dimensions).items():
            _specs[pk] = ((pk, missing[pk].structure_revision), *built)
            found[pk] = built
    return found


def _build(frameworks: dict, *, dimensions=None) -> dict[int, tuple[FrameworkSpec, dict]]:
    """The scoring structures of ``frameworks`` (Framework instances by id), with the columns of
    their parts to make new instances of (``framework_indicator``): four queries however many
    frameworks, or two when the caller has already read ``dimensions`` (those of its one
    framework, with their aspects prefetched)."""
    from assessments.models import Dimension, Indicator, RatingBand

    if dimensions is None:
        dimensions = Dimension.objects.filter(framework__in=list(frameworks)).prefetch_related(
            "aspects"
        )
    by_framework = defaultdict(list)
    framework_of = {}
    rows = {pk: {"indicators": {}, "dimensions": {}, "aspects": {}} for pk in frameworks}
    for dimension in dimensions:
        by_framework[dimension.framework_id].append(dimension)
        framework_of[dimension.pk] = dimension.framework_id
        kept = rows[dimension.framework_id]
        kept["dimensions"][dimension.pk] = _row(dimension)
        kept["aspects"][dimension.pk] = [_row(aspect) for aspect in dimension.aspects.all()]
    indicators = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(dimension__framework__in=list(frameworks))
        .select_related("aspect")
        .order_by("order", "code")
    ):
        rows[framework_of[indicator.dimension_id]]["indicators"][indicator.code] = _row(indicator)
        indicators[indicator.dimension_id].append(
            IndicatorSpec(
                code=indicator.code,
                weight=indicator.weight,
                aspect=indicator.aspect.code if indicator.aspect_id else None,
                pk=indicator.pk,
            )
        )
    bands = defaultdict(list)
    for band in RatingBand.objects.filter(framework__in=list(frameworks)):
        bands[band.framework_id].append(band)
    return {
        pk: (
            _spec(framework, by_framework[pk], indicators, _bands(framework.code, bands[pk])),
            rows[pk],
        )
        for pk, framework in frameworks.items()
    }


def _spec(framework, dimensions, indicators, bands) -> FrameworkSpec:
    specs = tuple(
        DimensionSpec(
            code=dimension.code,
            weight=dimension.weight,
            indicators=tuple(indicators[dimension.pk]),
            aspects=tuple(AspectSpec(a.code, a.weight) for a in dimension.aspects.all()),
        )
        for dimension in dimensions
    )
    return FrameworkSpec(
        framework.scale_min, framework.scale_max, specs, bands, framework.aggregation
    )


def bands_of(framework) -> tuple[Band, ...]:
    """The rating bands of a Framework instance, lowest first (one query)."""
    return _bands(framework.code, framework.bands.all())


def _bands(code, rows) -> tuple[Band, ...]:
    rows = sorted(rows, key=lambda b: b.min_score)
    return tuple(
        Band(b.min_score, b.name, b.name_en, position, len(rows), b.color, code)
        for position, b in enumerate(rows)
    )


def bands_by_framework(rating_bands) -> list[tuple[Band, ...]]:
    """``RatingBand`` rows of any frameworks (with their framework selected) as each
    framework's bands, lowest first."""
    grouped = defaultdict(list)
    for row in rating_bands:
        grouped[row.framework.code].append(row)
    return [_bands(code, rows) for code, rows in sorted(grouped.items())]


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
    """Scores of many assessments, keyed by assessment id: set-based, in a fixed number of
    statements however many assessments (theirs, one for all their answers, and the structures
    of frameworks not yet kept)."""
    from assessments.models import Answer, Framework

    assessments = list(assessments)
    # Their frameworks as selected with them, else read together.
    frameworks = {a.framework_id: a.framework for a in assessments if _has_framework(a)}
    if missing := {a.framework_id for a in assessments} - frameworks.keys():
        frameworks |= Framework.objects.in_bulk(missing)
    specs = framework_specs(frameworks.values())
    indicators = {a.pk: specs[a.framework_id].by_pk for a in assessments}
    sums: dict[int, GroupSums] = {a.pk: defaultdict(Sums) for a in assessments}
    rows = Answer.objects.filter(assessment_id__in=list(indicators)).values_list(
        "assessment_id", "indicator_id", "self_level", "verified_level", "not_applicable"
    )
    # Plain tuples, summed as they come: a national year is tens of thousands of answers. Not
    # through a server-side cursor (``iterator``): PostgreSQL plans a cursor for its first rows
    # and reads the answers of a few assessments from a national table ten times slower.
    for assessment_id, indicator_id, self_level, verified_level, not_applicable in rows:
        found = indicators[assessment_id].get(indicator_id)
        if found is not None:
            dimension, indicator = found
            level = verified_level if verified_level is not None else self_level
            sums[assessment_id][dimension, indicator.aspect].add(
                indicator.weight, level, not_applicable
            )
    return {a.pk: score_sums(specs[a.framework_id], sums[a.pk]) for a in assessments}


def _has_framework(assessment) -> bool:
    return type(assessment).framework.is_cached(assessment)


# Scores on another framework through a crosswalk.


@dataclass(frozen=True)
class DerivedDimension:
    code: str
    name: str
    name_en: str
    score: Decimal | None
    rating: Band | None

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


@dataclass(frozen=True)
class DerivedResult:
    framework: str
    name: str
    name_en: str
    index: Decimal | None
    rating: Band | None
    dimensions: tuple[DerivedDimension, ...]
    dimension_term: str
    dimension_term_en: str

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def dimension_word(self) -> str:
        """The target framework's word for its top-level groups (``Framework.dimension_word``)."""
        english = get_language() == "en" and self.dimension_term_en
        return self.dimension_term_en if english else self.dimension_term


def rescale(level: Decimal, *, source: tuple[int, int], target: tuple[int, int]) -> Decimal:
    """A level of the source scale placed linearly on the target scale, minimum on minimum
    and maximum on maximum."""
    (low, high), (new_low, new_high) = source, target
    return new_low + (Decimal(level) - low) * (new_high - new_low) / (high - low)


def derived_score(
    answers: Mapping[str, AnswerValue],
    *,
    mapping: Mapping[str, tuple[Decimal, str]],
    source_scale: tuple[int, int],
    target: FrameworkSpec,
) -> Result:
    """The target framework's scores of a source framework's answers.

    ``mapping`` gives each source indicator code its source weight and the target dimension it
    counts towards. A weighted mean of rescaled levels equals the rescaled weighted mean, so the
    levels are rescaled first and the target framework is then scored in its own way.
    """
    members = defaultdict(list)
    for code, (weight, dimension) in mapping.items():
        members[dimension].append(IndicatorSpec(code, weight))
    spec = FrameworkSpec(
        target.scale_min,
        target.scale_max,
        tuple(DimensionSpec(d.code, d.weight, tuple(members[d.code])) for d in target.dimensions),
        target.bands,
        target.aggregation,
    )
    scale = (target.scale_min, target.scale_max)
    rescaled = {
        code: AnswerValue(
            None
            if answer.level is None
            else rescale(answer.level, source=source_scale, target=scale),
            answer.not_applicable,
        )
        for code, answer in answers.items()
    }
    return score(spec, rescaled)


def derived_result(assessment, *, answers=None) -> DerivedResult | None:
    """The assessment scored on the reference framework (``crosswalks.reference_framework``)
    through its framework's crosswalk to it; None when its framework has no crosswalk. A fixed
    number of queries."""
    given = None if answers is None else {assessment.pk: list(answers)}
    return derived_results([assessment], answers=given)[assessment.pk]


@dataclass(frozen=True)
class _Crosswalk:
    target: object  # Framework
    mapping: dict
    dimensions: list
    spec: FrameworkSpec


def _crosswalk_to_reference(framework) -> _Crosswalk | None:
    from assessments.crosswalks import reference_target
    from assessments.models import Crosswalk, CrosswalkEntry

    # Only onto the reference framework: a derived view is compared and charted beside that
    # framework's own scores, so a crosswalk to any other would put unlike dimensions together.
    crosswalk = (
        Crosswalk.objects.filter(source_id=framework.pk, target=reference_target())
        .select_related("target")
        .first()
    )
    if crosswalk is None:
        return None
    target = crosswalk.target
    mapping = {
        code: (weight, dimension)
        for code, weight, dimension in CrosswalkEntry.objects.filter(
            crosswalk=crosswalk
        ).values_list("indicator__code", "indicator__weight", "dimension__code")
    }
    dimensions = framework_dimensions(target)
    spec = FrameworkSpec(
        target.scale_min,
        target.scale_max,
        tuple(DimensionSpec(d.code, d.weight, ()) for d in dimensions),
        framework_spec(target).bands,
        target.aggregation,
    )
    return _Crosswalk(target, mapping, dimensions, spec)


def derived_results(assessments, *, answers=None) -> dict[int, DerivedResult | None]:
    """``derived_result`` of many assessments, keyed by id: a few queries per framework and
    one for every answer, whatever the number of assessments. ``answers``, when given, maps
    each assessment's id to its answers (with their indicators)."""
    from assessments.models import Answer

    assessments = list(assessments)
    crosswalks = {}
    for assessment in assessments:
        if assessment.framework_id not in crosswalks:
            crosswalks[assessment.framework_id] = _crosswalk_to_reference(assessment.framework)
    mapped = [a for a in assessments if crosswalks[a.framework_id] is not None]
    if answers is None:
        answers = defaultdict(list)
        if mapped:
            for answer in Answer.objects.filter(assessment__in=mapped).select_related("indicator"):
                answers[answer.assessment_id].append(answer)
    results: dict[int, DerivedResult | None] = {a.pk: None for a in assessments}
    for assessment in mapped:
        crosswalk, framework = crosswalks[assessment.framework_id], assessment.framework
        target = crosswalk.target
        result = derived_score(
            answer_values(answers.get(assessment.pk, ())),
            mapping=crosswalk.mapping,
            source_scale=(framework.scale_min, framework.scale_max),
            target=crosswalk.spec,
        )
        results[assessment.pk] = DerivedResult(
            framework=target.code,
            name=target.name,
            name_en=target.name_en,
            index=result.index,
            rating=result.rating,
            dimensions=tuple(
                DerivedDimension(d.code, d.name, d.name_en, scored.score, scored.rating)
                for d, scored in zip(crosswalk.dimensions, result.dimensions, strict=True)
            ),
            dimension_term=target.dimension_term,
            dimension_term_en=target.dimension_term_en,
        )
    return results

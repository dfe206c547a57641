"""The figures the dashboards, rankings and PDF reports show, assembled from the apps below.

Scores always come from ``assessments.scoring`` (``results_for``/``assessment_result``), so a
ranking, a dashboard, the API and a PDF show the same number for the same assessment.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from assessments import cycles
from assessments.crosswalks import reference_framework
from assessments.models import (
    Answer,
    Aspect,
    Assessment,
    Cycle,
    Dimension,
    Framework,
    Indicator,
    Level,
)
from assessments.scoring import (
    AnswerValue,
    Result,
    answer_values,
    assessment_result,
    derived_result,
    derived_results,
    framework_aspects,
    framework_dimensions,
    framework_spec,
    mean_score,
    results_for,
    score,
)
from opds.models import Region
from reports import frozen


@dataclass
class RankingRow:
    region: Region
    assessment: Assessment | None
    result: Result | None
    previous: Result | None
    rank: int | None = None
    framework: Framework | None = None  # the ranking's (every row's) framework

    @property
    def index(self) -> Decimal | None:
        return self.result.index if self.result else None

    @property
    def change(self) -> Decimal | None:
        if self.index is None or self.previous is None or self.previous.index is None:
            return None
        return self.index - self.previous.index

    def score(self, code: str) -> Decimal | None:
        return self.result.dimension(code).score if self.result else None


def framework_for(code: str | None = None) -> Framework | None:
    """The framework of ``code``; without one, the default: the reference framework that
    assessments of different frameworks are charted on (``crosswalks.reference_framework``)."""
    if code:
        return Framework.objects.filter(code=code).first()
    return reference_framework()


def framework_of_year(province: Region, year: int) -> Framework | None:
    """The framework ``province`` evaluates ``year`` in (``cycles.framework_of_year``); without
    a cycle or an assessment that year, the default. A year is ranked, charted and reported in
    one framework only."""
    return cycles.framework_of_year(province, year) or framework_for()


def assessments_of(user, *, regions, years, framework):
    return (
        Assessment.objects.visible_to(user)
        .filter(region__in=regions, year__in=years, framework=framework)
        .select_related("region", "framework")
    )


def province_ranking(
    *, user, province: Region, year: int, framework: Framework
) -> list[RankingRow]:
    """Every region of ``province`` for ``year``: highest index first, ties sharing a rank;
    regions without a scored assessment come last, unranked."""
    regions = Region.objects.visible_to(user).filter(parent=province)
    return ranking(user=user, regions=regions, year=year, framework=framework)


def national_ranking(*, user, provinces, year: int, framework: Framework) -> list[RankingRow]:
    """Every kabupaten/kota of ``provinces`` (those ``user`` may rank), ranked together as
    ``province_ranking`` ranks one province's."""
    regions = Region.objects.visible_to(user).filter(parent__in=provinces).select_related("parent")
    return ranking(user=user, regions=regions, year=year, framework=framework)


def national_framework_of_year(year: int) -> Framework | None:
    """The framework most of ``year``'s regional assessments use nationally (most provinces'
    cycle framework follows the national rules); the default without any."""
    return (
        cycles.most_used_framework(
            Assessment.objects.filter(year=year, region__parent__isnull=False)
        )
        or framework_for()
    )


def ranking(*, user, regions, year: int, framework: Framework) -> list[RankingRow]:
    """``regions`` ranked for ``year`` in ``framework``: highest index first, ties sharing a
    rank, the change against the year before; regions without a scored assessment last,
    unranked. A fixed number of queries however many regions."""
    regions = list(regions)
    assessments = list(
        assessments_of(user, regions=regions, years=[year, year - 1], framework=framework)
    )
    results = results_for(assessments)
    current = {a.region_id: a for a in assessments if a.year == year}
    previous = {a.region_id: a for a in assessments if a.year == year - 1}
    rows = [
        RankingRow(
            region=region,
            assessment=current.get(region.pk),
            result=results[current[region.pk].pk] if region.pk in current else None,
            previous=results[previous[region.pk].pk] if region.pk in previous else None,
            framework=framework,
        )
        for region in regions
    ]
    rows.sort(key=lambda row: (row.index is None, -(row.index or 0), row.region.name))
    rank, last = 0, None
    for position, row in enumerate(rows, start=1):
        if row.index is None:
            break
        if row.index != last:
            rank, last = position, row.index
        row.rank = rank
    return rows


# How the ranking table may be ordered: a column's key, ascending, or "-" and the key,
# descending. The ranking's own order (highest index first) is the default.
RANKING_SORT_DEFAULT = "-index"
RANKING_SORT_COLUMNS = ("index", "name", "change")


def ranking_sort(value: str | None, dimension_codes) -> str:
    """``value`` when it names a column of the ranking (``name``, ``-index``, a dimension's
    code…), else the default order; "rank", the order by rank, is the default too."""
    key = (value or "").removeprefix("-")
    if key in RANKING_SORT_COLUMNS or key in dimension_codes:
        return value
    return RANKING_SORT_DEFAULT


def sorted_ranking(rows: list[RankingRow], sort: str) -> list[RankingRow]:
    """``rows`` in the order ``sort`` (a value of ``ranking_sort``) names. Regions without
    the figure come last either way; ties keep the ranking's order."""
    key = sort.removeprefix("-")

    def value(row):
        if key == "name":
            return row.region.name.casefold()
        if key in {"index", "change"}:
            return getattr(row, key)
        return row.score(key)

    known = [row for row in rows if value(row) is not None]
    known.sort(key=value, reverse=sort.startswith("-"))
    return known + [row for row in rows if value(row) is None]


def dimension_averages(rows: list[RankingRow], dimensions) -> dict[str, Decimal | None]:
    """Mean score per dimension over the ranked regions that have one (province averages)."""
    return {
        dimension.code: mean_score(row.score(dimension.code) for row in rows if row.result)
        for dimension in dimensions
    }


@dataclass
class Recommendation:
    dimension: Dimension
    indicator_code: str
    indicator_name: str
    level: int
    next_level: int
    next_descriptor: str


@dataclass
class TrendPoint:
    """One year of a region's trend on the trend framework: the assessment's own scores, or
    for an assessment of another framework its scores through the crosswalk (``derived``)."""

    year: int
    assessment: Assessment
    index: Decimal | None
    rating: object  # assessments.scoring.Band or None
    scores: list  # per dimension of the trend framework, in its order
    derived: bool = False


@dataclass
class RegionFigures:
    region: Region
    framework: Framework
    assessment: Assessment
    result: Result
    previous: Assessment | None
    previous_result: Result | None
    # The assessments of the same framework until this year, oldest first.
    history: list[tuple[int, Assessment, Result]]
    dimensions: list[Dimension]
    recommendations: list[Recommendation] = field(default_factory=list)
    # Every year until this one on one framework, oldest first: this framework's when every
    # year is of it, else the crosswalks' reference framework, other years derived.
    trend_framework: Framework | None = None
    trend_dimensions: list[Dimension] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    # The assessments of the years before this one, one a year, any framework, oldest first.
    earlier: list[Assessment] = field(default_factory=list)

    @property
    def trend_derived(self) -> bool:
        return any(point.derived for point in self.trend)

    @property
    def derived_from(self) -> Framework | None:
        """The framework the trend's derived figures come from (the latest of them)."""
        derived = [point for point in self.trend if point.derived]
        return derived[-1].assessment.framework if derived else None

    @property
    def trend_current(self) -> TrendPoint | None:
        return next((p for p in self.trend if p.year == self.assessment.year), None)

    @property
    def trend_previous(self) -> TrendPoint | None:
        """The latest year before this one on the trend."""
        earlier = [p for p in self.trend if p.year < self.assessment.year]
        return earlier[-1] if earlier else None


def region_figures(*, user, region: Region, year: int) -> RegionFigures | None:
    """The assessment of ``year`` (in the framework the province evaluates it in) with its
    history, its trend across frameworks, previous year and recommendations; None when the
    region has no assessment ``user`` may see for ``year``."""
    by_year = comparable_assessments(user=user, region=region, up_to=year)
    current = by_year.get(year)
    if current is None:
        return None
    framework = current.framework
    assessments = sorted(by_year.values(), key=lambda a: a.year)
    results = results_for(assessments)
    same = [a for a in assessments if a.framework_id == framework.pk]
    previous = next((a for a in same if a.year == year - 1), None)
    dimensions = list(framework.dimensions.all())
    trend_framework, trend_dimensions, trend = region_trend(
        assessments, results, framework, dimensions
    )
    return RegionFigures(
        region=region,
        framework=framework,
        assessment=current,
        result=results[current.pk],
        previous=previous,
        previous_result=results[previous.pk] if previous else None,
        history=[(a.year, a, results[a.pk]) for a in same],
        dimensions=dimensions,
        recommendations=recommendations(current, dimensions),
        trend_framework=trend_framework,
        trend_dimensions=trend_dimensions,
        trend=trend,
        earlier=[a for a in assessments if a.year < year],
    )


def region_trend(assessments, results, framework, dimensions):
    """(trend framework, its dimensions, [TrendPoint]) of ``assessments`` (one a year, oldest
    first; ``framework`` is the latest's). All of one framework: their own scores. Of several:
    on the crosswalks' reference framework, an assessment of another framework through its
    crosswalk (derived), one without a crosswalk left out."""

    def own(assessment, result):
        return TrendPoint(
            assessment.year,
            assessment,
            result.index,
            result.rating,
            [d.score for d in result.dimensions],
        )

    if all(a.framework_id == framework.pk for a in assessments):
        return framework, dimensions, [own(a, results[a.pk]) for a in assessments]
    reference = framework_for()
    derived_scores = (
        derived_results(a for a in assessments if a.framework_id != reference.pk)
        if reference is not None
        else {}
    )
    if reference is None or (
        framework.pk != reference.pk and derived_scores[assessments[-1].pk] is None
    ):
        same = [a for a in assessments if a.framework_id == framework.pk]
        return framework, dimensions, [own(a, results[a.pk]) for a in same]
    points = []
    for assessment in assessments:
        if assessment.framework_id == reference.pk:
            points.append(own(assessment, results[assessment.pk]))
            continue
        derived = derived_scores[assessment.pk]
        if derived is not None:
            points.append(
                TrendPoint(
                    assessment.year,
                    assessment,
                    derived.index,
                    derived.rating,
                    [d.score for d in derived.dimensions],
                    derived=True,
                )
            )
    return reference, framework_dimensions(reference), points


def recommendations(assessment: Assessment, dimensions, *, limit: int = 6) -> list[Recommendation]:
    """The lowest-scoring applicable indicators, with the next level's descriptor as the step."""
    top = assessment.framework.scale_max
    answers = (
        Answer.objects.filter(assessment=assessment, not_applicable=False)
        .select_related("indicator")
        .prefetch_related(Prefetch("indicator__levels", queryset=Level.objects.order_by("level")))
    )
    by_id = {d.pk: d for d in dimensions}
    scored = [a for a in answers if a.level is not None and a.level < top]
    scored.sort(key=lambda a: (a.level, -a.indicator.weight, a.indicator.code))
    items = []
    for answer in scored[:limit]:
        levels = {level.level: level for level in answer.indicator.levels.all()}
        step = levels.get(answer.level + 1)
        items.append(
            Recommendation(
                dimension=by_id[answer.indicator.dimension_id],
                indicator_code=answer.indicator.code,
                indicator_name=answer.indicator.label,
                level=answer.level,
                next_level=answer.level + 1,
                next_descriptor=step.label if step else "",
            )
        )
    return items


def assessment_years(
    *,
    user,
    framework=None,
    region: Region | None = None,
    province: Region | None = None,
    final=False,
) -> list[int]:
    """Years with an assessment ``user`` may see (of ``framework`` if given; a final one if
    ``final``), newest first."""
    assessments = Assessment.objects.visible_to(user)
    if framework is not None:
        assessments = assessments.filter(framework=framework)
    if final:
        assessments = assessments.filter(status=Assessment.Status.FINAL)
    if region is not None:
        assessments = assessments.filter(region=region)
    if province is not None:
        assessments = assessments.filter(region__parent=province)
    return list(assessments.order_by("-year").values_list("year", flat=True).distinct())


@dataclass
class IndicatorRow:
    indicator: object
    answer: Answer | None
    descriptor: str
    evidence: list


@dataclass
class DimensionDetail:
    score: Decimal | None
    items: list[IndicatorRow]
    # The scores of the dimension's aspects by code (none for a framework without aspects).
    aspects: dict = field(default_factory=dict)


@dataclass
class ScoreRow:
    """A dimension's or an aspect's score this year and, where there is one, the previous
    year's (same framework)."""

    label: str
    current: object  # scoring.DimensionResult or AspectResult
    before: object | None
    aspect: bool = False


@dataclass
class ScoreGroup:
    """A dimension's row of the score table with the rows of its aspects, in order."""

    dimension: Dimension
    row: ScoreRow
    aspects: list[ScoreRow]

    @property
    def rows(self) -> list[ScoreRow]:
        return [self.row, *self.aspects]


def score_groups(data: RegionFigures) -> list[ScoreGroup]:
    """The score table of the region report: each dimension with its score, rating and the
    previous year's, and under it the same of each of its aspects when it has aspects, as the
    assessment page shows them."""
    previous = data.previous_result
    groups = []
    for dimension in data.dimensions:
        current = data.result.dimension(dimension.code)
        before = previous.dimension(dimension.code) if previous else None
        earlier = {a.code: a for a in before.aspects} if before else {}
        aspects = [
            ScoreRow(
                aspect.label, current.aspect(aspect.code), earlier.get(aspect.code), aspect=True
            )
            for aspect in framework_aspects(data.framework, dimension)
        ]
        groups.append(ScoreGroup(dimension, ScoreRow(dimension.label, current, before), aspects))
    return groups


def indicator_details(assessment: Assessment, dimensions, result: Result):
    """Every indicator of the assessment with its answer, the chosen level's descriptor and
    its evidence, grouped by dimension: (dimension, DimensionDetail) pairs."""
    from assessments.models import Indicator

    answers = {
        answer.indicator_id: answer
        for answer in Answer.objects.filter(assessment=assessment).prefetch_related("evidence")
    }
    indicators = (
        Indicator.objects.filter(dimension__framework=assessment.framework)
        .select_related("aspect")
        .prefetch_related(Prefetch("levels", queryset=Level.objects.order_by("level")))
        .order_by("dimension__order", "aspect__order", "order", "code")
    )
    grouped = {d.pk: [] for d in dimensions}
    for indicator in indicators:
        answer = answers.get(indicator.pk)
        level = answer.level if answer and not answer.not_applicable else None
        descriptor = next((lv.label for lv in indicator.levels.all() if lv.level == level), "")
        grouped[indicator.dimension_id].append(
            IndicatorRow(
                indicator=indicator,
                answer=answer,
                descriptor=descriptor,
                evidence=list(answer.evidence.all()) if answer else [],
            )
        )
    return [
        (
            d,
            DimensionDetail(
                score=result.dimension(d.code).score,
                items=grouped[d.pk],
                aspects={a.code: a for a in result.dimension(d.code).aspects},
            ),
        )
        for d in dimensions
    ]


@dataclass
class InventoryFigures:
    summary: object  # opds.inventory.CatalogueSummary
    duplicate_pairs: int


def inventory_figures(data: dict) -> InventoryFigures:
    """The inventory figures a report prints, from ``frozen.inventory_data``."""
    return InventoryFigures(frozen.inventory_view(data), data["duplicate_pairs"])


@dataclass
class PlanFigures:
    plan: object  # frozen.PlanInfo
    progress: object  # frozen.PlanSummary
    year: int
    rows: list  # (dimension code, score, target, gap) for ``year``
    dimensions: list  # the plan's framework's dimensions, which ``rows`` follow
    scale_max: int
    derived: bool = False  # the scores came through the crosswalk
    term: str = ""  # the plan's framework's word for its dimensions

    @property
    def has_targets(self) -> bool:
        """Whether the plan sets a score target for ``year`` (a plan may set targets only for
        some of its years, or none)."""
        return any(row[2] is not None for row in self.rows)


def plan_figures(data: dict | None, *, year: int, figures: RegionFigures) -> PlanFigures | None:
    """The master plan a report prints (``frozen.plan_data``), with each dimension's score
    against the plan's target for ``year``. A plan sets its targets on its own framework's
    dimensions: the assessment's, or the trend's (an assessment of another framework then
    counts through its crosswalk)."""
    if data is None:
        return None
    codes = {item["code"] for item in data["dimensions"]} | set(data["targets"])
    dimensions, framework = figures.dimensions, figures.framework
    scores = [d.score for d in figures.result.dimensions]
    current, derived = figures.trend_current, False
    if not codes & {d.code for d in dimensions} and current is not None:
        dimensions, framework, scores, derived = (
            figures.trend_dimensions,
            figures.trend_framework,
            current.scores,
            current.derived,
        )
    plan, progress, targets = frozen.plan_view(data, dimensions)
    rows = []
    for dimension, value in zip(dimensions, scores, strict=True):
        target = targets.get(dimension.code)
        gap = value - target if value is not None and target is not None else None
        rows.append((dimension.code, value, target, gap))
    return PlanFigures(
        plan=plan,
        progress=progress,
        year=year,
        rows=rows,
        dimensions=dimensions,
        scale_max=framework.scale_max,
        derived=derived,
        term=framework.dimension_word,
    )


def comparable_assessments(*, user, region: Region, up_to: int | None = None):
    """The assessment of each year of ``region`` that ``user`` may see (until ``up_to``),
    newest year first: where a year has more than one, the one of the framework the province
    evaluates that year in (its cycle's), else the default framework's."""
    return yearly_assessments(Assessment.objects.visible_to(user), region, up_to=up_to)


def yearly_assessments(
    assessments, region: Region, *, up_to: int | None = None
) -> dict[int, Assessment]:
    """``comparable_assessments`` over ``assessments`` (a queryset), with two queries."""
    assessments = (
        assessments.filter(region=region)
        .select_related("region", "framework")
        .order_by("-year", "framework__code")
    )
    if up_to is not None:
        assessments = assessments.filter(year__lte=up_to)
    of_cycle = dict(
        Cycle.objects.filter(province_id=region.parent_id).values_list("year", "framework_id")
    )
    # Read only for a year with two assessments, neither of the cycle's framework.
    default = functools.cache(framework_for)
    by_year: dict[int, Assessment] = {}
    for assessment in assessments:
        kept = by_year.get(assessment.year)
        preferred = of_cycle.get(assessment.year)
        if (
            kept is None
            or assessment.framework_id == preferred
            or (
                kept.framework_id != preferred
                and assessment.framework_id == getattr(default(), "pk", None)
            )
        ):
            by_year[assessment.year] = assessment
    return by_year


def compared_years(
    years: list[int], *, from_year: int | None = None, to_year: int | None = None
) -> tuple[int | None, int]:
    """The years a comparison shows, of ``years`` (newest first): ``to_year``, by default the
    latest; ``from_year``, by default the latest year before it (None when there is none)."""
    to_year = to_year or years[0]
    if from_year is None:
        from_year = next((year for year in years if year < to_year), None)
    return from_year, to_year


@dataclass
class DimensionChange:
    code: str
    label: str
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


NOT_ANSWERED = AnswerValue()


@dataclass
class IndicatorChange:
    """One indicator's effective level in two assessments (verified where set, else self)."""

    code: str
    name: str
    dimension: Dimension
    aspect: Aspect | None
    before: AnswerValue
    after: AnswerValue

    @property
    def change(self) -> int | None:
        """The difference of two levels; None when either side has no level."""
        if self.before.level is None or self.after.level is None:
            return None
        return self.after.level - self.before.level

    @property
    def amount(self) -> int | None:
        """How many levels it moved, without the sign."""
        return None if self.change is None else abs(self.change)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def direction(self) -> str:
        """``up``, ``down``, ``other`` (answered, unanswered or not applicable on one side
        only) or ``""`` when unchanged."""
        if not self.changed:
            return ""
        if self.change is None:
            return "other"
        return "up" if self.change > 0 else "down"


@dataclass
class Comparison:
    """Two assessments of a region side by side: dimension scores, and where both are of the
    same framework every indicator's level."""

    region: Region
    before: Assessment
    after: Assessment
    before_index: Decimal | None
    after_index: Decimal | None
    dimensions: list[DimensionChange]
    indicators: list[IndicatorChange] = field(default_factory=list)
    # The dimension figures of an assessment of another framework came through the crosswalk.
    derived: bool = False
    # Across frameworks, the one whose dimensions they compare on.
    reference: Framework | None = None

    @property
    def dimension_word(self) -> str:
        """The word for the dimensions compared: the framework's own, or across frameworks
        the reference framework's, on whose dimensions they compare."""
        if self.same_framework:
            return self.after.framework.dimension_word
        return (self.reference or self.before.framework).dimension_word

    @property
    def same_framework(self) -> bool:
        return self.before.framework_id == self.after.framework_id

    @property
    def comparable(self) -> bool:
        return bool(self.dimensions)

    @property
    def index_change(self) -> Decimal | None:
        if self.before_index is None or self.after_index is None:
            return None
        return self.after_index - self.before_index

    @property
    def changed_indicators(self) -> list[IndicatorChange]:
        return [row for row in self.indicators if row.changed]

    def most_changed(self, limit: int) -> list[IndicatorChange]:
        """The changed indicators, the largest change of level first; a level given or taken
        away (no difference to measure) after every measured change."""
        rows = sorted(
            self.changed_indicators,
            key=lambda row: (row.change is None, -(row.amount or 0)),
        )
        return rows[:limit]


def _effective(answer) -> AnswerValue:
    if answer is None:
        return NOT_ANSWERED
    if answer.not_applicable:
        return AnswerValue(None, True)
    return AnswerValue(answer.level)


def assessment_comparison(before: Assessment, after: Assessment) -> Comparison:
    """``before`` and ``after`` of one region side by side, with a fixed number of queries.
    Assessments of different frameworks compare by dimension only, through
    ``comparable_dimensions``; without a crosswalk they have no dimensions to compare."""
    if before.framework_id != after.framework_id:
        scores = comparable_dimensions(before, after)
        reference, before_index, after_index, dimensions = scores or (None, None, None, [])
        return Comparison(
            region=after.region,
            before=before,
            after=after,
            before_index=before_index,
            after_index=after_index,
            dimensions=dimensions,
            derived=scores is not None,
            reference=reference,
        )
    framework = after.framework
    spec = framework_spec(framework)
    answers = {before.pk: {}, after.pk: {}}
    for answer in Answer.objects.filter(assessment__in=[before, after]).select_related("indicator"):
        answers[answer.assessment_id][answer.indicator_id] = answer
    results = {
        pk: score(spec, answer_values(by_indicator.values()))
        for pk, by_indicator in answers.items()
    }
    dimensions = [
        DimensionChange(
            code=dimension.code,
            label=dimension.label,
            before=results[before.pk].dimension(dimension.code).score,
            after=results[after.pk].dimension(dimension.code).score,
        )
        for dimension in framework.dimensions.all()
    ]
    indicators = (
        Indicator.objects.filter(dimension__framework=framework)
        .select_related("dimension", "aspect")
        .order_by("dimension__order", "dimension__code", "aspect__order", "order", "code")
    )
    return Comparison(
        region=after.region,
        before=before,
        after=after,
        before_index=results[before.pk].index,
        after_index=results[after.pk].index,
        dimensions=dimensions,
        indicators=[
            IndicatorChange(
                code=indicator.code,
                name=indicator.label,
                dimension=indicator.dimension,
                aspect=indicator.aspect,
                before=_effective(answers[before.pk].get(indicator.pk)),
                after=_effective(answers[after.pk].get(indicator.pk)),
            )
            for indicator in indicators
        ],
    )


def indicator_groups(rows: list[IndicatorChange]):
    """``rows`` grouped as the framework groups them: (dimension, [(aspect or None, rows)])."""
    groups = []
    for row in rows:
        if not groups or groups[-1][0] != row.dimension:
            groups.append((row.dimension, []))
        aspects = groups[-1][1]
        if not aspects or aspects[-1][0] != row.aspect:
            aspects.append((row.aspect, []))
        aspects[-1][1].append(row)
    return groups


def comparable_dimensions(before: Assessment, after: Assessment):
    """Index and dimension scores of two assessments of different frameworks on the reference
    framework's dimensions (``framework_for``), an assessment of another framework through its
    crosswalk: (reference framework, before index, after index, [DimensionChange]), or None
    when either has no crosswalk."""
    reference = framework_for()

    def on_reference(assessment):
        if reference is not None and assessment.framework_id == reference.pk:
            result = assessment_result(assessment)
            labels = {d.code: d.label for d in assessment.framework.dimensions.all()}
            return result.index, [(d.code, labels[d.code], d.score) for d in result.dimensions]
        derived = derived_result(assessment)
        if derived is None:
            return None
        return derived.index, [(d.code, d.label, d.score) for d in derived.dimensions]

    sides = on_reference(before), on_reference(after)
    if None in sides:
        return None
    (before_index, before_dimensions), (after_index, after_dimensions) = sides
    after_scores = {code: value for code, _label, value in after_dimensions}
    return (
        reference,
        before_index,
        after_index,
        [
            DimensionChange(code, label, value, after_scores.get(code))
            for code, label, value in before_dimensions
        ],
    )

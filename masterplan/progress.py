"""The one implementation of a master plan's progress figures; pages, API and reports call it.

Definitions (Decimal throughout; per cent rounded to one decimal):

- A target's achievement is how far the realisation moved from the baseline towards the
  target: (realisation − baseline) ÷ (target − baseline) × 100. It serves targets that go up
  (more OPDs connected) as well as down (fewer hours of downtime); a realisation that moved
  away from the target counts 0. When target equals baseline the target is to hold a level:
  100 when the realisation is at or above it, else realisation ÷ target × 100.
  Over-achievement is shown as it is (say 125 %), so the head can point to it; every mean
  below counts a target at most 100 %, so one over-achieved target cannot hide a missed one.
- A target *counts* once its year is over (before the current year) or its realisation is
  recorded. A counting target without a realisation counts 0: nothing is shown as achieved
  that nobody recorded. Targets of the current and later years without one are left out.
- A programme's achievement is the mean of its counting targets (each year weighs the same);
  a dimension's and the plan's, the mean of their programmes' (each programme weighs the same);
  a year's, the mean of that year's counting targets. Nothing counting gives None ("—").
- Budget absorption is realised ÷ planned Rupiah × 100 over the same targets as the row it
  belongs to; None when nothing is planned or no realised budget has been recorded
  (unrecorded realised budgets add 0). The gap — what was missing — is planned − realised.
- A programme's status, as of the current year: *achieved* when its final target is met,
  whenever that happens; *not started* while its first target year is ahead; *behind* when
  the latest target whose year is over was not met or not recorded; *on track* otherwise.
- Capability: the plan's target score per dimension and year against the actual score of the
  region's assessment of that year under the plan's framework, taken from
  ``assessments.scoring.results_for``; an assessment that is not final is flagged provisional.
- The review lists achieved and unfinished programmes; each unfinished one is carried into a
  re-draft with what remains: from the latest recorded realisation to its final target, with
  the planned budget that was not realised.

Functions read prefetched relations (``MasterPlan.objects.for_overview()``), so a page needs
a fixed number of queries whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.scoring import framework_dimensions
from masterplan.models import Target

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


class ProgrammeStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Tercapai")
    ON_TRACK = "on_track", _("Sesuai jadwal")
    BEHIND = "behind", _("Tertinggal")
    NOT_STARTED = "not_started", _("Belum dimulai")


def current_year() -> int:
    return timezone.localdate().year


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def target_percent(
    *, baseline: Decimal, target: Decimal, realisation: Decimal | None
) -> Decimal | None:
    """Achievement of one target in per cent, uncapped; None when nothing is recorded."""
    if realisation is None:
        return None
    if target == baseline:
        if realisation >= target:
            return HUNDRED.quantize(TENTH)
        return percent_of(realisation, target)
    return max(percent_of(realisation - baseline, target - baseline), Decimal("0.0"))


def capped(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else min(percent, HUNDRED)


def mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TENTH, rounding=ROUND_HALF_UP)


def budget_absorption(planned: int, realised: int | None) -> Decimal | None:
    if not planned or realised is None:
        return None
    return percent_of(realised, planned)


@dataclass(frozen=True)
class Budget:
    """Planned and realised Rupiah of a set of targets."""

    planned: int = 0
    realised: int = 0
    recorded: bool = False

    def __add__(self, other: Budget) -> Budget:
        return Budget(
            self.planned + other.planned,
            self.realised + other.realised,
            self.recorded or other.recorded,
        )

    @property
    def absorption(self) -> Decimal | None:
        return budget_absorption(self.planned, self.realised if self.recorded else None)

    @property
    def gap(self) -> int | None:
        return self.planned - self.realised if self.recorded else None


def total_budget(budgets: Iterable[Budget]) -> Budget:
    return sum(budgets, Budget())


def target_budget(target) -> Budget:
    return Budget(
        target.budget_planned or 0,
        target.budget_realised or 0,
        target.budget_realised is not None,
    )


@dataclass(frozen=True)
class TargetProgress:
    target: object
    percent: Decimal | None
    counted: bool

    @property
    def met(self) -> bool:
        return self.percent is not None and self.percent >= HUNDRED

    @property
    def counted_percent(self) -> Decimal | None:
        """What this target adds to a mean: capped, 0 when due but unrecorded."""
        if not self.counted:
            return None
        return capped(self.percent) if self.percent is not None else Decimal(0)

    @property
    def budget(self) -> Budget:
        return target_budget(self.target)


def target_progress(target, *, year: int) -> TargetProgress:
    percent = target_percent(
        baseline=target.baseline, target=target.target, realisation=target.realisation
    )
    return TargetProgress(target, percent, target.realisation is not None or target.year < year)


def counted_mean(items: Iterable[TargetProgress]) -> Decimal | None:
    return mean(p for item in items if (p := item.counted_percent) is not None)


def status_of(targets: list[TargetProgress], *, year: int) -> str:
    """Achieved, not started, behind or on track (see the module's docstring)."""
    if not targets:
        return ProgrammeStatus.NOT_STARTED
    if targets[-1].met:
        return ProgrammeStatus.ACHIEVED
    if targets[0].target.year > year:
        return ProgrammeStatus.NOT_STARTED
    over = [item for item in targets if item.target.year < year]
    if over and not over[-1].met:
        return ProgrammeStatus.BEHIND
    return ProgrammeStatus.ON_TRACK


@dataclass(frozen=True)
class ProgrammeProgress:
    programme: object
    targets: tuple[TargetProgress, ...]
    percent: Decimal | None
    status: str
    budget: Budget

    @property
    def status_label(self) -> str:
        return ProgrammeStatus(self.status).label

    @property
    def final(self) -> TargetProgress | None:
        return self.targets[-1] if self.targets else None

    @property
    def latest_realisation(self) -> Decimal | None:
        recorded = [item.target for item in self.targets if item.target.realisation is not None]
        return recorded[-1].realisation if recorded else None

    @property
    def finished(self) -> bool:
        return self.status == ProgrammeStatus.ACHIEVED


def programme_progress(programme, *, year: int | None = None) -> ProgrammeProgress:
    year = current_year() if year is None else year
    targets = tuple(
        target_progress(target, year=year)
        for target in sorted(programme.targets.all(), key=lambda t: t.year)
    )
    return ProgrammeProgress(
        programme=programme,
        targets=targets,
        percent=counted_mean(targets),
        status=status_of(list(targets), year=year),
        budget=total_budget(item.budget for item in targets),
    )


@dataclass(frozen=True)
class DimensionProgress:
    dimension: object
    programmes: tuple[ProgrammeProgress, ...]
    percent: Decimal | None
    budget: Budget


@dataclass(frozen=True)
class YearProgress:
    year: int
    percent: Decimal | None
    budget: Budget
    targets: int
    met: int


@dataclass(frozen=True)
class PlanProgress:
    plan: object
    year: int
    programmes: tuple[ProgrammeProgress, ...]
    dimensions: tuple[DimensionProgress, ...]
    years: tuple[YearProgress, ...]
    funding: tuple[tuple[str, Budget], ...]
    percent: Decimal | None
    budget: Budget

    def status_count(self, status: str) -> int:
        return sum(1 for item in self.programmes if item.status == status)

    @property
    def achieved(self) -> int:
        return self.status_count(ProgrammeStatus.ACHIEVED)

    @property
    def on_track(self) -> int:
        return self.status_count(ProgrammeStatus.ON_TRACK)

    @property
    def behind(self) -> int:
        return self.status_count(ProgrammeStatus.BEHIND)


def plan_progress(plan, *, year: int | None = None) -> PlanProgress:
    """Every progress and budget figure of one plan, by programme, dimension, year and source."""
    year = current_year() if year is None else year
    programmes = tuple(programme_progress(p, year=year) for p in plan.programmes.all())
    by_dimension = defaultdict(list)
    for item in programmes:
        by_dimension[item.programme.dimension_id].append(item)
    dimensions = tuple(
        DimensionProgress(
            dimension=dimension,
            programmes=tuple(by_dimension[dimension.pk]),
            percent=mean(p.percent for p in by_dimension[dimension.pk] if p.percent is not None),
            budget=total_budget(p.budget for p in by_dimension[dimension.pk]),
        )
        for dimension in framework_dimensions(plan.framework)
    )
    targets = [item for programme in programmes for item in programme.targets]
    years = []
    for plan_year in plan.years:
        of_year = [item for item in targets if item.target.year == plan_year]
        years.append(
            YearProgress(
                year=plan_year,
                percent=counted_mean(of_year),
                budget=total_budget(item.budget for item in of_year),
                targets=len(of_year),
                met=sum(1 for item in of_year if item.met),
            )
        )
    funding = tuple(
        (label, budget)
        for source, label in Target.FundingSource.choices
        if (
            budget := total_budget(
                item.budget for item in targets if item.target.funding_source == source
            )
        ).planned
        or budget.recorded
    )
    return PlanProgress(
        plan=plan,
        year=year,
        programmes=programmes,
        dimensions=dimensions,
        years=tuple(years),
        funding=funding,
        percent=mean(p.percent for p in programmes if p.percent is not None),
        budget=total_budget(p.budget for p in programmes),
    )


@dataclass(frozen=True)
class ScorePoint:
    year: int
    target: Decimal | None
    actual: Decimal | None
    assessment_status: str | None

    @property
    def provisional(self) -> bool:
        return self.assessment_status is not None and self.assessment_status != "final"

    @property
    def gap(self) -> Decimal | None:
        if self.target is None or self.actual is None:
            return None
        return self.actual - self.target


@dataclass(frozen=True)
class DimensionScores:
    dimension: object
    points: tuple[ScorePoint, ...]

    @property
    def assessed(self) -> bool:
        """Whether any plan year has an assessment score to set against the target."""
        return any(p.actual is not None for p in self.points)

    @property
    def latest_compared(self) -> ScorePoint | None:
        compared = [p for p in self.points if p.gap is not None]
        return compared[-1] if compared else None


def score_comparison(plan) -> tuple[DimensionScores, ...]:
    """Target against actual score, per dimension of the plan's framework and per plan year."""
    from assessments.models import Assessment
    from assessments.scoring import results_for

    assessments = list(
        Assessment.objects.filter(
            region_id=plan.region_id,
            framework_id=plan.framework_id,
            year__gte=plan.start_year,
            year__lte=plan.end_year,
        ).select_related("framework")
    )
    results = results_for(assessments)
    by_year = {a.year: (a.status, results[a.pk]) for a in assessments}
    targets = {(t.dimension_id, t.year): t.score for t in plan.dimension_targets.all()}
    comparison = []
    for dimension in plan.framework.dimensions.all():
        points = []
        for year in plan.years:
            status, result = by_year.get(year, (None, None))
            points.append(
                ScorePoint(
                    year=year,
                    target=targets.get((dimension.pk, year)),
                    actual=result.dimension(dimension.code).score if result else None,
                    assessment_status=status,
                )
            )
        comparison.append(DimensionScores(dimension, tuple(points)))
    return tuple(comparison)


@dataclass(frozen=True)
class CarryForward:
    """What an unfinished programme still has to do, as the first target of a re-draft."""

    progress: ProgrammeProgress
    metric: str
    unit: str
    baseline: Decimal
    target: Decimal
    budget: int
    funding_source: str

    @property
    def programme(self):
        return self.progress.programme


def carry_forward(progress: ProgrammeProgress) -> CarryForward | None:
    """The remaining target of an unfinished programme; None when it was achieved or empty."""
    final = progress.final
    if final is None or progress.finished:
        return None
    latest = progress.latest_realisation
    first = progress.targets[0].target
    return CarryForward(
        progress=progress,
        metric=final.target.metric,
        unit=final.target.unit,
        baseline=first.baseline if latest is None else latest,
        target=final.target.target,
        budget=max(progress.budget.planned - progress.budget.realised, 0),
        funding_source=final.target.funding_source,
    )


@dataclass(frozen=True)
class Review:
    """Achievements and gaps of a plan, the starting point of its re-draft."""

    progress: PlanProgress
    scores: tuple[DimensionScores, ...]
    achieved: tuple[ProgrammeProgress, ...]
    unfinished: tuple[ProgrammeProgress, ...]
    carry: tuple[CarryForward, ...]

    @property
    def plan(self):
        return self.progress.plan

    @property
    def targets_met(self) -> int:
        return sum(year.met for year in self.progress.years)

    @property
    def targets_total(self) -> int:
        return sum(year.targets for year in self.progress.years)


def plan_review(plan, *, year: int | None = None) -> Review:
    progress = plan_progress(plan, year=year)
    unfinished = tuple(p for p in progress.programmes if not p.finished)
    return Review(
        progress=progress,
        scores=score_comparison(plan),
        achieved=tuple(p for p in progress.programmes if p.finished),
        unfinished=unfinished,
        carry=tuple(c for p in unfinished if (c := carry_forward(p)) is not None),
    )

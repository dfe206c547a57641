"""Evaluation cycles: the dated stages a province sets for a year, the extensions it grants one
region, and the step each region is at.

A region's step follows its assessment of the cycle's year and framework:

============  =================  ==========  =======================================
assessment    stage              action      who, and by when
============  =================  ==========  =======================================
none          self_assessment    start       the head, by the submission deadline
draft         self_assessment    submit      the head, by the submission deadline
submitted     verification       verify      reviewers, by the end of verification
in_review     finalisation       finalise    reviewers, by the finalisation deadline
final         finalisation       done        nobody
============  =================  ==========  =======================================

An extension for the region and the step's stage replaces the deadline. A step is late when its
due date has passed and it is not done.

The *current* cycle of a province is its latest cycle (by year) whose self-assessment has
opened: a new year's cycle takes over on the day its self-assessment opens, and before that the
previous year's cycle stays current.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.access import may_manage_cycles
from assessments.models import Assessment, Cycle, CycleExtension, Framework, Stage
from egov_portal.errors import NotAllowed
from egov_portal.history import attribute
from opds.access import Role
from opds.models import Region

START, SUBMIT, VERIFY, FINALISE, DONE = "start", "submit", "verify", "finalise", "done"
ACTIONS = {
    START: _("Memulai penilaian mandiri"),
    SUBMIT: _("Mengajukan penilaian mandiri"),
    VERIFY: _("Memverifikasi penilaian"),
    FINALISE: _("Menetapkan hasil akhir"),
    DONE: _("Selesai"),
}
# Assessment status (None: no assessment yet) → (stage, action, who acts).
STEPS = {
    None: (Stage.SELF_ASSESSMENT, START, Role.HEAD),
    Assessment.Status.DRAFT: (Stage.SELF_ASSESSMENT, SUBMIT, Role.HEAD),
    Assessment.Status.SUBMITTED: (Stage.VERIFICATION, VERIFY, Role.REVIEWER),
    Assessment.Status.IN_REVIEW: (Stage.FINALISATION, FINALISE, Role.REVIEWER),
    Assessment.Status.FINAL: (Stage.FINALISATION, DONE, None),
}


@dataclass
class Step:
    """What one region must do next in a cycle, by when."""

    region: Region
    assessment: Assessment | None
    stage: str
    stage_name: str
    action: str
    actor_role: str | None  # Role.HEAD or Role.REVIEWER; None when done
    due: datetime.date
    days_left: int
    late: bool
    extension: CycleExtension | None
    cycle: Cycle

    @property
    def done(self) -> bool:
        return self.action == DONE

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def action_name(self) -> str:
        return str(ACTIONS[self.action])

    @property
    def actor_name(self) -> str:
        return str(Role(self.actor_role).label) if self.actor_role else ""


def local_today() -> datetime.date:
    return timezone.localdate()


def _step(cycle, region, assessment, extension, today) -> Step:
    stage, action, actor = STEPS[assessment.status if assessment else None]
    due = extension.until if extension else cycle.deadline(stage)
    days_left = (due - today).days
    return Step(
        region=region,
        assessment=assessment,
        stage=str(stage),
        stage_name=str(stage.label),
        action=action,
        actor_role=actor,
        due=due,
        days_left=days_left,
        late=action != DONE and days_left < 0,
        extension=extension,
        cycle=cycle,
    )


def _extensions(cycle_ids: Iterable[int], region_ids: Iterable[int]) -> dict:
    """(cycle id, region id, stage) → the extension granted, for those cycles and regions; one
    query."""
    return {
        (e.cycle_id, e.region_id, e.stage): e
        for e in CycleExtension.objects.filter(cycle__in=set(cycle_ids), region__in=set(region_ids))
    }


def _steps(pairs: list[tuple[Cycle, Region]], today) -> list[Step]:
    """The step of each (cycle, region), in two queries whatever their number."""
    if not pairs:
        return []
    region_ids = {region.pk for _cycle, region in pairs}
    cycles = {cycle.pk: cycle for cycle, _region in pairs}
    assessments = {
        (a.region_id, a.year, a.framework_id): a
        for a in Assessment.objects.filter(
            region__in=region_ids,
            year__in={cycle.year for cycle in cycles.values()},
            framework__in={cycle.framework_id for cycle in cycles.values()},
        )
    }
    extensions = _extensions(cycles, region_ids)
    steps = []
    for cycle, region in pairs:
        assessment = assessments.get((region.pk, cycle.year, cycle.framework_id))
        stage = STEPS[assessment.status if assessment else None][0]
        extension = extensions.get((cycle.pk, region.pk, str(stage)))
        if assessment is not None:
            assessment.region = region
        steps.append(_step(cycle, region, assessment, extension, today))
    return steps


def steps_for(assessments: Iterable[Assessment], today: datetime.date | None = None) -> dict:
    """Assessment id → the step its region is at in the cycle that covers it (its province's, of
    its year and framework), for those of ``assessments`` (their regions loaded) that a cycle
    covers, whatever their year; two queries whatever their number, none without any."""
    today = today or local_today()
    assessments = [a for a in assessments if a.region.parent_id is not None]
    if not assessments:
        return {}
    covering = {
        (cycle.province_id, cycle.year, cycle.framework_id): cycle
        for cycle in Cycle.objects.filter(
            province__in={a.region.parent_id for a in assessments},
            year__in={a.year for a in assessments},
            framework__in={a.framework_id for a in assessments},
        ).select_related("province", "framework")
    }
    pairs = [
        (covering[key], a)
        for a in assessments
        if (key := (a.region.parent_id, a.year, a.framework_id)) in covering
    ]
    if not pairs:
        return {}
    extensions = _extensions({cycle.pk for cycle, _a in pairs}, {a.region_id for _c, a in pairs})
    steps = {}
    for cycle, assessment in pairs:
        stage = STEPS[assessment.status][0]
        extension = extensions.get((cycle.pk, assessment.region_id, str(stage)))
        steps[assessment.pk] = _step(cycle, assessment.region, assessment, extension, today)
    return steps


def step_for(assessment, today: datetime.date | None = None) -> Step | None:
    """The step ``assessment``'s region is at, or None when no cycle covers it (two queries)."""
    return steps_for([assessment], today).get(assessment.pk)


def current_cycles(province_ids: Iterable[int], today: datetime.date) -> dict[int, Cycle]:
    """Each province's current cycle (see the module's docstring), in one query."""
    current = {}
    for cycle in (
        Cycle.objects.filter(province__in=set(province_ids), self_assessment_opens__lte=today)
        .select_related("province", "framework")
        .order_by("province_id", "-year")
    ):
        current.setdefault(cycle.province_id, cycle)
    return current


def framework_of_year(province: Region | int, year: int) -> Framework | None:
    """The framework ``province`` evaluates ``year`` in: its cycle's; without a cycle, the one
    most of that year's assessments of its regions use; None without either."""
    cycle = Cycle.objects.filter(province=province, year=year).select_related("framework").first()
    if cycle is not None:
        return cycle.framework
    return most_used_framework(Assessment.objects.filter(region__parent=province, year=year))


def most_used_framework(assessments) -> Framework | None:
    """The framework most of ``assessments`` (a queryset) use, the first by code on a tie."""
    most_used = (
        assessments.values("framework")
        .annotate(count=Count("pk"))
        .order_by("-count", "framework__code")
        .first()
    )
    return Framework.objects.get(pk=most_used["framework"]) if most_used else None


def latest_framework() -> Framework | None:
    """The framework of the newest year any cycle or assessment has, a cycle's first on a tie
    (then the first by code); None while nothing uses one. One query."""

    def newest(model):
        years = model.objects.filter(framework=OuterRef("pk")).order_by("-year").values("year")
        return Coalesce(Subquery(years[:1]), 0)

    return (
        Framework.objects.annotate(cycle_year=newest(Cycle), assessment_year=newest(Assessment))
        .annotate(year=Greatest("cycle_year", "assessment_year"))
        .filter(year__gt=0)
        .order_by("-year", "-cycle_year", "code")
        .first()
    )


def framework_to_assess(
    province: Region | int | None, *, year: int | None, today: datetime.date | None = None
) -> Framework | None:
    """The framework a new assessment of a region of ``province`` for ``year`` is most likely
    in: the one the province evaluates that year in (``framework_of_year``), or without a year
    its current cycle's; else the newest in use (``latest_framework``); None without any. Up to
    three queries."""
    if province is not None:
        if year is not None:
            framework = framework_of_year(province, year)
        else:
            province_id = getattr(province, "pk", province)
            cycle = current_cycles({province_id}, today or local_today()).get(province_id)
            framework = cycle.framework if cycle else None
        if framework is not None:
            return framework
    return latest_framework()


def framework_to_cycle(province: Region | int | None) -> Framework | None:
    """The framework a new cycle of ``province`` is most likely in: its latest cycle's; else
    the newest in use (``latest_framework``); None without any. Up to two queries."""
    if province is not None:
        cycle = (
            Cycle.objects.filter(province=province)
            .select_related("framework")
            .order_by("-year")
            .first()
        )
        if cycle is not None:
            return cycle.framework
    return latest_framework()


def current_steps(regions: Iterable[Region], today: datetime.date | None = None) -> dict:
    """Region id → its step in its province's current cycle, for the regencies and cities among
    ``regions`` whose province has one; three queries whatever their number (four when
    ``regions`` is an unevaluated QuerySet)."""
    today = today or local_today()
    regions = [region for region in regions if region.parent_id is not None]
    cycles = current_cycles({region.parent_id for region in regions}, today)
    pairs = [(cycles[r.parent_id], r) for r in regions if r.parent_id in cycles]
    return {step.region.pk: step for step in _steps(pairs, today)}


def due_in(days: int, today: datetime.date | None = None) -> list[Step]:
    """The steps not done whose due date is exactly ``days`` days after ``today``, in every
    cycle (for reminders: ``due_in(7)``, ``due_in(1)``); four queries whatever the number."""
    today = today or local_today()
    target = today + datetime.timedelta(days=days)
    extended = CycleExtension.objects.filter(until=target).values("cycle_id")
    cycles = list(
        Cycle.objects.filter(
            Q(submission_deadline=target)
            | Q(verification_ends=target)
            | Q(finalisation_deadline=target)
            | Q(pk__in=extended)
        ).select_related("province", "framework")
    )
    if not cycles:
        return []
    regions = Region.objects.filter(parent__in={cycle.province_id for cycle in cycles})
    by_province: dict[int, list[Region]] = {}
    for region in regions.order_by("code"):
        by_province.setdefault(region.parent_id, []).append(region)
    pairs = [
        (cycle, region) for cycle in cycles for region in by_province.get(cycle.province_id, [])
    ]
    return [step for step in _steps(pairs, today) if step.due == target and not step.done]


@transaction.atomic
def cycle_save(cycle: Cycle, *, user) -> Cycle:
    """Create or change ``cycle`` (unsaved values set by the caller) as ``user``."""
    if cycle.province_id is None or not may_manage_cycles(user, cycle.province):
        raise NotAllowed(_("Siklus penilaian ditetapkan oleh penilai provinsi tersebut."))
    if cycle.pk:
        saved = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if saved.province_id != cycle.province_id and not may_manage_cycles(user, saved.province):
            raise NotAllowed(_("Siklus penilaian ditetapkan oleh penilai provinsi tersebut."))
    cycle.full_clean()
    cycle.updated_by = user if user.is_authenticated else None
    attribute(cycle, user=user)
    cycle.save()
    return cycle


@transaction.atomic
def extension_grant(
    cycle: Cycle, *, user, region: Region, stage: str, until: datetime.date, reason: str
) -> CycleExtension:
    """Give ``region`` until ``until`` for ``stage`` of ``cycle``, with a reason; a second
    extension of the same stage replaces the first (the history keeps it)."""
    if not may_manage_cycles(user, cycle.province):
        raise NotAllowed(_("Perpanjangan diberikan oleh penilai provinsi tersebut."))
    extension = CycleExtension.objects.filter(cycle=cycle, region=region, stage=stage).first()
    if extension is None:
        extension = CycleExtension(cycle=cycle, region=region, stage=stage)
    extension.until = until
    extension.reason = (reason or "").strip()
    extension.created_by = user if user.is_authenticated else None
    extension.full_clean()
    attribute(extension, user=user, reason=extension.reason)
    extension.save()
    return extension

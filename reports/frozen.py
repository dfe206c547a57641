"""The inventory and master-plan figures a region report prints, as plain data.

A report of a draft shows these figures as they are now. When an assessment is made final
they are frozen beside it (``FinalFigures``), and every report of that assessment prints them
as they stood then: an application added today changes neither the 2019 report nor its
verification code. Re-opening and finalising again freezes them anew.

The data is JSON (counts, codes and decimals as text); ``inventory_view`` and ``plan_view``
turn it into what the templates show, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from masterplan.models import MasterPlan
from masterplan.progress import Budget, plan_progress
from opds import inventory
from opds.inventory.catalogue import CatalogueSummary
from opds.models import Application, Region
from reports.models import FinalFigures


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def _budget(budget: Budget) -> dict:
    return {"planned": budget.planned, "realised": budget.realised, "recorded": budget.recorded}


def inventory_data(region: Region) -> dict:
    """The region's application inventory in numbers, as the catalogue counts them."""
    applications = Application.objects.filter(opd__region=region)
    by_status, by_platform = inventory.catalogue_counts(applications)
    return {
        "by_status": by_status,
        "by_platform": by_platform,
        "duplicate_pairs": len(inventory.duplicates_among(applications)),
    }


def plan_data(region: Region, year: int) -> dict | None:
    """The master plan covering ``year`` (in force, reviewed or superseded, not a draft): its
    progress and budget as of now, and its target score per dimension for ``year``."""
    plan = (
        MasterPlan.objects.for_overview()
        .filter(region=region, start_year__lte=year, end_year__gte=year)
        .exclude(status=MasterPlan.Status.DRAFT)
        .order_by("-start_year")
        .first()
    )
    if plan is None:
        return None
    progress = plan_progress(plan)
    return {
        "id": plan.pk,
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "status": plan.status,
        "achieved": progress.achieved,
        "on_track": progress.on_track,
        "behind": progress.behind,
        "percent": _decimal(progress.percent),
        "budget": _budget(progress.budget),
        "dimensions": [
            {
                "code": item.dimension.code,
                "percent": _decimal(item.percent),
                "budget": _budget(item.budget),
            }
            for item in progress.dimensions
        ],
        "targets": {
            target.dimension.code: _decimal(target.score)
            for target in plan.dimension_targets.all()
            if target.year == year
        },
    }


def live_data(assessment: Assessment) -> dict:
    return {
        "inventory": inventory_data(assessment.region),
        "plan": plan_data(assessment.region, assessment.year),
    }


@transaction.atomic
def freeze(assessment: Assessment) -> FinalFigures:
    """Keep the figures as they are now beside ``assessment`` (made final just now)."""
    frozen, _created = FinalFigures.objects.update_or_create(
        assessment=assessment,
        defaults={"taken_at": timezone.now(), "data": live_data(assessment)},
    )
    return frozen


@dataclass(frozen=True)
class ReportData:
    """What a region report prints besides the assessment; ``taken_at`` when frozen."""

    data: dict
    taken_at: datetime | None = None


def report_data(assessment: Assessment, *, store: bool = True) -> ReportData:
    """The figures a report of ``assessment`` prints: frozen for a final assessment, live for
    any other. A final assessment made before figures were frozen gets them now (unless
    ``store`` is false: then they are read live, as they would be frozen)."""
    if assessment.status != Assessment.Status.FINAL:
        return ReportData(live_data(assessment))
    frozen = FinalFigures.objects.filter(assessment=assessment).first()
    if frozen is None:
        if not store:
            return ReportData(live_data(assessment))
        frozen = freeze(assessment)
    return ReportData(frozen.data, frozen.taken_at)


def inventory_view(data: dict) -> CatalogueSummary:
    return inventory.summary_from_counts(data["by_status"], data["by_platform"])


def _as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _as_budget(data: dict) -> Budget:
    return Budget(data["planned"], data["realised"], data["recorded"])


@dataclass(frozen=True)
class PlanInfo:
    pk: int
    title: str
    start_year: int
    end_year: int
    status: str

    def get_status_display(self) -> str:
        return str(MasterPlan.Status(self.status).label)

    def get_absolute_url(self) -> str:
        return reverse("masterplan:masterplan_detail", kwargs={"pk": self.pk})


@dataclass(frozen=True)
class DimensionSummary:
    dimension: object
    percent: Decimal | None
    budget: Budget


@dataclass(frozen=True)
class PlanSummary:
    achieved: int
    on_track: int
    behind: int
    percent: Decimal | None
    budget: Budget
    dimensions: list[DimensionSummary]


def plan_view(data: dict, dimensions) -> tuple[PlanInfo, PlanSummary, dict[str, Decimal | None]]:
    """The plan, its progress by dimension (in the framework's order) and its target scores."""
    by_code = {item["code"]: item for item in data["dimensions"]}
    summary = PlanSummary(
        achieved=data["achieved"],
        on_track=data["on_track"],
        behind=data["behind"],
        percent=_as_decimal(data["percent"]),
        budget=_as_budget(data["budget"]),
        dimensions=[
            DimensionSummary(
                dimension,
                _as_decimal(by_code[dimension.code]["percent"]),
                _as_budget(by_code[dimension.code]["budget"]),
            )
            for dimension in dimensions
            if dimension.code in by_code
        ],
    )
    info = PlanInfo(data["id"], data["title"], data["start_year"], data["end_year"], data["status"])
    targets = {code: _as_decimal(score) for code, score in data["targets"].items()}
    return info, summary, targets

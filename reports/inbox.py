"""A person's work inbox: what needs them now, from every app, most urgent first.

Each source is one function ``(user, *, today) -> list[Item]`` given by the app whose domain
it is; adding a source is adding it to ``SOURCES``. The order is ``egov_portal.inbox``'s:
overdue first, then by due date, then the longest waiting.

- a region's head: the assessment to start and the next step of every unfinished one, the
  province's questions (``assessments.inbox``), plan years ended without a recorded
  realisation (``masterplan.inbox``), the OPDs of their region whose records are incomplete or
  stale (``opds.inventory.inbox``);
- a reviewer: submitted assessments of their province waiting for them, those in review with
  what is left to verify, coming submission deadlines, clarification answers;
- an OPD operator: their OPD's incomplete or stale records;
- an admin: no items of their own; the home page summarises each province instead
  (``province_summaries``).

Each item's ``kind`` is one of ``KINDS``, the codes each source declares.

Each role's inbox takes a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from assessments import inbox as assessment_inbox
from assessments.models import Assessment
from egov_portal.inbox import Item, sort_items
from masterplan import inbox as plan_inbox
from opds.inventory import inbox as inventory_inbox
from opds.models import Application, Region

Source = Callable[..., list[Item]]

SOURCES: list[Source] = [
    assessment_inbox.inbox_items,
    plan_inbox.inbox_items,
    inventory_inbox.inbox_items,
]
# Every code an item's ``kind`` may have (the API documents them from here).
KINDS: tuple[str, ...] = (*assessment_inbox.KINDS, *plan_inbox.KINDS, *inventory_inbox.KINDS)


def inbox_for(user, today: datetime.date | None = None) -> list[Item]:
    """Everything that needs ``user`` now, most urgent first."""
    today = today or timezone.localdate()
    items = []
    for source in SOURCES:
        items.extend(source(user, today=today))
    return sort_items(items, today=today)


@dataclass
class ProvinceSummary:
    """One province on an administrator's home page."""

    province: Region
    regions: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    incomplete_applications: int = 0

    @property
    def waiting(self) -> int:
        return self.by_status.get(Assessment.Status.SUBMITTED, 0)

    @property
    def statuses(self) -> list[tuple[str, str, int]]:
        """(code, label, count) for every status, in the workflow's order."""
        return [
            (value, label, self.by_status.get(value, 0))
            for value, label in Assessment.Status.choices
        ]


def province_summaries(provinces, *, year: int) -> list[ProvinceSummary]:
    """For each of ``provinces``: its regencies and cities, their assessments of ``year`` by
    status, and the incomplete records of their inventories. Four queries."""
    summaries = {province.pk: ProvinceSummary(province) for province in provinces}
    if not summaries:
        return []
    children = (
        Region.objects.filter(parent__in=list(summaries))
        .order_by()
        .values_list("parent")
        .annotate(n=Count("pk"))
    )
    for parent, count in children:
        summaries[parent].regions = count
    by_status = defaultdict(dict)
    assessments = (
        Assessment.objects.filter(region__parent__in=list(summaries), year=year)
        .order_by()
        .values_list("region__parent", "status")
        .annotate(n=Count("pk"))
    )
    for parent, status, count in assessments:
        by_status[parent][status] = count
    for parent, counts in by_status.items():
        summaries[parent].by_status = counts
    incomplete = (
        inventory_inbox.incomplete_applications(
            Application.objects.filter(opd__region__parent__in=list(summaries))
        )
        .order_by()
        .values_list("opd__region__parent")
        .annotate(n=Count("pk"))
    )
    for parent, count in incomplete:
        summaries[parent].incomplete_applications = count
    return list(summaries.values())

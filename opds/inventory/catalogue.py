"""The summary figures shown above a catalogue: counts by OPD, status and platform."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from opds.models import Application

TOP_OPDS = 10


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of the catalogue's total, for the bar's length


@dataclass(frozen=True)
class CatalogueSummary:
    total: int
    by_opd: list[Bar]
    by_status: list[Bar]
    by_platform: list[Bar]


def _bars(rows, total):
    return [Bar(label, count, round(100 * count / total) if total else 0) for label, count in rows]


def catalogue_counts(applications: QuerySet[Application]) -> tuple[dict, dict]:
    """How many of ``applications`` there are by status and by platform (code → count)."""
    plain = applications.order_by()
    return (
        dict(plain.values_list("status").annotate(n=Count("pk"))),
        dict(plain.values_list("platform").annotate(n=Count("pk"))),
    )


def catalogue_summary(applications: QuerySet[Application]) -> CatalogueSummary:
    """Counts of ``applications`` by OPD (the largest ten, then the rest), status, platform.

    Three grouped queries, whatever the size of the catalogue.
    """
    by_status, by_platform = catalogue_counts(applications)
    total = sum(by_status.values())
    plain = applications.order_by()
    by_opd = list(
        plain.values_list("opd", "opd__short_name", "opd__name", "opd__region__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "opd__name")[: TOP_OPDS + 1]
    )
    several_regions = len({row[3] for row in by_opd}) > 1
    opd_rows = [
        (f"{short or name} · {region}" if several_regions else short or name, count)
        for _pk, short, name, region, count in by_opd[:TOP_OPDS]
    ]
    if len(by_opd) > TOP_OPDS:
        rest = total - sum(count for _label, count in opd_rows)
        opd_rows.append((_("OPD lainnya"), rest))
    return summary_from_counts(by_status, by_platform, opd_rows=opd_rows)


def summary_from_counts(
    by_status: dict[str, int], by_platform: dict[str, int], *, opd_rows=()
) -> CatalogueSummary:
    """A summary from counts by status and by platform code (and labelled OPD rows), with the
    labels in the reader's language."""
    total = sum(by_status.values())
    return CatalogueSummary(
        total=total,
        by_opd=_bars(opd_rows, total),
        by_status=_bars(
            [(label, by_status.get(value, 0)) for value, label in Application.Status.choices],
            total,
        ),
        by_platform=_bars(
            [(label, by_platform.get(value, 0)) for value, label in Application.Platform.choices],
            total,
        ),
    )

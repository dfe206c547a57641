"""What a region's master plan asks of its head: the realisations of years that have ended.

A plan in force whose year is over (before today's year) with targets that have no recorded
realisation gives one item per plan and year; ``masterplan.progress`` counts such targets as
0 % achieved, so the head sees them before a reviewer or a report does. One query.
"""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from egov_portal.inbox import Item
from masterplan.models import MasterPlan, Target
from opds.access import Role, membership_of

REALISATION_MISSING = "realisation_missing"
KINDS = (REALISATION_MISSING,)
BADGE = gettext_lazy("Rencana induk")


def missing_realisations(region, *, today: datetime.date) -> list[Item]:
    """Per plan in force of ``region`` and ended year: the targets without a realisation."""
    rows = (
        Target.objects.filter(
            programme__plan__region=region,
            programme__plan__status=MasterPlan.Status.IN_FORCE,
            year__lt=today.year,
            realisation__isnull=True,
        )
        .order_by()
        .values("programme__plan", "programme__plan__title", "year")
        .annotate(n=Count("pk"))
        .order_by("year", "programme__plan")
    )
    return [
        Item(
            kind=REALISATION_MISSING,
            title=_("Catat realisasi %(year)s: %(plan)s")
            % {"year": row["year"], "plan": row["programme__plan__title"]},
            detail=ngettext(
                "%(count)s target tanpa realisasi",
                "%(count)s target tanpa realisasi",
                row["n"],
            )
            % {"count": row["n"]},
            url=reverse("masterplan:masterplan_detail", kwargs={"pk": row["programme__plan"]}),
            region=region.code,
            object_id=row["programme__plan"],
            badge=str(BADGE),
            # The year ended on 31 December: the realisation has been due since.
            waiting_since=datetime.date(row["year"] + 1, 1, 1),
        )
        for row in rows
    ]


def inbox_items(user, *, today: datetime.date) -> list[Item]:
    """The master plan's items for ``user`` (a region's head)."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.HEAD:
        return []
    return missing_realisations(membership.region, today=today)

"""What the assessment workflow asks of a person now.

- A region's head: this year's assessment of their region and its next step — start it (none
  yet), continue the self-assessment (indicators left), submit it (all answered), or rework
  it when a reviewer returned it (with the reviewer's note).
- A reviewer: the submitted assessments of their province, waiting for them since the day
  they were submitted; those in review, with how many indicators are left to verify.

Each role's items take a fixed number of queries (two or three) whatever the number of
assessments, answers or transitions.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.models import Assessment, Indicator, Transition
from egov_portal.inbox import Item
from opds.access import Role, membership_of

ASSESSMENT_START = "assessment_start"
ASSESSMENT_CONTINUE = "assessment_continue"
ASSESSMENT_SUBMIT = "assessment_submit"
ASSESSMENT_RETURNED = "assessment_returned"
ASSESSMENT_SUBMITTED = "assessment_submitted"
ASSESSMENT_IN_REVIEW = "assessment_in_review"

Status = Assessment.Status
BADGE = gettext_lazy("Penilaian")


def indicator_totals() -> dict[int, int]:
    """How many indicators each framework has (framework id → count), in one query."""
    return dict(
        Indicator.objects.order_by()
        .values_list("dimension__framework")
        .annotate(n=Count("pk"))
        .values_list("dimension__framework", "n")
    )


def answered(level: str) -> Count:
    """The number of an assessment's indicators answered at ``level`` (or marked N/A)."""
    return Count(
        "answers",
        filter=Q(answers__not_applicable=True)
        | Q(answers__not_applicable=False, **{f"answers__{level}__isnull": False}),
    )


def _last_transition(field: str) -> Subquery:
    latest = Transition.objects.filter(assessment=OuterRef("pk")).order_by("-at", "-pk")
    return Subquery(latest.values(field)[:1])


def _entered_status() -> Subquery:
    """When the assessment entered the status it has now."""
    entered = Transition.objects.filter(
        assessment=OuterRef("pk"), to_status=OuterRef("status")
    ).order_by("-at", "-pk")
    return Subquery(entered.values("at")[:1])


def _local_date(moment) -> datetime.date | None:
    return None if moment is None else timezone.localdate(moment)


def _label(assessment: Assessment) -> dict:
    return {"region": assessment.region.name, "year": assessment.year}


def head_items(region, *, today: datetime.date) -> list[Item]:
    """This year's assessments of ``region`` that wait for its head, or the one to start."""
    assessments = list(
        Assessment.objects.filter(region=region, year=today.year)
        .select_related("region", "framework")
        .annotate(
            self_answered=answered("self_level"),
            last_from=_last_transition("from_status"),
            last_note=_last_transition("note"),
            last_at=_last_transition("at"),
        )
        .order_by("framework__code")
    )
    if not assessments:
        return [
            Item(
                kind=ASSESSMENT_START,
                title=_("Mulai penilaian mandiri %(region)s %(year)s")
                % {"region": region.name, "year": today.year},
                detail=_("Belum ada penilaian tahun ini."),
                url="{}?{}".format(
                    reverse("assessments:assessment_create"),
                    urlencode({"region": region.code, "year": today.year}),
                ),
                region=region.code,
                badge=str(BADGE),
                # The year's assessment has been open since the year began.
                waiting_since=datetime.date(today.year, 1, 1),
            )
        ]
    totals = indicator_totals()
    items = []
    for assessment in assessments:
        if assessment.status != Status.DRAFT:
            continue
        total = totals.get(assessment.framework_id, 0)
        common = {
            "url": assessment.get_absolute_url(),
            "region": region.code,
            "object_id": assessment.pk,
            "badge": str(BADGE),
        }
        if assessment.last_from == Status.SUBMITTED:
            items.append(
                Item(
                    kind=ASSESSMENT_RETURNED,
                    title=_("Perbaiki penilaian %(region)s %(year)s yang dikembalikan penilai")
                    % _label(assessment),
                    detail=assessment.last_note,
                    waiting_since=_local_date(assessment.last_at),
                    priority=2,
                    **common,
                )
            )
        elif assessment.self_answered >= total:
            items.append(
                Item(
                    kind=ASSESSMENT_SUBMIT,
                    title=_("Ajukan penilaian mandiri %(region)s %(year)s") % _label(assessment),
                    detail=_("Semua indikator sudah diisi."),
                    waiting_since=_local_date(assessment.last_at),
                    priority=1,
                    **common,
                )
            )
        else:
            left = total - assessment.self_answered
            items.append(
                Item(
                    kind=ASSESSMENT_CONTINUE,
                    title=_("Lanjutkan penilaian mandiri %(region)s %(year)s") % _label(assessment),
                    detail=ngettext(
                        "%(count)s dari %(total)s indikator belum diisi",
                        "%(count)s dari %(total)s indikator belum diisi",
                        left,
                    )
                    % {"count": left, "total": total},
                    waiting_since=_local_date(assessment.last_at),
                    **common,
                )
            )
    return items


def reviewer_items(assessments) -> list[Item]:
    """Of ``assessments`` (a reviewer's scope), those submitted and those in review."""
    rows = list(
        assessments.filter(status__in=[Status.SUBMITTED, Status.IN_REVIEW])
        .select_related("region", "framework")
        .annotate(verified=answered("verified_level"), entered=_entered_status())
        .order_by("region__code", "year")
    )
    if not rows:
        return []
    totals = indicator_totals()
    items = []
    for assessment in rows:
        common = {
            "url": assessment.get_absolute_url(),
            "region": assessment.region.code,
            "object_id": assessment.pk,
            "badge": str(BADGE),
            "waiting_since": _local_date(assessment.entered),
        }
        if assessment.status == Status.SUBMITTED:
            items.append(
                Item(
                    kind=ASSESSMENT_SUBMITTED,
                    title=_("Verifikasi penilaian mandiri %(region)s %(year)s")
                    % _label(assessment),
                    detail=_("Diajukan, menunggu verifikasi."),
                    priority=1,
                    **common,
                )
            )
        else:
            total = totals.get(assessment.framework_id, 0)
            left = max(total - assessment.verified, 0)
            items.append(
                Item(
                    kind=ASSESSMENT_IN_REVIEW,
                    title=_("Selesaikan verifikasi %(region)s %(year)s") % _label(assessment),
                    detail=ngettext(
                        "%(count)s dari %(total)s indikator belum diverifikasi",
                        "%(count)s dari %(total)s indikator belum diverifikasi",
                        left,
                    )
                    % {"count": left, "total": total}
                    if left
                    else _("Semua indikator sudah diverifikasi; siap ditetapkan final."),
                    **common,
                )
            )
    return items


def inbox_items(user, *, today: datetime.date) -> list[Item]:
    """The assessment workflow's items for ``user`` (heads and reviewers)."""
    membership = membership_of(user)
    if membership is None:
        return []
    if membership.role == Role.HEAD:
        return head_items(membership.region, today=today)
    if membership.role == Role.REVIEWER:
        return reviewer_items(Assessment.objects.visible_to(user))
    return []

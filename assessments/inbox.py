"""What the assessment workflow asks of a person now.

- A region's head: the assessment to start (none yet of the year), and every unfinished
  assessment of their region, whatever its year, with its next step — continue the
  self-assessment (indicators left), submit it (all answered), or rework it when a reviewer
  returned it (with the reviewer's note).
- A reviewer: the submitted assessments of their province, of every year, waiting for them
  since the day they were submitted; those in review, with how many indicators are left to
  verify; the regions of a running cycle that have not submitted by a deadline less than two
  weeks away (or already passed).
- Both: the clarification threads waiting for their move (a question for the head, an answer
  for the reviewer).

Where the province has an evaluation cycle (``assessments.cycles``), the assessment to start is
of the current cycle's year, else of this year. Each assessment's step carries the deadline
(``due``, with the region's extension) of the cycle of its own year, where there is one: an
earlier year's draft or submission left unfinished is late, and comes first.

Each role's items take a fixed number of queries whatever the number of assessments, answers,
transitions or threads.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments import clarifications, cycles, verification
from assessments.models import Assessment, Clarification, Indicator, Transition
from egov_portal.inbox import Item
from opds.access import Role, membership_of
from opds.models import Region

ASSESSMENT_START = "assessment_start"
ASSESSMENT_CONTINUE = "assessment_continue"
ASSESSMENT_SUBMIT = "assessment_submit"
ASSESSMENT_RETURNED = "assessment_returned"
ASSESSMENT_SUBMITTED = "assessment_submitted"
ASSESSMENT_IN_REVIEW = "assessment_in_review"
DEADLINE_SUBMISSION = "deadline_submission"
CLARIFICATION_QUESTION = "clarification_question"
CLARIFICATION_ANSWER = "clarification_answer"
KINDS = (
    ASSESSMENT_START,
    ASSESSMENT_CONTINUE,
    ASSESSMENT_SUBMIT,
    ASSESSMENT_RETURNED,
    ASSESSMENT_SUBMITTED,
    ASSESSMENT_IN_REVIEW,
    DEADLINE_SUBMISSION,
    CLARIFICATION_QUESTION,
    CLARIFICATION_ANSWER,
)
# How far ahead a reviewer sees a submission deadline coming.
DEADLINE_HORIZON = datetime.timedelta(days=14)

Status = Assessment.Status
BADGE = gettext_lazy("Penilaian")
DEADLINE_BADGE = gettext_lazy("Tenggat")
CLARIFICATION_BADGE = gettext_lazy("Klarifikasi")


def indicator_totals() -> dict[int, int]:
    """How many indicators each framework has (framework id → count), in one query."""
    return dict(
        Indicator.objects.order_by()
        .values_list("dimension__framework")
        .annotate(n=Count("pk"))
        .values_list("dimension__framework", "n")
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


def with_due(items: list[Item], steps, role) -> list[Item]:
    """``items`` with the deadline of the step their assessment is at, where that step is
    ``role``'s to take."""
    due = {
        step.assessment.pk: step.due
        for step in steps
        if step.assessment is not None and step.actor_role == role
    }
    return [
        dataclasses.replace(item, due=due[item.object_id]) if item.object_id in due else item
        for item in items
    ]


def head_items(region, *, today: datetime.date) -> list[Item]:
    """What waits for ``region``'s head: the assessment to start, of the current cycle's year
    (with its deadline) or of this year where the province has no cycle; and every draft of the
    region, whatever its year, with the deadline of its own year's cycle."""
    step = cycles.current_steps([region], today).get(region.pk)
    year = step.cycle.year if step else today.year
    items = _head_items(region, year=year, today=today)
    if step is None or step.assessment is not None or step.actor_role != Role.HEAD:
        return items
    return [
        dataclasses.replace(item, due=step.due) if item.kind == ASSESSMENT_START else item
        for item in items
    ]


def _head_items(region, *, year: int, today: datetime.date) -> list[Item]:
    assessments = list(
        Assessment.objects.filter(Q(year=year) | Q(status=Status.DRAFT), region=region)
        .select_related("region", "framework")
        .annotate(
            self_answered=verification.answer_count(verification.ANSWERED),
            last_from=_last_transition("from_status"),
            last_note=_last_transition("note"),
            last_at=_last_transition("at"),
        )
        .order_by("year", "framework__code")
    )
    items = []
    if not any(assessment.year == year for assessment in assessments):
        items.append(
            Item(
                kind=ASSESSMENT_START,
                title=_("Mulai penilaian mandiri %(region)s %(year)s")
                % {"region": region.name, "year": year},
                detail=_("Belum ada penilaian tahun ini."),
                url="{}?{}".format(
                    reverse("assessments:assessment_create"),
                    urlencode({"region": region.code, "year": year}),
                ),
                region=region.code,
                badge=str(BADGE),
                # The year's assessment has been open since the year began.
                waiting_since=datetime.date(year, 1, 1),
            )
        )
    drafts = [assessment for assessment in assessments if assessment.status == Status.DRAFT]
    if not drafts:
        return items
    totals = indicator_totals()
    for assessment in drafts:
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
    return with_due(items, cycles.steps_for(drafts, today).values(), Role.HEAD)


def reviewer_items(assessments, *, today: datetime.date) -> list[Item]:
    """Of ``assessments`` (a reviewer's scope), those submitted and those in review, whatever
    their year, each with the deadline of its step in its own year's cycle."""
    rows = list(
        assessments.filter(status__in=[Status.SUBMITTED, Status.IN_REVIEW])
        .select_related("region", "framework")
        .annotate(
            verified=verification.answer_count(verification.VERIFIED),
            entered=_entered_status(),
        )
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
    return with_due(items, cycles.steps_for(rows, today).values(), Role.REVIEWER)


def deadline_items(steps, *, today: datetime.date) -> list[Item]:
    """For a reviewer: per running cycle, the regions that have not submitted their
    self-assessment by a deadline less than ``DEADLINE_HORIZON`` away or already passed."""
    pending = {}
    for step in steps:
        if step.actor_role != Role.HEAD or step.cycle.finalisation_deadline < today:
            continue
        if step.due - today > DEADLINE_HORIZON:
            continue
        pending.setdefault(step.cycle, []).append(step)
    items = []
    for cycle, waiting in pending.items():
        waiting.sort(key=lambda step: (step.due, step.region.code))
        count = len(waiting)
        items.append(
            Item(
                kind=DEADLINE_SUBMISSION,
                title=ngettext(
                    "%(count)s kabupaten/kota belum mengajukan penilaian mandiri %(year)s",
                    "%(count)s kabupaten/kota belum mengajukan penilaian mandiri %(year)s",
                    count,
                )
                % {"count": count, "year": cycle.year},
                detail=", ".join(step.region.name for step in waiting[:5])
                + (" …" if count > 5 else ""),
                url=reverse("assessments:cycle_list"),
                due=waiting[0].due,
                region=cycle.province.code,
                object_id=cycle.pk,
                badge=str(DEADLINE_BADGE),
            )
        )
    return items


def clarification_items(user) -> list[Item]:
    """The open clarification threads waiting for ``user``'s move; one query."""
    items = []
    for thread in clarifications.awaiting(user):
        assessment = thread.assessment
        label = {
            "indicator": thread.indicator.code,
            "region": assessment.region.name,
            "year": assessment.year,
        }
        question = thread.waiting_on == Clarification.Side.HEAD
        items.append(
            Item(
                kind=CLARIFICATION_QUESTION if question else CLARIFICATION_ANSWER,
                title=(
                    _("Jawab klarifikasi %(indicator)s, %(region)s %(year)s")
                    if question
                    else _("Tanggapi jawaban klarifikasi %(indicator)s, %(region)s %(year)s")
                )
                % label,
                detail=thread.indicator.label,
                url=thread.get_absolute_url(),
                region=assessment.region.code,
                object_id=thread.pk,
                badge=str(CLARIFICATION_BADGE),
                waiting_since=_local_date(thread.last_comment_at),
                priority=1,
            )
        )
    return items


def inbox_items(user, *, today: datetime.date) -> list[Item]:
    """The assessment workflow's items for ``user`` (heads and reviewers)."""
    membership = membership_of(user)
    if membership is None:
        return []
    if membership.role == Role.HEAD:
        return head_items(membership.region, today=today) + clarification_items(user)
    if membership.role == Role.REVIEWER:
        items = reviewer_items(Assessment.objects.visible_to(user), today=today)
        regions = Region.objects.filter(parent=membership.region_id)
        steps = list(cycles.current_steps(regions, today).values())
        return items + deadline_items(steps, today=today) + clarification_items(user)
    return []

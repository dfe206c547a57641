"""Clarification threads on an indicator: a reviewer asks, the region's head answers (and may
attach a document, which becomes evidence of that indicator's answer), either side closes.

Decisions:

- Every status but ``final`` takes comments. In ``draft`` a province-led visit may already ask;
  ``submitted`` and ``in_review`` are when questions are asked and answered. A final assessment
  is locked: its threads are read only, except that either side may still close a thread left
  open (closing changes nothing the assessment reports). An admin re-opening the assessment
  makes its threads writable again.
- Answering with a document adds evidence while the assessment is ``submitted`` or
  ``in_review``, when the head's evidence form is closed: answering what a reviewer asked for
  is the one change the head may make then. The file passes the same checks as any evidence.
- Making an assessment final is not blocked by open threads; the page asks for confirmation
  (``open_counts``). A reviewer may find that the levels are clear without the answer, and an
  unanswered question must not hold the assessment back.
- A closed thread stays as a record and is never re-opened: a new question on the same
  indicator opens a new thread.
- Only one thread per indicator is open at a time (a database constraint).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import access, notices, workflow
from assessments.models import Assessment, Clarification, Comment, Indicator
from egov_portal import history
from egov_portal.errors import NotAllowed, WrongState
from opds.access import Role, role_of

Status = Assessment.Status
Side = Clarification.Side

# The statuses in which threads take questions and answers; see the module's docstring.
COMMENT_STATUSES = {Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW}


class OpenCounts(dict):
    """Open threads by dimension id; ``total`` over the whole assessment."""

    @property
    def total(self) -> int:
        return sum(self.values())


@dataclass
class Panel:
    """What the thread panel under one indicator's card shows to one user."""

    threads: list[Clarification] = field(default_factory=list)  # newest first
    may_ask: bool = False
    may_reply: bool = False
    may_attach: bool = False
    may_close: bool = False

    @property
    def open(self) -> Clarification | None:
        return next((thread for thread in self.threads if thread.is_open), None)

    @property
    def closed(self) -> list[Clarification]:
        return [thread for thread in self.threads if not thread.is_open]

    @property
    def may_write(self) -> bool:
        """Whether the panel has a form: a question, or an answer to the open thread."""
        return self.may_ask or (self.may_reply and self.open is not None)


def may_write(user, assessment: Assessment) -> bool:
    return access.may_comment(user, assessment) and assessment.status in COMMENT_STATUSES


def _refuse_unless_writable(user, assessment: Assessment) -> None:
    if not access.may_comment(user, assessment):
        raise NotAllowed(_("Anda tidak berwenang menulis pada klarifikasi penilaian ini."))
    if assessment.status not in COMMENT_STATUSES:
        raise WrongState(
            _(
                "Penilaian berstatus %(status)s terkunci: klarifikasinya hanya dapat dibaca, "
                "tidak menerima pertanyaan atau jawaban baru."
            )
            % {"status": assessment.get_status_display()}
        )


def _side(user, assessment: Assessment) -> str:
    # An admin writes for the province, as a reviewer does.
    if access.acting_role(user, assessment.region) == Role.HEAD:
        return Side.HEAD
    return Side.REVIEWER


def _clean_text(text) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Tuliskan pertanyaan atau jawaban Anda.")})
    return text


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("region").get(pk=assessment.pk)


def _add_comment(thread: Clarification, *, user, side: str, text: str, evidence=None) -> Comment:
    comment = Comment(thread=thread, author=user, side=side, text=text, evidence=evidence)
    comment.full_clean(exclude=["thread", "author", "evidence"])
    history.attribute(comment, user=user).save()
    # Bookkeeping for the inboxes, not a change a reader needs in the thread's history.
    thread.waiting_on = Side.REVIEWER if side == Side.HEAD else Side.HEAD
    thread.last_comment_at = comment.at
    Clarification.objects.filter(pk=thread.pk).update(
        waiting_on=thread.waiting_on, last_comment_at=thread.last_comment_at
    )
    notices.clarification_notify(comment)
    return comment


def open_thread(assessment: Assessment, indicator) -> Clarification | None:
    return (
        Clarification.objects.open()
        .filter(assessment=assessment, indicator=indicator)
        .select_related("assessment__region", "indicator__dimension")
        .first()
    )


@transaction.atomic
def ask(assessment: Assessment, indicator, *, user, text: str) -> Comment:
    """A reviewer's question on ``indicator``: opens a thread, or adds to the open one."""
    assessment = _lock(assessment)
    _refuse_unless_writable(user, assessment)
    if not access.may_ask(user, assessment):
        raise NotAllowed(
            _(
                "Pertanyaan diajukan oleh penilai. Anda dapat menjawab bila ada pertanyaan "
                "yang terbuka pada indikator ini."
            )
        )
    text = _clean_text(text)
    if not Indicator.objects.filter(
        pk=indicator.pk, dimension__framework=assessment.framework_id
    ).exists():
        raise ValidationError(_("Indikator ini bukan bagian dari kerangka penilaian ini."))
    thread = Clarification.objects.open().filter(assessment=assessment, indicator=indicator).first()
    if thread is None:
        thread = Clarification(assessment=assessment, indicator=indicator, opened_by=user)
        history.attribute(thread, user=user).save()
    return _add_comment(thread, user=user, side=_side(user, assessment), text=text)


@transaction.atomic
def reply(thread: Clarification, *, user, text: str, file=None) -> Comment:
    """An answer (or a follow-up) in an open thread; the head may attach a document, which is
    kept as evidence of the indicator's answer."""
    assessment = _lock(thread.assessment)
    thread = Clarification.objects.select_for_update().select_related("indicator").get(pk=thread.pk)
    _refuse_unless_writable(user, assessment)
    if not thread.is_open:
        raise WrongState(
            _(
                "Klarifikasi ini sudah ditutup. Ajukan pertanyaan baru bila masih ada yang perlu "
                "dijelaskan."
            )
        )
    if file and not access.may_attach_to_reply(user, assessment):
        raise NotAllowed(_("Hanya kepala Diskominfo yang melampirkan bukti dukung pada jawaban."))
    text = _clean_text(text)
    evidence = None
    if file:
        evidence = workflow.evidence_store(assessment, thread.indicator, user=user, file=file)
    return _add_comment(
        thread, user=user, side=_side(user, assessment), text=text, evidence=evidence
    )


def comment(assessment: Assessment, indicator, *, user, text: str, file=None) -> Comment:
    """What the comment form and the API's POST do: answer the open thread of ``indicator``,
    or ask (open one) when there is none."""
    thread = Clarification.objects.open().filter(assessment=assessment, indicator=indicator).first()
    if thread is not None:
        return reply(thread, user=user, text=text, file=file)
    if file and access.may_ask(user, assessment):
        raise ValidationError(
            {"file": _("Lampirkan berkas pada jawaban, bukan pada pertanyaan baru.")}
        )
    return ask(assessment, indicator, user=user, text=text)


@transaction.atomic
def close(thread: Clarification, *, user) -> Clarification:
    """Close an open thread; either side may, in any status (see the module's docstring)."""
    assessment = _lock(thread.assessment)
    thread = Clarification.objects.select_for_update().get(pk=thread.pk)
    if not access.may_close(user, assessment):
        raise NotAllowed(_("Anda tidak berwenang menutup klarifikasi ini."))
    if not thread.is_open:
        raise WrongState(_("Klarifikasi ini sudah ditutup."))
    thread.status = Clarification.Status.CLOSED
    thread.closed_by = user
    thread.closed_at = timezone.now()
    thread.full_clean(exclude=["assessment", "indicator", "opened_by", "closed_by"])
    history.attribute(thread, user=user).save()
    return thread


def open_counts(assessment: Assessment) -> OpenCounts:
    """Open threads of ``assessment`` by dimension id (dimensions without any left out), and
    their ``total``; one query."""
    rows = (
        Clarification.objects.open()
        .filter(assessment=assessment)
        .values("indicator__dimension")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return OpenCounts({row["indicator__dimension"]: row["count"] for row in rows})


def awaiting(user):
    """The open threads whose next move is ``user``'s: for a head, those of their region whose
    last comment is a reviewer's; for a reviewer, those of their province whose last comment is
    the head's. Final assessments are left out (their threads take no answer); admins and other
    roles wait on nothing. Oldest first; one query."""
    side = {Role.HEAD: Side.HEAD, Role.REVIEWER: Side.REVIEWER}.get(role_of(user))
    threads = Clarification.objects.open().visible_to(user)
    if side is None:
        return threads.none()
    return (
        threads.filter(waiting_on=side)
        .exclude(assessment__status=Status.FINAL)
        .select_related("assessment__region", "indicator__dimension")
        .order_by("last_comment_at", "pk")
    )


def comments_of(assessment: Assessment, indicator):
    """Every comment on ``indicator`` in ``assessment``, oldest first, with what a list shows."""
    return (
        Comment.objects.filter(thread__assessment=assessment, thread__indicator=indicator)
        .select_related("thread", "author", "evidence")
        .order_by("at", "pk")
    )


def panels(assessment: Assessment, indicators, user) -> dict[int, Panel]:
    """The thread panel of each of ``indicators`` for ``user``; two queries for any number of
    indicators and comments."""
    writable = may_write(user, assessment)
    rights = {
        "may_ask": writable and access.may_ask(user, assessment),
        "may_reply": writable,
        "may_attach": writable and access.may_attach_to_reply(user, assessment),
        "may_close": access.may_close(user, assessment),
    }
    found = {indicator.pk: Panel(**rights) for indicator in indicators}
    threads = (
        Clarification.objects.filter(assessment=assessment, indicator_id__in=list(found))
        .select_related("closed_by")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author", "evidence").order_by("at", "pk"),
            )
        )
        .order_by("-opened_at", "-pk")
    )
    for thread in threads:
        found[thread.indicator_id].threads.append(thread)
    return found

"""What the assessment workflow tells people, and whom (``egov_portal.notifications``): the
steps of the workflow, the comments of clarification threads, and the reminders of a cycle's
deadlines (``manage.py send_reminders``, run once a day)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import lazy
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from assessments import cycles
from assessments.models import Assessment, Clarification, Comment, Stage
from egov_portal.models import Notification, Preferences
from egov_portal.notifications import Kind, notify, text
from opds.access import Role, heads_of, reviewers_of

# Days before a deadline on which the people who must act are reminded.
REMINDER_DAYS = (7, 1)
# How far back a reminder already written counts as sent.
RECENT = datetime.timedelta(days=30)
# A reviewer's step → the status of the assessments it waits on (the list a reminder opens).
STATUS_OF = {
    cycles.VERIFY: Assessment.Status.SUBMITTED,
    cycles.FINALISE: Assessment.Status.IN_REVIEW,
}

Status = Assessment.Status


def transition_notify(assessment: Assessment, *, move: tuple[str, str], user, note: str) -> None:
    """Tell the province's reviewers of a submitted self-assessment, and the region's heads of
    one returned to them or made final. Other moves tell nobody."""
    region = assessment.region
    names = {"region": region.name, "year": assessment.year, "user": _display(user)}
    if move == (Status.DRAFT, Status.SUBMITTED):
        recipients = reviewers_of(region.parent_id or region.pk)
        kind = Kind.ASSESSMENT_SUBMITTED
        title = text(_("Penilaian mandiri %(region)s %(year)s diajukan"), **names)
        body = text(
            _(
                "%(user)s mengajukan penilaian mandiri %(region)s tahun %(year)s. Penilaian "
                "menunggu verifikasi Anda."
            ),
            **names,
        )
    elif move == (Status.SUBMITTED, Status.DRAFT):
        recipients = heads_of(region)
        kind = Kind.ASSESSMENT_RETURNED
        title = text(_("Penilaian %(region)s %(year)s dikembalikan untuk diperbaiki"), **names)
        body = text(
            _("%(user)s mengembalikan penilaian ke wilayah dengan catatan: %(note)s"),
            note=note,
            **names,
        )
    elif move == (Status.IN_REVIEW, Status.FINAL):
        recipients = heads_of(region)
        kind = Kind.ASSESSMENT_FINAL
        title = text(_("Penilaian %(region)s %(year)s ditetapkan final"), **names)
        body = text(
            _(
                "%(user)s menetapkan penilaian %(region)s tahun %(year)s sebagai final. "
                "Nilai resmi dan laporannya dapat dilihat di portal."
            ),
            **names,
        )
    else:
        return
    notify(
        recipients.exclude(pk=user.pk),
        kind=kind,
        title=title,
        body=body,
        url=assessment.get_absolute_url(),
    )


def _display(user) -> str:
    return user.get_full_name() or user.get_username()


def clarification_notify(comment: Comment) -> None:
    """A reviewer's question (or follow-up) tells the region's heads; the head's answer tells
    the reviewers who wrote in the thread (the province's reviewers when none of them is active
    any more). The author is not told of their own comment."""
    thread = comment.thread
    assessment = thread.assessment
    region = assessment.region
    names = {
        "indicator": thread.indicator.code,
        "region": region.name,
        "year": assessment.year,
        "user": _display(comment.author),
        "text": comment.text,
    }
    if comment.side == Clarification.Side.REVIEWER:
        recipients = heads_of(region)
        kind = Kind.CLARIFICATION_ASKED
        title = text(_("Klarifikasi diminta: %(indicator)s, %(region)s %(year)s"), **names)
        body = text(
            _("%(user)s meminta klarifikasi pada indikator %(indicator)s:\n\n%(text)s"), **names
        )
    else:
        writers = thread.comments.filter(side=Clarification.Side.REVIEWER).values("author")
        recipients = reviewers_of(region.parent_id).filter(pk__in=writers)
        if not recipients.exists():
            recipients = reviewers_of(region.parent_id)
        kind = Kind.CLARIFICATION_ANSWERED
        title = text(_("Klarifikasi dijawab: %(indicator)s, %(region)s %(year)s"), **names)
        body = text(
            _("%(user)s menjawab klarifikasi pada indikator %(indicator)s:\n\n%(text)s"), **names
        )
        if comment.evidence_id:
            body = text(
                _("%(body)s\n\nLampiran: %(title)s"), body=body, title=comment.evidence.title
            )
    if comment.author_id:
        recipients = recipients.exclude(pk=comment.author_id)
    notify(recipients, kind=kind, title=title, body=body, url=thread.get_absolute_url())


def step_url(step) -> str:
    if step.assessment is not None:
        return step.assessment.get_absolute_url()
    return "{}?{}".format(
        reverse("assessments:assessment_create"),
        urlencode({"region": step.region.code, "year": step.cycle.year}),
    )


def deadline_reminders(today: datetime.date | None = None) -> int:
    """Remind whoever must act of each step due in 7 days and in 1 day: a region's heads of
    their step (start or submit the self-assessment), a province's reviewers of the regions
    waiting for them (one message per deadline, naming the regions). Sends each reminder once
    only: running it twice (within ``RECENT``) tells nobody twice. Returns how many
    notifications were written."""
    today = today or timezone.localdate()
    # What was reminded lately, by recipient and title (the title names the step, its
    # deadline and how many days ahead, in the recipient's language).
    sent = set(
        Notification.objects.filter(
            kind=Kind.DEADLINE_NEAR, created_at__gte=timezone.now() - RECENT
        ).values_list("recipient_id", "title")
    )
    written = 0
    for days in REMINDER_DAYS:
        for_reviewers = defaultdict(list)
        for step in cycles.due_in(days, today):
            if step.actor_role == Role.HEAD:
                written += _remind(
                    heads_of(step.region),
                    step_url(step),
                    sent,
                    title=text(
                        _("%(action)s %(region)s %(year)s: tenggat %(due)s (H-%(days)s)"),
                        action=cycles.ACTIONS[step.action],
                        region=step.region.name,
                        year=step.cycle.year,
                        due=_date(step.due),
                        days=days,
                    ),
                    body=text(
                        _("Tenggat tahap %(stage)s untuk %(region)s jatuh pada %(due)s."),
                        stage=Stage(step.stage).label,
                        region=step.region.name,
                        due=_date(step.due),
                    ),
                )
            elif step.actor_role == Role.REVIEWER:
                for_reviewers[(step.cycle, step.action, step.due)].append(step)
        for (cycle, _action, due), steps in for_reviewers.items():
            step = steps[0]
            written += _remind(
                reviewers_of(cycle.province_id),
                "{}?{}".format(
                    reverse("assessments:assessment_list"),
                    urlencode({"year": cycle.year, "status": STATUS_OF[step.action]}),
                ),
                sent,
                title=text(
                    _("%(action)s: tenggat %(due)s (H-%(days)s) untuk %(count)s kabupaten/kota"),
                    action=cycles.ACTIONS[step.action],
                    due=_date(due),
                    days=days,
                    count=len(steps),
                ),
                body=text(
                    _("Tenggat tahap %(stage)s %(year)s jatuh pada %(due)s untuk: %(regions)s."),
                    stage=Stage(step.stage).label,
                    year=cycle.year,
                    due=_date(due),
                    regions=", ".join(s.region.name for s in steps),
                ),
            )
    return written


def _remind(recipients, url, sent, *, title, body) -> int:
    recipients = list(recipients)
    languages = dict(
        Preferences.objects.filter(user__in=recipients).values_list("user_id", "language")
    )
    users = []
    for user in recipients:
        with translation.override(languages.get(user.pk, settings.LANGUAGE_CODE)):
            key = (user.pk, str(title)[:255])
        if key not in sent:
            sent.add(key)
            users.append(user)
    return len(
        notify(users, kind=Kind.DEADLINE_NEAR, title=title, body=body, url=url, reminder=True)
    )


def _long_date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


# Read in the recipient's language (month names), as ``text`` renders it.
_date = lazy(_long_date, str)

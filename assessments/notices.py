"""What the assessment workflow tells people, and whom (``egov_portal.notifications``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from egov_portal.notifications import Kind, notify, text
from opds.access import heads_of, reviewers_of

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

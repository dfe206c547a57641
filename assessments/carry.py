"""Starting an assessment from an earlier year's (carry forward), and confirming what was
carried.

Each indicator answered in the earlier assessment starts with the level that counted there
(the verified level where set, else the self level) as its self level, its N/A, its note and
its evidence, and waits for the region to confirm it (``Answer.awaiting_confirmation``); saving the
indicator's level confirms it, changed or not (``assessments.workflow.answer_save``). Carried
evidence is a new record pointing at the same stored file: nothing is copied, and the file is
removed only with the last record that points at it (``assessments.workflow.evidence_remove``).
The callers (``assessments.workflow``) lock the assessment and check who may do this.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.models import Answer, Assessment, Dimension, Evidence

FIELD = "carry_forward_from"


def sources_for(user, *, region, framework, before: int | None = None):
    """The earlier assessments ``user`` may start a new one from, newest first."""
    sources = Assessment.objects.visible_to(user).filter(region=region, framework=framework)
    if before is not None:
        sources = sources.filter(year__lt=before)
    return sources.for_list().order_by("-year")


def check_source(assessment: Assessment, source: Assessment, *, user) -> None:
    """Refuse a source that is not an earlier assessment of the same region and framework,
    visible to ``user``."""
    if not Assessment.objects.visible_to(user).filter(pk=source.pk).exists():
        raise ValidationError({FIELD: _("Penilaian asal tidak ditemukan.")})
    if source.region_id != assessment.region_id:
        message = _("Penilaian asal harus dari wilayah yang sama (%(region)s).")
        raise ValidationError({FIELD: message % {"region": assessment.region}})
    if source.framework_id != assessment.framework_id:
        message = _("Penilaian asal harus memakai kerangka yang sama (%(framework)s).")
        raise ValidationError({FIELD: message % {"framework": assessment.framework.code}})
    if source.year >= assessment.year:
        message = _("Penilaian asal harus dari tahun sebelum %(year)s.")
        raise ValidationError({FIELD: message % {"year": assessment.year}})


def answers_carry(assessment: Assessment, source: Assessment, *, user) -> int:
    """Start ``assessment`` with the answers of ``source``; the number of answers carried.

    A fixed number of queries, however many indicators: the answers, then their evidence,
    each created in bulk with their history.
    """
    earlier = list(
        Answer.objects.filter(assessment=source)
        .select_related("indicator")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("pk")
    )
    reason = _("Dilanjutkan dari penilaian %(year)s") % {"year": source.year}
    answers = [
        Answer(
            assessment=assessment,
            indicator=old.indicator,
            self_level=None if old.not_applicable else old.level,
            not_applicable=old.not_applicable,
            note=old.note,
            carried_from=old,
            # Nothing to confirm when the earlier year left the indicator without a level.
            awaiting_confirmation=old.level is not None or old.not_applicable,
            updated_by=user,
        )
        for old in earlier
    ]
    answers = bulk_create_with_history(
        answers, Answer, default_user=user, default_change_reason=reason
    )
    by_earlier = {answer.carried_from_id: answer for answer in answers}
    evidence = [
        Evidence(
            answer=by_earlier[old.pk],
            title=item.title,
            file=item.file.name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            url=item.url,
            uploaded_by_id=item.uploaded_by_id,
        )
        for old in earlier
        for item in old.evidence.all()
    ]
    bulk_create_with_history(evidence, Evidence, default_user=user, default_change_reason=reason)
    return len(answers)


def awaiting_codes(assessment: Assessment) -> list[str]:
    """The codes of the indicators whose carried level waits for confirmation."""
    return list(
        Answer.objects.filter(assessment=assessment, awaiting_confirmation=True)
        .order_by("indicator__dimension__order", "indicator__order", "indicator__code")
        .values_list("indicator__code", flat=True)
    )


def answers_confirm(assessment: Assessment, dimension: Dimension, *, user) -> int:
    """Confirm every carried level of ``dimension`` still waiting, unchanged."""
    answers = list(
        Answer.objects.select_for_update().filter(
            assessment=assessment, indicator__dimension=dimension, awaiting_confirmation=True
        )
    )
    now = timezone.now()
    for answer in answers:
        answer.awaiting_confirmation = False
        answer.version += 1
        answer.updated_by = user
        answer.updated_at = now
    bulk_update_with_history(
        answers,
        Answer,
        ["awaiting_confirmation", "version", "updated_by", "updated_at"],
        default_user=user,
        default_change_reason=_("Level dari tahun sebelumnya dikonfirmasi"),
    )
    return len(answers)

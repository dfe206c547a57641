"""The assessment workflow and every change to an assessment: one set of functions that the
pages and the API both call.

    draft ──submit (head)──▶ submitted ──start review (reviewer)──▶ in_review ──finalise──▶ final
      │                         │                                      ▲       (reviewer)     │
      │                         └──return to region (reviewer) ──▶ draft                      │
      └──start review without a self-assessment (reviewer, province-led visit)──┘              │
                                                          in_review ◀──re-open (admin, reason)─┘

In ``draft`` the region's head sets self levels and a reviewer may already set verified levels;
in ``in_review`` only reviewers set verified levels; ``submitted`` and ``final`` accept no
changes. Each transition is recorded with who, when and a note.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils.translation import gettext as _

from assessments import access, carry, verification
from assessments.evidence import check_upload
from assessments.models import Answer, Assessment, Dimension, Evidence, Transition
from assessments.notices import transition_notify
from egov_portal import history
from egov_portal.errors import NotAllowed, WrongState
from egov_portal.versions import StaleVersion

Status = Assessment.Status

# The moves between statuses; who may make each is ``assessments.access.MOVERS``.
TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED),
    (Status.DRAFT, Status.IN_REVIEW),
    (Status.SUBMITTED, Status.IN_REVIEW),
    (Status.SUBMITTED, Status.DRAFT),
    (Status.IN_REVIEW, Status.FINAL),
    (Status.FINAL, Status.IN_REVIEW),
}
NOTE_REQUIRED = {(Status.SUBMITTED, Status.DRAFT), (Status.FINAL, Status.IN_REVIEW)}
ANSWER_FIELDS = ("self_level", "verified_level", "not_applicable", "note", "reason")
# Saving one of these confirms a level carried from an earlier year, changed or not.
CONFIRMING_FIELDS = {"self_level", "not_applicable"}


# Sent inside the transaction that makes an assessment final, so that the layers above can
# keep what they print beside it (the reports app keeps the inventory and master-plan figures).
assessment_finalised = Signal()


class AnswerConflict(StaleVersion):
    """The answer changed since the caller read it; ``current`` is what is saved now."""

    def __init__(self, current: Answer):
        super().__init__(
            current,
            _(
                "Indikator ini sudah diubah orang lain sejak Anda membukanya. Periksa nilai "
                "yang tersimpan sekarang, lalu simpan lagi bila Anda tetap ingin menggantinya."
            ),
        )


def transition_label(from_status, to_status) -> str:
    labels = {
        (Status.DRAFT, Status.SUBMITTED): _("Ajukan penilaian mandiri"),
        (Status.DRAFT, Status.IN_REVIEW): _("Mulai verifikasi"),
        (Status.SUBMITTED, Status.IN_REVIEW): _("Mulai verifikasi"),
        (Status.SUBMITTED, Status.DRAFT): _("Kembalikan ke wilayah"),
        (Status.IN_REVIEW, Status.FINAL): _("Tetapkan final"),
        (Status.FINAL, Status.IN_REVIEW): _("Buka kembali"),
    }
    return labels[(from_status, to_status)]


def allowed_transitions(user, assessment: Assessment) -> list[str]:
    return [
        to
        for start, to in sorted(TRANSITIONS)
        if start == assessment.status and access.may_move(user, assessment, (start, to))
    ]


def may_set_self(user, assessment: Assessment) -> bool:
    return access.may_set_self_levels(user, assessment) and assessment.status == Status.DRAFT


def may_set_verified(user, assessment: Assessment) -> bool:
    return access.may_set_verified_levels(user, assessment) and assessment.status in {
        Status.DRAFT,
        Status.IN_REVIEW,
    }


def may_edit(user, assessment: Assessment) -> bool:
    return may_set_self(user, assessment) or may_set_verified(user, assessment)


def change_refusal(user, assessment: Assessment) -> NotAllowed | WrongState:
    """Why ``user`` may not change ``assessment`` now: not theirs (403) or not now (409)."""
    if access.acting_role(user, assessment.region) is None:
        return NotAllowed(_("Anda tidak berwenang mengubah penilaian ini."))
    return WrongState(
        _("Penilaian berstatus %(status)s tidak menerima perubahan.")
        % {"status": assessment.get_status_display()}
    )


def _refuse_change(user, assessment: Assessment):
    raise change_refusal(user, assessment)


def _touch(assessment: Assessment):
    """Raise the revision of ``assessment``, which the caller has locked (select_for_update):
    no one else changes its row until the transaction ends, so the copy in hand follows."""
    Assessment.objects.filter(pk=assessment.pk).update(revision=F("revision") + 1)
    assessment.revision += 1


@transaction.atomic
def assessment_create(
    *, user, region, year, framework, carry_forward_from: Assessment | None = None
) -> Assessment:
    """A new draft assessment; ``carry_forward_from`` (an earlier assessment of the same region
    and framework) gives each indicator its last level to confirm, its note and its evidence."""
    if not access.may_create_assessment(user, region):
        raise NotAllowed(_("Anda tidak berwenang membuat penilaian untuk wilayah ini."))
    assessment = Assessment(region=region, year=year, framework=framework, created_by=user)
    assessment.full_clean()
    if carry_forward_from is not None:
        carry.check_source(assessment, carry_forward_from, user=user)
    history.attribute(assessment, user=user).save()
    history.attribute(
        Transition(assessment=assessment, from_status="", to_status=Status.DRAFT, user=user),
        user=user,
    ).save()
    if carry_forward_from is not None:
        carry.answers_carry(assessment, carry_forward_from, user=user)
    return assessment


def answered_count(assessment: Assessment, *, verified: bool) -> tuple[int, int]:
    """(answered, total) indicators: verified level or N/A, else self level or N/A."""
    counts = verification.progress(assessment).total
    return (counts.verified if verified else counts.answered), counts.total


@transaction.atomic
def assessment_transition(assessment: Assessment, *, user, to: str, note: str = "") -> Transition:
    assessment = (
        Assessment.objects.select_for_update().select_related("region").get(pk=assessment.pk)
    )
    move = (assessment.status, to)
    if to not in Status.values or move not in TRANSITIONS:
        raise WrongState(
            _("Penilaian berstatus %(status)s tidak dapat dipindah ke status %(to)s.")
            % {"status": assessment.get_status_display(), "to": to}
        )
    if not access.may_move(user, assessment, move):
        raise NotAllowed(_("Peran Anda tidak dapat melakukan langkah ini."))
    note = (note or "").strip()
    if move in NOTE_REQUIRED and not note:
        raise ValidationError({"note": _("Tuliskan alasannya pada catatan.")})
    if move == (Status.DRAFT, Status.SUBMITTED):
        answered, total = answered_count(assessment, verified=False)
        if answered < total:
            raise ValidationError(
                _(
                    "Masih ada %(missing)s dari %(total)s indikator tanpa level mandiri. "
                    "Isi semuanya (atau tandai tidak berlaku) sebelum mengajukan."
                )
                % {"missing": total - answered, "total": total}
            )
        waiting = carry.awaiting_codes(assessment)
        if waiting:
            raise ValidationError(
                _(
                    "Level dari tahun sebelumnya belum dikonfirmasi pada %(count)s indikator: "
                    "%(codes)s. Konfirmasi atau ubah levelnya sebelum mengajukan."
                )
                % {"count": len(waiting), "codes": ", ".join(waiting)}
            )
    if move == (Status.IN_REVIEW, Status.FINAL):
        problems = verification.final_check(assessment).problems()
        if problems:
            raise ValidationError(problems)
    record = Transition(
        assessment=assessment, from_status=assessment.status, to_status=to, note=note, user=user
    )
    record.full_clean(exclude=["assessment", "user"])
    history.attribute(record, user=user, reason=note).save()
    assessment.status = to
    history.attribute(assessment, user=user, reason=note).save(
        update_fields=["status", "updated_at"]
    )
    _touch(assessment)
    if to == Status.FINAL:
        assessment_finalised.send(sender=Assessment, assessment=assessment, user=user)
    transition_notify(assessment, move=move, user=user, note=note)
    return record


@transaction.atomic
def answer_save(assessment: Assessment, indicator, *, user, version: int, **changes) -> Answer:
    """Save the fields in ``changes`` on the answer to ``indicator``.

    ``version`` is the answer's version the caller last saw (0 for an indicator not answered
    yet); when the saved answer has moved on, AnswerConflict carries what is saved now.
    """
    unknown = set(changes) - set(ANSWER_FIELDS)
    if unknown:
        raise ValueError(f"unknown answer fields: {sorted(unknown)}")
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("region", "framework")
        .get(pk=assessment.pk)
    )
    answer = (
        Answer.objects.select_for_update()
        .filter(assessment=assessment, indicator=indicator)
        .first()
    ) or Answer(assessment=assessment, indicator=indicator, version=0)
    answer.indicator = indicator
    self_ok, verify_ok = may_set_self(user, assessment), may_set_verified(user, assessment)
    if answer.awaiting_confirmation and self_ok and CONFIRMING_FIELDS & set(changes):
        changes = {**changes, "awaiting_confirmation": False}
    changed = {name for name, value in changes.items() if getattr(answer, name) != value}
    if not changed:
        return answer
    needs = {
        "awaiting_confirmation": self_ok,
        "self_level": self_ok,
        "verified_level": verify_ok,
        "reason": verify_ok,
        "not_applicable": self_ok or verify_ok,
        "note": self_ok or verify_ok,
    }
    if not all(needs[name] for name in changed):
        if self_ok or verify_ok:
            raise NotAllowed(
                _("Peran Anda tidak dapat mengubah %(fields)s pada tahap ini.")
                % {
                    "fields": ", ".join(
                        str(Answer._meta.get_field(n).verbose_name) for n in changed if not needs[n]
                    )
                }
            )
        _refuse_change(user, assessment)
    if answer.version != version:
        raise AnswerConflict(answer)
    for name in changed:
        setattr(answer, name, changes[name])
    answer.assessment = assessment
    answer.version += 1
    answer.updated_by = user
    answer.full_clean(exclude=["assessment", "indicator", "updated_by"], validate_unique=False)
    if changed & {"verified_level", "reason"} and answer.differs and not answer.reason.strip():
        raise ValidationError(
            {"reason": _("Tuliskan alasan mengapa level verifikasi berbeda dari level mandiri.")}
        )
    if answer.pk:
        history.attribute(answer, user=user).save()
    else:
        _answer_create(answer, user=user)
    _touch(assessment)
    return answer


def _answer_create(answer: Answer, *, user):
    try:
        # A savepoint, so that a failed insert leaves the transaction usable.
        with transaction.atomic():
            history.attribute(answer, user=user).save()
    except IntegrityError as error:
        # Another request created this answer between our read and our write.
        raise AnswerConflict(
            Answer.objects.get(assessment=answer.assessment, indicator=answer.indicator)
        ) from error


@transaction.atomic
def evidence_add(
    assessment: Assessment, indicator, *, user, title="", file=None, url=""
) -> Evidence:
    """Attach an uploaded file or a link to the answer of ``indicator``."""
    assessment = (
        Assessment.objects.select_for_update().select_related("region").get(pk=assessment.pk)
    )
    if not may_edit(user, assessment):
        _refuse_change(user, assessment)
    return evidence_store(assessment, indicator, user=user, title=title, file=file, url=url)


def evidence_store(
    assessment: Assessment, indicator, *, user, title="", file=None, url=""
) -> Evidence:
    """Check and keep a file or a link as evidence of the answer to ``indicator``.

    The caller has locked ``assessment`` and decided that ``user`` may add it: the evidence
    form (``evidence_add``) or an answer in a clarification thread
    (``assessments.clarifications.reply``).
    """
    if bool(file) == bool(url):
        raise ValidationError(_("Unggah satu berkas atau tuliskan satu tautan."))
    answer = Answer.objects.filter(assessment=assessment, indicator=indicator).first()
    if answer is None:
        answer = Answer(assessment=assessment, indicator=indicator, updated_by=user)
        history.attribute(answer, user=user).save()
    evidence = Evidence(answer=answer, uploaded_by=user, url=url or "")
    if file:
        checked = check_upload(file)
        evidence.file = file
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        evidence.sha256 = checked.sha256
        evidence.title = (title or "").strip() or checked.name
    else:
        evidence.title = (title or "").strip() or url
    evidence.title = evidence.title[:255]
    evidence.full_clean(exclude=["file", "answer", "uploaded_by"])
    history.attribute(evidence, user=user).save()
    _touch(assessment)
    return evidence


@transaction.atomic
def evidence_remove(evidence: Evidence, *, user) -> None:
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("region")
        .get(pk=evidence.answer.assessment_id)
    )
    if not may_edit(user, assessment):
        _refuse_change(user, assessment)
    stored = evidence.file.name if evidence.file else None
    storage = evidence.file.storage if evidence.file else None
    history.attribute(evidence, user=user).delete()
    _touch(assessment)
    # Evidence carried to a later year points at the same stored file: the last one removes it.
    if stored and not Evidence.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def answers_confirm(assessment: Assessment, dimension: Dimension, *, user) -> int:
    """Confirm, unchanged, every level of ``dimension`` still waiting since it was carried
    from an earlier year; the number confirmed."""
    assessment = (
        Assessment.objects.select_for_update().select_related("region").get(pk=assessment.pk)
    )
    if not may_set_self(user, assessment):
        if access.acting_role(user, assessment.region) == access.REVIEWER:
            raise NotAllowed(_("Level mandiri dikonfirmasi oleh kepala Diskominfo wilayahnya."))
        _refuse_change(user, assessment)
    count = carry.answers_confirm(assessment, dimension, user=user)
    if count:
        _touch(assessment)
    return count


def answer_histories(assessment: Assessment, indicators) -> dict[int, list[history.Entry]]:
    """Every change to the answers of ``indicators`` in ``assessment`` and to their evidence,
    newest first, by indicator id; a fixed number of queries for any number of indicators."""
    indicator_ids = [indicator.pk for indicator in indicators]
    found: dict[int, list[history.Entry]] = {pk: [] for pk in indicator_ids}
    answers = dict(
        Answer.objects.filter(assessment=assessment, indicator_id__in=indicator_ids).values_list(
            "pk", "indicator_id"
        )
    )
    for entry in history.entries(Answer, id__in=list(answers)):
        found[answers[entry.object_id]].append(entry)
    label = str(Evidence._meta.verbose_name)
    for entry in history.entries(Evidence, answer_id__in=list(answers)):
        title = entry.object_label
        old, new = (title, None) if entry.kind == history.DELETED else (None, title)
        if entry.kind == history.CHANGED:
            old = next((c.old for c in entry.changes if c.field == "title"), title)
        entry.changes = [
            history.Change("evidence", label, old, new, old or history.EMPTY, new or history.EMPTY)
        ]
        found[answers[entry.record.answer_id]].append(entry)
    return {pk: history.newest_first(entries) for pk, entries in found.items()}


def assessment_history(assessment: Assessment) -> list[history.Entry]:
    """Every change to an assessment: its own fields, its answers and their evidence, newest
    first (each entry names its indicator)."""
    return history.newest_first(
        [
            *history.entries(Assessment, id=assessment.pk),
            *history.entries(Answer, assessment_id=assessment.pk),
            *history.entries(Evidence, answer__assessment_id=assessment.pk),
        ]
    )

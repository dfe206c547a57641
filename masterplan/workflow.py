"""Every change to a master plan: one set of functions that the pages and the API both call.

    draft ──put in force──▶ in_force ──mark reviewed──▶ reviewed
                               │                            │
                               └─ its successor is put in force ─▶ superseded

- Putting a draft in force needs a legal basis and at least one programme. The plan it
  supersedes (in force or reviewed) becomes superseded in the same transaction; any other plan
  in force in the region is refused: one plan in force per region.
- A re-draft starts from a plan in force or reviewed: that plan is marked reviewed and a new
  draft carries its unfinished programmes forward with what remains of their targets
  (``progress.carry_forward``). Several drafts may exist side by side (alternatives, or a
  second attempt); putting one in force decides. A superseded plan is history and is not
  re-drafted again.
- Realisations are recorded on a plan in force, for a year that has begun and has a target.
- Only the region's head and admins change plans (``masterplan.access``); anyone else gets
  NotAllowed (403). A change the plan's status does not allow raises WrongState (409); bad
  input raises ValidationError (400) with nothing saved (``egov_portal.errors``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from egov_portal import history
from egov_portal.errors import WrongState
from egov_portal.versions import check_version
from masterplan.access import may_edit_region_plans, require_plan_editor
from masterplan.models import ONE_IN_FORCE_MESSAGE, MasterPlan, Programme, Target
from masterplan.progress import current_year, plan_review

Status = MasterPlan.Status

PLAN_FIELDS = (
    "title",
    "legal_basis",
    "legal_basis_date",
    "rpjmd_start_year",
    "rpjmd_end_year",
    "vision",
    "mission",
    "notes",
)
REALISATION_FIELDS = ("realisation", "budget_realised", "notes", "evidence")
# The moves a person makes; "superseded" follows from putting the successor in force.
MOVES = {(Status.DRAFT, Status.IN_FORCE), (Status.IN_FORCE, Status.REVIEWED)}


def may_edit(user, plan: MasterPlan) -> bool:
    return may_edit_region_plans(user, plan.region)


def _require_editor(user, plan: MasterPlan):
    require_plan_editor(user, plan)


def _locked(plan: MasterPlan) -> MasterPlan:
    return (
        MasterPlan.objects.select_for_update().select_related("region", "framework").get(pk=plan.pk)
    )


def may_record(user, plan: MasterPlan) -> bool:
    return may_edit(user, plan) and plan.status == Status.IN_FORCE


def may_redraft(user, plan: MasterPlan) -> bool:
    return may_edit(user, plan) and plan.status in {Status.IN_FORCE, Status.REVIEWED}


def allowed_statuses(user, plan: MasterPlan) -> list[str]:
    """The statuses ``user`` may move ``plan`` to from here."""
    if not may_edit(user, plan):
        return []
    return [to for start, to in sorted(MOVES) if start == plan.status]


@transaction.atomic
def plan_update(plan: MasterPlan, *, user, **changes) -> MasterPlan:
    """Change the plan's title, legal basis, RPJMD period, vision, mission or notes."""
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"unknown plan fields: {sorted(unknown)}")
    plan = _locked(plan)
    _require_editor(user, plan)
    if plan.status == Status.SUPERSEDED:
        raise WrongState(_("Rencana yang sudah digantikan tidak dapat diubah lagi."))
    for name, value in changes.items():
        setattr(plan, name, value)
    plan.full_clean()
    history.attribute(plan, user=user).save()
    return plan


def _save_status(plan: MasterPlan, status: str, *, user):
    plan.status = status
    if status == Status.REVIEWED:
        plan.reviewed_at = timezone.now()
    history.attribute(plan, user=user).save(update_fields=["status", "reviewed_at", "updated_at"])


@transaction.atomic
def plan_set_status(plan: MasterPlan, *, user, status: str) -> MasterPlan:
    """Put a draft in force, or mark a plan in force as reviewed."""
    plan = _locked(plan)
    _require_editor(user, plan)
    if (plan.status, status) not in MOVES:
        label = Status(status).label if status in Status.values else status
        raise WrongState(
            _("Rencana berstatus %(status)s tidak dapat dipindah ke status %(to)s.")
            % {"status": plan.get_status_display(), "to": label}
        )
    if status == Status.REVIEWED:
        _save_status(plan, Status.REVIEWED, user=user)
        return plan
    problems = []
    if not plan.legal_basis.strip():
        problems.append(_("Isi dasar hukum (nomor dan tahun Perbup) sebelum memberlakukan."))
    if not plan.programmes.exists():
        problems.append(_("Rencana tanpa program tidak dapat diberlakukan."))
    region_plans = MasterPlan.objects.select_for_update().filter(region=plan.region)
    other = region_plans.filter(status=Status.IN_FORCE).exclude(pk=plan.supersedes_id).first()
    if other is not None:
        problems.append(
            _(
                "%(title)s masih berlaku untuk wilayah ini. Satu wilayah hanya boleh memiliki "
                "satu rencana induk yang berlaku: tandai rencana itu sudah dievaluasi dan "
                "susun ulang darinya."
            )
            % {"title": other.title}
        )
    if problems:
        raise ValidationError(problems)
    if plan.supersedes_id:
        for predecessor in region_plans.filter(
            pk=plan.supersedes_id, status__in=[Status.IN_FORCE, Status.REVIEWED]
        ):
            _save_status(predecessor, Status.SUPERSEDED, user=user)
    try:
        with transaction.atomic():
            _save_status(plan, Status.IN_FORCE, user=user)
    except IntegrityError as error:
        # Another request put a plan of this region in force between our check and our write.
        raise ValidationError(ONE_IN_FORCE_MESSAGE) from error
    return plan


def default_title(plan: MasterPlan, start_year: int, end_year: int) -> str:
    return _("Rencana Induk e-Government %(region)s %(start)s–%(end)s") % {
        "region": plan.region.name,
        "start": start_year,
        "end": end_year,
    }


@transaction.atomic
def plan_start_redraft(
    plan: MasterPlan,
    *,
    user,
    title: str = "",
    start_year: int | None = None,
    end_year: int | None = None,
    rpjmd_start_year: int | None = None,
    rpjmd_end_year: int | None = None,
    carry: list[int] | None = None,
) -> MasterPlan:
    """Review ``plan`` and start its successor as a draft.

    ``carry`` lists the ids of the unfinished programmes to carry forward; None carries all.
    """
    _locked(plan)
    plan = MasterPlan.objects.for_overview().get(pk=plan.pk)
    _require_editor(user, plan)
    if plan.status not in {Status.IN_FORCE, Status.REVIEWED}:
        raise WrongState(
            _(
                "Hanya rencana yang berlaku atau sudah dievaluasi yang dapat disusun ulang; "
                "rencana ini berstatus %(status)s."
            )
            % {"status": plan.get_status_display()}
        )
    review = plan_review(plan)
    carried = list(review.carry)
    if carry is not None:
        wanted = set(carry)
        unknown = wanted - {item.programme.pk for item in carried}
        if unknown:
            raise ValidationError(
                {"carry": _("Hanya program yang belum tercapai yang dapat dilanjutkan.")}
            )
        carried = [item for item in carried if item.programme.pk in wanted]
    start_year = start_year or plan.end_year + 1
    end_year = end_year or start_year + (plan.end_year - plan.start_year)
    if start_year <= plan.start_year:
        raise ValidationError(
            {
                "start_year": _("Rencana baru harus dimulai setelah tahun %(year)s.")
                % {"year": plan.start_year}
            }
        )
    successor = MasterPlan(
        region=plan.region,
        framework=plan.framework,
        title=(title or "").strip() or default_title(plan, start_year, end_year),
        start_year=start_year,
        end_year=end_year,
        rpjmd_start_year=rpjmd_start_year,
        rpjmd_end_year=rpjmd_end_year,
        vision=plan.vision,
        mission=plan.mission,
        status=Status.DRAFT,
        supersedes=plan,
        notes=_("Disusun ulang dari %(title)s setelah evaluasi.") % {"title": plan.title},
        created_by=user,
    )
    successor.full_clean()
    history.attribute(successor, user=user).save()
    _carry_programmes(plan, successor, carried, user=user)
    if plan.status == Status.IN_FORCE:
        _save_status(plan, Status.REVIEWED, user=user)
    return successor


# The copies are valid by construction: they copy rows of one plan (unique names, the plan's
# region and framework) into a new plan of the same region and framework, and their numbers are
# stored ones or a remainder floored at 0. What is left to check needs no query.
_CARRIED_PROGRAMME_RELATIONS = ["plan", "dimension", "opd", "carried_from"]
_CARRIED_TARGET_RELATIONS = ["programme", "updated_by"]


def _carry_programmes(plan: MasterPlan, successor: MasterPlan, carried, *, user) -> None:
    """Copy the ``carried`` programmes into ``successor``, each with its remaining target as
    the first year's: a fixed number of queries, however many are carried."""
    programmes = []
    for item in carried:
        old = item.programme
        programme = Programme(
            plan=successor,
            dimension=old.dimension,
            name=old.name,
            opd=old.opd,
            description=old.description,
            expected_output=old.expected_output,
            order=old.order,
            carried_from=old,
        )
        programme.full_clean(
            exclude=_CARRIED_PROGRAMME_RELATIONS, validate_unique=False, validate_constraints=False
        )
        programmes.append(programme)
    programmes = bulk_create_with_history(programmes, Programme, default_user=user)
    targets = []
    for item, programme in zip(carried, programmes, strict=True):
        target = Target(
            programme=programme,
            year=successor.start_year,
            metric=item.metric,
            unit=item.unit,
            baseline=item.baseline,
            target=item.target,
            budget_planned=item.budget,
            funding_source=item.funding_source,
            notes=_(
                "Sisa target %(plan)s: capaian %(percent)s%%. Anggaran rencana ialah bagian "
                "anggaran yang belum terealisasi."
            )
            % {
                "plan": plan.title,
                "percent": "—"
                if item.progress.percent is None
                else number_format(item.progress.percent, 1),
            },
            updated_by=user,
        )
        target.full_clean(
            exclude=_CARRIED_TARGET_RELATIONS, validate_unique=False, validate_constraints=False
        )
        targets.append(target)
    bulk_create_with_history(targets, Target, default_user=user)


@transaction.atomic
def target_record_realisation(
    programme: Programme, *, user, year: int, version: int | None = None, **changes
) -> Target:
    """Record the realisation, realised budget, notes or evidence of ``programme`` in ``year``.

    ``version`` is the target's version the caller last read; when the target has changed
    since, StaleVersion carries what is saved now. Saving what is already there changes
    nothing (no new version, no history entry).
    """
    unknown = set(changes) - set(REALISATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown realisation fields: {sorted(unknown)}")
    plan = _locked(programme.plan)
    _require_editor(user, plan)
    if plan.status != Status.IN_FORCE:
        raise WrongState(
            _(
                "Realisasi hanya dicatat pada rencana yang berlaku; rencana ini berstatus "
                "%(status)s."
            )
            % {"status": plan.get_status_display()}
        )
    target = Target.objects.select_for_update().filter(programme=programme, year=year).first()
    if target is None:
        raise ValidationError(
            {
                "year": _(
                    "Program ini tidak memiliki target untuk tahun %(year)s. Realisasi hanya "
                    "dicatat untuk tahun yang memiliki target."
                )
                % {"year": year}
            }
        )
    if year > current_year():
        raise ValidationError(
            {
                "year": _(
                    "Tahun %(year)s belum berjalan; catat realisasinya setelah tahun dimulai."
                )
                % {"year": year}
            }
        )
    changed = {name for name, value in changes.items() if getattr(target, name) != value}
    if not changed:
        return target
    check_version(target, version)
    for name in changed:
        setattr(target, name, changes[name])
    target.updated_by = user
    target.full_clean()
    target.version += 1
    history.attribute(target, user=user).save()
    return target


def may_plan(user, plan: MasterPlan) -> bool:
    """Whether ``user`` may add programmes and targets to ``plan`` (a draft or a plan in force)."""
    return may_edit(user, plan) and plan.status in {Status.DRAFT, Status.IN_FORCE}


def _require_planning(user, plan: MasterPlan):
    _require_editor(user, plan)
    if plan.status not in {Status.DRAFT, Status.IN_FORCE}:
        raise WrongState(
            _(
                "Program dan target hanya ditambahkan pada rencana draf atau yang berlaku; "
                "rencana ini berstatus %(status)s."
            )
            % {"status": plan.get_status_display()}
        )


@transaction.atomic
def programme_create(plan: MasterPlan, *, user, **fields) -> Programme:
    """Add a programme (dimension, name, OPD, description, expected output) to ``plan``."""
    plan = _locked(plan)
    _require_planning(user, plan)
    programme = Programme(plan=plan, order=plan.programmes.count(), **fields)
    programme.full_clean()
    history.attribute(programme, user=user).save()
    return programme


@transaction.atomic
def target_create(programme: Programme, *, user, **fields) -> Target:
    """Add one year's target (metric, unit, baseline, target, planned budget) to a programme."""
    plan = _locked(programme.plan)
    _require_planning(user, plan)
    target = Target(programme=programme, updated_by=user, **fields)
    target.full_clean()
    history.attribute(target, user=user).save()
    return target


def plan_history(plan: MasterPlan) -> list[history.Entry]:
    """Every change to a plan and to its programmes, newest first."""
    return history.newest_first(
        [*history.entries(MasterPlan, id=plan.pk), *history.entries(Programme, plan_id=plan.pk)]
    )


def programme_history(programme: Programme) -> list[history.Entry]:
    """Every change to a programme and to its yearly targets (realisations included), newest
    first."""
    return history.newest_first(
        [
            *history.entries(Programme, id=programme.pk),
            *history.entries(Target, programme_id=programme.pk),
        ]
    )

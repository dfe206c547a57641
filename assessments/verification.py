"""How far the verification of an assessment has come, and what is left before it is final.

An indicator is *verified* when its answer has a verified level or is marked not applicable;
it is *answered* when its answer has a self level or is marked not applicable (what the region
answered). A verified level *differs* when the answer has both levels and they are not the
same; the reviewer owes a reason for each difference. Each figure is counted in the database
with a fixed number of queries, whatever the number of indicators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Answer, Assessment, Clarification, Indicator
from assessments.scoring import framework_spec

ANSWERED = Q(not_applicable=True) | Q(self_level__isnull=False)
VERIFIED = Q(not_applicable=True) | Q(verified_level__isnull=False)
DIFFERS = (
    Q(self_level__isnull=False)
    & Q(verified_level__isnull=False)
    & ~Q(self_level=F("verified_level"))
)
# A reason of blanks is no reason, as for the workflow's ``reason.strip()``.
UNEXPLAINED = DIFFERS & ~Q(reason__regex=r"\S")


@dataclass(frozen=True)
class Counts:
    """The verification figures of one dimension or of the whole assessment."""

    total: int = 0
    answered: int = 0
    verified: int = 0
    verified_levels: int = 0  # answers with a verified level (N/A left out)
    differing: int = 0
    differing_unexplained: int = 0

    @property
    def to_verify(self) -> int:
        return self.total - self.verified

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )


@dataclass(frozen=True)
class Progress:
    """Counts per dimension (by code, in the framework's order) and in total."""

    dimensions: dict[str, Counts]
    total: Counts
    # Levels carried from an earlier year still waiting for confirmation, by dimension code
    # (``assessments.carry``).
    awaiting: dict[str, int] = field(default_factory=dict)

    def dimension(self, code: str) -> Counts:
        return self.dimensions.get(code, Counts())


def _answers(assessment: Assessment):
    return Answer.objects.filter(assessment=assessment)


def answer_count(rule: Q):
    """For annotating a list of assessments: how many of each one's answers match ``rule``
    (``ANSWERED``, ``VERIFIED`` …), 0 when none; one subquery, however many assessments."""
    matching = (
        Answer.objects.filter(rule, assessment=OuterRef("pk"))
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(matching), 0)


def progress(assessment: Assessment, *, spec=None) -> Progress:
    """Answered, verified, to verify and differing (with and without a reason) per dimension
    and in total: one query, the indicators per dimension taken from the framework's scoring
    structure (``scoring.framework_spec``, kept by the process)."""
    spec = spec or framework_spec(assessment.framework)
    totals = {d.code: len(d.indicators) for d in spec.dimensions if d.indicators}
    rows = {
        row["indicator__dimension__code"]: row
        for row in _answers(assessment)
        .order_by()
        .values("indicator__dimension__code")
        .annotate(
            answered=Count("pk", filter=ANSWERED),
            verified=Count("pk", filter=VERIFIED),
            verified_levels=Count("pk", filter=Q(verified_level__isnull=False)),
            differing=Count("pk", filter=DIFFERS),
            differing_unexplained=Count("pk", filter=UNEXPLAINED),
            awaiting=Count("pk", filter=Q(awaiting_confirmation=True)),
        )
    }
    dimensions = {}
    for code, total in totals.items():
        row = rows.get(code, {})
        dimensions[code] = Counts(
            total=total,
            answered=row.get("answered", 0),
            verified=row.get("verified", 0),
            verified_levels=row.get("verified_levels", 0),
            differing=row.get("differing", 0),
            differing_unexplained=row.get("differing_unexplained", 0),
        )
    awaiting = {code: row["awaiting"] for code, row in rows.items() if row["awaiting"]}
    return Progress(
        dimensions=dimensions, total=sum(dimensions.values(), Counts()), awaiting=awaiting
    )


# The filters of the dimension page: each keeps the indicators whose answer in the assessment
# matches, or (``clarification``) that have an open clarification thread.
FILTERS = {
    "unverified": gettext_lazy("Belum diverifikasi"),
    "differing": gettext_lazy("Berbeda dari mandiri"),
    "clarification": gettext_lazy("Klarifikasi terbuka"),
}


def _open_threads(assessment: Assessment):
    return Clarification.objects.open().filter(assessment=assessment, indicator=OuterRef("pk"))


def filter_indicators(indicators, assessment: Assessment, show: str):
    """``indicators`` (a QuerySet) narrowed to those matching the filter ``show`` (a key of
    ``FILTERS``) in ``assessment``; one query, however many indicators."""
    answers = _answers(assessment).filter(indicator=OuterRef("pk"))
    if show == "unverified":
        return indicators.exclude(Exists(answers.filter(VERIFIED)))
    if show == "differing":
        return indicators.filter(Exists(answers.filter(DIFFERS)))
    if show == "clarification":
        return indicators.filter(Exists(_open_threads(assessment)))
    raise ValueError(f"unknown filter: {show}")


@dataclass(frozen=True)
class Item:
    """An indicator named in a list of what is left."""

    code: str
    name: str
    dimension: str


@dataclass(frozen=True)
class FinalCheck:
    """What is left before ``assessment`` may be made final.

    ``unverified`` and ``unexplained`` block the move; ``open_threads`` (indicators with an
    open clarification thread) does not, but the confirmation lists them so that no question is
    left unanswered by mistake (a final assessment's threads take no more comments). A new item
    is a field here, a line in ``problems`` when it blocks, and a line in
    ``assessments/assessment_finalise.html``.
    """

    total: int
    unverified: list[Item] = field(default_factory=list)
    unexplained: list[Item] = field(default_factory=list)
    open_threads: list[Item] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        """Why the workflow refuses to make the assessment final: one message each."""
        messages = []
        if self.unverified:
            messages.append(
                _(
                    "Masih ada %(missing)s dari %(total)s indikator tanpa level verifikasi. "
                    "Verifikasi semuanya (atau tandai tidak berlaku) sebelum menetapkan final."
                )
                % {"missing": len(self.unverified), "total": self.total}
            )
        if self.unexplained:
            messages.append(
                _("Indikator %(codes)s: level verifikasi berbeda dari level mandiri tanpa alasan.")
                % {"codes": ", ".join(sorted(item.code for item in self.unexplained))}
            )
        return messages


def final_check(assessment: Assessment) -> FinalCheck:
    """The indicators still without a verified level (or N/A) and those whose verified level
    differs from the self level without a reason, and those with an open clarification thread;
    one query."""
    answers = _answers(assessment).filter(indicator=OuterRef("pk"))
    rows = (
        Indicator.objects.filter(dimension__framework=assessment.framework_id)
        .annotate(
            is_verified=Exists(answers.filter(VERIFIED)),
            is_unexplained=Exists(answers.filter(UNEXPLAINED)),
            is_asked=Exists(_open_threads(assessment)),
        )
        .order_by("dimension__order", "dimension__code", "order", "code")
        .values_list(
            "code",
            "name",
            "name_en",
            "dimension__code",
            "is_verified",
            "is_unexplained",
            "is_asked",
        )
    )
    unverified, unexplained, asked, total = [], [], [], 0
    for code, name, name_en, dimension, is_verified, is_unexplained, is_asked in rows:
        total += 1
        item = Item(code, Indicator(name=name, name_en=name_en).label, dimension)
        if not is_verified:
            unverified.append(item)
        if is_unexplained:
            unexplained.append(item)
        if is_asked:
            asked.append(item)
    return FinalCheck(
        total=total, unverified=unverified, unexplained=unexplained, open_threads=asked
    )

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.access import (
    AnswerQuerySet,
    AssessmentQuerySet,
    ClarificationQuerySet,
    CycleExtensionQuerySet,
    CycleQuerySet,
    EvidenceQuerySet,
)
from egov_portal.fields import limited_text
from egov_portal.params import YEAR_VALIDATORS
from opds.models import Region

POSITIVE = MinValueValidator(Decimal("0.0001"))


class Bilingual:
    """Framework texts are data in Indonesian and English; show the reader's language."""

    def localized(self, field):
        if get_language() == "en":
            return getattr(self, f"{field}_en") or getattr(self, field)
        return getattr(self, field)

    @property
    def label(self):
        return self.localized("name")


class Aggregation(models.TextChoices):
    """How a framework combines indicator levels into aspect, dimension and index scores."""

    GROUPED = "grouped", _("Bertingkat: setiap aspek dan dimensi dengan bobotnya sendiri")
    POOLED = "pooled", _("Gabungan: setiap skor dari indikator di bawahnya dengan bobotnya")


class Framework(Bilingual, models.Model):
    """An assessment regime (PeGI, SPBE, …) loaded from a versioned data file."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    version = models.CharField(_("versi"), max_length=30)
    description = limited_text(_("uraian"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("level terendah"))
    scale_max = models.PositiveSmallIntegerField(_("level tertinggi"))
    aggregation = models.CharField(
        _("cara agregasi"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.GROUPED,
    )
    # What the framework calls its top-level groups: PeGI's "dimensi", SPBE's "domain".
    dimension_term = models.CharField(_("sebutan dimensi"), max_length=30, default="dimensi")
    dimension_term_en = models.CharField(
        _("sebutan dimensi (Inggris)"), max_length=30, default="dimension"
    )
    # Goes up each time loading the data file changes what scores use: the key under which
    # every process keeps the framework's scoring structure (``scoring.framework_spec``).
    structure_revision = models.PositiveIntegerField(
        _("revisi struktur"), default=1, editable=False
    )

    class Meta:
        verbose_name = _("kerangka penilaian")
        verbose_name_plural = _("kerangka penilaian")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="assessments_framework_scale_order"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.version})"

    @property
    def levels(self):
        return range(self.scale_min, self.scale_max + 1)

    @property
    def dimension_word(self) -> str:
        """The framework's word for its top-level groups in the reader's language, lower case
        ("dimensi", "domain"); templates capitalise it where a sentence starts."""
        return self.localized("dimension_term")


class RatingBand(Bilingual, models.Model):
    """A named range of scores: a score belongs to the band with the highest minimum below it."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    min_score = models.DecimalField(_("nilai minimum"), max_digits=5, decimal_places=2)
    name = models.CharField(_("predikat"), max_length=50)
    name_en = models.CharField(_("predikat (Inggris)"), max_length=50, blank=True)
    # The colour a ranking gives a score of this band (#rrggbb); blank: one of a ramp from red
    # (lowest band) to green (highest).
    color = models.CharField(
        _("warna"), max_length=7, blank=True, validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$")]
    )

    class Meta:
        verbose_name = _("predikat")
        verbose_name_plural = _("predikat")
        ordering = ["framework", "min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "min_score"], name="assessments_band_unique_min"
            ),
        ]

    def __str__(self):
        return f"{self.name} ≥ {self.min_score}"


class Dimension(Bilingual, models.Model):
    """A dimension (PeGI) or domain (SPBE) of a framework."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    description = limited_text(_("uraian"), blank=True)
    description_en = limited_text(_("uraian (Inggris)"), blank=True)
    weight = models.DecimalField(_("bobot"), max_digits=8, decimal_places=4, validators=[POSITIVE])
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("dimensi")
        verbose_name_plural = _("dimensi")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="assessments_dimension_unique_code"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="assessments_dimension_weight"),
        ]

    def __str__(self):
        return self.name


class Aspect(Bilingual, models.Model):
    """An optional grouping of indicators inside a dimension (SPBE aspects)."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="aspects")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    weight = models.DecimalField(_("bobot"), max_digits=8, decimal_places=4, validators=[POSITIVE])
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("aspek")
        verbose_name_plural = _("aspek")
        ordering = ["dimension", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="assessments_aspect_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="assessments_aspect_weight"),
        ]

    def __str__(self):
        return self.name


class Indicator(Bilingual, models.Model):
    """One thing assessed, scored on the framework's scale with a descriptor per level."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.ForeignKey(
        Aspect, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=255)
    name_en = models.CharField(_("nama (Inggris)"), max_length=255, blank=True)
    evidence = limited_text(_("bukti dukung"), blank=True)
    evidence_en = limited_text(_("bukti dukung (Inggris)"), blank=True)
    weight = models.DecimalField(_("bobot"), max_digits=8, decimal_places=4, validators=[POSITIVE])
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["dimension__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "code"], name="assessments_indicator_unique_code"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="assessments_indicator_weight"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Level(Bilingual, models.Model):
    """What an indicator looks like at one level of the scale."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"))
    # "Deskripsi" is an application's description too; in English a level has a descriptor.
    descriptor = limited_text(pgettext_lazy("level", "deskripsi"))
    descriptor_en = limited_text(_("deskripsi (Inggris)"), blank=True)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("level")
        ordering = ["indicator", "level"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level"], name="assessments_level_unique"),
        ]

    def __str__(self):
        return f"{self.indicator.code} · {self.level}"

    @property
    def label(self):
        return self.localized("descriptor")


class Crosswalk(models.Model):
    """How the indicators of one framework count towards the dimensions of another."""

    source = models.ForeignKey(
        Framework,
        verbose_name=_("kerangka asal"),
        on_delete=models.CASCADE,
        related_name="crosswalks",
    )
    target = models.ForeignKey(
        Framework,
        verbose_name=_("kerangka tujuan"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    version = models.CharField(_("versi"), max_length=30)
    description = limited_text(_("uraian"), blank=True)

    class Meta:
        verbose_name = _("padanan kerangka")
        verbose_name_plural = _("padanan kerangka")
        ordering = ["source", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"], name="assessments_crosswalk_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="assessments_crosswalk_two_frameworks"
            ),
        ]

    def __str__(self):
        return f"{self.source.code} → {self.target.code}"


class CrosswalkEntry(models.Model):
    """One indicator of the source framework and the target dimension it counts towards."""

    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="crosswalk_entries",
    )
    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("dimensi tujuan"),
        on_delete=models.CASCADE,
        related_name="crosswalk_entries",
    )

    class Meta:
        verbose_name = _("padanan indikator")
        verbose_name_plural = _("padanan indikator")
        ordering = ["crosswalk", "indicator__dimension__order", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["crosswalk", "indicator"], name="assessments_crosswalk_entry_unique"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} → {self.dimension.code}"


class Assessment(models.Model):
    """The capability assessment of one region for one year under one framework."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        IN_REVIEW = "in_review", _("Dalam verifikasi")
        FINAL = "final", _("Final")

    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=YEAR_VALIDATORS)
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("kerangka penilaian"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveIntegerField(
        _("revisi"),
        default=0,
        help_text=_("Naik setiap kali isi penilaian berubah; mengenali versi sebuah laporan."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["revision", "updated_at"], verbose_name=_("riwayat penilaian")
    )

    class Meta:
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        ordering = ["-year", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "framework"],
                name="assessments_assessment_unique_region_year_framework",
                violation_error_message=_(
                    "Wilayah ini sudah memiliki penilaian untuk tahun dan kerangka tersebut."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="assessments_assessment_year"
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year}"

    def get_absolute_url(self):
        return reverse("assessments:assessment_detail", kwargs={"pk": self.pk})

    @property
    def is_locked(self):
        return self.status == self.Status.FINAL


class Answer(models.Model):
    """The levels given to one indicator in one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    self_level = models.PositiveSmallIntegerField(_("level mandiri"), null=True, blank=True)
    verified_level = models.PositiveSmallIntegerField(_("level verifikasi"), null=True, blank=True)
    not_applicable = models.BooleanField(_("tidak berlaku"), default=False)
    note = limited_text(_("catatan"), blank=True)
    reason = limited_text(
        _("alasan penilai"),
        blank=True,
        help_text=_("Wajib bila level verifikasi berbeda dari level mandiri."),
    )
    # An answer started from an earlier year's: the earlier answer, and whether the region
    # has yet to confirm the carried level (saving the indicator's level confirms it).
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("dilanjutkan dari"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    awaiting_confirmation = models.BooleanField(_("menunggu konfirmasi"), default=False)
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = AnswerQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version", "updated_by", "updated_at"], verbose_name=_("riwayat jawaban")
    )

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="assessments_answer_unique_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.assessment} · {self.indicator.code}"

    @property
    def level(self):
        """The level that counts: the verified level where set, else the self level."""
        return self.verified_level if self.verified_level is not None else self.self_level

    @property
    def differs(self):
        return (
            self.self_level is not None
            and self.verified_level is not None
            and self.self_level != self.verified_level
        )

    def clean(self):
        scale = self.assessment.framework
        errors = {}
        for field in ("self_level", "verified_level"):
            value = getattr(self, field)
            if value is not None and not scale.scale_min <= value <= scale.scale_max:
                errors[field] = _("Pilih level antara %(min)s dan %(max)s.") % {
                    "min": scale.scale_min,
                    "max": scale.scale_max,
                }
        if errors:
            raise ValidationError(errors)


def evidence_path(instance, filename):
    # Stored under a random name: the original name is kept in the record, never trusted
    # as a path.
    return f"evidence/{instance.answer.assessment_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A supporting document (bukti dukung) of an answer: an uploaded file or a link."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("judul"), max_length=255)
    file = models.FileField(_("berkas"), upload_to=evidence_path, blank=True)
    content_type = models.CharField(_("jenis isi"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("riwayat bukti dukung"))

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="assessments_evidence_file_or_link",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.url:
            return self.url
        return reverse("assessments:evidence_download", kwargs={"pk": self.pk})


class Transition(models.Model):
    """One step of an assessment's workflow: who moved it, when, and why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(
        _("dari"), max_length=20, choices=Assessment.Status.choices, blank=True
    )
    to_status = models.CharField(_("ke"), max_length=20, choices=Assessment.Status.choices)
    note = limited_text(_("catatan"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("riwayat langkah status"))

    class Meta:
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.assessment}: {self.from_status or '—'} → {self.to_status}"


class Clarification(models.Model):
    """A thread of questions and answers about one indicator of an assessment."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        CLOSED = "closed", _("Ditutup")

    class Side(models.TextChoices):
        HEAD = "head", _("Kepala Diskominfo")
        REVIEWER = "reviewer", _("Penilai")

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("penilaian"),
        on_delete=models.CASCADE,
        related_name="clarifications",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.PROTECT,
        related_name="clarifications",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Whose move it is: the side that did not write the last comment.
    waiting_on = models.CharField(
        _("menunggu"), max_length=10, choices=Side.choices, default=Side.HEAD
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuka oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("dibuka"), auto_now_add=True)
    last_comment_at = models.DateTimeField(_("komentar terakhir"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditutup oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    objects = ClarificationQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["waiting_on", "last_comment_at"],
        verbose_name=_("riwayat klarifikasi"),
    )

    class Meta:
        verbose_name = _("klarifikasi")
        verbose_name_plural = _("klarifikasi")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                condition=Q(status="open"),
                name="assessments_clarification_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="assessments_clarification_closed_at",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} · {self.indicator.code}"

    def get_absolute_url(self):
        url = reverse(
            "assessments:assessment_dimension",
            kwargs={"pk": self.assessment_id, "dimension": self.indicator.dimension.code},
        )
        return f"{url}#clarification-{self.indicator.code}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class Comment(models.Model):
    """One message of a clarification thread; an answer may bring a document as evidence."""

    thread = models.ForeignKey(
        Clarification,
        verbose_name=_("klarifikasi"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penulis"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    side = models.CharField(_("pihak"), max_length=10, choices=Clarification.Side.choices)
    text = limited_text(_("isi"))
    evidence = models.ForeignKey(
        Evidence,
        verbose_name=_("bukti dukung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("riwayat komentar klarifikasi"))

    class Meta:
        verbose_name = _("komentar klarifikasi")
        verbose_name_plural = _("komentar klarifikasi")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.thread} · {self.at:%Y-%m-%d %H:%M}"


class Stage(models.TextChoices):
    """The dated stages of an evaluation cycle; the codes are stable (the API serves them)."""

    SELF_ASSESSMENT = "self_assessment", _("Penilaian mandiri")
    VERIFICATION = "verification", _("Masa verifikasi")
    FINALISATION = "finalisation", _("Finalisasi")


@dataclass(frozen=True)
class CycleStage:
    """One dated stage of a cycle."""

    code: str
    starts: datetime.date
    ends: datetime.date

    @property
    def name(self) -> str:
        return Stage(self.code).label


# The date field that closes each stage: the deadline an extension moves.
DEADLINES = {
    Stage.SELF_ASSESSMENT: "submission_deadline",
    Stage.VERIFICATION: "verification_ends",
    Stage.FINALISATION: "finalisation_deadline",
}


class Cycle(models.Model):
    """The evaluation cycle of one province for one year: its framework and its stage dates."""

    province = models.ForeignKey(
        Region,
        verbose_name=_("provinsi"),
        on_delete=models.PROTECT,
        related_name="cycles",
        limit_choices_to={"kind": "province"},
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=YEAR_VALIDATORS)
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("kerangka penilaian"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    self_assessment_opens = models.DateField(_("penilaian mandiri dibuka"))
    submission_deadline = models.DateField(_("batas pengajuan"))
    verification_starts = models.DateField(_("verifikasi dimulai"))
    verification_ends = models.DateField(_("verifikasi berakhir"))
    finalisation_deadline = models.DateField(_("batas finalisasi"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = CycleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_by", "updated_at"], verbose_name=_("riwayat siklus penilaian")
    )

    class Meta:
        verbose_name = _("siklus penilaian")
        verbose_name_plural = _("siklus penilaian")
        ordering = ["province__code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="assessments_cycle_unique_province_year",
                violation_error_message=_(
                    "Provinsi ini sudah memiliki siklus penilaian untuk tahun tersebut."
                ),
            ),
            models.CheckConstraint(
                condition=Q(submission_deadline__gte=F("self_assessment_opens"))
                & Q(verification_starts__gt=F("submission_deadline"))
                & Q(verification_ends__gte=F("verification_starts"))
                & Q(finalisation_deadline__gt=F("verification_ends")),
                name="assessments_cycle_stage_order",
                violation_error_message=_(
                    "Tahapan harus berurutan: penilaian mandiri, verifikasi, lalu finalisasi."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.province} {self.year}"

    def get_absolute_url(self):
        return reverse("assessments:cycle_list") + f"#cycle-{self.pk}"

    @property
    def stages(self) -> list[CycleStage]:
        """The stages in order. Finalisation starts the day after verification ends."""
        return [
            CycleStage(Stage.SELF_ASSESSMENT, self.self_assessment_opens, self.submission_deadline),
            CycleStage(Stage.VERIFICATION, self.verification_starts, self.verification_ends),
            CycleStage(
                Stage.FINALISATION,
                self.verification_ends + datetime.timedelta(days=1),
                self.finalisation_deadline,
            ),
        ]

    def deadline(self, stage) -> datetime.date:
        return getattr(self, DEADLINES[stage])

    def stage_on(self, day) -> CycleStage | None:
        """The stage running on ``day``, or None before, between and after the stages."""
        return next((stage for stage in self.stages if stage.starts <= day <= stage.ends), None)

    def clean(self):
        if self.province_id and self.province.kind != Region.Kind.PROVINCE:
            raise ValidationError({"province": _("Siklus penilaian ditetapkan per provinsi.")})
        errors = {}
        # Each rule names the later date, the one a user moves to fix it.
        rules = [
            (
                "submission_deadline",
                "self_assessment_opens",
                False,
                _("Batas pengajuan tidak boleh sebelum penilaian mandiri dibuka."),
            ),
            (
                "verification_starts",
                "submission_deadline",
                True,
                _("Verifikasi dimulai setelah batas pengajuan."),
            ),
            (
                "verification_ends",
                "verification_starts",
                False,
                _("Verifikasi tidak boleh berakhir sebelum dimulai."),
            ),
            (
                "finalisation_deadline",
                "verification_ends",
                True,
                _("Batas finalisasi harus setelah verifikasi berakhir."),
            ),
        ]
        for later, earlier, strict, message in rules:
            end, start = getattr(self, later), getattr(self, earlier)
            if end is None or start is None:
                continue
            if end < start or (strict and end == start):
                errors[later] = message
        if errors:
            raise ValidationError(errors)


class CycleExtension(models.Model):
    """A later deadline for one stage of a cycle, for one regency or city, with its reason."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.CASCADE, related_name="extensions"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices)
    until = models.DateField(_("diperpanjang sampai"))
    reason = limited_text(_("alasan"), error_messages={"blank": _("Tuliskan alasan perpanjangan.")})
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diberikan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("diberikan"), auto_now_add=True)

    objects = CycleExtensionQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["created_by", "created_at"], verbose_name=_("riwayat perpanjangan")
    )

    class Meta:
        verbose_name = _("perpanjangan tenggat")
        verbose_name_plural = _("perpanjangan tenggat")
        ordering = ["cycle", "region__code", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "region", "stage"],
                name="assessments_extension_unique_stage",
                violation_error_message=_(
                    "Wilayah ini sudah mendapat perpanjangan untuk tahap tersebut."
                ),
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="assessments_extension_reason"),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.region} · {self.get_stage_display()}"

    def clean(self):
        errors = {}
        if self.reason and not self.reason.strip():
            errors["reason"] = _("Tuliskan alasan perpanjangan.")
        if self.cycle_id and self.region_id and self.region.parent_id != self.cycle.province_id:
            errors["region"] = _("Pilih kabupaten/kota di provinsi siklus ini.")
        if self.cycle_id and self.stage in DEADLINES and self.until:
            deadline = self.cycle.deadline(self.stage)
            if self.until <= deadline:
                errors["until"] = _(
                    "Tanggal perpanjangan harus setelah tenggat yang diperpanjang (%(date)s)."
                ) % {"date": formats.date_format(deadline, "DATE_FORMAT")}
        if errors:
            raise ValidationError(errors)

"""E-government master plans, their programmes and yearly targets."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Dimension, Framework
from egov_portal.fields import limited_text
from egov_portal.params import YEAR_VALIDATORS
from masterplan.access import MasterPlanQuerySet, ProgrammeQuerySet, TargetQuerySet
from opds.models import OPD, Region

NOT_NEGATIVE = MinValueValidator(0, message=_("Nilai tidak boleh negatif."))
BUDGET_NOT_NEGATIVE = MinValueValidator(0, message=_("Anggaran tidak boleh negatif."))
# A regional plan runs 4–5 years, some 10 (reference/README.md); longer is a typing error.
LONGEST_PERIOD = 10
ONE_IN_FORCE_MESSAGE = _(
    "Wilayah ini sudah memiliki rencana induk yang berlaku. Satu wilayah hanya boleh memiliki "
    "satu rencana induk yang berlaku."
)


class MasterPlan(models.Model):
    """A region's e-government master plan (Rencana Induk SPBE) for a period of years."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        IN_FORCE = "in_force", _("Berlaku")
        REVIEWED = "reviewed", _("Sudah dievaluasi")
        SUPERSEDED = "superseded", _("Digantikan")

    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="master_plans"
    )
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("kerangka penilaian"),
        on_delete=models.PROTECT,
        related_name="master_plans",
        help_text=_("Dimensi program dan target skor mengikuti kerangka ini."),
    )
    title = models.CharField(_("judul"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("tahun mulai"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"), validators=YEAR_VALIDATORS)
    legal_basis = models.CharField(
        _("dasar hukum"),
        max_length=255,
        blank=True,
        help_text=_("Misalnya: Peraturan Bupati Gunung Mas Nomor 22 Tahun 2017."),
    )
    legal_basis_date = models.DateField(_("tanggal penetapan"), null=True, blank=True)
    rpjmd_start_year = models.PositiveSmallIntegerField(
        _("RPJMD tahun mulai"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    rpjmd_end_year = models.PositiveSmallIntegerField(
        _("RPJMD tahun akhir"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    vision = limited_text(_("visi"), blank=True)
    mission = limited_text(_("misi"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("menggantikan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
    )
    notes = limited_text(_("catatan"), blank=True)
    reviewed_at = models.DateTimeField(_("dievaluasi pada"), null=True, blank=True)
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

    objects = MasterPlanQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("riwayat rencana induk"))

    class Meta:
        verbose_name = _("rencana induk")
        verbose_name_plural = _("rencana induk")
        ordering = ["region__code", "-start_year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="masterplan_plan_period_order",
                violation_error_message=_("Tahun akhir tidak boleh sebelum tahun mulai."),
            ),
            models.CheckConstraint(
                condition=Q(end_year__lt=F("start_year") + LONGEST_PERIOD),
                name="masterplan_plan_period_length",
                violation_error_message=_("Periode rencana induk paling lama 10 tahun."),
            ),
            models.CheckConstraint(
                condition=Q(rpjmd_start_year__isnull=True, rpjmd_end_year__isnull=True)
                | Q(
                    rpjmd_start_year__isnull=False,
                    rpjmd_end_year__isnull=False,
                    rpjmd_end_year__gte=F("rpjmd_start_year"),
                ),
                name="masterplan_plan_rpjmd_period",
                violation_error_message=_(
                    "Isi kedua tahun periode RPJMD, dengan tahun akhir tidak sebelum tahun mulai."
                ),
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(status="in_force"),
                name="masterplan_plan_one_in_force_per_region",
                violation_error_message=ONE_IN_FORCE_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("masterplan:masterplan_detail", kwargs={"pk": self.pk})

    @property
    def years(self):
        return range(self.start_year, self.end_year + 1)

    @property
    def period(self):
        return f"{self.start_year}–{self.end_year}"

    @property
    def rpjmd_period(self):
        if self.rpjmd_start_year is None:
            return ""
        return f"{self.rpjmd_start_year}–{self.rpjmd_end_year}"


class Programme(models.Model):
    """A programme of a master plan in one dimension, carried out by one OPD."""

    plan = models.ForeignKey(
        MasterPlan,
        verbose_name=_("rencana induk"),
        on_delete=models.CASCADE,
        related_name="programmes",
    )
    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("dimensi"),
        on_delete=models.PROTECT,
        related_name="masterplan_programmes",
    )
    name = models.CharField(_("nama program"), max_length=255)
    opd = models.ForeignKey(
        OPD,
        verbose_name=_("OPD penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="masterplan_programmes",
    )
    description = limited_text(_("uraian"), blank=True)
    expected_output = limited_text(_("keluaran yang diharapkan"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("dilanjutkan dari"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_into",
        help_text=_("Program rencana sebelumnya yang belum tuntas dan dilanjutkan di sini."),
    )

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("riwayat program"))

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["plan", "dimension__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="masterplan_programme_unique_name",
                violation_error_message=_("Rencana ini sudah memiliki program dengan nama itu."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "masterplan:programme_detail", kwargs={"plan_pk": self.plan_id, "pk": self.pk}
        )

    def clean(self):
        errors = {}
        if self.plan_id and self.opd_id and self.opd.region_id != self.plan.region_id:
            errors["opd"] = _("Pilih OPD dari wilayah rencana ini (%(region)s).") % {
                "region": self.plan.region.name
            }
        if (
            self.plan_id
            and self.dimension_id
            and self.dimension.framework_id != self.plan.framework_id
        ):
            errors["dimension"] = _("Pilih dimensi dari kerangka %(framework)s.") % {
                "framework": self.plan.framework.name
            }
        if errors:
            raise ValidationError(errors)


class Target(models.Model):
    """What a programme aims at in one year of its plan, what was realised, and at what cost.

    Values are levels to reach by the end of the year (cumulative), measured by ``metric``
    in ``unit``; ``realisation`` is empty until it is recorded.
    """

    class FundingSource(models.TextChoices):
        APBD = "apbd", _("APBD")
        APBN = "apbn", _("APBN")
        DAK = "dak", _("DAK")
        OTHER = "other", _("Lainnya")

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=YEAR_VALIDATORS)
    metric = models.CharField(_("indikator kinerja"), max_length=255)
    unit = models.CharField(_("satuan"), max_length=50)
    baseline = models.DecimalField(
        _("nilai awal"), max_digits=14, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    realisation = models.DecimalField(
        _("realisasi"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text=_("Kosong berarti belum dicatat."),
    )
    notes = limited_text(_("catatan"), blank=True)
    evidence = models.CharField(
        _("bukti"), max_length=500, blank=True, help_text=_("Uraian singkat atau tautan dokumen.")
    )
    budget_planned = models.BigIntegerField(
        _("anggaran rencana (Rp)"), default=0, validators=[BUDGET_NOT_NEGATIVE]
    )
    budget_realised = models.BigIntegerField(
        _("anggaran realisasi (Rp)"), null=True, blank=True, validators=[BUDGET_NOT_NEGATIVE]
    )
    funding_source = models.CharField(
        _("sumber dana"), max_length=10, choices=FundingSource.choices, default=FundingSource.APBD
    )
    version = models.PositiveIntegerField(
        _("versi"),
        default=1,
        editable=False,
        help_text=_("Naik setiap kali target berubah; menolak simpanan dari halaman yang basi."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["version", "updated_by", "updated_at"],
        verbose_name=_("riwayat target tahunan"),
    )

    class Meta:
        verbose_name = _("target tahunan")
        verbose_name_plural = _("target tahunan")
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year"],
                name="masterplan_target_unique_year",
                violation_error_message=_("Program ini sudah memiliki target untuk tahun itu."),
            ),
            models.CheckConstraint(
                condition=Q(baseline__gte=0, target__gte=0),
                name="masterplan_target_values_not_negative",
                violation_error_message=_("Nilai awal dan target tidak boleh negatif."),
            ),
            models.CheckConstraint(
                condition=Q(realisation__isnull=True) | Q(realisation__gte=0),
                name="masterplan_target_realisation_not_negative",
                violation_error_message=_("Realisasi tidak boleh negatif."),
            ),
            models.CheckConstraint(
                condition=Q(budget_planned__gte=0)
                & (Q(budget_realised__isnull=True) | Q(budget_realised__gte=0)),
                name="masterplan_target_budget_not_negative",
                violation_error_message=_("Anggaran tidak boleh negatif."),
            ),
        ]

    def __str__(self):
        return f"{self.programme} · {self.year}"

    def clean(self):
        if self.programme_id and self.year is not None:
            plan = self.programme.plan
            if not plan.start_year <= self.year <= plan.end_year:
                raise ValidationError(
                    {
                        "year": _(
                            "Tahun %(year)s di luar periode rencana %(start)s–%(end)s. "
                            "Pilih tahun di dalam periode itu."
                        )
                        % {"year": self.year, "start": plan.start_year, "end": plan.end_year}
                    }
                )


class DimensionTarget(models.Model):
    """The capability score a plan aims at in one dimension by the end of one year."""

    plan = models.ForeignKey(
        MasterPlan,
        verbose_name=_("rencana induk"),
        on_delete=models.CASCADE,
        related_name="dimension_targets",
    )
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimensi"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("tahun"), validators=YEAR_VALIDATORS)
    score = models.DecimalField(
        _("target skor"), max_digits=4, decimal_places=2, validators=[NOT_NEGATIVE]
    )

    class Meta:
        verbose_name = _("target skor dimensi")
        verbose_name_plural = _("target skor dimensi")
        ordering = ["plan", "dimension__order", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "dimension", "year"],
                name="masterplan_dimension_target_unique",
                violation_error_message=_(
                    "Rencana ini sudah memiliki target skor untuk dimensi dan tahun itu."
                ),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0),
                name="masterplan_dimension_target_score_not_negative",
                violation_error_message=_("Target skor tidak boleh negatif."),
            ),
        ]

    def __str__(self):
        return f"{self.dimension} {self.year}: {self.score}"

    def clean(self):
        if not self.plan_id:
            return
        plan, errors = self.plan, {}
        if self.year is not None and not plan.start_year <= self.year <= plan.end_year:
            errors["year"] = _(
                "Tahun %(year)s di luar periode rencana %(start)s–%(end)s. "
                "Pilih tahun di dalam periode itu."
            ) % {"year": self.year, "start": plan.start_year, "end": plan.end_year}
        if self.dimension_id and self.dimension.framework_id != plan.framework_id:
            errors["dimension"] = _("Pilih dimensi dari kerangka %(framework)s.") % {
                "framework": plan.framework.name
            }
        scale = plan.framework
        if self.score is not None and not scale.scale_min <= self.score <= scale.scale_max:
            errors["score"] = _("Target skor harus antara %(min)s dan %(max)s.") % {
                "min": scale.scale_min,
                "max": scale.scale_max,
            }
        if errors:
            raise ValidationError(errors)

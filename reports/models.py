from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opds.models import Region
from reports.access import BundleJobQuerySet


class BundleJob(models.Model):
    """A ZIP of every region's report of a province for a year, built in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")
        CANCELLED = "cancelled", _("Dibatalkan")

    province = models.ForeignKey(
        Region, verbose_name=_("provinsi"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    done = models.PositiveIntegerField(_("selesai"), default=0)
    total = models.PositiveIntegerField(_("jumlah"), default=0)
    file = models.FileField(_("berkas"), upload_to="bundles/", blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    objects = BundleJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("paket laporan")
        verbose_name_plural = _("paket laporan")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.province} {self.year} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reports:bundle_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        """Done, failed or cancelled: nothing will change any more."""
        return self.status not in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def filename(self) -> str:
        return f"laporan-egov-{self.province.code}-{self.year}.zip"


class FinalFigures(models.Model):
    """The inventory and master-plan figures of a region as they stood when its assessment was
    made final: what the reports of that assessment print from then on."""

    assessment = models.OneToOneField(
        "assessments.Assessment",
        verbose_name=_("penilaian"),
        on_delete=models.CASCADE,
        related_name="final_figures",
    )
    taken_at = models.DateTimeField(_("diambil pada"))
    data = models.JSONField(_("angka"))

    class Meta:
        verbose_name = _("angka saat final")
        verbose_name_plural = _("angka saat final")

    def __str__(self):
        return f"{self.assessment} ({self.taken_at:%Y-%m-%d})"


class IssuedReport(models.Model):
    """A PDF report the portal has issued, by its verification code."""

    class Kind(models.TextChoices):
        REGION = "region", _("Laporan wilayah")
        PROVINCE = "province", _("Laporan provinsi")

    code = models.CharField(_("kode verifikasi"), max_length=100, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    issued_at = models.DateTimeField(_("diterbitkan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("laporan terbit")
        verbose_name_plural = _("laporan terbit")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.code


class IssuedFile(models.Model):
    """One PDF file the portal has issued, by the SHA-256 of its bytes: every language and every
    rendering of a report is a file of its own."""

    report = models.ForeignKey(
        IssuedReport, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="files"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    language = models.CharField(_("bahasa"), max_length=10)
    signed = models.BooleanField(_("ditandatangani"), default=False)
    issued_at = models.DateTimeField(_("diterbitkan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("berkas laporan terbit")
        verbose_name_plural = _("berkas laporan terbit")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.report.code} ({self.sha256[:12]})"

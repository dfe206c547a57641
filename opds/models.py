from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opds.access import OPDQuerySet, RegionQuerySet

kemendagri_code_validator = RegexValidator(
    r"^\d{2}(\.\d{2}){0,2}(\.\d{4})?$",
    _("Tulis kode Kemendagri seperti 62 (provinsi) atau 62.10 (kabupaten/kota)."),
)


class Region(models.Model):
    """A regional government: a province, or a regency (kabupaten) or city (kota) within one."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten")
        CITY = "city", _("Kota")

    code = models.CharField(
        _("kode Kemendagri"), max_length=13, unique=True, validators=[kemendagri_code_validator]
    )
    bps_code = models.CharField(_("kode BPS"), max_length=10, blank=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("provinsi induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": Kind.PROVINCE},
    )
    capital = models.CharField(_("ibu kota"), max_length=100, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="province", parent__isnull=True)
                | (~Q(kind="province") & Q(parent__isnull=False)),
                name="opds_region_parent_matches_kind",
                violation_error_message=_(
                    "Provinsi tidak memiliki induk; kabupaten dan kota wajib memiliki "
                    "provinsi induk."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("opds:region_detail", kwargs={"code": self.code})

    def clean(self):
        if self.parent_id and self.parent.kind != self.Kind.PROVINCE:
            raise ValidationError({"parent": _("Induk sebuah kabupaten/kota harus provinsi.")})
        if self.parent_id and self.code and not self.code.startswith(self.parent.code + "."):
            raise ValidationError(
                {
                    "code": _("Kode %(code)s tidak berada di bawah kode provinsi %(parent)s.")
                    % {"code": self.code, "parent": self.parent.code}
                }
            )


class OPD(models.Model):
    """An agency of a regional government (Organisasi Perangkat Daerah)."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        BADAN = "badan", _("Badan")
        DINAS = "dinas", _("Dinas")
        RSUD = "rsud", _("Rumah sakit daerah")
        KECAMATAN = "kecamatan", _("Kecamatan")
        OTHER = "lainnya", _("Lainnya")

    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="opds"
    )
    name = models.CharField(_("nama"), max_length=255)
    short_name = models.CharField(_("singkatan"), max_length=50, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.DINAS)
    active = models.BooleanField(
        _("aktif"),
        default=True,
        help_text=_("Nonaktifkan OPD yang dihapus atau digabung dalam perubahan SOTK."),
    )

    objects = OPDQuerySet.as_manager()

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                "region",
                Lower("name"),
                name="opds_opd_unique_name_per_region",
                violation_error_message=_("Wilayah ini sudah memiliki OPD dengan nama tersebut."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class Membership(models.Model):
    """A user's role in the portal and the region or OPD it applies to."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        REVIEWER = "reviewer", _("Penilai provinsi")
        HEAD = "head", _("Kepala Diskominfo")
        OPD_STAFF = "opd_staff", _("Operator OPD")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Provinsi untuk penilai; kabupaten/kota untuk kepala Diskominfo."),
    )
    opd = models.ForeignKey(
        OPD,
        verbose_name=_("OPD"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Wajib untuk operator OPD."),
    )

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin", region__isnull=True, opd__isnull=True)
                | Q(role__in=["reviewer", "head"], region__isnull=False, opd__isnull=True)
                | Q(role="opd_staff", region__isnull=True, opd__isnull=False),
                name="opds_membership_scope_matches_role",
                violation_error_message=_("Cakupan keanggotaan tidak sesuai dengan perannya."),
            ),
        ]

    def __str__(self):
        scope = self.opd or self.region
        role = self.get_role_display()
        return f"{self.user} — {role} ({scope})" if scope else f"{self.user} — {role}"

    def clean(self):
        errors = {}
        if self.role == self.Role.ADMIN:
            if self.region_id:
                errors["region"] = _("Administrator tidak dibatasi wilayah: kosongkan wilayah.")
            if self.opd_id:
                errors["opd"] = _("Administrator tidak dibatasi OPD: kosongkan OPD.")
        elif self.role == self.Role.REVIEWER:
            if not self.region_id:
                errors["region"] = _("Penilai wajib memiliki provinsi.")
            elif self.region.kind != Region.Kind.PROVINCE:
                errors["region"] = _("Wilayah seorang penilai harus provinsi.")
            if self.opd_id:
                errors["opd"] = _("Penilai tidak terikat pada OPD: kosongkan OPD.")
        elif self.role == self.Role.HEAD:
            if not self.region_id:
                errors["region"] = _("Kepala Diskominfo wajib memiliki wilayah.")
            if self.opd_id:
                errors["opd"] = _("Kepala Diskominfo tidak terikat pada OPD: kosongkan OPD.")
        elif self.role == self.Role.OPD_STAFF:
            if not self.opd_id:
                errors["opd"] = _("Operator OPD wajib memiliki OPD.")
            if self.region_id:
                errors["region"] = _("Wilayah operator OPD mengikuti OPD-nya: kosongkan wilayah.")
        if errors:
            raise ValidationError(errors)

    @property
    def scope_region(self):
        """The region this membership is anchored in (the OPD's region for OPD staff)."""
        return self.opd.region if self.opd_id else self.region

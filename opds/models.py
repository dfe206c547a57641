from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from egov_portal.fields import limited_text
from opds.access import ApplicationQuerySet, OPDQuerySet, RegionQuerySet, Role

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
        # The national OPD list sorted by name; the search (icontains) has trigram indexes
        # on PostgreSQL, made by migration 0005 (SQLite has no such index).
        indexes = [models.Index(fields=["name", "id"], name="opds_opd_name_idx")]
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

    Role = Role

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

    history = HistoricalRecords(verbose_name=_("riwayat keanggotaan"))

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN, region__isnull=True, opd__isnull=True)
                | Q(role__in=[Role.REVIEWER, Role.HEAD], region__isnull=False, opd__isnull=True)
                | Q(role=Role.OPD_STAFF, region__isnull=True, opd__isnull=False),
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


EARLIEST_APPLICATION_YEAR = 1980


def validate_not_future_year(value):
    """A year no later than next year: an application in development may be dated ahead."""
    latest = timezone.localdate().year + 1
    if value is not None and value > latest:
        raise ValidationError(
            _("Tulis tahun antara %(earliest)s dan %(latest)s."),
            code="future_year",
            params={"earliest": EARLIEST_APPLICATION_YEAR, "latest": latest},
        )


year_validators = [
    MinValueValidator(
        EARLIEST_APPLICATION_YEAR,
        _("Tulis tahun %(limit_value)s atau sesudahnya."),
    ),
    validate_not_future_year,
]


class Application(models.Model):
    """An application an OPD owns, as recorded in the region's application inventory."""

    class Developer(models.TextChoices):
        IN_HOUSE = "in_house", _("Dikembangkan sendiri oleh OPD")
        VENDOR = "vendor", _("Pihak ketiga (vendor)")

    class Classification(models.TextChoices):
        UMUM = "umum", _("Umum (dipakai bersama)")
        KHUSUS = "khusus", _("Khusus (satu instansi)")

    class ServiceType(models.TextChoices):
        ADMINISTRATION = "administrasi", _("Administrasi pemerintahan")
        PUBLIC_SERVICE = "layanan_publik", _("Layanan publik")

    class Platform(models.TextChoices):
        WEB = "web", _("Web")
        MOBILE = "mobile", _("Seluler")
        DESKTOP = "desktop", _("Desktop")
        OTHER = "other", _("Lainnya")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        DEVELOPMENT = "development", _("Dalam pengembangan")
        INACTIVE = "inactive", _("Tidak aktif")

    class Hosting(models.TextChoices):
        OWN_SERVER_ROOM = "own_server_room", _("Ruang server sendiri")
        PROVINCIAL_DATA_CENTRE = "provincial_dc", _("Pusat data provinsi")
        NATIONAL_DATA_CENTRE = "national_dc", _("Pusat Data Nasional")
        CLOUD = "cloud", _("Komputasi awan")
        OTHER = "other", _("Lainnya")

    opd = models.ForeignKey(
        OPD,
        verbose_name=_("OPD pemilik"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    name = models.CharField(_("nama aplikasi"), max_length=200)
    description = limited_text(
        _("deskripsi"), blank=True, help_text=_("Fungsi aplikasi dalam satu atau dua kalimat.")
    )
    developer = models.CharField(
        _("pengembang"), max_length=20, choices=Developer.choices, default=Developer.IN_HOUSE
    )
    vendor_name = models.CharField(
        _("nama vendor"),
        max_length=200,
        blank=True,
        help_text=_("Diisi bila aplikasi dibangun oleh pihak ketiga."),
    )
    user_opds = models.ManyToManyField(
        OPD,
        verbose_name=_("OPD pengguna"),
        blank=True,
        related_name="used_applications",
    )
    classification = models.CharField(
        _("klasifikasi"), max_length=20, choices=Classification.choices, blank=True
    )
    service_type = models.CharField(
        _("jenis layanan"), max_length=20, choices=ServiceType.choices, blank=True
    )
    platform = models.CharField(
        _("platform"), max_length=20, choices=Platform.choices, default=Platform.WEB
    )
    url = models.URLField(_("alamat (URL)"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    year_built = models.PositiveSmallIntegerField(
        _("tahun dibangun"), null=True, blank=True, validators=year_validators
    )
    last_developed_year = models.PositiveSmallIntegerField(
        _("tahun pengembangan terakhir"), null=True, blank=True, validators=year_validators
    )
    legal_basis = models.CharField(
        _("dasar hukum"),
        max_length=255,
        blank=True,
        help_text=_("Misalnya Peraturan Bupati yang menetapkan aplikasi ini."),
    )
    data_handled = limited_text(_("data yang dikelola"), blank=True)
    database_engine = models.CharField(_("basis data"), max_length=100, blank=True)
    programming_language = models.CharField(_("bahasa pemrograman"), max_length=100, blank=True)
    integrations = models.ManyToManyField(
        "self",
        verbose_name=_("terintegrasi dengan"),
        symmetrical=False,
        blank=True,
        related_name="integrated_by",
    )
    hosting = models.CharField(_("hosting"), max_length=20, choices=Hosting.choices, blank=True)
    person_in_charge = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    notes = limited_text(_("catatan"), blank=True)
    version = models.PositiveIntegerField(
        _("versi"),
        default=1,
        editable=False,
        help_text=_("Naik setiap kali catatan berubah; menolak simpanan dari halaman yang basi."),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()
    # Who and when are on each history entry already; the two fields above only spare the
    # catalogue a join to the history table.
    history = HistoricalRecords(
        m2m_fields=[user_opds, integrations],
        excluded_fields=["changed_by", "changed_at", "version"],
        verbose_name=_("riwayat aplikasi"),
    )

    class Meta:
        verbose_name = _("aplikasi")
        verbose_name_plural = _("aplikasi")
        ordering = ["name"]
        # One per sort of the catalogue and the API (``CatalogueFilter.SORTS``), so that a
        # page of the national inventory reads its 25 or 500 rows, not the whole table; the
        # status and platform ones also serve their filters. The search (icontains on name
        # and description) has trigram indexes on PostgreSQL, made by migration 0005.
        indexes = [
            models.Index(fields=["name", "id"], name="opds_app_name_idx"),
            models.Index(fields=["status", "name", "id"], name="opds_app_status_name_idx"),
            models.Index(fields=["platform", "name", "id"], name="opds_app_platform_name_idx"),
            models.Index(fields=["-year_built", "name", "id"], name="opds_app_year_built_idx"),
            models.Index(fields=["-changed_at", "-id"], name="opds_app_changed_at_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                "opd",
                Lower("name"),
                name="opds_application_unique_name_per_opd",
                violation_error_code="duplicate_name",
                violation_error_message=_(
                    "OPD ini sudah memiliki aplikasi dengan nama tersebut. Pakai nama lain "
                    "atau ubah aplikasi yang sudah ada."
                ),
            ),
            models.CheckConstraint(
                condition=Q(last_developed_year__isnull=True)
                | Q(year_built__isnull=True)
                | Q(last_developed_year__gte=F("year_built")),
                name="opds_application_developed_after_built",
                violation_error_message=_(
                    "Tahun pengembangan terakhir tidak boleh sebelum tahun dibangun."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("opds:application_detail", kwargs={"pk": self.pk})

    def validate_constraints(self, exclude=None):
        """Django's check, with a name clash reported on the name field, where users look."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = {}
            for key, messages in error.error_dict.items():
                for message in messages:
                    target = "name" if message.code == "duplicate_name" else key
                    errors.setdefault(target, []).append(message)
            raise ValidationError(errors) from None

    def clean(self):
        errors = {}
        if (
            self.year_built is not None
            and self.last_developed_year is not None
            and self.last_developed_year < self.year_built
        ):
            errors["last_developed_year"] = _(
                "Tahun pengembangan terakhir tidak boleh sebelum tahun dibangun "
                "(%(year)s). Periksa kedua tahun."
            ) % {"year": self.year_built}
        if self.developer == self.Developer.VENDOR and not self.vendor_name.strip():
            errors["vendor_name"] = _("Tulis nama vendor yang membangun aplikasi ini.")
        if errors:
            raise ValidationError(errors)

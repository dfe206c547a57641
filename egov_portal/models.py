from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Preferences(models.Model):
    """What a user chose for their notifications: reminder e-mails and the language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="preferences",
    )
    reminder_emails = models.BooleanField(
        _("e-mail pengingat"),
        default=True,
        help_text=_(
            "Kirim e-mail pengingat tenggat. Pemberitahuan tetap tampil di portal bila dimatikan."
        ),
    )
    language = models.CharField(
        _("bahasa"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Bahasa e-mail dan pemberitahuan untuk Anda."),
    )

    class Meta:
        verbose_name = _("preferensi pemberitahuan")
        verbose_name_plural = _("preferensi pemberitahuan")

    def __str__(self):
        return str(self.user)


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own notifications, newest first: nobody reads another's."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user).order_by("-created_at", "-pk")

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mail_pending(self):
        """E-mails still to send: wanted, not sent, and not yet given up."""
        return self.filter(
            mail_wanted=True,
            mail_sent_at__isnull=True,
            mail_attempts__lt=settings.NOTIFICATION_MAIL_MAX_ATTEMPTS,
        )


class Notification(models.Model):
    """A message to one user, listed in the portal and (unless not wanted) sent by e-mail."""

    class Kind(models.TextChoices):
        ASSESSMENT_SUBMITTED = "assessment_submitted", _("Penilaian mandiri diajukan")
        ASSESSMENT_RETURNED = "assessment_returned", _("Penilaian dikembalikan ke wilayah")
        ASSESSMENT_FINAL = "assessment_final", _("Penilaian ditetapkan final")
        CLARIFICATION_ASKED = "clarification_asked", _("Klarifikasi diminta")
        CLARIFICATION_ANSWERED = "clarification_answered", _("Klarifikasi dijawab")
        DEADLINE_NEAR = "deadline_near", _("Tenggat sudah dekat")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("jenis"), max_length=40, choices=Kind.choices)
    # Written in the recipient's language when the notification was made.
    language = models.CharField(_("bahasa"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("judul"), max_length=255)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500, help_text=_("Alamat di portal."))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    # The e-mail: not wanted when the recipient has no address or switched reminders off.
    mail_wanted = models.BooleanField(_("dikirim lewat e-mail"), default=True)
    mail_sent_at = models.DateTimeField(_("e-mail terkirim"), null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField(_("percobaan kirim e-mail"), default=0)
    mail_error = models.TextField(_("galat e-mail terakhir"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="egov_notification_recipient"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="egov_notification_unread",
            ),
            models.Index(
                fields=["mail_attempts"],
                condition=Q(mail_wanted=True, mail_sent_at__isnull=True),
                name="egov_notification_mail_todo",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notifications:notification_open", kwargs={"pk": self.pk})

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

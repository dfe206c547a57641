from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpdsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opds"
    verbose_name = _("Wilayah dan OPD")

    def ready(self):
        from django.db.models.functions import Coalesce
        from django.urls import reverse

        from egov_portal import history
        from opds.models import Application, Membership

        history.track(
            Application,
            kind="application",
            label=_("Aplikasi"),
            region="opd__region",
            describe=lambda record: record.name,
            link=lambda record: reverse("opds:application_detail", kwargs={"pk": record.id}),
        )
        history.track(
            Membership,
            kind="membership",
            label=_("Keanggotaan"),
            region=Coalesce("region", "opd__region"),
            describe=lambda record: str(record.user) if record.user else f"#{record.user_id}",
            link=lambda record: reverse("admin:auth_user_change", args=[record.user_id]),
            select=["user"],
            hidden=["user"],
        )

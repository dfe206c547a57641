from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self):
        from assessments.workflow import assessment_finalised
        from reports import frozen, signing  # noqa: F401 - signing registers its system check

        def freeze_figures(sender, assessment, **kwargs):
            frozen.freeze(assessment)

        assessment_finalised.connect(
            freeze_figures, weak=False, dispatch_uid="reports.freeze_figures"
        )

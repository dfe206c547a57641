from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self):
        from assessments.workflow import assessment_finalised
        from reports import frozen, signing  # signing also registers its system check

        def freeze_figures(sender, assessment, **kwargs):
            frozen.freeze(assessment)

        assessment_finalised.connect(
            freeze_figures, weak=False, dispatch_uid="reports.freeze_figures"
        )
        # A signing configuration that cannot be used is logged at start under any server
        # (gunicorn and the Celery worker run no system checks).
        signing.usable_signer()

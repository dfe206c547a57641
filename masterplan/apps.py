from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterplanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masterplan"
    verbose_name = _("Rencana induk")

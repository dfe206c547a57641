from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save, pre_save


class EgovPortalConfig(AppConfig):
    name = "egov_portal"

    def ready(self):
        from egov_portal import accounts

        # Every way a password is changed or an account switched off (the admin, the
        # changepassword command, code) saves the user: that is the one place to catch it.
        pre_save.connect(accounts.note_credentials_change, sender=settings.AUTH_USER_MODEL)
        post_save.connect(accounts.revoke_tokens_after_change, sender=settings.AUTH_USER_MODEL)

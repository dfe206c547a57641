"""The sign-in backend: Django's, with the signed-in user read together with their role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MembershipBackend(ModelBackend):
    """Every request reads its user from the session: with the membership (role, region, OPD)
    joined to it, ``access.membership_of`` needs no query of its own on any page."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related(
                "membership__region__parent", "membership__opd__region"
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

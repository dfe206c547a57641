"""Accounts: when API tokens die.

Tokens are django-rest-knox's, stored as digests and expiring after
``REST_KNOX["TOKEN_TTL"]``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from knox.models import get_token_model


def credentials_changed(user, *, update_fields=None) -> bool:
    """Whether saving ``user`` now changes what proves who they are: a new password (also an
    unusable one) or an account switched off.

    Django re-hashing a password at sign-in (a stronger hasher, more iterations) is not a
    change: it clears the new raw password before saving, and touches nothing else.
    """
    if user._state.adding or user.pk is None:
        return False
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return False
    stored = get_user_model().objects.filter(pk=user.pk).values("password", "is_active").first()
    if stored is None:
        return False
    if stored["is_active"] and not user.is_active:
        return True
    if stored["password"] == user.password:
        return False
    rehash_at_sign_in = user._password is None and update_fields is not None
    return not rehash_at_sign_in


def tokens_revoke(user) -> int:
    """Delete every API token of ``user``; returns how many there were."""
    deleted, _by_model = get_token_model().objects.filter(user=user).delete()
    return deleted


def note_credentials_change(sender, instance, update_fields=None, **kwargs):
    """``pre_save`` of the user model: compare with what is stored before it is overwritten."""
    instance._revoke_tokens = credentials_changed(instance, update_fields=update_fields)


def revoke_tokens_after_change(sender, instance, **kwargs):
    """``post_save`` of the user model: only a save that happened revokes anything."""
    if getattr(instance, "_revoke_tokens", False):
        instance._revoke_tokens = False
        tokens_revoke(instance)

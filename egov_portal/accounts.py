"""Accounts: when API tokens die, how long a sign-in lockout lasts, and whose address it is.

Sign-in lockout itself is django-axes (settings ``AXES_*``); tokens are django-rest-knox's,
stored as digests and expiring after ``REST_KNOX["TOKEN_TTL"]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_cool_off, get_failure_limit
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.utils import formats, timezone
from django.utils.translation import ngettext
from knox.models import get_token_model


def client_ip(request) -> str | None:
    """The client's address as the deployment trusts it (``DJANGO_CLIENT_IP_HEADER``), for
    lockouts and API throttling alike."""
    return get_client_ip_address(request)


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


@dataclass(frozen=True)
class Lockout:
    """When a locked-out sign-in may be tried again."""

    until: datetime

    @property
    def seconds_left(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))

    @property
    def message(self) -> str:
        minutes = math.ceil(self.seconds_left / 60)
        return ngettext(
            "Terlalu banyak percobaan masuk yang gagal; untuk sementara Anda tidak dapat "
            "masuk. Coba lagi pukul %(time)s (%(minutes)d menit lagi), atau minta "
            "administrator portal membuka kuncinya.",
            "Terlalu banyak percobaan masuk yang gagal; untuk sementara Anda tidak dapat "
            "masuk. Coba lagi pukul %(time)s (%(minutes)d menit lagi), atau minta "
            "administrator portal membuka kuncinya.",
            minutes,
        ) % {
            "time": formats.time_format(timezone.localtime(self.until), "TIME_FORMAT"),
            "minutes": minutes,
        }


def lockout_for(request, credentials: dict | None = None) -> Lockout:
    """The lockout that refused this sign-in: it ends a cool-off after the last failure that
    counted towards it (failures during a lockout are not counted)."""
    AxesProxyHandler.update_request(request)
    cool_off = get_cool_off(request) or timedelta(0)
    limit = get_failure_limit(request, credentials)
    handler = AxesProxyHandler.get_implementation()
    ends = []
    for attempts in handler.get_user_attempts(request, credentials):
        totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (totals["failures"] or 0) >= limit:
            ends.append(totals["last"] + cool_off)
    return Lockout(until=max(ends, default=timezone.now() + cool_off))


def note_credentials_change(sender, instance, update_fields=None, **kwargs):
    """``pre_save`` of the user model: compare with what is stored before it is overwritten."""
    instance._revoke_tokens = credentials_changed(instance, update_fields=update_fields)


def revoke_tokens_after_change(sender, instance, **kwargs):
    """``post_save`` of the user model: only a save that happened revokes anything."""
    if getattr(instance, "_revoke_tokens", False):
        instance._revoke_tokens = False
        tokens_revoke(instance)

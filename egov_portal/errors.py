"""Refusals, named once and turned into HTTP once, for the pages and the API alike.

Domain functions (workflows, the inventory's write functions, access checks) refuse with:

- ``Http404`` / ``ObjectDoesNotExist`` — the object is not visible to the user: 404, which
  never tells whether it exists;
- ``NotAllowed`` (a ``PermissionDenied``) — the user sees the object but may not do this: 403;
- ``WrongState`` — the object's state does not allow the change now (a final assessment, a
  superseded plan): 409;
- ``StaleVersion`` (``egov_portal.versions``) — the object changed since the user read it: 409,
  with what is saved now;
- ``ValidationError`` — the input is wrong: 400, naming the fields.

``status_for`` is the one mapping. The API's exception handler (``egov_portal.api``) and the
pages' ``RefusalMiddleware`` (``egov_portal.middleware``) both use it, so a view only calls the
domain function and lets a refusal pass.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _


class NotAllowed(PermissionDenied):
    """The user may see the object but may not make this change (HTTP 403)."""

    def __init__(self, message: str | None = None):
        self.message = message or _("Anda tidak berwenang melakukan langkah ini.")
        super().__init__(self.message)


class Conflict(Exception):
    """The change cannot be made in the object's present state (HTTP 409)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class WrongState(Conflict):
    """The object's status does not allow this change now (a final assessment, a superseded
    plan)."""


def status_for(error: Exception) -> int | None:
    """The HTTP status of a refusal, or None when ``error`` is not one (a bug: 500)."""
    if isinstance(error, Http404 | ObjectDoesNotExist):
        return 404
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, ValidationError):
        return 400
    return None


def messages_of(error: Exception) -> list[str]:
    """What a reader is told about a refusal."""
    if isinstance(error, ValidationError):
        return list(error.messages)
    message = getattr(error, "message", "") or str(error)
    return [str(message)] if message else []

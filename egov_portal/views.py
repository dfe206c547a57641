from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import csrf, defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from egov_portal.accounts import lockout_for
from opds.forms import LoginForm

# Requests too large to read: 413 (Content Too Large) tells a client to send less, where
# Django's plain 400 would only say that something was wrong.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def is_api(request) -> bool:
    """Whether the request is for the API, whose clients read JSON, not pages."""
    return request.path_info.startswith("/api/")


def api_error(message, status: int) -> JsonResponse:
    """The API's one shape for an error that never reached a DRF view: ``{"detail": ...}``."""
    return JsonResponse({"detail": str(message)}, status=status)


def bad_request(request, exception):
    """400, or 413 for a body or form too large to read. ``BadRequest`` carries a message meant
    for the reader (a path value out of range); other suspicious requests get a neutral one."""
    status = 413 if isinstance(exception, TOO_LARGE) else 400
    if is_api(request):
        if status == 413:
            message = _("Permintaan terlalu besar. Kirim data atau berkas yang lebih kecil.")
        elif type(exception) is BadRequest and str(exception):
            message = str(exception)
        else:
            message = _("Permintaan tidak valid.")
        return api_error(message, status)
    response = defaults.bad_request(request, exception)
    response.status_code = status
    return response


def permission_denied(request, exception):
    if is_api(request):
        message = str(exception) or _("Anda tidak memiliki izin untuk melakukan tindakan ini.")
        return api_error(message, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """The portal's 404 page; a message meant for the reader (``user_message``) is shown."""
    message = getattr(exception, "user_message", "")
    if is_api(request):
        return api_error(message or _("Tidak ditemukan."), 404)
    return render(request, "404.html", {"message": message}, status=404)


def locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in refused by a lockout (``AXES_LOCKOUT_CALLABLE``): the sign-in
    page it came from (the portal's or the admin's) saying when to try again, or JSON for the
    API; 429 with ``Retry-After`` either way."""
    lockout = lockout_for(request, credentials)
    headers = {"Retry-After": str(lockout.seconds_left)}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout.message}, status=429, headers=headers)
    context = getattr(original_response, "context_data", None) or {}
    form_class = type(context["form"]) if "form" in context else LoginForm
    match = request.resolver_match
    admin = match is not None and match.namespace == "admin"
    # A fresh form: the refused one's "wrong password" error would mislead.
    username = (credentials or {}).get("username") or ""
    response = TemplateResponse(
        request,
        "admin/login_locked_out.html" if admin else "registration/login.html",
        {
            **context,
            "form": form_class(request, initial={"username": username}),
            "lockout_message": lockout.message,
        },
        status=429,
        headers=headers,
    )
    return response.render()


def server_error(request):
    """Never the error itself: it is in the log; the reader is told only that it happened."""
    if is_api(request):
        return api_error(
            _(
                "Terjadi kesalahan pada server. Kesalahan ini telah dicatat; silakan coba lagi "
                "beberapa saat lagi."
            ),
            500,
        )
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    if is_api(request):
        return api_error(
            _(
                "Permintaan ditolak karena token CSRF tidak ada atau tidak cocok. Muat ulang "
                "halaman, atau gunakan token API."
            ),
            403,
        )
    return csrf.csrf_failure(request, reason=reason)

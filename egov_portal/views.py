from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from egov_portal.accounts import lockout_for
from opds.forms import LoginForm


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


def page_not_found(request, exception):
    """The portal's 404 page; a message meant for the reader (``user_message``) is shown."""
    message = getattr(exception, "user_message", "")
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

"""Pages of a user's own notifications and notification preferences."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov_portal import notifications
from egov_portal.forms import PreferencesForm
from egov_portal.models import Notification

PER_PAGE = 25


@login_required
@require_GET
def notification_list(request):
    """The user's notifications, newest first, unread ones marked."""
    page = Paginator(Notification.objects.for_user(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "egov_portal/notification_list.html",
        {
            "notifications": page.object_list,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
        },
    )


@login_required
@require_GET
def notification_open(request, pk):
    """Mark the notification read and go to what it is about. A link (not a form), so that it
    opens in a new tab too; marking one's own notification read twice changes nothing."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    target = notifications.notification_open(notification)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications:notification_list"
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.notifications_read_all(request.user)
    if count:
        messages.success(request, _("Semua pemberitahuan ditandai sudah dibaca."))
    return redirect("notifications:notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Reminder e-mails on or off, and the language of e-mails (and of the portal)."""
    current = notifications.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        chosen = notifications.preferences_save(request.user, **form.cleaned_data)
        messages.success(request, _("Preferensi pemberitahuan disimpan."))
        response = redirect("notifications:preferences")
        # The portal follows the language chosen here, as it does the switcher's.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response
    return render(
        request,
        "egov_portal/preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )

"""Notifications: a message to users, listed in the portal and sent by e-mail.

``notify()`` is the one way to tell people something. It writes one ``Notification`` per
recipient, in the recipient's language, and queues one e-mail per message once the caller's
transaction commits (``egov_portal.tasks.send_notification_mail``). An e-mail that cannot be
sent never fails the action that caused it: the failure is logged and kept on the
notification, and the message is tried again (Celery's retries with a broker;
``manage.py send_pending_mail`` in every case).

Titles and bodies are rendered per recipient: pass ``gettext_lazy`` strings, or
``text(template, **params)`` for one with placeholders, and each is read inside the
recipient's language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from egov_portal.models import Notification, Preferences

logger = logging.getLogger(__name__)
Kind = Notification.Kind


def _interpolate(template, params: dict) -> str:
    return str(template) % {
        name: str(value) if isinstance(value, Promise) else value for name, value in params.items()
    }


_lazy_interpolate = lazy(_interpolate, str)


def text(template, **params):
    """``template % params``, read when used: in the language active then (lazy ``template``
    and lazy values, such as a status's label, are translated at that moment)."""
    return _lazy_interpolate(template, params)


def preferences_of(user) -> Preferences:
    """The user's preferences; the defaults (saved on first change) when they chose none."""
    try:
        return user.preferences
    except Preferences.DoesNotExist:
        return Preferences(user=user)


def notify(
    recipients: Iterable, *, kind: str, title, body="", url: str, reminder: bool = False
) -> list[Notification]:
    """Tell each of ``recipients`` (users; duplicates and inactive users are dropped) about
    something at ``url`` (a path in the portal). ``reminder=True``: no e-mail to those who
    switched reminder e-mails off; they still find it in the portal."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind: {kind!r}")
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return []
    # One query for everyone's preferences, however many recipients.
    chosen = {
        preferences.user_id: preferences
        for preferences in Preferences.objects.filter(user_id__in=list(users))
    }
    notifications = []
    for user in users.values():
        preferences = chosen.get(user.pk) or Preferences(user=user)
        with translation.override(preferences.language):
            notifications.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    language=preferences.language,
                    title=str(title)[:255],
                    body=str(body),
                    url=url,
                    mail_wanted=bool(user.email) and (preferences.reminder_emails or not reminder),
                )
            )
    created = Notification.objects.bulk_create(notifications)
    for notification in created:
        if notification.mail_wanted:
            transaction.on_commit(_queue_mail(notification.pk), robust=True)
    return created


def _queue_mail(pk: int):
    from egov_portal.tasks import send_notification_mail

    return lambda: send_notification_mail.delay(pk)


def absolute_url(path: str) -> str:
    return path if "://" in path else f"{settings.PORTAL_URL}{path}"


def mail_message(notification: Notification) -> EmailMessage:
    """The e-mail of ``notification``, in the language it was written in."""
    with translation.override(notification.language):
        context = {
            "notification": notification,
            "link": absolute_url(notification.url),
            "preferences_link": absolute_url(reverse("notifications:preferences")),
            "portal_link": settings.PORTAL_URL,
        }
        subject = render_to_string("egov_portal/email/notification_subject.txt", context)
        body = render_to_string("egov_portal/email/notification.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    )


def mail_send(notification_id: int) -> bool | None:
    """Send the e-mail of one notification. True: sent; False: the attempt failed (logged and
    kept on the notification); None: nothing to do (not wanted, already sent, given up, or
    being sent by someone else)."""
    notification = (
        Notification.objects.mail_pending()
        .select_related("recipient")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or not notification.recipient.email:
        return None
    attempts = notification.mail_attempts
    # Claim this attempt: of two senders (a retried task, the command), only one counts it.
    claimed = Notification.objects.filter(
        pk=notification.pk, mail_sent_at__isnull=True, mail_attempts=attempts
    ).update(mail_attempts=F("mail_attempts") + 1)
    if not claimed:
        return None
    try:
        mail_message(notification).send()
    except Exception as error:
        logger.warning(
            "E-mail of notification %s to %s failed (attempt %s): %s",
            notification.pk,
            notification.recipient.email,
            attempts + 1,
            error,
        )
        Notification.objects.filter(pk=notification.pk).update(
            mail_error=f"{type(error).__name__}: {error}"[:1000]
        )
        return False
    Notification.objects.filter(pk=notification.pk).update(
        mail_sent_at=timezone.now(), mail_error=""
    )
    return True


def send_pending(*, limit: int = 500) -> tuple[int, int]:
    """Try once more every e-mail still unsent (oldest first); (sent, failed)."""
    sent = failed = 0
    pending = Notification.objects.mail_pending().order_by("created_at", "pk")
    for pk in pending.values_list("pk", flat=True)[:limit]:
        outcome = mail_send(pk)
        sent += outcome is True
        failed += outcome is False
    return sent, failed


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()


def notification_open(notification: Notification) -> str:
    """Mark ``notification`` read (the first opening counts); returns where it points."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification.url


def notifications_read_all(user) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


@transaction.atomic
def preferences_save(user, *, reminder_emails: bool, language: str) -> Preferences:
    preferences = preferences_of(user)
    preferences.reminder_emails = reminder_emails
    preferences.language = language
    preferences.full_clean()
    preferences.save()
    return preferences

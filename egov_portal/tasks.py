from celery import shared_task

from egov_portal import notifications

# Seconds before each retry of an e-mail with a broker: 1, 2, 4 … minutes, at most an hour.
RETRY_BASE = 60
RETRY_MAX = 3600


@shared_task(bind=True, max_retries=6)
def send_notification_mail(self, notification_id: int) -> bool | None:
    """Send one notification's e-mail. A failure is logged and recorded on the notification
    (``notifications.mail_send``); with a broker the task tries again later, with a growing
    pause. Run in-process (no broker) it never raises: the action that queued it has already
    succeeded, and ``manage.py send_pending_mail`` tries the message again."""
    sent = notifications.mail_send(notification_id)
    if sent is False and not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(countdown=min(RETRY_BASE * 2**self.request.retries, RETRY_MAX))
    return sent

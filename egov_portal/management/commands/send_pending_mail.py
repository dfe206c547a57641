from django.core.management.base import BaseCommand, CommandError

from egov_portal import notifications


class Command(BaseCommand):
    help = (
        "Send the notification e-mails that could not be sent yet (the SMTP server was down). "
        "Run it every few minutes, from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many messages per run."
        )

    def handle(self, *args, limit, **options):
        sent, failed = notifications.send_pending(limit=limit)
        if failed:
            # A non-zero exit lets cron or the timer report a mail server that stays down.
            raise CommandError(f"{sent} sent, {failed} failed (kept for the next run).")
        self.stdout.write(f"{sent} sent.")

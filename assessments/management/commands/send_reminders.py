import datetime

from django.core.management.base import BaseCommand, CommandError

from assessments import notices


class Command(BaseCommand):
    help = (
        "Remind heads and reviewers of the evaluation cycle's deadlines 7 days and 1 day ahead "
        "(in the portal, and by e-mail to those who keep reminder e-mails on). Run it once a "
        "day, from cron or a systemd timer; a second run on the same day reminds nobody twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Remind as on this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        written = notices.deadline_reminders(today)
        self.stdout.write(f"{written} reminder(s) written.")

"""Make the self-signed demonstration certificate that signs final reports when no real one is
configured (``make run`` calls it). Its name says it is no official certificate.

    python manage.py make_demo_certificate [--force]
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from reports.signing import make_demo_certificate


class Command(BaseCommand):
    help = "Write a self-signed DEMO signing certificate and key under var/demo-signing/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Replace a demo certificate already there."
        )

    def handle(self, *args, force=False, **options):
        directory = Path(settings.DEMO_SIGNING_DIR)
        configured = settings.REPORT_SIGNING_CERT
        if configured and Path(configured).parent != directory:
            self.stdout.write(f"A signing certificate is configured ({configured}); none made.")
            return
        if (directory / "certificate.pem").exists() and not force:
            self.stdout.write(f"The demo signing certificate is in {directory}.")
            return
        cert_path, key_path = make_demo_certificate(directory)
        self.stdout.write(
            self.style.WARNING(
                f"Made a self-signed DEMO certificate ({cert_path}, key {key_path}). Reports "
                "signed with it are shown as signed by an unknown, untrusted issuer; configure "
                "REPORT_SIGNING_CERT and REPORT_SIGNING_KEY for real signatures."
            )
        )

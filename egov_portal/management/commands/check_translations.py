import os

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from egov_portal.translations import field_labels, label_clashes

CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"


class Command(BaseCommand):
    help = (
        "Extract every translatable string into the English catalogue, fail when any entry "
        "is untranslated or fuzzy or gives a field another field's English, and compile the "
        "catalogue."
    )

    def handle(self, *args, **options):
        os.chdir(settings.BASE_DIR)
        call_command(
            "makemessages",
            locale=["en"],
            ignore_patterns=["tests", "staticfiles"],
            no_obsolete=True,
            verbosity=0,
        )
        catalogue = polib.pofile(str(CATALOGUE))
        problems = [("untranslated", entry) for entry in catalogue.untranslated_entries()] + [
            ("fuzzy", entry) for entry in catalogue.fuzzy_entries()
        ]
        if catalogue.metadata_is_fuzzy:
            self.stderr.write("fuzzy: the catalogue header (charset and plural forms are ignored)")
            problems.append(("fuzzy", None))
        for kind, entry in problems:
            if entry is None:
                continue
            where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
            self.stderr.write(f"{kind}: {entry.msgid!r} ({where})")
        if problems:
            raise CommandError(
                f"{len(problems)} English translation(s) missing or fuzzy in {CATALOGUE}"
            )
        clashes = label_clashes(catalogue, field_labels())
        for clash in clashes:
            self.stderr.write(f"wrong meaning: {clash}")
        if clashes:
            raise CommandError(
                f"{len(clashes)} English translation(s) in {CATALOGUE} read as another field's "
                "label; give each meaning its own msgid or context (pgettext), or list a true "
                "synonym in egov_portal/translations.py"
            )
        call_command("compilemessages", locale=["en"], verbosity=0)
        self.stdout.write(f"English catalogue complete: {len(catalogue)} entries.")

"""API tokens moved from DRF's authtoken (kept in plain text, never expiring) to knox.

The old app is no longer installed; its table would keep every old token readable in the
database, so it goes, with its migration records (installing the app again starts afresh).
A fresh database has neither, hence IF EXISTS.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunSQL(
            [
                "DROP TABLE IF EXISTS authtoken_token",
                "DELETE FROM django_migrations WHERE app = 'authtoken'",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]

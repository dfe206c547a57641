"""The Celery application. Without CELERY_BROKER_URL tasks run eagerly, in-process; with it
(Redis), a worker runs them: ``celery -A egov_portal worker``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov_portal.settings")

app = Celery("egov_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

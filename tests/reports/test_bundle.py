import io
import os
import socket
import time
import zipfile
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from egov_portal.celery import app as celery_app
from opds.models import Region
from reports.models import BundleJob
from reports.tasks import build_bundle

User = get_user_model()
REDIS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def use_broker(url, *, eager):
    """Point the Celery app at another broker, dropping connections pooled for the old one."""
    celery_app.conf.update(broker_url=url, task_always_eager=eager)
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None


def zip_names(job):
    with job.file.open("rb") as handle:
        return sorted(zipfile.ZipFile(io.BytesIO(handle.read())).namelist())


def test_bundle_is_built_eagerly_without_a_broker(client, demo, django_capture_on_commit_callbacks):
    client.force_login(User.objects.get(username="reviewer"))
    url = reverse("reports:bundle_create", kwargs={"code": "62", "year": 2019})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = BundleJob.objects.get()
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 7, 7)
    names = zip_names(job)
    assert "laporan-egov-62.10-2019.pdf" in names and len(names) == 7
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Unduh ZIP" in page
    download = client.get(reverse("reports:bundle_download", kwargs={"pk": job.pk}))
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None


def test_a_head_cannot_build_or_fetch_a_province_bundle(client, demo):
    client.force_login(User.objects.get(username="kadis.gumas"))
    url = reverse("reports:bundle_create", kwargs={"code": "62", "year": 2019})
    assert client.post(url).status_code == 404
    assert not BundleJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_bundle_is_built_by_a_worker_over_a_real_redis_broker(settings, tmp_path):
    if not redis_answers():
        message = "Redis does not answer on 127.0.0.1:6379"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from celery.contrib.testing.worker import start_worker

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO())
    job = BundleJob.objects.create(
        province=Region.objects.get(code="62"),
        year=2019,
        created_by=User.objects.get(username="reviewer"),
    )
    previous = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    use_broker("redis://127.0.0.1:6379/15", eager=False)
    try:
        with celery_app.connection_for_write() as connection:
            assert connection.transport.driver_type == "redis"
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            build_bundle.delay(job.pk)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.status in {"done", "failed"}:
                    break
                time.sleep(0.5)
    finally:
        use_broker(previous["broker_url"], eager=previous["task_always_eager"])
    assert job.status == "done", job.error
    assert len(zip_names(job)) == 7

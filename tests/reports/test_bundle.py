import contextlib
import io
import os
import socket
import threading
import time
import zipfile
from datetime import timedelta
from io import StringIO

import kombu.pools
import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone

from egov_portal.celery import app as celery_app
from opds.models import Membership, Region
from reports import bundles
from reports.models import BundleJob
from reports.pdf import Pdf
from reports.tasks import build_bundle
from tests.assessments.factories import make_assessment, make_framework
from tests.opds.factories import user_with_role

User = get_user_model()
REDIS = ("127.0.0.1", 6379)
# A port nothing listens on: connecting is refused at once.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"
QUEUE_DOWN_MESSAGE = "antrean tugas latar belakang (broker Celery) tidak dapat dihubungi"


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def use_broker(url, *, eager):
    """Point the Celery app at another broker, dropping connections pooled for the old one
    (kombu keeps its pools in registries keyed by broker URL)."""
    celery_app.conf.update(broker_url=url, task_always_eager=eager)
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker():
    """``broker(url)`` sends tasks to a real broker at ``url`` instead of running them here;
    the in-process setup comes back afterwards."""
    previous = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    yield lambda url: use_broker(url, eager=False)
    use_broker(previous["broker_url"], eager=previous["task_always_eager"])


@pytest.fixture
def silent_broker():
    """The URL of a server that accepts connections and never answers (a hung broker). Each
    connection is dropped after 15 seconds, so a client without timeouts fails the test
    instead of hanging it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve():
        held = []
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                held.append((server.accept()[0], time.monotonic()))
            for conn, since in [item for item in held if time.monotonic() - item[1] > 15]:
                conn.close()
                held.remove((conn, since))
        for conn, _since in held:
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def assessed(reviewer, gunung_mas):
    """A 2019 assessment in the province, so that a bundle of that year has a report to hold."""
    return make_assessment(reviewer, gunung_mas, make_framework(), year=2019)


def zip_names(job):
    with job.file.open("rb") as handle:
        return sorted(zipfile.ZipFile(io.BytesIO(handle.read())).namelist())


def create_url(code="62", year=2019):
    return reverse("reports:bundle_create", kwargs={"code": code, "year": year})


def job_url(job, action="detail"):
    return reverse(f"reports:bundle_{action}", kwargs={"pk": job.pk})


def polls(page: str) -> bool:
    return 'hx-trigger="every 2s"' in page


def test_bundle_is_built_eagerly_without_a_broker(client, demo):
    client.force_login(User.objects.get(username="reviewer"))
    response = client.post(create_url())
    job = BundleJob.objects.get()
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 7, 7)
    names = zip_names(job)
    assert "laporan-egov-62.10-2019.pdf" in names and len(names) == 7
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Unduh ZIP" in page
    assert not polls(page)
    download = client.get(job_url(job, "download"))
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None


def test_an_htmx_bundle_request_is_sent_on_to_the_job_page(client, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(User.objects.get(username="reviewer"))
    response = client.post(create_url(), headers={"HX-Request": "true"})
    job = BundleJob.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == "done"


def test_an_unreachable_broker_sends_the_user_back_with_a_message_and_leaves_no_job(
    client, demo, broker
):
    client.force_login(User.objects.get(username="reviewer"))
    broker(UNREACHABLE_BROKER)
    started = time.monotonic()
    response = client.post(create_url())
    assert time.monotonic() - started < 10
    assert response.status_code == 302
    assert response.url == reverse("reports:province_ranking", kwargs={"code": "62"}) + "?year=2019"
    assert not BundleJob.objects.exists()
    page = client.get(response.url)
    assert page.status_code == 200
    assert QUEUE_DOWN_MESSAGE in page.content.decode()


def test_an_unreachable_broker_on_an_htmx_request_redirects_to_the_ranking(
    client, reviewer, assessed, broker
):
    client.force_login(reviewer)
    broker(UNREACHABLE_BROKER)
    response = client.post(create_url(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].endswith("/reports/provinces/62/ranking/?year=2019")
    assert not BundleJob.objects.exists()
    assert QUEUE_DOWN_MESSAGE in [str(m) for m in get_messages(response.wsgi_request)][0]


def test_a_broker_that_never_answers_fails_the_request_within_seconds(
    client, reviewer, assessed, broker, silent_broker
):
    client.force_login(reviewer)
    broker(silent_broker)
    started = time.monotonic()
    response = client.post(create_url())
    assert time.monotonic() - started < 10
    assert response.status_code == 302
    assert "/ranking/" in response.url
    assert not BundleJob.objects.exists()
    assert QUEUE_DOWN_MESSAGE in [str(m) for m in get_messages(response.wsgi_request)][0]


def test_a_year_without_assessments_builds_no_empty_bundle(client, demo):
    client.force_login(User.objects.get(username="reviewer"))
    response = client.post(create_url(year=2031), follow=True)
    assert not BundleJob.objects.exists()
    assert "Belum ada penilaian wilayah" in response.content.decode()
    assert client.post(create_url(year=99999)).status_code == 404


def test_a_head_cannot_build_or_fetch_a_province_bundle(client, demo):
    job = BundleJob.objects.create(province=Region.objects.get(code="62"), year=2019)
    client.force_login(User.objects.get(username="kadis.gumas"))
    assert client.post(create_url()).status_code == 404
    assert client.get(job_url(job)).status_code == 404
    assert client.get(job_url(job, "download")).status_code == 404
    assert client.post(job_url(job, "cancel")).status_code == 404
    assert list(BundleJob.objects.values_list("pk", "status")) == [(job.pk, "pending")]


def test_a_reviewer_of_another_province_cannot_cancel_a_bundle(client, province, other_province):
    job = BundleJob.objects.create(province=province, year=2019)
    client.force_login(user_with_role(Membership.Role.REVIEWER, region=other_province))
    assert client.post(job_url(job, "cancel")).status_code == 404
    job.refresh_from_db()
    assert job.status == "pending"


def test_a_job_no_worker_has_picked_up_says_so_after_bundle_stale_after(
    client, reviewer, province, settings
):
    settings.BUNDLE_STALE_AFTER = 180
    job = BundleJob.objects.create(province=province, year=2019, created_by=reviewer)
    client.force_login(reviewer)
    page = client.get(job_url(job)).content.decode()
    assert "Belum ada worker" not in page
    assert polls(page)

    created = timezone.now() - timedelta(seconds=181)
    BundleJob.objects.filter(pk=job.pk).update(created_at=created)
    page = client.get(job_url(job), headers={"HX-Request": "true"}).content.decode()
    since = formats.date_format(timezone.localtime(created), "DATETIME_FORMAT")
    assert "Belum ada worker yang mengambil paket ini sejak" in page
    assert since in page
    assert polls(page)

    settings.BUNDLE_STALE_AFTER = 600
    assert "Belum ada worker" not in client.get(job_url(job)).content.decode()

    settings.BUNDLE_STALE_AFTER = 180
    BundleJob.objects.filter(pk=job.pk).update(status="running")
    page = client.get(job_url(job)).content.decode()
    assert "Belum ada worker" not in page
    assert "Batalkan paket" in page


def test_a_waiting_job_is_cancelled_and_its_page_stops_polling(client, reviewer, province):
    job = BundleJob.objects.create(province=province, year=2019, created_by=reviewer)
    BundleJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    client.force_login(reviewer)
    assert f'action="{job_url(job, "cancel")}"' in client.get(job_url(job)).content.decode()
    assert client.get(job_url(job, "cancel")).status_code == 405

    response = client.post(job_url(job, "cancel"))
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert job.finished_at is not None
    page = client.get(job_url(job)).content.decode()
    assert "Dibatalkan" in page
    assert "Paket ini dibatalkan pada" in page
    assert "Belum ada worker" not in page
    assert not polls(page)
    assert "Batalkan paket" not in page


def test_a_finished_job_cannot_be_cancelled(client, reviewer, province):
    job = BundleJob.objects.create(province=province, year=2019, status="done")
    client.force_login(reviewer)
    response = client.post(job_url(job, "cancel"), follow=True)
    job.refresh_from_db()
    assert job.status == "done"
    assert "tidak dapat dibatalkan lagi" in response.content.decode()


def test_a_cancelled_job_is_not_built_when_a_worker_takes_it_later(demo):
    job = BundleJob.objects.create(
        province=Region.objects.get(code="62"),
        year=2019,
        created_by=User.objects.get(username="reviewer"),
    )
    bundles.bundle_cancel(job, user=job.created_by)
    assert build_bundle(job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.file.name) == ("cancelled", 0, 0, "")


def test_cancelling_a_running_job_stops_the_build_after_the_current_report(demo, monkeypatch):
    job = BundleJob.objects.create(
        province=Region.objects.get(code="62"),
        year=2019,
        created_by=User.objects.get(username="reviewer"),
    )
    rendered = []

    def render_then_cancel(*, user, region, year):
        rendered.append(region.code)
        bundles.bundle_cancel(job, user=job.created_by)
        return b"%PDF-1.7"

    monkeypatch.setattr("reports.tasks.documents.region_report", render_then_cancel)
    assert build_bundle(job.pk) is None
    job.refresh_from_db()
    assert len(rendered) == 1
    assert (job.status, job.total, job.file.name) == ("cancelled", 7, "")


def test_a_report_that_fails_marks_the_job_failed_with_a_message_a_person_can_read(
    client, demo, monkeypatch
):
    calls = []

    def fail_on_second(*, user, region, year):
        calls.append(region.code)
        if len(calls) == 2:
            raise RuntimeError("cairo surface exploded")
        return Pdf(b"%PDF-1.7", "R00-2019-r0.0-00000000")

    monkeypatch.setattr("reports.tasks.documents.region_report", fail_on_second)
    client.force_login(User.objects.get(username="reviewer"))
    response = client.post(create_url())
    job = BundleJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.status, job.done, job.total, job.file.name) == ("failed", 1, 7, "")
    assert job.error == "RuntimeError: cairo surface exploded"
    page = client.get(response.url).content.decode()
    assert "Paket gagal dibuat setelah 1 dari 7 laporan" in page
    assert f"sebutkan paket nomor {job.pk}" in page
    assert "exploded" not in page and "Traceback" not in page
    assert not polls(page)


@pytest.mark.django_db(transaction=True)
def test_bundle_is_built_by_a_worker_over_a_real_redis_broker(settings, tmp_path, broker):
    if not redis_answers():
        message = "Redis does not answer on 127.0.0.1:6379"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from celery.contrib.testing.worker import start_worker

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO())
    broker("redis://127.0.0.1:6379/13")
    with celery_app.connection_for_write() as connection:
        assert connection.transport.driver_type == "redis"
    celery_app.control.purge()  # messages an interrupted earlier run may have left
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        job = bundles.bundle_start(
            user=User.objects.get(username="reviewer"),
            province=Region.objects.get(code="62"),
            year=2019,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.5)
    assert job.status == "done", job.error
    assert len(zip_names(job)) == 7

"""Province report bundles: starting one on the task queue, noticing one that no worker has
picked up, cancelling one. The build itself is the task in ``reports.tasks``."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from assessments.models import Assessment
from egov_portal.errors import WrongState
from opds.models import Region
from reports.access import require_ranker
from reports.models import BundleJob
from reports.tasks import build_bundle

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The task queue's broker could not be reached; no job was left behind."""


def bundle_start(*, user, province: Region, year: int) -> BundleJob:
    """Create a bundle job and hand it to the task queue (without a broker it is built here and
    now). Raises ``QueueUnavailable`` when the broker cannot be reached, after removing the job,
    so no job waits for a message that was never sent.

    Call it outside a transaction: a worker must find the job when the message arrives.
    Refuses (ValidationError) a year in which no region of the province has an assessment:
    its ZIP would be empty."""
    require_ranker(user, province)
    if not Assessment.objects.filter(region__parent=province, year=year).exists():
        raise ValidationError(
            _(
                "Belum ada penilaian wilayah %(province)s untuk tahun %(year)s: tidak ada laporan "
                "untuk dipaketkan."
            )
            % {"province": province.name, "year": year}
        )
    job = BundleJob.objects.create(province=province, year=year, created_by=user)
    try:
        build_bundle.delay(job.pk)
    except OperationalError as error:
        logger.error("Bundle %s not queued, the broker cannot be reached: %s", job.pk, error)
        job.delete()
        raise QueueUnavailable(str(error)) from error
    return job


def bundle_is_stale(job: BundleJob, *, now: datetime | None = None) -> bool:
    """True when the job has waited longer than ``BUNDLE_STALE_AFTER`` seconds without a worker
    taking it: the worker is probably not running."""
    if job.status != BundleJob.Status.PENDING:
        return False
    waited = (now or timezone.now()) - job.created_at
    return waited >= timedelta(seconds=settings.BUNDLE_STALE_AFTER)


def bundle_cancel(job: BundleJob, *, user) -> BundleJob:
    """Cancel a waiting or running job. A worker that takes it later does nothing; one that is
    building it stops after the report it is on. Raises ``WrongState`` when the job has
    already finished."""
    require_ranker(user, job.province)
    cancelled = BundleJob.objects.filter(
        pk=job.pk, status__in=[BundleJob.Status.PENDING, BundleJob.Status.RUNNING]
    ).update(status=BundleJob.Status.CANCELLED, finished_at=timezone.now())
    job.refresh_from_db()
    if not cancelled:
        raise WrongState(
            _("Paket ini tidak dapat dibatalkan lagi: statusnya sudah %(status)s.")
            % {"status": job.get_status_display().lower()}
        )
    return job

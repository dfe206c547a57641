import io
import logging
import zipfile

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from reports import documents
from reports.models import BundleJob

logger = logging.getLogger(__name__)
Status = BundleJob.Status


@shared_task
def build_bundle(job_id: int) -> int | None:
    """Render every region report of the job's province and year into one ZIP, recording
    progress as it goes. Returns the number of reports in the ZIP, or None when the job was
    not built: cancelled before or while it ran, gone, or failed."""
    # Only a pending job is claimed: one cancelled before a worker got to it stays cancelled.
    claimed = BundleJob.objects.filter(pk=job_id, status=Status.PENDING).update(
        status=Status.RUNNING, done=0
    )
    if not claimed:
        logger.info("Bundle %s is not pending (cancelled or gone); nothing to build.", job_id)
        return None
    job = BundleJob.objects.select_related("province", "created_by").get(pk=job_id)
    try:
        return _build(job)
    except Exception as error:
        # The job row carries the outcome to the user, who sees a plain message; the log keeps
        # the traceback. Not re-raised: without a broker the task runs inside the request,
        # which must show the failed job, not answer 500.
        logger.exception("Bundle %s failed", job_id)
        BundleJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
            status=Status.FAILED,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        return None


def _build(job: BundleJob) -> int | None:
    regions = list(
        documents.regions_with_assessment(user=job.created_by, province=job.province, year=job.year)
    )
    running = BundleJob.objects.filter(pk=job.pk, status=Status.RUNNING)
    running.update(total=len(regions))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, region in enumerate(regions, start=1):
            data = documents.region_report(
                user=job.created_by, region=region, year=job.year
            ).content
            archive.writestr(f"laporan-egov-{region.code}-{job.year}.pdf", data)
            # Progress and the check for a cancellation in one query: a cancelled job is no
            # longer running, so nothing is updated and the build stops here.
            if not running.update(done=done):
                logger.info(
                    "Bundle %s cancelled after %s of %s reports.", job.pk, done, len(regions)
                )
                return None
    job.file.save(job.filename, ContentFile(buffer.getvalue()), save=False)
    if not running.update(file=job.file.name, status=Status.DONE, finished_at=timezone.now()):
        # Cancelled while the ZIP was being written.
        job.file.delete(save=False)
        return None
    return len(regions)

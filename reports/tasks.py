import io
import zipfile

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from reports import documents
from reports.models import BundleJob


@shared_task
def build_bundle(job_id: int) -> int:
    """Render every region report of the job's province and year into one ZIP, recording
    progress as it goes. Returns the number of reports in the ZIP."""
    job = BundleJob.objects.select_related("province", "created_by").get(pk=job_id)
    regions = list(
        documents.regions_with_assessment(user=job.created_by, province=job.province, year=job.year)
    )
    BundleJob.objects.filter(pk=job.pk).update(
        status=BundleJob.Status.RUNNING, total=len(regions), done=0
    )
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, region in enumerate(regions, start=1):
                data = documents.region_report(
                    user=job.created_by, region=region, year=job.year
                ).content
                archive.writestr(f"laporan-egov-{region.code}-{job.year}.pdf", data)
                BundleJob.objects.filter(pk=job.pk).update(done=done)
    except Exception as error:
        BundleJob.objects.filter(pk=job.pk).update(
            status=BundleJob.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    job.file.save(job.filename, ContentFile(buffer.getvalue()), save=False)
    job.status = BundleJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "finished_at"])
    return len(regions)

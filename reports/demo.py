"""Demo data of the reports: the figures of the demo's final assessments, frozen once the
inventory and master plans below are loaded (as they would have been when each assessment was
made final)."""

from assessments.models import Assessment
from reports import frozen
from reports.models import FinalFigures


def load(*, stdout):
    finals = Assessment.objects.filter(status=Assessment.Status.FINAL).exclude(
        pk__in=FinalFigures.objects.values("assessment")
    )
    count = 0
    for assessment in finals.select_related("region"):
        frozen.freeze(assessment)
        count += 1
    stdout.write(f"Figures frozen beside final assessments: {count} new")

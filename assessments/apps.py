from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("Penilaian")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from django.urls import reverse

        from assessments.models import (
            Answer,
            Aspect,
            Assessment,
            Clarification,
            Comment,
            Cycle,
            CycleExtension,
            Dimension,
            Evidence,
            Framework,
            Indicator,
            RatingBand,
            Transition,
        )
        from assessments.scoring import forget_framework_specs
        from egov_portal import history

        # The scoring structures this process keeps are built from these.
        for model in (Framework, RatingBand, Dimension, Aspect, Indicator):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_framework_specs, sender=model, dispatch_uid=f"spec-{model.__name__}"
                )

        def assessment_name(assessment, fallback_id):
            return str(assessment) if assessment else f"#{fallback_id}"

        def assessment_link(assessment_id):
            return reverse("assessments:assessment_detail", kwargs={"pk": assessment_id})

        def indicator_link(assessment_id, indicator):
            if indicator is None:
                return assessment_link(assessment_id)
            url = reverse(
                "assessments:assessment_dimension",
                kwargs={"pk": assessment_id, "dimension": indicator.dimension.code},
            )
            return f"{url}#indicator-{indicator.code}"

        history.track(
            Assessment,
            kind="assessment",
            label=_("Penilaian"),
            region="region",
            describe=lambda record: f"{record.region} {record.year}",
            link=lambda record: assessment_link(record.id),
            select=["region"],
        )
        history.track(
            Answer,
            kind="answer",
            label=_("Jawaban indikator"),
            region="assessment__region",
            describe=lambda record: (
                f"{assessment_name(record.assessment, record.assessment_id)} · "
                f"{record.indicator.code if record.indicator else record.indicator_id}"
            ),
            link=lambda record: indicator_link(record.assessment_id, record.indicator),
            select=["assessment__region", "indicator__dimension"],
            # Where a carried answer came from is said by the reason of its first entry.
            hidden=["assessment", "indicator", "carried_from"],
        )
        history.track(
            Evidence,
            kind="evidence",
            label=_("Bukti dukung"),
            region="answer__assessment__region",
            describe=lambda record: record.title,
            link=lambda record: (
                indicator_link(record.answer.assessment_id, record.answer.indicator)
                if record.answer
                else None
            ),
            select=["answer__indicator__dimension"],
            hidden=["answer", "file"],
        )
        history.track(
            Transition,
            kind="transition",
            label=_("Langkah status penilaian"),
            region="assessment__region",
            describe=lambda record: assessment_name(record.assessment, record.assessment_id),
            link=lambda record: assessment_link(record.assessment_id),
            select=["assessment__region"],
            hidden=["assessment"],
        )
        history.track(
            Clarification,
            kind="clarification",
            label=_("Klarifikasi indikator"),
            region="assessment__region",
            describe=lambda record: (
                f"{assessment_name(record.assessment, record.assessment_id)} · "
                f"{record.indicator.code if record.indicator else record.indicator_id}"
            ),
            link=lambda record: indicator_link(record.assessment_id, record.indicator),
            select=["assessment__region", "indicator__dimension"],
            hidden=["assessment", "indicator"],
        )
        history.track(
            Comment,
            kind="clarification_comment",
            label=_("Komentar klarifikasi"),
            region="thread__assessment__region",
            describe=lambda record: (
                f"{assessment_name(record.thread.assessment, record.thread.assessment_id)} · "
                f"{record.thread.indicator.code}"
                if record.thread
                else f"#{record.thread_id}"
            ),
            link=lambda record: (
                indicator_link(record.thread.assessment_id, record.thread.indicator)
                if record.thread
                else None
            ),
            select=["thread__assessment__region", "thread__indicator__dimension"],
            hidden=["thread"],
        )
        history.track(
            Cycle,
            kind="cycle",
            label=_("Siklus penilaian"),
            region="province",
            describe=lambda record: f"{record.province} {record.year}",
            link=lambda record: reverse("assessments:cycle_list"),
            select=["province"],
        )
        history.track(
            CycleExtension,
            kind="cycle_extension",
            label=_("Perpanjangan tenggat"),
            region="region",
            describe=lambda record: f"{record.region} · {record.get_stage_display()}",
            link=lambda record: reverse("assessments:cycle_list"),
            select=["region"],
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterplanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "masterplan"
    verbose_name = _("Rencana induk")

    def ready(self):
        from django.urls import reverse

        from egov_portal import history
        from masterplan.models import MasterPlan, Programme, Target

        def programme_link(plan_id, programme_id, anchor=""):
            url = reverse(
                "masterplan:programme_detail", kwargs={"plan_pk": plan_id, "pk": programme_id}
            )
            return url + anchor

        history.track(
            MasterPlan,
            kind="masterplan",
            label=_("Rencana induk"),
            region="region",
            describe=lambda record: record.title,
            link=lambda record: reverse("masterplan:masterplan_detail", kwargs={"pk": record.id}),
        )
        history.track(
            Programme,
            kind="programme",
            label=_("Program rencana induk"),
            region="plan__region",
            describe=lambda record: record.name,
            link=lambda record: programme_link(record.plan_id, record.id),
            hidden=["plan"],
        )
        history.track(
            Target,
            kind="target",
            label=_("Target tahunan"),
            region="programme__plan__region",
            describe=lambda record: (
                f"{record.programme.name if record.programme else record.programme_id} · "
                f"{record.year}"
            ),
            link=lambda record: (
                programme_link(
                    record.programme.plan_id, record.programme_id, f"#target-{record.id}"
                )
                if record.programme
                else None
            ),
            select=["programme"],
            hidden=["programme"],
        )

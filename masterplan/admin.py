from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from masterplan.models import DimensionTarget, MasterPlan, Programme, Target


class ProgrammeInline(admin.TabularInline):
    model = Programme
    extra = 0
    fields = ["order", "dimension", "name", "opd", "expected_output"]
    autocomplete_fields = ["opd"]
    show_change_link = True


class DimensionTargetInline(admin.TabularInline):
    model = DimensionTarget
    extra = 0


@admin.register(MasterPlan)
class MasterPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "start_year", "end_year", "status", "legal_basis"]
    list_filter = ["status", "region"]
    search_fields = ["title", "legal_basis", "region__name", "region__code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    raw_id_fields = ["supersedes"]
    readonly_fields = ["reviewed_at", "created_by", "created_at", "updated_at"]
    inlines = [ProgrammeInline, DimensionTargetInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = [
        "year",
        "metric",
        "unit",
        "baseline",
        "target",
        "realisation",
        "budget_planned",
        "budget_realised",
        "funding_source",
    ]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "dimension", "opd"]
    list_filter = ["dimension", "plan__region"]
    search_fields = ["name", "plan__title"]
    list_select_related = ["plan", "dimension", "opd"]
    autocomplete_fields = ["opd"]
    raw_id_fields = ["plan", "carried_from"]
    inlines = [TargetInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Target:
            # A target changed here is a new version: a page opened before cannot overwrite it.
            changed = [obj.pk for obj, _fields in formset.changed_objects]
            Target.objects.filter(pk__in=changed).update(version=F("version") + 1)

from django.contrib import admin

from assessments.models import (
    Answer,
    Aspect,
    Assessment,
    Dimension,
    Evidence,
    Framework,
    Indicator,
    Level,
    RatingBand,
    Transition,
)


class RatingBandInline(admin.TabularInline):
    model = RatingBand
    extra = 0


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ["code", "name", "name_en", "weight", "order"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "version", "scale_min", "scale_max"]
    inlines = [RatingBandInline, DimensionInline]


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "dimension", "aspect", "weight"]
    list_filter = ["dimension__framework", "dimension"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["dimension", "aspect"]
    inlines = [LevelInline]


@admin.register(Aspect)
class AspectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "dimension", "weight"]
    list_select_related = ["dimension"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    readonly_fields = ["from_status", "to_status", "note", "user", "at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "framework", "status", "revision", "updated_at"]
    list_filter = ["status", "year", "framework"]
    search_fields = ["region__name", "region__code"]
    list_select_related = ["region", "framework"]
    # Status moves only through the workflow, so every change is recorded.
    readonly_fields = ["status", "revision", "created_by", "created_at", "updated_at"]
    inlines = [TransitionInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["assessment", "indicator", "self_level", "verified_level", "not_applicable"]
    list_filter = ["assessment__year", "not_applicable"]
    list_select_related = ["assessment__region", "indicator"]
    readonly_fields = ["version", "updated_by", "updated_at"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["title", "answer", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["answer__assessment__region", "answer__indicator", "uploaded_by"]
    readonly_fields = ["sha256", "size", "content_type", "uploaded_by", "uploaded_at"]

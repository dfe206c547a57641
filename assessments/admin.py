from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    Answer,
    Aspect,
    Assessment,
    Clarification,
    Comment,
    Crosswalk,
    CrosswalkEntry,
    Dimension,
    Evidence,
    Framework,
    Indicator,
    Level,
    RatingBand,
    Transition,
)


class ReadOnlyMixin:
    """Shown here, never changed here. Assessments change through the workflow (the pages, the
    API), which checks the rules, records who and why, and bumps the assessment's revision so
    that no report goes on calling old figures current. Frameworks change by loading their
    data file (``manage.py load_framework``), which bumps the revision of every assessment
    whose figures it changes."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a POST to an old version's form ("revert") even when
        # the admin may not change the object: an earlier version is shown, never restored.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class RatingBandInline(ReadOnlyMixin, admin.TabularInline):
    model = RatingBand
    extra = 0


class DimensionInline(ReadOnlyMixin, admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ["code", "name", "name_en", "weight", "order"]


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name", "version", "scale_min", "scale_max", "aggregation"]
    inlines = [RatingBandInline, DimensionInline]


class CrosswalkEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = CrosswalkEntry
    extra = 0
    fields = ["indicator", "dimension"]


@admin.register(Crosswalk)
class CrosswalkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Changed by loading its data file (``manage.py load_crosswalk``)."""

    list_display = ["source", "target", "version"]
    list_select_related = ["source", "target"]
    inlines = [CrosswalkEntryInline]


class LevelInline(ReadOnlyMixin, admin.TabularInline):
    model = Level
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name", "dimension", "aspect", "weight"]
    list_filter = ["dimension__framework", "dimension"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["dimension", "aspect"]
    inlines = [LevelInline]


@admin.register(Aspect)
class AspectAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name", "dimension", "weight"]
    list_select_related = ["dimension"]


class TransitionInline(ReadOnlyMixin, admin.TabularInline):
    model = Transition
    extra = 0
    fields = ["from_status", "to_status", "note", "user", "at"]
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["region", "year", "framework", "status", "revision", "updated_at"]
    list_filter = ["status", "year", "framework"]
    search_fields = ["region__name", "region__code"]
    list_select_related = ["region", "framework"]
    inlines = [TransitionInline]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["assessment", "indicator", "self_level", "verified_level", "not_applicable"]
    list_filter = ["assessment__year", "not_applicable"]
    list_select_related = ["assessment__region", "indicator"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "answer", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["answer__assessment__region", "answer__indicator", "uploaded_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CommentInline(ReadOnlyMixin, admin.TabularInline):
    model = Comment
    extra = 0
    fields = ["at", "author", "side", "text", "evidence"]
    readonly_fields = fields


@admin.register(Clarification)
class ClarificationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["assessment", "indicator", "status", "waiting_on", "opened_at", "closed_at"]
    list_filter = ["status", "waiting_on"]
    list_select_related = ["assessment__region", "indicator"]
    inlines = [CommentInline]

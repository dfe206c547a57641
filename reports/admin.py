from django.contrib import admin

from reports.models import BundleJob


@admin.register(BundleJob)
class BundleJobAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "status", "done", "total", "created_by", "created_at"]
    list_filter = ["status", "year"]
    list_select_related = ["province", "created_by"]
    readonly_fields = ["status", "done", "total", "file", "error", "created_by", "finished_at"]

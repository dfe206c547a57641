from django.contrib import admin

from egov_portal.models import Notification, Preferences


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "mail_sent_at"]
    list_filter = ["kind", "mail_wanted"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "recipient__email"]
    readonly_fields = ["created_at", "mail_sent_at", "mail_attempts", "mail_error"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "reminder_emails", "language"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

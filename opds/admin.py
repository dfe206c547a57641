from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from opds.models import OPD, Application, Membership, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "bps_code"]
    list_filter = ["kind", "parent"]
    search_fields = ["code", "name", "bps_code"]
    list_select_related = ["parent"]


@admin.register(OPD)
class OPDAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "region", "kind", "active"]
    list_filter = ["active", "kind", "region"]
    search_fields = ["name", "short_name", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "opd", "platform", "status", "changed_at"]
    list_filter = ["status", "platform", "classification", "opd__region"]
    search_fields = ["name", "description", "opd__name", "opd__short_name"]
    list_select_related = ["opd"]
    autocomplete_fields = ["opd", "user_opds", "integrations"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if change:
            # A record changed here is a new version: a page opened before cannot overwrite it.
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "region", "opd"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "region", "opd", "opd__region"]
    autocomplete_fields = ["user", "region", "opd"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = True
    autocomplete_fields = ["region", "opd"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "membership_role", "is_active"]
    list_select_related = ["membership"]

    @admin.display(description=Membership._meta.get_field("role").verbose_name)
    def membership_role(self, user):
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"

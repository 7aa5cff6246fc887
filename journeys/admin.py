"""The Django admin for beheerders: the default canvas phases are editable data; journeys
themselves are changed through the platform's own pages, where the rules apply."""

from django.contrib import admin

from journeys.models import CanvasPhaseTemplate, Journey, Membership
from journeys.stories import admin as stories_admin  # noqa: F401 (signifiers, scales)


@admin.register(CanvasPhaseTemplate)
class CanvasPhaseTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "description"]
    list_editable = ["position"]
    ordering = ["position"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["user", "role", "joined_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin):
    """Read-only: phase moves, roles and approvals go through the services."""

    list_display = ["title", "phase", "cycle", "visibility", "updated_at"]
    list_filter = ["phase", "visibility", "scenario"]
    search_fields = ["title", "challenge"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

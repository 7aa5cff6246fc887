from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from community.models import AuditEntry, ForumCategory, Organisation, Report, User
from community.privacy_audit import record_staff_view
from community.services import account_deletion
from journeys.services import RuleViolation


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "organisation", "job_title", "expertise")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    # Staff opening a member's personal data leave an audit entry (community.privacy_audit).
    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        member = self.get_object(request, object_id)
        if member is not None and response.status_code == 200:
            record_staff_view(request.user, [member], where="django-admin: user page")
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            record_staff_view(request.user, changelist.result_list, where="django-admin: user list")
        return response

    # Deleting a member goes through the rules of account deletion: their stories are
    # withdrawn, their contributions anonymised, the last administrator kept.
    def delete_model(self, request, obj):
        account_deletion.delete_account(request.user, obj, content=account_deletion.ANONYMISE)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except RuleViolation as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return redirect("admin:community_user_change", object_id)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the rules above
        return actions


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by services, never edited."""

    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]
    list_select_related = ["actor", "target_type"]
    search_fields = ["action", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(ForumCategory)
class ForumCategoryAdmin(admin.ModelAdmin):
    """Staff manage the plein's categories; threads stay where they are (a category
    with threads cannot be deleted: move its threads first)."""

    list_display = ["name", "slug", "position", "description"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ["name", "description"]
    fields = ["name", "slug", "description", "position"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: reports are made and handled in the forums' moderation queues, where
    every step is recorded in the audit trail."""

    list_display = ["created_at", "post", "reporter", "status", "handled_by", "handled_at"]
    list_filter = ["status"]
    list_select_related = ["post__thread", "reporter", "handled_by"]
    search_fields = ["reason", "reporter__email", "post__thread__title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""The editable lists of stories for beheerders: signifiers (what the impact meant) and
scales. Stories themselves have no admin page: they belong to their tellers and are
changed only through the platform's own pages, where consent and visibility apply."""

from django.contrib import admin

from journeys.models import StorySignifier, StorySlider


@admin.register(StorySignifier)
class StorySignifierAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active", "description"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["position", "name"]


@admin.register(StorySlider)
class StorySliderAdmin(admin.ModelAdmin):
    list_display = ["question", "left_label", "right_label", "position", "is_active"]
    list_editable = ["position", "is_active"]
    ordering = ["position", "pk"]

"""The community's pages: live boards, the agenda, the forums (the plein and each
journey's forum), moderation, notifications and the privacy statement. Mounted at the
site root, before the journeys and Wagtail."""

from django.urls import path

from community import (
    board_urls,
    calendar_urls,
    event_urls,
    forum_urls,
    moderation_urls,
    notification_urls,
    views,
)

app_name = "community"

urlpatterns = [
    *board_urls.urlpatterns,
    *calendar_urls.urlpatterns,
    *event_urls.urlpatterns,
    *forum_urls.urlpatterns,
    *moderation_urls.urlpatterns,
    *notification_urls.urlpatterns,
    path("privacy/", views.privacy, name="privacy"),
]

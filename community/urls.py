"""The community's pages: the forums (the plein and each journey's forum), moderation
and notifications. Mounted at the site root, before the journeys and Wagtail."""

from community import calendar_urls, event_urls, forum_urls, moderation_urls, notification_urls

app_name = "community"

urlpatterns = [
    *calendar_urls.urlpatterns,
    *event_urls.urlpatterns,
    *forum_urls.urlpatterns,
    *moderation_urls.urlpatterns,
    *notification_urls.urlpatterns,
]

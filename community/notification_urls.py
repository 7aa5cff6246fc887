"""Notifications at /meldingen/: the list, opening one, 'mark all read', the email
choice, unsubscribing from a mail, and the header badge's count."""

from django.urls import path

from community import notification_views as views

urlpatterns = [
    path("meldingen/", views.index, name="notifications"),
    path("meldingen/aantal/", views.count, name="notification_count"),
    path("meldingen/alles-gelezen/", views.read_all, name="notifications_read_all"),
    path("meldingen/instellingen/", views.email_settings, name="notification_settings"),
    path("meldingen/afmelden/<slug:token>/", views.unsubscribe, name="unsubscribe"),
    path("meldingen/<int:notification_id>/", views.open_notification, name="notification_open"),
]

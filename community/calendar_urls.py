"""Calendars: one event's .ics, the personal subscription feed (secret address, no
login) and the page to subscribe, renew that address and choose reminders."""

from django.urls import path

from community import calendar_views as views

urlpatterns = [
    path("agenda/<int:event_id>/agenda.ics", views.event_ics, name="event_ics"),
    path("agenda/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("agenda/abonneren/", views.calendar_settings, name="calendar_settings"),
]

"""The event pages: /agenda/ (list and month view), each journey's agenda tab, the event
page with its registration, verslag and cancel actions, and the planning forms. Full
paths: community/urls.py mounts these at the site root. The .ics and feed routes
(agenda/<id>/agenda.ics, agenda/feed/, agenda/abonneren/) live in the calendars part."""

from django.urls import path

from community import event_views as views

urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/nieuw/", views.event_new, name="event_new"),
    path("agenda/maand/<int:year>/<int:month>/", views.agenda_month, name="agenda_month"),
    path("agenda/<int:event_id>/", views.event_detail, name="event"),
    path("agenda/<int:event_id>/bewerken/", views.event_edit, name="event_edit"),
    path("agenda/<int:event_id>/aanmelden/", views.event_register, name="event_register"),
    path("agenda/<int:event_id>/verslag/", views.event_report, name="event_report"),
    path("agenda/<int:event_id>/afgelasten/", views.event_cancel, name="event_cancel"),
    path("reizen/<slug:slug>/agenda/", views.journey_agenda, name="journey_agenda"),
    path("reizen/<slug:slug>/agenda/nieuw/", views.journey_event_new, name="journey_event_new"),
]

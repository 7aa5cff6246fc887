"""Moderation, reports, forum search and @mention suggestions (community/moderation_views.py).

Full paths, in the "community" namespace (community/urls.py mounts them at the site root).
"""

from django.urls import path

from community import moderation_views as views

urlpatterns = [
    # Moderators pin, close, hide and move threads.
    path("forum/<int:thread_id>/moderatie/", views.thread_flag, name="thread_flag"),
    path("forum/<int:thread_id>/verplaatsen/", views.thread_move, name="thread_move"),
    # Anyone who reads a thread reports a post; moderators handle the report.
    path("forum/bericht/<int:post_id>/melden/", views.post_report, name="post_report"),
    path("forum/melding/<int:report_id>/afhandelen/", views.report_handle, name="report_handle"),
    # The moderation queues.
    path(
        "reizen/<slug:slug>/forum/moderatie/",
        views.journey_moderation,
        name="journey_moderation",
    ),
    path("plein/moderatie/", views.plein_moderation, name="plein_moderation"),
    # Search in one forum.
    path("plein/zoeken/", views.plein_search, name="plein_search"),
    path(
        "reizen/<slug:slug>/forum/zoeken/",
        views.journey_forum_search,
        name="journey_forum_search",
    ),
    # @mention autocomplete: JSON [{"handle": ..., "name": ...}].
    path("forum/<int:thread_id>/vermelden/", views.mention_suggestions, name="mention_suggestions"),
    path("forum/vermelden/", views.mention_suggestions_space, name="mention_suggestions_space"),
]

"""The forum pages: the plein and each journey's forum, threads and posts. Full paths:
community/urls.py mounts these at the site root. Post actions live under forum/, the same
for both spaces (the post itself says which thread and space it is in)."""

from django.urls import path, register_converter

from community import forum_views as views


class CategorySlug:
    """A plein category's slug, but never one of the plein's own words (plein/nieuw/,
    plein/zoeken/, plein/moderatie/, ...): those routes come later in the list."""

    regex = "[-a-zA-Z0-9_]+"
    RESERVED = frozenset({"nieuw", "zoeken", "moderatie", "alles-gelezen", "onderwerp"})

    def to_python(self, value: str) -> str:
        if value in self.RESERVED:
            raise ValueError(value)  # no match: the next route is tried
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CategorySlug, "plein_category")

urlpatterns = [
    # The plein.
    path("plein/", views.plein, name="plein"),
    path("plein/nieuw/", views.plein_new_thread, name="plein_new_thread"),
    path("plein/alles-gelezen/", views.plein_mark_read, name="plein_mark_read"),
    path("plein/onderwerp/<int:thread_id>/", views.plein_thread, name="plein_thread"),
    path("plein/<plein_category:slug>/", views.plein_category, name="plein_category"),
    # A journey's forum.
    path("reizen/<slug:slug>/forum/", views.journey_forum, name="journey_forum"),
    path("reizen/<slug:slug>/forum/nieuw/", views.journey_new_thread, name="journey_new_thread"),
    path(
        "reizen/<slug:slug>/forum/alles-gelezen/",
        views.journey_mark_read,
        name="journey_forum_mark_read",
    ),
    path("reizen/<slug:slug>/forum/<int:thread_id>/", views.journey_thread, name="journey_thread"),
    # Posts, attachments and following, in either space.
    path("forum/bericht/<int:post_id>/", views.post_fragment, name="post_fragment"),
    path("forum/bericht/<int:post_id>/bewerken/", views.post_edit, name="post_edit"),
    path("forum/bericht/<int:post_id>/geschiedenis/", views.post_history, name="post_history"),
    path("forum/bericht/<int:post_id>/verwijderen/", views.post_delete, name="post_delete"),
    path("forum/bericht/<int:post_id>/reageren/", views.post_react, name="post_react"),
    path("forum/bijlage/<int:attachment_id>/", views.attachment, name="attachment"),
    path("forum/<int:thread_id>/volgen/", views.thread_subscription, name="thread_subscription"),
]

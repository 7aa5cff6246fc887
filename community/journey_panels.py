"""The forum's panel on a journey's dashboard (journeys/panels.py): the latest threads,
for those who may read the journey's forum."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from community.queries.forum import journey_forum_access
from journeys import panels

LATEST = 5


def forum_panel(request, journey, access) -> dict | None:
    forum = journey_forum_access(request.user, journey, access)
    if not forum.can_read:
        return None
    # Without their authors (the panel does not show them): joined before the limit, a
    # journey with hundreds of threads had the database read every account.
    threads = list(
        journey.threads.filter(is_hidden=False).order_by("-is_pinned", "-last_post_at")[:LATEST]
    )
    return {"journey": journey, "threads": threads, "can_post": forum.can_post}


def register() -> None:
    panels.register(
        panels.DashboardPanel(
            "forum", _("Forum"), "community/panels/forum.html", forum_panel, order=10
        )
    )

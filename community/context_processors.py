from django.conf import settings
from django.utils.functional import SimpleLazyObject

from community.navigation import main_navigation


def platform(request):
    return {
        "platform_name": settings.PLATFORM_NAME,
        "main_navigation": main_navigation(request.path),
    }


def notifications(request):
    """`unread_notifications` for the header badge of a signed-in member: one query,
    made only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from community.services.notifications import unread_count

        return unread_count(user)

    return {"unread_notifications": SimpleLazyObject(count)}

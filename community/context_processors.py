from django.conf import settings

from community.navigation import main_navigation


def platform(request):
    return {
        "platform_name": settings.PLATFORM_NAME,
        "main_navigation": main_navigation(request.path),
    }

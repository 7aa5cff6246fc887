from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from community import journey_panels

        journey_panels.register()
        __import__("community.event_panels").event_panels.register()
        __import__("community.board_panels").board_panels.register()

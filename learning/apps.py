from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from learning import navigation

        navigation.connect()
        __import__("learning.leervragen.panels").leervragen.panels.register()

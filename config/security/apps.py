from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "config.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from config.security import sessions

        sessions.connect()

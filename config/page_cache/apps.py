from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "config.page_cache"
    label = "page_cache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from config.page_cache import invalidation

        invalidation.connect()

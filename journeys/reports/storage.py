"""Where generated reports live: outside MEDIA_ROOT, so no web server hands them out;
only the download view does, after checking who asks."""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]

"""Background work for members' privacy requests (django-tasks: immediate in the embedded
default, the db_worker in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_data_export(member_id: int) -> str:
    """Build the member's copy of their data and mail them the link. Returns its name."""
    from community.services.data_export import build_export

    export = build_export(member_id)
    return export.name if export else ""


@task()
def remove_expired_exports() -> int:
    """Remove every copy of members' data whose link expired. Returns how many."""
    from community.services.data_export import remove_expired_exports as remove

    return remove()

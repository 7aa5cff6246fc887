"""Staff looking at members' personal data leave a trace (AVG: accountability).

Opening a member in the Django admin (the change page, or a list page that shows their
email address) or in the Wagtail admin (editing a user) records an AuditEntry
``privacy.staff_viewed`` with the staff member as actor, the member as target and where
it happened. Staff read these entries in the Django admin (read-only); the member finds
them in their data download ("staff_access_to_your_data"). Looking at one's own account
is not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType

from community.models import AuditEntry, User

ACTION = "privacy.staff_viewed"


def record_staff_view(viewer: User, members: Iterable[User], *, where: str) -> int:
    """One audit entry per member shown to `viewer`. Returns how many were written."""
    if not (viewer and viewer.is_authenticated):
        return 0
    user_type = ContentType.objects.get_for_model(User)
    entries = [
        AuditEntry(
            actor=viewer,
            action=ACTION,
            target_type=user_type,
            target_id=str(member.pk),
            data={"where": where},
        )
        for member in members
        if member.pk and member.pk != viewer.pk
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)

"""Rules for members and accounts. Views, commands and fixtures call these; nothing else
writes accounts (sign-up itself runs through allauth, which calls the adapter)."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction

from community import audit
from community.models import Organisation, User


def _may_manage_accounts(actor: User | None) -> bool:
    # actor None is the platform itself: demo data, fixtures, management commands.
    return actor is None or actor.is_superuser


@transaction.atomic
def register_member(
    actor: User | None,
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email_verified: bool = False,
    is_administrator: bool = False,
    groups: Iterable[str] = (),
) -> User:
    """Create an account with its (primary) email address, as a beheerder or the platform."""
    if not _may_manage_accounts(actor):
        raise PermissionDenied
    # A beheerder is staff and superuser: the Django admin, the CMS and every permission.
    create = User.objects.create_superuser if is_administrator else User.objects.create_user
    member = create(email=email, password=password, first_name=first_name, last_name=last_name)
    EmailAddress.objects.create(
        user=member, email=member.email, primary=True, verified=email_verified
    )
    if groups:
        member.groups.set(Group.objects.filter(name__in=list(groups)))
    audit.record(
        actor, "member.registered", member, administrator=is_administrator, groups=sorted(groups)
    )
    return member


_UNCHANGED = object()


@transaction.atomic
def update_profile(
    actor: User | None,
    member: User,
    *,
    first_name: str,
    last_name: str,
    organisation: Organisation | object | None = _UNCHANGED,
    job_title: str | object = _UNCHANGED,
    expertise: Iterable[str] | object = _UNCHANGED,
) -> User:
    """A member edits their own profile; a beheerder may edit anyone's. Fields left out
    stay as they are. actor None is the platform (demo data)."""
    if actor is not None and actor.pk != member.pk and not actor.is_superuser:
        raise PermissionDenied
    wanted = {"first_name": first_name.strip(), "last_name": last_name.strip()}
    if organisation is not _UNCHANGED:
        wanted["organisation"] = organisation
    if job_title is not _UNCHANGED:
        wanted["job_title"] = str(job_title).strip()
    changed = {field: value for field, value in wanted.items() if getattr(member, field) != value}
    if changed:
        for field, value in changed.items():
            setattr(member, field, value)
        member.save(update_fields=list(changed))
    if expertise is not _UNCHANGED:
        themes = sorted({name.strip() for name in expertise if name.strip()})
        if themes != sorted(member.expertise.names()):
            member.expertise.set(themes)
            changed["expertise"] = themes
    if changed:
        audit.record(actor, "member.profile_updated", member, fields=sorted(changed))
    return member


@transaction.atomic
def set_password(actor: User | None, member: User, password: str) -> bool:
    """Set a password (demo data keeps DEMO_PASSWORD true). Returns whether it changed."""
    if not _may_manage_accounts(actor):
        raise PermissionDenied
    if member.check_password(password):
        return False
    member.set_password(password)
    member.save(update_fields=["password"])
    audit.record(actor, "member.password_set", member)
    return True

"""Reads about members that more than one place needs."""

from allauth.mfa.models import Authenticator

from community.models import User


def has_two_factor(member: User) -> bool:
    """Whether the member confirms sign-ins with an authenticator app (TOTP)."""
    return Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()

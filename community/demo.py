"""The demo personas: one verified account per role, `<role>@example.org`.

seed_demo creates them for `make run`; tests/conftest.py builds the same personas, so
what a demo user can do is what the tests check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from community import services

DEFAULT_DEMO_PASSWORD = "Impact-demo-2026"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def demo_password_is_set() -> bool:
    return bool(os.environ.get("DEMO_PASSWORD"))


@dataclass(frozen=True)
class Persona:
    role: str
    first_name: str
    last_name: str
    is_administrator: bool = False
    groups: tuple[str, ...] = field(default_factory=tuple)

    @property
    def email(self) -> str:
        return f"{self.role}@example.org"


# The editorial groups come from learning's migrations; learning/editorial.py says what
# each may do in the CMS.
PERSONAS = (
    Persona("reisbegeleider", "Rosa", "Verhoeven"),
    Persona("opdrachtgever", "Marieke", "van Dam"),
    Persona("professional", "Pieter", "de Wit"),
    Persona("inwoner", "Ilse", "Bakker"),
    Persona("onderzoeker", "Omar", "El Amrani", groups=("Onderzoekers",)),
    Persona("trainer", "Tessa", "Jansen", groups=("Trainers",)),
    Persona("redacteur", "Ruben", "Smits", groups=("Redacteuren",)),
    Persona("hoofdredacteur", "Hanna", "de Groot", groups=("Hoofdredacteuren",)),
    Persona("beheerder", "Bas", "Hendriks", is_administrator=True),
)


def register_persona(persona: Persona, password: str):
    """A verified demo account for `persona`, made through the member service."""
    return services.register_member(
        None,
        email=persona.email,
        password=password,
        first_name=persona.first_name,
        last_name=persona.last_name,
        email_verified=True,
        is_administrator=persona.is_administrator,
        groups=persona.groups,
    )

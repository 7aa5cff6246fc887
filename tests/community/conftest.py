"""Journeys for the community tests (forums live in journeys too)."""

from tests.journeys.conftest import make_journey  # noqa: F401  (a fixture)

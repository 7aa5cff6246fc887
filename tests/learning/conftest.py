"""Journeys for the editorial tests (the method and scenario pages list them)."""

from tests.journeys.conftest import make_journey  # noqa: F401  (a fixture)

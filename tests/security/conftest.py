"""Journeys for the security tests, built through the services."""

from tests.journeys.conftest import make_journey  # noqa: F401  (a fixture)

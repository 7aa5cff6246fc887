"""Thin views: they read through journeys.queries, write through journeys.services."""

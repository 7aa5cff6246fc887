"""Journeys, their phases and versioned results, stories and the impact canvas.

The models arrive with the journeys issue; the app is wired in from the start so its
routes, templates and tests have their place.
"""

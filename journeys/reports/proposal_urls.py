"""Werkzame elementen proposed from a journey. journeys/urls.py includes these under
<slug>/werkzame-elementen/ in the `journeys` namespace: journeys:element_list,
journeys:element_propose."""

from django.urls import path

from journeys.reports import proposal_views

urlpatterns = [
    path("", proposal_views.element_list, name="element_list"),
    path("voorstellen/", proposal_views.propose, name="element_propose"),
]

"""A journey's data page and the CSV import. journeys/urls.py includes these under
<slug>/data/ in the `journeys` namespace: journeys:indicators, journeys:indicators_add,
journeys:indicators_import, journeys:indicators_import_confirm, journeys:indicators_example."""

from django.urls import path

from journeys.reports import indicator_views

urlpatterns = [
    path("", indicator_views.data, name="indicators"),
    path("toevoegen/", indicator_views.add, name="indicators_add"),
    path("importeren/", indicator_views.import_file, name="indicators_import"),
    path(
        "importeren/bevestigen/",
        indicator_views.import_confirm,
        name="indicators_import_confirm",
    ),
    path("importeren/voorbeeld.csv", indicator_views.example, name="indicators_example"),
]

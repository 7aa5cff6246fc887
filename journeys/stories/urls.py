"""The story pages. Full paths: config/urls.py mounts these at the site root, before
the journeys (whose Verhalen tab lives at reizen/<slug>/verhalen/)."""

from django.urls import path

from journeys.stories import views

app_name = "stories"

urlpatterns = [
    path("verhalen/", views.archive, name="index"),
    path("verhalen/tellen.csv", views.counts_csv, name="counts_csv"),
    path("verhalen/vertellen/", views.tell, name="tell"),
    path("verhalen/intrekken/", views.withdraw_code_form, name="withdraw_code_form"),
    path("verhalen/intrekken/<str:code>/", views.withdraw_by_code, name="withdraw_by_code"),
    path("verhalen/<int:pk>/", views.detail, name="detail"),
    path("verhalen/<int:pk>/bewerken/", views.edit, name="edit"),
    path("verhalen/<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("verhalen/<int:pk>/nieuwe-code/", views.new_code, name="new_code"),
    path("verhalen/<int:pk>/intrekcode/", views.code, name="code"),
    path("verhalen/<int:pk>/beeld/", views.image, name="image"),
    path("verhalen/<int:pk>/geluid/", views.audio, name="audio"),
    path("reizen/<slug:slug>/verhalen/", views.journey_archive, name="journey_archive"),
    path(
        "reizen/<slug:slug>/verhalen/tellen.csv",
        views.journey_counts_csv,
        name="journey_counts_csv",
    ),
]

from django.urls import path

from learning import views
from learning.leervragen import urls as leervragen_urls
from learning.site_search import views as site_search_views

app_name = "learning"

# Full paths: config/urls.py mounts these at the site root.
urlpatterns = [
    path("leren/voortgang/les/<int:lesson_id>/", views.lesson_progress, name="lesson_progress"),
    path("zoeken/", site_search_views.search, name="search"),
    *leervragen_urls.urlpatterns,  # /leervragen/... and /reizen/<slug>/leervragen/
]

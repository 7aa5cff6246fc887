"""Our own pages under /accounts/, beside allauth's."""

from django.urls import path

from community import privacy_views, views

urlpatterns = [
    path("profiel/", views.account, name="account_profile"),
    path("profiel/gegevens/", privacy_views.my_data, name="account_data"),
    path("profiel/gegevens/aanvragen/", privacy_views.request_data, name="account_data_request"),
    path(
        "profiel/gegevens/download/<str:token>/",
        privacy_views.download_data,
        name="account_data_download",
    ),
    path("profiel/verwijderen/", privacy_views.delete_account, name="account_delete"),
    path("cms/", views.cms_sign_in, name="cms_sign_in"),
]

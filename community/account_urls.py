"""Our own pages under /accounts/, beside allauth's."""

from django.urls import path

from community import views

urlpatterns = [
    path("profiel/", views.account, name="account_profile"),
    path("cms/", views.cms_sign_in, name="cms_sign_in"),
]

"""The PDF of a foto or reisverslag. journeys/urls.py includes these under
<slug>/<report:kind_slug>/pdf/ in the `journeys` namespace: journeys:report_pdf (POST),
journeys:report_pdf_status and journeys:report_pdf_download."""

from django.urls import path

from journeys.reports import pdf_views

urlpatterns = [
    path("", pdf_views.request_pdf, name="report_pdf"),
    path("<int:pk>/", pdf_views.status, name="report_pdf_status"),
    path("<int:pk>/download/", pdf_views.download, name="report_pdf_download"),
]

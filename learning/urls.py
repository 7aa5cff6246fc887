from django.urls import path

from learning import views

app_name = "learning"

urlpatterns = [
    path("les/<int:lesson_id>/", views.lesson_progress, name="lesson_progress"),
]

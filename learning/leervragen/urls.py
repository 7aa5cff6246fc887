"""The leervragen addresses. Full paths: learning/urls.py takes these into the learning
namespace, which config/urls.py mounts at the site root before the journeys, so the
journey tab /reizen/<slug>/leervragen/ is found before the journeys' own patterns."""

from django.urls import path

from learning.leervragen import views

urlpatterns = [
    path("leervragen/", views.index, name="question_index"),
    path("leervragen/bord/", views.board, name="question_board"),
    path("leervragen/mijn/", views.mine, name="my_questions"),
    path("leervragen/witte-vlekken/", views.gaps, name="question_gaps"),
    path("leervragen/nieuw/", views.create, name="question_create"),
    path("leervragen/<int:pk>/", views.detail, name="question"),
    path("leervragen/<int:pk>/bewerken/", views.edit, name="question_edit"),
    path("leervragen/<int:pk>/status/", views.move, name="question_move"),
    path("leervragen/<int:pk>/stem/", views.vote, name="question_vote"),
    path("leervragen/<int:pk>/volgen/", views.follow, name="question_follow"),
    path("leervragen/<int:pk>/eigenaar/", views.ownership, name="question_ownership"),
    path("leervragen/<int:pk>/volgorde/", views.position, name="question_position"),
    path("leervragen/<int:pk>/aanpak/", views.plan, name="question_plan"),
    path("leervragen/<int:pk>/antwoord/", views.answer, name="question_answer"),
    path("leervragen/<int:pk>/duiding/", views.duiding, name="question_duiding"),
    path("leervragen/<int:pk>/bewijs/", views.evidence, name="question_evidence"),
    path("leervragen/<int:pk>/reactie/", views.comment, name="question_comment"),
    # The journey's tab.
    path("reizen/<slug:slug>/leervragen/", views.journey_index, name="journey_questions"),
    path(
        "reizen/<slug:slug>/leervragen/bord/",
        views.journey_board,
        name="journey_question_board",
    ),
]

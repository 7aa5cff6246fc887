"""Views of the learning pages that are not Wagtail pages. They hold no rules: those are
in learning.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from journeys.views.common import back_to
from learning import services
from learning.queries import lesson_for


def _wants_html(request: HttpRequest) -> bool:
    """A browser following a form, not htmx or another client that cannot follow a
    redirect to the sign-in page."""
    if request.headers.get("HX-Request"):
        return False
    accept = request.headers.get("Accept", "")
    return not accept or "text/html" in accept


# --- Courses ------------------------------------------------------------------------------


@require_POST
def lesson_progress(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """Mark a lesson done (done=1) or not done (done=0), then back to the lesson."""
    lesson = lesson_for(lesson_id)
    if lesson is None:
        raise Http404
    lesson_url = lesson.get_url(request) or "/"
    if not request.user.is_authenticated:
        if _wants_html(request):
            return redirect_to_login(lesson_url)
        return HttpResponse(
            _("Sign in to keep track of your progress."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    # View restrictions as Wagtail applies them to this request (a password lives in the
    # session): a lesson the user may not open does not exist for them.
    if not all(
        restriction.accept_request(request) for restriction in lesson.get_view_restrictions()
    ):
        raise Http404
    done = request.POST.get("done")
    if done not in ("0", "1"):
        return HttpResponseBadRequest(_("Say whether the lesson is done (1) or not (0)."))
    services.mark_lesson_done(request.user, lesson, done=done == "1")
    if done == "1":
        messages.success(request, _("Lesson done. Well done!"))
    else:
        messages.success(request, _("Lesson marked as not done."))
    return redirect(back_to(request, lesson_url))

"""Moderation, search and @mention suggestions for the forums.

Thin views: the rules live in community/services/forum.py (which record every
moderation action in the audit trail), who may read what in community/queries/forum.py.
A thread or forum a user may not know exists answers 404; one they may read but not
moderate answers 403; a visitor who is not signed in is sent to sign in.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from community import forum_search
from community.limits import SAFE, has_query, limited
from community.models import AuditEntry, ForumCategory, Post, Report, Thread
from community.queries.forum import (
    journey_forum_access,
    plein_access,
    readers_of,
    thread_access,
)
from community.services import forum as services
from journeys.models import Journey
from journeys.queries import journey_for
from journeys.services import RuleViolation
from journeys.views.common import back_to

MAX_SUGGESTIONS = 8
SEARCH_PAGE_SIZE = 20
RECENT_ACTIONS = 30
# The forum's own layouts (heading, tabs, forum.css); pages fill forum_title and forum_content.
PLEIN_LAYOUT = "community/forum/plein_layout.html"
JOURNEY_LAYOUT = "community/forum/journey_layout.html"

FLAG_MESSAGES = {
    ("pinned", True): gettext_lazy("The thread is pinned at the top of the list."),
    ("pinned", False): gettext_lazy("The thread is no longer pinned."),
    ("locked", True): gettext_lazy("The thread is closed: nobody can post in it until it reopens."),
    ("locked", False): gettext_lazy("The thread is open again."),
    ("hidden", True): gettext_lazy("The thread is hidden: only moderators see it."),
    ("hidden", False): gettext_lazy("The thread is visible again."),
}

ACTION_LABELS = {
    "forum.thread_pinned": gettext_lazy("pinned a thread"),
    "forum.thread_unpinned": gettext_lazy("unpinned a thread"),
    "forum.thread_locked": gettext_lazy("closed a thread"),
    "forum.thread_unlocked": gettext_lazy("reopened a thread"),
    "forum.thread_hidden": gettext_lazy("hid a thread"),
    "forum.thread_unhidden": gettext_lazy("made a thread visible again"),
    "forum.thread_moved": gettext_lazy("moved a thread"),
    "forum.post_edited": gettext_lazy("edited someone else's post"),
    "forum.post_deleted": gettext_lazy("deleted someone else's post"),
    "forum.post_reported": gettext_lazy("reported a post"),
    "forum.report_handled": gettext_lazy("handled a report"),
}


# --- Shared steps ---------------------------------------------------------------------------


def _moderates(user, thread: Thread) -> bool:
    """Moderator of the thread's space (a hidden thread included)."""
    if not user.is_authenticated:
        return False
    if thread.journey_id:
        return journey_forum_access(user, thread.journey).can_moderate
    return plein_access(user).can_moderate


def _gate(request: HttpRequest, thread: Thread, *, moderate: bool) -> HttpResponse | None:
    """None when the user may go on; a redirect to sign in for a visitor; otherwise 404
    (they may not know the thread exists) or 403 (they may read it, not moderate it)."""
    user = request.user
    if not user.is_authenticated:
        if thread.journey_id and thread.journey.visibility == Journey.Visibility.BESLOTEN:
            raise Http404
        return redirect_to_login(back_to(request, request.get_full_path()))
    moderates = _moderates(user, thread)
    if not (moderates or thread_access(user, thread).can_read):
        raise Http404
    if moderate and not moderates:
        raise PermissionDenied(_("Only a moderator of this forum does this."))
    return None


def _thread(thread_id: int) -> Thread:
    return get_object_or_404(Thread.objects.select_related("journey", "category"), pk=thread_id)


def _forum_url(thread: Thread) -> str:
    return forum_search.thread_url(thread) or (
        reverse("community:journey_moderation", args=[thread.journey.slug])
        if thread.journey_id
        else reverse("community:plein_moderation")
    )


def _refused(request: HttpRequest, message: str, back: str, status: int = 400) -> HttpResponse:
    """Bad input or a rule that says no: the reason on a page of its own, nothing stored."""
    return render(
        request,
        "community/moderation/refused.html",
        {"message": message, "back": back},
        status=status,
    )


def _as_bool(raw: str | None) -> bool | None:
    value = (raw or "").strip().lower()
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("0", "false", "off", "no"):
        return False
    return None


# --- Pin, lock, hide, move -----------------------------------------------------------------


@require_POST
def thread_flag(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread(thread_id)
    if (stop := _gate(request, thread, moderate=True)) is not None:
        return stop
    back = back_to(request, _forum_url(thread))
    flag, value = request.POST.get("flag", ""), _as_bool(request.POST.get("value"))
    if (flag, value) not in FLAG_MESSAGES:
        return _refused(request, _("Unknown moderation action."), back)
    try:
        services.set_thread_flag(request.user, thread, flag=flag, value=value)
    except RuleViolation as refused:
        return _refused(request, str(refused), back)
    messages.success(request, str(FLAG_MESSAGES[(flag, value)]))
    return redirect(back)


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Move to category"),
        queryset=ForumCategory.objects.all(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the plein's categories.")},
    )


def thread_move(request: HttpRequest, thread_id: int) -> HttpResponse:
    """GET: a form to choose the category; POST: move the plein thread there."""
    thread = _thread(thread_id)
    if (stop := _gate(request, thread, moderate=True)) is not None:
        return stop
    if thread.journey_id:
        raise Http404  # threads of a journey stay in that journey's forum
    back = back_to(request, _forum_url(thread))
    form = MoveForm(request.POST or None, initial={"category": thread.category_id})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            category = form.cleaned_data["category"]
            try:
                services.move_thread(request.user, thread, category=category)
            except RuleViolation as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("The thread is now in %(category)s.") % {"category": category.name},
                )
                return redirect(back)
        status = 400
    return render(
        request,
        "community/moderation/move.html",
        {"thread": thread, "form": form, "back": back, "thread_url": _forum_url(thread)},
        status=status,
    )


# --- Reports --------------------------------------------------------------------------------


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you report this post?"),
        help_text=gettext_lazy(
            "A moderator of this forum reads your reason; the author does not see who reported."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Say why you report this post.")},
    )


def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.select_related("thread__journey", "thread__category", "author"), pk=post_id
    )
    thread = post.thread
    if (stop := _gate(request, thread, moderate=False)) is not None:
        return stop
    if not thread_access(request.user, thread).can_read or post.is_deleted:
        raise Http404
    back = forum_search.post_url(post, thread) if forum_search.thread_url(thread) else ""
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_post(request.user, post, reason=form.cleaned_data["reason"])
            except RuleViolation as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request, _("Thank you. A moderator of this forum will look at the post.")
                )
                return redirect(back or _forum_url(thread))
        status = 400
    return render(
        request,
        "community/moderation/report.html",
        {"post": post, "thread": thread, "form": form, "back": back},
        status=status,
    )


@require_POST
def report_handle(request: HttpRequest, report_id: int) -> HttpResponse:
    """'Afgehandeld' or 'afwijzen' from the queue; optionally delete the post as well."""
    report = get_object_or_404(
        Report.objects.select_related("post__thread__journey", "post__thread__category"),
        pk=report_id,
    )
    thread = report.post.thread
    if (stop := _gate(request, thread, moderate=True)) is not None:
        return stop
    queue = (
        reverse("community:journey_moderation", args=[thread.journey.slug])
        if thread.journey_id
        else reverse("community:plein_moderation")
    )
    back = back_to(request, queue)
    decision = request.POST.get("decision", "")
    if decision not in ("resolve", "dismiss", "delete"):
        return _refused(request, _("Choose handled or dismiss."), back)
    try:
        if decision == "delete":
            services.delete_post(request.user, report.post)
        services.handle_report(request.user, report, resolve=decision != "dismiss")
    except RuleViolation as refused:
        return _refused(request, str(refused), back)
    messages.success(
        request,
        {
            "resolve": _("The report is marked as handled."),
            "dismiss": _("The report is dismissed."),
            "delete": _("The post is deleted and the report is handled."),
        }[decision],
    )
    return redirect(back)


# --- The moderation queues ------------------------------------------------------------------


def _as_text(queryset):
    """Primary keys as text, to compare with AuditEntry.target_id on every database."""
    return queryset.annotate(key=Cast("pk", output_field=CharField())).values("key")


def recent_actions(threads, limit: int = RECENT_ACTIONS) -> list[AuditEntry]:
    """The latest forum.* audit entries about the given threads and their posts, each
    with `.label`, `.thread` and `.post` set, in a fixed number of queries."""
    thread_type = ContentType.objects.get_for_model(Thread)
    post_type = ContentType.objects.get_for_model(Post)
    entries = list(
        AuditEntry.objects.filter(action__startswith="forum.")
        .filter(
            Q(target_type=thread_type, target_id__in=_as_text(threads))
            | Q(
                target_type=post_type,
                target_id__in=_as_text(Post.objects.filter(thread__in=threads)),
            )
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    thread_ids = {int(e.target_id) for e in entries if e.target_type_id == thread_type.pk}
    post_ids = {int(e.target_id) for e in entries if e.target_type_id == post_type.pk}
    posts = Post.objects.select_related("thread__journey").in_bulk(post_ids)
    thread_ids |= {post.thread_id for post in posts.values()}
    found = Thread.objects.select_related("journey").in_bulk(thread_ids)
    moved_to = ForumCategory.objects.in_bulk(
        {e.data.get("new") for e in entries if e.action == "forum.thread_moved"} - {None}
    )
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
        entry.post = None
        entry.thread = None
        if entry.target_type_id == post_type.pk:
            entry.post = posts.get(int(entry.target_id))
            entry.thread = found.get(entry.post.thread_id) if entry.post else None
        elif entry.target_type_id == thread_type.pk:
            entry.thread = found.get(int(entry.target_id))
        entry.url = (
            forum_search.post_url(entry.post, entry.thread)
            if entry.post and entry.thread and forum_search.thread_url(entry.thread)
            else forum_search.thread_url(entry.thread)
            if entry.thread
            else ""
        )
        entry.category = moved_to.get(entry.data.get("new"))
        entry.status = entry.data.get("status", "")
    return entries


def _queue(request: HttpRequest, threads, context: dict) -> HttpResponse:
    reports = list(
        Report.objects.filter(status=Report.Status.OPEN, post__thread__in=threads)
        .select_related("post__author", "post__thread__journey", "reporter")
        .order_by("created_at", "pk")
    )
    for report in reports:
        thread = report.post.thread
        report.url = (
            forum_search.post_url(report.post, thread) if forum_search.thread_url(thread) else ""
        )
        report.snippet = forum_search.snippet(report.post.body_html, "", 300)
    hidden = list(threads.filter(is_hidden=True).select_related("author", "journey"))
    for thread in hidden:
        thread.url = forum_search.thread_url(thread)
    return render(
        request,
        "community/moderation/queue.html",
        {
            **context,
            "reports": reports,
            "hidden_threads": hidden,
            "actions": recent_actions(threads),
            "statuses": dict(Report.Status.choices),
        },
    )


@require_GET
def journey_moderation(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not journey_forum_access(request.user, journey, access).can_moderate:
        raise PermissionDenied(_("Only the reisbegeleider moderates this journey's forum."))
    return _queue(
        request,
        Thread.objects.filter(journey=journey),
        {"journey": journey, "access": access, "tab": "forum", "layout": JOURNEY_LAYOUT},
    )


@require_GET
def plein_moderation(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not plein_access(request.user).can_moderate:
        raise PermissionDenied(_("Only the plein's moderators see this page."))
    return _queue(
        request,
        Thread.objects.filter(category__isnull=False),
        {"layout": PLEIN_LAYOUT},
    )


# --- Search ---------------------------------------------------------------------------------


def _search(request: HttpRequest, journey: Journey | None, context: dict) -> HttpResponse:
    term = " ".join(request.GET.get("q", "").split())[:200]
    outcome = forum_search.search(request.user, term, journey=journey)
    page = Paginator(outcome.keys, SEARCH_PAGE_SIZE).get_page(request.GET.get("pagina"))
    hits = forum_search.load(list(page.object_list), term)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "community/forum/search.html",
        {
            **context,
            "term": term,
            "page": page,
            "hits": hits,
            "search_failed": outcome.failed,
            "query": query.urlencode(),
        },
    )


@limited("search", methods=SAFE, when=has_query)
@require_GET
def plein_search(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _search(
        request,
        None,
        {"layout": PLEIN_LAYOUT, "search_url": reverse("community:plein_search")},
    )


@limited("search", methods=SAFE, when=has_query)
@require_GET
def journey_forum_search(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)
    if not journey_forum_access(request.user, journey, access).can_read:
        raise Http404
    return _search(
        request,
        journey,
        {
            "journey": journey,
            "access": access,
            "tab": "forum",
            "layout": JOURNEY_LAYOUT,
            "search_url": reverse("community:journey_forum_search", args=[journey.slug]),
        },
    )


# --- @mention suggestions -------------------------------------------------------------------


def _suggestions(request: HttpRequest, readers) -> JsonResponse:
    prefix = request.GET.get("q", "").strip().lstrip("@")[:50]
    people = readers.exclude(pk=request.user.pk)
    if prefix:
        people = people.annotate(
            full_name=Concat("first_name", Value(" "), "last_name", output_field=CharField())
        ).filter(
            Q(handle__istartswith=prefix)
            | Q(full_name__istartswith=prefix)
            | Q(last_name__istartswith=prefix)
        )
    found = people.order_by("first_name", "last_name", "handle").values(
        "handle", "first_name", "last_name", "email"
    )[:MAX_SUGGESTIONS]
    return JsonResponse(
        [
            {
                "handle": person["handle"],
                "name": f"{person['first_name']} {person['last_name']}".strip()
                or person["email"].split("@", 1)[0],
            }
            for person in found
        ],
        safe=False,
    )


@require_GET
def mention_suggestions(request: HttpRequest, thread_id: int) -> JsonResponse:
    """Who can be @mentioned in a thread: people who may read it, by handle or name."""
    thread = _thread(thread_id)
    if not request.user.is_authenticated or not thread_access(request.user, thread).can_read:
        raise Http404
    return _suggestions(request, readers_of(thread))


@require_GET
def mention_suggestions_space(request: HttpRequest) -> JsonResponse:
    """The same for a new thread: ?reis=<slug> for a journey's forum, nothing for the plein."""
    if not request.user.is_authenticated:
        raise Http404
    slug = request.GET.get("reis", "").strip()
    if slug:
        journey, access = journey_for(request.user, slug)
        if not journey_forum_access(request.user, journey, access).can_read:
            raise Http404
        return _suggestions(request, readers_of(journey))
    # The plein: readers_of() takes a thread; an unsaved one outside any journey stands
    # for the plein, so the rule stays in one place.
    return _suggestions(request, readers_of(Thread(journey=None)))

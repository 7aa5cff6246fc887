"""The forum pages: the plein (/plein/) and each journey's forum (/reizen/<slug>/forum/),
their thread lists, the thread page with its posts, and the post actions (edit, history,
delete, reactions, attachments, following).

Views are thin: who may read comes from community.queries.forum (a thread nobody may
know of is a 404; the plein asks anonymous visitors to sign in), the rules from
community.services.forum. A refused rule is shown on the page with status 400 (429 when
someone posts too fast) and nothing is stored.

Post numbers in a thread run 1, 2, 3, ... without gaps (posts are only ever soft
deleted), so post n is on page (n - 1) // 20 + 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cached_property, wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.forum_forms import EditPostForm, ReplyForm, ThreadForm
from community.limits import limited
from community.markdown import quote
from community.markdown import render as render_markdown
from community.models import (
    Attachment,
    Card,
    ForumCategory,
    Post,
    Reaction,
    SpaceReadMark,
    Thread,
    ThreadSubscription,
)
from community.queries.forum import (
    ForumAccess,
    journey_forum_access,
    plein_access,
    posts_of,
    read_positions,
    thread_access,
    threads_in_space,
    with_reader_state,
)
from community.services import forum, notifications
from community.services.notifications import POSTS_PER_PAGE
from journeys.models import Journey
from journeys.queries import access_for, journey_for
from journeys.services import RuleViolation
from journeys.views.common import back_to

THREADS_PER_PAGE = 30
JOURNEY_LAYOUT = "community/forum/journey_layout.html"
PLEIN_LAYOUT = "community/forum/plein_layout.html"


# --- Addresses ----------------------------------------------------------------------------


def thread_url(thread: Thread, *, page: int | None = None, number: int | None = None) -> str:
    """A thread's address (needs thread.journey loaded for a journey's thread); with a
    page and a post number: that post on its page."""
    if thread.journey_id:
        url = reverse("community:journey_thread", args=[thread.journey.slug, thread.pk])
    else:
        url = reverse("community:plein_thread", args=[thread.pk])
    if page:
        url += f"?pagina={page}"
    if number:
        url += f"#bericht-{number}"
    return url


def post_page(number: int) -> int:
    return max(number - 1, 0) // POSTS_PER_PAGE + 1


def post_url(thread: Thread, number: int) -> str:
    return thread_url(thread, page=post_page(number), number=number)


def space_url(journey: Journey | None) -> str:
    if journey is not None:
        return reverse("community:journey_forum", args=[journey.slug])
    return reverse("community:plein")


def _mention_url(thread: Thread) -> str:
    try:
        return reverse("community:mention_suggestions", args=[thread.pk])
    except NoReverseMatch:  # the moderation part adds it; the address is agreed
        return f"/forum/{thread.pk}/vermelden/"


def _search_url(journey: Journey | None) -> str:
    try:
        if journey is not None:
            return reverse("community:journey_forum_search", args=[journey.slug])
        return reverse("community:plein_search")
    except NoReverseMatch:  # the moderation part adds the forum search
        return ""


def _ws_of_space(journey: Journey | None) -> str:
    return f"/ws/forum/journey/{journey.pk}/" if journey else "/ws/forum/plein/"


# --- Spaces -------------------------------------------------------------------------------


class Space:
    """Where a page is: a journey's forum or the plein, with the layout it uses."""

    def __init__(self, user, journey: Journey | None = None, access=None):
        self.user = user
        self.journey = journey
        self.access = access  # journeys.queries.Access for a journey

    @cached_property
    def forum_access(self) -> ForumAccess:
        if self.journey is not None:
            return journey_forum_access(self.user, self.journey, self.access)
        return plein_access(self.user)

    def context(self, **extra) -> dict:
        context = {
            "space_journey": self.journey,
            "base_template": JOURNEY_LAYOUT if self.journey else PLEIN_LAYOUT,
            "forum_url": space_url(self.journey),
        }
        if self.journey is not None:
            context.update(journey=self.journey, access=self.access, tab="forum")
        context.update(extra)
        return context


def _journey_space(request: HttpRequest, slug: str) -> Space:
    journey, access = journey_for(request.user, slug)  # 404 for a besloten journey
    return Space(request.user, journey, access)


def _space_of_thread(request: HttpRequest, thread: Thread) -> Space:
    if thread.journey_id:
        return Space(request.user, thread.journey, access_for(request.user, thread.journey))
    return Space(request.user)


def plein_view(view: Callable) -> Callable:
    """The plein is for signed-in users: anyone else is asked to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _refusal_status(refused: RuleViolation) -> int:
    return 429 if isinstance(refused, forum.RateLimited) else 400


def _refused(request: HttpRequest, space: Space, refused: RuleViolation, back: str):
    """A refused action that has no form of its own: the message, and a way back."""
    return render(
        request,
        "community/forum/refused.html",
        space.context(message=str(refused), back_url=back),
        status=_refusal_status(refused),
    )


# --- Thread lists -------------------------------------------------------------------------


def _space_read_mark(user, journey: Journey | None):
    if not user.is_authenticated:
        return None
    return (
        SpaceReadMark.objects.filter(user=user, journey=journey)
        .values_list("marked_at", flat=True)
        .first()
    )


def _decorate_threads(user, threads: list[Thread], journey: Journey | None) -> None:
    """What each row of a thread list shows: its link (the first unread post when there
    is one) and the 'new' and 'N unread' markers."""
    positions = read_positions(user, threads)
    marked_at = _space_read_mark(user, journey) if threads else None
    for thread in threads:
        if journey is not None:
            thread.journey = journey
        read = positions.get(thread.pk)
        thread.is_new = bool(
            user.is_authenticated
            and read is None
            and (marked_at is None or thread.created_at > marked_at)
        )
        thread.unread = max(thread.last_post_number - read, 0) if read is not None else 0
        thread.url = thread_url(thread)
        thread.link = post_url(thread, read + 1) if thread.unread else thread.url


def _thread_page(request: HttpRequest, threads) -> object:
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("pagina"))
    page.object_list = list(page.object_list)
    return page


def _list_context(request: HttpRequest, space: Space, threads) -> dict:
    page = _thread_page(request, threads)
    _decorate_threads(request.user, page.object_list, space.journey)
    return space.context(
        page=page,
        threads=page.object_list,
        forum_access=space.forum_access,
        search_url=_search_url(space.journey),
        list_ws=_ws_of_space(space.journey),
        mark_read_url=(
            reverse("community:journey_forum_mark_read", args=[space.journey.slug])
            if space.journey
            else reverse("community:plein_mark_read")
        ),
    )


def journey_forum(request: HttpRequest, slug: str) -> HttpResponse:
    space = _journey_space(request, slug)
    threads = threads_in_space(request.user, journey=space.journey)
    context = _list_context(request, space, threads)
    context["new_thread_url"] = reverse("community:journey_new_thread", args=[slug])
    return render(request, "community/forum/journey_forum.html", context)


@plein_view
def plein(request: HttpRequest) -> HttpResponse:
    space = Space(request.user)
    moderator = space.forum_access.can_moderate
    shown = None if moderator else Q(threads__is_hidden=False)
    latest = Thread.objects.order_by("-last_post_at", "-pk")
    if not moderator:
        latest = latest.filter(is_hidden=False)
    categories = list(
        ForumCategory.objects.annotate(
            thread_count=Count("threads", filter=shown),
            post_total=Sum("threads__post_count", filter=shown),
        ).prefetch_related(Prefetch("threads", queryset=latest[:3], to_attr="latest_threads"))
    )
    context = _list_context(request, space, threads_in_space(request.user))
    context.update(categories=categories, new_thread_url=reverse("community:plein_new_thread"))
    return render(request, "community/forum/plein.html", context)


@plein_view
def plein_category(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(ForumCategory, slug=slug)
    space = Space(request.user)
    context = _list_context(request, space, threads_in_space(request.user, category=category))
    context.update(
        category=category,
        new_thread_url=reverse("community:plein_new_thread") + f"?categorie={category.slug}",
    )
    return render(request, "community/forum/category.html", context)


@require_POST
def journey_mark_read(request: HttpRequest, slug: str) -> HttpResponse:
    space = _journey_space(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(space_url(space.journey))
    forum.mark_space_read(request.user, journey=space.journey)
    messages.success(request, _("All threads are marked as read."))
    return redirect(back_to(request, space_url(space.journey)))


@require_POST
@plein_view
def plein_mark_read(request: HttpRequest) -> HttpResponse:
    forum.mark_space_read(request.user, journey=None)
    messages.success(request, _("All threads are marked as read."))
    return redirect(back_to(request, space_url(None)))


# --- Starting a thread --------------------------------------------------------------------


def _new_thread(request: HttpRequest, space: Space, *, categories=None, category=None):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not space.forum_access.can_post:
        raise PermissionDenied(_("You may read this forum, but not start threads in it."))
    posted = request.method == "POST"
    form = ThreadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        categories=categories,
        initial={"category": category},
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                thread = forum.start_thread(
                    request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    journey=space.journey,
                    category=form.cleaned_data.get("category"),
                    tags=form.tag_list(),
                    attachments=form.cleaned_data["attachments"],
                )
            except RuleViolation as refused:
                form.add_error(None, str(refused))
                status = _refusal_status(refused)
            else:
                messages.success(request, _("Your thread is posted."))
                return redirect(thread_url(thread))
    return render(
        request,
        "community/forum/thread_form.html",
        space.context(
            form=form,
            forum_access=space.forum_access,
            category=category,
            no_categories=categories is not None and not categories.exists(),
        ),
        status=status,
    )


@limited("post")
def journey_new_thread(request: HttpRequest, slug: str) -> HttpResponse:
    return _new_thread(request, _journey_space(request, slug))


@limited("post")
@plein_view
def plein_new_thread(request: HttpRequest) -> HttpResponse:
    categories = ForumCategory.objects.all()
    category = None
    if slug := request.GET.get("categorie"):
        category = categories.filter(slug=slug).first()
    return _new_thread(request, Space(request.user), categories=categories, category=category)


# --- The thread page ----------------------------------------------------------------------


def _may_change(user, post: Post, access: ForumAccess) -> bool:
    """Mirrors the service: the author (while they may read) or a moderator."""
    if not user.is_authenticated or post.is_deleted:
        return False
    return access.can_moderate or (post.author_id == user.pk and access.can_read)


def _address_per_post(name: str) -> Callable[[int], str]:
    """reverse(name, args=[post_id]) for every post of a page at the cost of one reverse."""
    marker = "987654321"
    before, _marker, after = reverse(name, args=[int(marker)]).partition(marker)
    return lambda post_id: f"{before}{post_id}{after}"


def _decorate_posts(
    posts: list[Post], user, thread: Thread, access: ForumAccess, last_read: int | None
) -> None:
    """What each post shows for this user: its links, the reactions with who gave them,
    and which actions they may take. Worked out here once per page where it can be: the
    template of a post is rendered for every post."""
    kinds = [(kind, str(label)) for kind, label in Reaction.Kind.choices]
    editable = not thread.is_locked or access.can_moderate
    signed_in = user.is_authenticated
    in_thread = thread_url(thread)

    def at(number: int) -> str:
        return f"{in_thread}?pagina={post_page(number)}#bericht-{number}"

    may_react = bool(signed_in and access.can_read)  # and report what others wrote
    react = _address_per_post("community:post_react")
    report = _address_per_post("community:post_report") if may_react else None
    edit = _address_per_post("community:post_edit")
    delete = _address_per_post("community:post_delete")
    history = _address_per_post("community:post_history")
    for post in posts:
        post.url = at(post.number)
        post.quote_url = (
            f"{in_thread}?pagina={post_page(post.number)}&citeer={post.number}#reageren"
        )
        post.number_label = _("(post %(number)s)") % {"number": post.number}
        post.may_edit = editable and _may_change(user, post, access)
        post.may_delete = _may_change(user, post, access) and (
            post.number != 1 or access.can_moderate
        )
        post.edit_url = edit(post.pk) if post.may_edit else ""
        post.delete_url = delete(post.pk) if post.may_delete else ""
        post.history_url = history(post.pk) if post.edited_at else ""
        post.may_react = may_react
        post.react_url = react(post.pk)
        reportable = may_react and not post.is_deleted and post.author_id != user.pk
        post.report_url = report(post.pk) if reportable else ""
        post.is_unread = last_read is not None and post.number > last_read
        post.reply_to_url = at(post.reply_to.number) if post.reply_to_id else ""
        by_kind = defaultdict(list)
        for reaction in post.reactions.all():
            by_kind[reaction.kind].append(reaction.user)
        post.reaction_list = [
            {
                "kind": kind,
                "label": label,
                "count": len(by_kind[kind]),
                "names": ", ".join(person.display_name for person in by_kind[kind]),
                "mine": signed_in and any(p.pk == user.pk for p in by_kind[kind]),
            }
            for kind, label in kinds
        ]
        post.has_reactions = any(by_kind.values())


def _thread_context(
    request: HttpRequest,
    space: Space,
    thread: Thread,
    access: ForumAccess,
    *,
    page_number,
    form: ReplyForm | None = None,
    last_read: int | None = None,
) -> dict:
    user = request.user
    paginator = Paginator(posts_of(thread), POSTS_PER_PAGE)
    if page_number == "last":
        page_number = paginator.num_pages
    page = paginator.get_page(page_number)
    posts = list(page.object_list)
    page.object_list = posts
    _decorate_posts(posts, user, thread, access, last_read)
    if posts and user.is_authenticated:
        up_to = posts[-1].number
        # The thread came with_reader_state: nothing to write when the reader has read
        # this far already and has no unread notification about the thread.
        forum.mark_read(user, thread, up_to, read_before=getattr(thread, "last_read", None))
        if getattr(thread, "unread_notifications", True):
            notifications.mark_seen_in_thread(user, thread, up_to)
    if form is None and access.can_post:
        form = ReplyForm(initial=_quoted(request, thread))
    mention_url = _mention_url(thread)
    if form is not None:
        form.fields["body"].widget.attrs["data-mention-url"] = mention_url
    return space.context(
        thread=thread,
        forum_access=access,
        page=page,
        posts=posts,
        query="",
        form=form,
        thread_url=thread_url(thread),
        reply_action=thread_url(thread, page=page.number),
        mention_url=mention_url,
        # Moderators of the plein move a thread in place.
        forum_categories=(
            list(ForumCategory.objects.all())
            if access.can_moderate and not thread.journey_id
            else None
        ),
        fragment_url=reverse("community:post_fragment", args=[0]),
        subscription=getattr(thread, "subscription", None),
        subscription_url=reverse("community:thread_subscription", args=[thread.pk]),
        tags=list(thread.tags.all()),
        origin_card=_origin_card(thread),
    )


def _with_origin_card(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Journey threads with `origin_card_id`: the board card the thread was started from
    (None when there is none), found with the thread so most pages need no query for it."""
    cards = Card.objects.filter(thread=OuterRef("pk")).exclude(board__state="concept")
    return threads.annotate(
        origin_card_id=Subquery(cards.order_by("position", "pk").values("pk")[:1])
    )


def _origin_card(thread: Thread):
    """The board card a journey's thread was started from (the link back), if any.
    Needs the thread _with_origin_card."""
    if not thread.journey_id or thread.origin_card_id is None:
        return None
    card = Card.objects.select_related("board").filter(pk=thread.origin_card_id).first()
    if card is not None:
        card.board.journey = thread.journey
        card.url = f"{card.board.get_absolute_url()}#kaart-{card.pk}"
    return card


def _quoted(request: HttpRequest, thread: Thread) -> dict:
    """?citeer=<number>: the reply box starts with a quote of that post."""
    try:
        number = int(request.GET.get("citeer", ""))
    except ValueError:
        return {}
    post = (
        thread.posts.filter(number=number, deleted_at__isnull=True).select_related("author").first()
    )
    if post is None:
        return {}
    handle = post.author.handle if post.author else ""
    return {"body": quote(post.body, handle, post.number), "reply_to": post.number}


def _show_thread(request: HttpRequest, space: Space, thread: Thread) -> HttpResponse:
    same_journey = space.journey is not None and space.journey.pk == thread.journey_id
    access = thread_access(request.user, thread, space.access if same_journey else None)
    if not access.can_read:
        raise Http404
    if request.method == "POST":
        return _reply(request, space, thread, access)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    last_read = getattr(thread, "last_read", None)  # with_reader_state
    asked_page = request.GET.get("pagina")
    if (
        asked_page is None
        and "citeer" not in request.GET
        and last_read is not None
        and last_read < thread.last_post_number
    ):
        # Jump to the first unread post, on the page it is on.
        return redirect(post_url(thread, last_read + 1))
    context = _thread_context(
        request, space, thread, access, page_number=asked_page or 1, last_read=last_read
    )
    return render(request, "community/forum/thread.html", context)


def _reply(request: HttpRequest, space: Space, thread: Thread, access: ForumAccess):
    if not request.user.is_authenticated:
        return redirect_to_login(thread_url(thread))
    if not access.can_post and not thread.is_locked:
        raise PermissionDenied(_("You may read this thread, but not post in it."))
    form = ReplyForm(request.POST, request.FILES)
    status = 400
    if thread.is_locked and not access.can_moderate:
        form.is_valid()
        form.add_error(None, _("This thread is locked: no new posts."))
    elif form.is_valid():
        reply_to = None
        if number := form.cleaned_data.get("reply_to"):
            reply_to = thread.posts.filter(number=number).first()
        try:
            post = forum.reply(
                request.user,
                thread,
                body=form.cleaned_data["body"],
                reply_to=reply_to,
                attachments=form.cleaned_data["attachments"],
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
            status = _refusal_status(refused)
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect(post_url(thread, post.number))
    context = _thread_context(
        request, space, thread, access, page_number=request.GET.get("pagina") or "last", form=form
    )
    context["reply_error"] = True
    return render(request, "community/forum/thread.html", context, status=status)


@limited("post")  # a POST here is a reply
def journey_thread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    space = _journey_space(request, slug)
    threads = _with_origin_card(with_reader_state(Thread.objects.all(), request.user))
    thread = get_object_or_404(threads, pk=thread_id, journey=space.journey)
    thread.journey = space.journey
    return _show_thread(request, space, thread)


@limited("post")  # a POST here is a reply
@plein_view
def plein_thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = get_object_or_404(
        with_reader_state(Thread.objects.select_related("category"), request.user),
        pk=thread_id,
        category__isnull=False,
    )
    return _show_thread(request, Space(request.user), thread)


# --- One post -----------------------------------------------------------------------------


def post_view(view: Callable) -> Callable:
    """Find the post and its thread; 404 when the user may not read the thread (a plein
    thread asks anonymous visitors to sign in). Passes post, thread, access and space."""

    @wraps(view)
    def wrapper(request: HttpRequest, post_id: int, *args, **kwargs) -> HttpResponse:
        post = get_object_or_404(
            Post.objects.select_related("thread__journey", "thread__category", "author"),
            pk=post_id,
        )
        thread = post.thread
        if not thread.journey_id and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = thread_access(request.user, thread)
        if not access.can_read:
            raise Http404
        return view(request, post, thread, access, *args, **kwargs)

    return wrapper


@post_view
def post_fragment(request: HttpRequest, post, thread, access) -> HttpResponse:
    """One post as the thread page shows it: the live updates fetch new posts here."""
    post = posts_of(thread).get(pk=post.pk)
    _decorate_posts([post], request.user, thread, access, None)
    return render(
        request,
        "community/forum/includes/post.html",
        {"post": post, "thread": thread, "forum_access": access},
    )


def _signed_in_to_change(request: HttpRequest, post: Post, access: ForumAccess):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if post.is_deleted:
        raise Http404
    if not _may_change(request.user, post, access):
        raise PermissionDenied(_("Only the author or a moderator changes a post."))
    return None


@limited("post")
@post_view
def post_edit(request: HttpRequest, post, thread, access) -> HttpResponse:
    if refused := _signed_in_to_change(request, post, access):
        return refused
    space = _space_of_thread(request, thread)
    posted = request.method == "POST"
    form = EditPostForm(request.POST if posted else None, initial={"body": post.body})
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                forum.edit_post(request.user, post, body=form.cleaned_data["body"])
            except RuleViolation as refused:
                form.add_error(None, str(refused))
                status = _refusal_status(refused)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(post_url(thread, post.number))
    return render(
        request,
        "community/forum/post_edit.html",
        space.context(post=post, thread=thread, form=form, post_link=post_url(thread, post.number)),
        status=status,
    )


@post_view
def post_history(request: HttpRequest, post, thread, access) -> HttpResponse:
    """Every earlier text of a post, newest first, with who wrote it and when."""
    space = _space_of_thread(request, thread)
    hide_text = post.is_deleted and not access.can_moderate
    revisions = list(post.revisions.select_related("edited_by"))
    # A revision keeps the text an edit replaced; that text came from the edit before it
    # (or from the author, for the first version).
    versions = []
    texts = [(post.body, post.body_html)] + [(r.body, None) for r in revisions]
    for index, (body, html) in enumerate(texts):
        if index < len(revisions):
            made_by, made_at, edited = revisions[index].edited_by, revisions[index].created_at, True
        else:
            made_by, made_at, edited = post.author, post.created_at, False
        versions.append(
            {
                "number": len(texts) - index,
                "current": index == 0,
                "html": "" if hide_text else (html if html is not None else render_markdown(body)),
                "by": made_by,
                "at": made_at,
                "edited": edited,
            }
        )
    return render(
        request,
        "community/forum/post_history.html",
        space.context(
            post=post,
            thread=thread,
            versions=versions,
            hide_text=hide_text,
            post_link=post_url(thread, post.number),
        ),
    )


@post_view
def post_delete(request: HttpRequest, post, thread, access) -> HttpResponse:
    if refused := _signed_in_to_change(request, post, access):
        return refused
    space = _space_of_thread(request, thread)
    error, status = "", 200
    if request.method == "POST":
        try:
            forum.delete_post(request.user, post)
        except RuleViolation as refused:
            error, status = str(refused), _refusal_status(refused)
        else:
            messages.success(request, _("The post is deleted."))
            return redirect(post_url(thread, post.number))
    return render(
        request,
        "community/forum/post_delete.html",
        space.context(
            post=post, thread=thread, error=error, post_link=post_url(thread, post.number)
        ),
        status=status,
    )


@require_POST
@post_view
def post_react(request: HttpRequest, post, thread, access) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(post_url(thread, post.number))
    try:
        forum.toggle_reaction(request.user, post, request.POST.get("kind", ""))
    except RuleViolation as refused:
        space = _space_of_thread(request, thread)
        return _refused(request, space, refused, post_url(thread, post.number))
    return redirect(post_url(thread, post.number))


def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """An attachment, only for who may read its thread; always as a download."""
    item = get_object_or_404(
        Attachment.objects.select_related("post__thread__journey"), pk=attachment_id
    )
    access = thread_access(request.user, item.post.thread)
    if not access.can_read or (item.post.is_deleted and not access.can_moderate):
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Following ----------------------------------------------------------------------------

SUBSCRIPTION_LEVELS = {
    "following": ThreadSubscription.Level.FOLLOWING,
    "muted": ThreadSubscription.Level.MUTED,
    "normal": None,
}


@require_POST
def thread_subscription(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("journey"), pk=thread_id)
    readable = thread_access(request.user, thread).can_read
    if not request.user.is_authenticated and (readable or not thread.journey_id):
        return redirect_to_login(thread_url(thread))
    if not readable:
        raise Http404
    space = _space_of_thread(request, thread)
    choice = request.POST.get("level", "")
    try:
        if choice not in SUBSCRIPTION_LEVELS:
            raise RuleViolation(_("Choose follow or mute."))
        forum.set_subscription(request.user, thread, SUBSCRIPTION_LEVELS[choice])
    except RuleViolation as refused:
        return _refused(request, space, refused, thread_url(thread))
    messages.success(
        request,
        {
            "following": _("You follow this thread: you hear of every new post."),
            "muted": _("You muted this thread: you hear nothing of it."),
            "normal": _("You hear of this thread when someone mentions you or replies to you."),
        }[choice],
    )
    return redirect(back_to(request, thread_url(thread)))

"""The leervragen pages: the list and the kanban board (network-wide at /leervragen/ and
per journey at /reizen/<slug>/leervragen/), "mijn leervragen", the gap map, raising a
question, the question page with its timeline and discussion, and the forms and actions
on it.

Views are thin: what a user may see comes from learning.leervragen.queries (a besloten
journey's question is a 404 to outsiders; a network-wide one asks visitors to sign in),
the rules from learning.leervragen.services. A refused rule is shown with status 400
(403 for a missing right) and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from community.limits import limited
from community.models import Card, Organisation, Post, Thread, User
from community.queries.boards import board_access, card_is_shown
from community.queries.events import visible_events
from community.queries.forum import PLEIN_MODERATORS, readable_threads, thread_access
from community.services.forum import RateLimited
from journeys.models import Journey
from journeys.queries import Access, access_for, journey_for
from journeys.queries import visible_to as journeys_visible_to
from journeys.services import RuleViolation
from journeys.views.common import back_to
from learning.editorial import ONDERZOEKERS
from learning.leervragen import board as kanban
from learning.leervragen import forms, services
from learning.leervragen.gaps import NO_ELEMENT, gap_map
from learning.leervragen.queries import (
    ANSWERED_STATES,
    CONTRIBUTING_ROLES,
    QuestionAccess,
    ScopeAccess,
    journey_questions,
    journey_roles,
    people_who_may_help,
    people_who_may_own,
    question_access,
    question_for,
    scope_access,
    visible_questions,
)
from learning.models import LearningQuestion, LearningQuestionVote, WorkingElementPage

Status = LearningQuestion.Status
NETWORK_LAYOUT = "learning/leervragen/network_layout.html"
JOURNEY_LAYOUT = "learning/leervragen/journey_layout.html"
QUESTIONS_PER_PAGE = 25
DUE_SOON_DAYS = 14
RECENT_POSTS = 10
OPEN_RESEARCH = (Status.GEPRIORITEERD, Status.IN_ONDERZOEK)

ORDERINGS = {
    "stemmen": [F("vote_count").desc(), F("created_at").desc(), F("pk").desc()],
    "volgorde": kanban.CARD_ORDER,
    "nieuwste": [F("created_at").desc(), F("pk").desc()],
    "streefdatum": [F("due_date").asc(nulls_last=True), F("created_at").asc(), F("pk").asc()],
}


# --- What the user is, asked once per page -------------------------------------------------


class Viewer:
    """The user with their journey roles and groups, each read once per request.
    `roles`: what the caller already read, for a page that only shows one journey's
    questions (its role from journey_for)."""

    def __init__(self, user, *, preload: bool = False, roles: dict[int, str | None] | None = None):
        self.user = user
        self.signed_in = bool(user.is_authenticated)
        self._roles: dict[int, str | None] | None = roles
        self._groups: set[str] | None = None
        if preload:
            # Lists ask both for some rows and not for others: read them at once, so a
            # page takes the same number of queries whatever its rows are.
            self._roles, self._groups = self.roles, self.groups

    @property
    def roles(self) -> dict[int, str | None]:
        if self._roles is None:
            self._roles = journey_roles(self.user)
        return self._roles

    @property
    def groups(self) -> set[str]:
        if self._groups is None:
            self._groups = (
                set(self.user.groups.values_list("name", flat=True)) if self.signed_in else set()
            )
        return self._groups

    @property
    def is_researcher(self) -> bool:
        return ONDERZOEKERS in self.groups

    @property
    def moderates_plein(self) -> bool:
        return self.signed_in and (self.user.is_staff or PLEIN_MODERATORS in self.groups)

    def scope(self, journey: Journey | None) -> ScopeAccess:
        role = self.roles.get(journey.pk) if journey is not None else None
        access = Access(role=role, is_staff=bool(self.signed_in and self.user.is_staff))
        return scope_access(
            self.user,
            journey,
            access,
            researcher=self.is_researcher,
            plein_moderator=self.moderates_plein,
        )

    def access_to(self, question: LearningQuestion) -> QuestionAccess:
        owner_ids = {owner.pk for owner in question.owners.all()}  # prefetched
        return question_access(
            self.user, question, self.scope(question.journey), owner_ids=owner_ids
        )


# --- Layouts and refusals -------------------------------------------------------------------


def _layout(journey: Journey | None = None, access: Access | None = None, **extra) -> dict:
    context = {"base_template": JOURNEY_LAYOUT if journey else NETWORK_LAYOUT}
    if journey is not None:
        context.update(journey=journey, access=access, tab="leervragen")
    context.update(extra)
    return context


def _refused(request, message: str, back: str, *, status: int, journey=None, access=None):
    return render(
        request,
        "learning/leervragen/refused.html",
        _layout(journey, access, message=message, back_url=back),
        status=status,
    )


def _refusal(request, refused: Exception, back: str, **layout) -> HttpResponse:
    if isinstance(refused, PermissionDenied):
        message = str(refused) or _("You may not do this.")
        return _refused(request, message, back, status=403, **layout)
    status = 429 if isinstance(refused, RateLimited) else 400
    return _refused(request, str(refused), back, status=status, **layout)


def _question_or_login(request: HttpRequest, pk: int):
    """The question and the user's access; 404 when they may not see it, or a sign-in
    redirect for a network-wide question (or an openbaar journey's) and a visitor."""
    question, access = question_for(request.user, pk)
    if not request.user.is_authenticated and not access.can_see:
        return None, None, redirect_to_login(request.get_full_path())
    return question, access, None


def question_action(view: Callable) -> Callable:
    """A POST on one question: sign-in required (404 first when the question is not the
    user's to see), refusals shown with their message, then back to where it came from."""

    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        question, access, login = _question_or_login(request, pk)
        if login is not None:
            return login
        if not request.user.is_authenticated:
            return redirect_to_login(question.get_absolute_url())
        back = back_to(request, question.get_absolute_url())
        try:
            return view(request, question, access, back, *args, **kwargs)
        except (RuleViolation, PermissionDenied) as refused:
            return _refusal(request, refused, back)

    return wrapper


def question_form_view(view: Callable) -> Callable:
    """A form page of one question (GET shows it, POST saves): sign-in required."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponse(status=405)
        question, access, login = _question_or_login(request, pk)
        if login is not None:
            return login
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, question, access, *args, **kwargs)
        except PermissionDenied as refused:
            return _refusal(request, refused, question.get_absolute_url())

    return wrapper


# --- Lists: filters and rows ----------------------------------------------------------------


def _decorate(questions: QuerySet[LearningQuestion], user) -> QuerySet[LearningQuestion]:
    """What a row or card shows, in a fixed number of queries."""
    questions = questions.select_related("journey").prefetch_related(
        "themes", Prefetch("owners", queryset=User.objects.order_by("first_name", "last_name"))
    )
    if user.is_authenticated:
        questions = questions.annotate(
            voted=Exists(LearningQuestionVote.objects.filter(question=OuterRef("pk"), user=user))
        )
    return questions


def _visible(user, journey: Journey | None, access: Access | None) -> QuerySet[LearningQuestion]:
    """The questions a list or board starts from: the journey's, or every visible one."""
    if journey is not None:
        return journey_questions(user, journey, access)
    return visible_questions(user)


def _filter_choices(user, journey: Journey | None, access: Access | None = None):
    visible = _visible(user, journey, access)
    journeys = None
    if journey is None:
        journeys = list(
            journeys_visible_to(user)
            .filter(pk__in=visible.values("journey"))
            .order_by("title")
            .values_list("slug", "title")
        )
    from taggit.models import Tag

    themes = list(
        Tag.objects.filter(
            taggit_taggeditem_items__content_type__app_label="learning",
            taggit_taggeditem_items__content_type__model="learningquestion",
            taggit_taggeditem_items__object_id__in=visible.values("pk"),
        )
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    owners = [
        (str(pk), kanban.display_name(first, last, email))
        for pk, first, last, email in User.objects.filter(
            owned_learning_questions__in=visible.values("pk")
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
        .values_list("pk", "first_name", "last_name", "email")
    ]
    return journeys, themes, owners


def _filtered(request: HttpRequest, journey: Journey | None, access: Access | None = None):
    """The filter form and the visible questions it selects (without decoration)."""
    user = request.user
    journeys, themes, owners = _filter_choices(user, journey, access)
    form = forms.FilterForm(
        request.GET or None,
        journeys=journeys,
        themes=themes,
        owners=owners,
        signed_in=user.is_authenticated,
    )
    questions = _visible(user, journey, access)
    if request.GET and not form.is_valid():
        return form, questions.none(), False
    data = form.cleaned_data if request.GET else {}
    if data.get("status"):
        questions = questions.filter(status=data["status"])
    if data.get("reis") == "netwerkbreed":
        questions = questions.filter(journey__isnull=True)
    elif data.get("reis"):
        questions = questions.filter(journey__slug=data["reis"])
    if data.get("thema"):
        questions = questions.filter(themes__slug=data["thema"])
    if data.get("eigenaar"):
        questions = questions.filter(owners=data["eigenaar"])
    if data.get("element"):
        element = data["element"]
        if element == NO_ELEMENT:
            questions = questions.filter(working_elements__isnull=True)
        else:
            questions = questions.filter(working_elements=element)
    if data.get("mijn") and user.is_authenticated:
        mine = LearningQuestion.objects.filter(
            Q(raised_by=user) | Q(owners=user) | Q(helpers=user) | Q(follower_links__user=user)
        )
        questions = questions.filter(pk__in=mine.values("pk"))
    return form, questions, True


def _query_without_page(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "pagina"])


def _row(viewer: Viewer, question: LearningQuestion, today) -> dict:
    access = viewer.access_to(question)
    overdue = bool(
        question.due_date and question.due_date < today and question.status in OPEN_RESEARCH
    )
    return {
        "question": question,
        "url": question.get_absolute_url(),
        "can_vote": access.can_vote and question.status in services.VOTABLE,
        "voted": getattr(question, "voted", False),
        "can_order": access.can_facilitate,
        "moves": [
            (status, services.label(status)) for status in services.moves_for(access, question)
        ],
        "overdue": overdue,
        "due_soon": bool(
            question.due_date
            and not overdue
            and question.status in OPEN_RESEARCH
            and question.due_date <= today + timedelta(days=DUE_SOON_DAYS)
        ),
    }


def _list_page(request: HttpRequest, journey: Journey | None = None, access=None):
    viewer = Viewer(request.user, preload=True)
    form, questions, valid = _filtered(request, journey, access)
    sort = (form.cleaned_data.get("sortering") if valid and request.GET else "") or (
        "volgorde" if journey is not None else "stemmen"
    )
    ordered = _decorate(questions, request.user).order_by(*ORDERINGS[sort])
    page = Paginator(ordered, QUESTIONS_PER_PAGE).get_page(request.GET.get("pagina"))
    today = timezone.localdate()
    rows = [_row(viewer, question, today) for question in page.object_list]
    scope = viewer.scope(journey) if journey is not None else None
    context = _layout(
        journey,
        access,
        form=form,
        page=page,
        rows=rows,
        sort=sort,
        query=_query_without_page(request),
        scope=scope,
        view="lijst",
        raise_url=_raise_url(journey),
        can_raise=(scope.can_raise if scope else viewer.signed_in),
        list_url=request.path,
        board_url=_board_url(journey),
    )
    return render(request, "learning/leervragen/index.html", context, status=200 if valid else 400)


def _url_of_each(name: str) -> Callable[[int], str]:
    """The address of route `name` for any question pk, reversed once for a whole page."""
    marker = 987654321
    head, tail = reverse(name, kwargs={"pk": marker}).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def _prepare_cards(viewer: Viewer, journey: Journey | None, columns) -> None:
    """What each card shows, worked out once (board.render_cards only prints it): its
    address, votes, whether it is overdue, and the states this user may move it to. The
    moves come from services.moves_for, asked once per kind of card (state, where it was
    parked from, the user's rights on it) rather than once per card; the rights from the
    same scope_access as every other page, per journey."""
    today = timezone.localdate()
    question_url = _url_of_each("learning:question")
    move_url = _url_of_each("learning:question_move")
    user_pk = viewer.user.pk if viewer.signed_in else None
    scopes: dict[int | None, ScopeAccess] = {}
    moves: dict[tuple, list[tuple[str, str]]] = {}
    votes: dict[int, str] = {}
    for column in columns:
        for card in column.cards:
            scope = scopes.get(card.journey_id)
            if scope is None:
                if card.journey_id is None:
                    where = None
                elif journey is not None and card.journey_id == journey.pk:
                    where = journey
                else:
                    where = Journey(pk=card.journey_id, visibility=card.journey_visibility)
                scope = scopes[card.journey_id] = viewer.scope(where)
            is_owner = user_pk in card.owner_ids
            key = (card.status, card.parked_from, scope, is_owner, card.raised_by_id == user_pk)
            if key not in moves:
                access = QuestionAccess(scope=scope, is_owner=is_owner, is_raiser=key[-1])
                question = LearningQuestion(status=card.status, parked_from=card.parked_from)
                moves[key] = [
                    (status, services.label(status))
                    for status in services.moves_for(access, question)
                ]
            card.moves = moves[key]
            if card.moves:
                card.move_url = move_url(card.pk)
            card.url = question_url(card.pk)
            if card.vote_count not in votes:
                votes[card.vote_count] = ngettext(
                    "%(counter)s vote", "%(counter)s votes", card.vote_count
                ) % {"counter": card.vote_count}
            card.votes = votes[card.vote_count]
            card.overdue = bool(
                card.due_date and card.due_date < today and card.status in OPEN_RESEARCH
            )


def _board_page(request: HttpRequest, journey: Journey | None = None, access=None):
    # A journey's board shows only that journey's questions: its role is all it needs.
    known = {journey.pk: access.role} if journey is not None else None
    viewer = Viewer(request.user, preload=True, roles=known)
    form, questions, valid = _filtered(request, journey, access)
    columns = kanban.columns(questions)
    _prepare_cards(viewer, journey, columns)
    next_path = request.get_full_path()
    with_forms = any(card.moves for column in columns for card in column.cards)
    csrf_token = get_token(request) if with_forms else ""
    kanban.render_cards(columns, csrf_token=csrf_token, next_path=next_path)
    scope = viewer.scope(journey) if journey is not None else None
    context = _layout(
        journey,
        access,
        form=form,
        columns=columns,
        query=_query_without_page(request),
        column_query=urlencode(
            [(k, v) for k, v in request.GET.items() if k not in ("pagina", "status", "sortering")]
        ),
        scope=scope,
        view="bord",
        raise_url=_raise_url(journey),
        can_raise=(scope.can_raise if scope else viewer.signed_in),
        list_url=_list_url(journey),
        board_url=request.path,
        per_column=kanban.CARDS_PER_COLUMN,
    )
    return render(request, "learning/leervragen/board.html", context, status=200 if valid else 400)


def _list_url(journey: Journey | None) -> str:
    if journey is not None:
        return reverse("learning:journey_questions", args=[journey.slug])
    return reverse("learning:question_index")


def _board_url(journey: Journey | None) -> str:
    if journey is not None:
        return reverse("learning:journey_question_board", args=[journey.slug])
    return reverse("learning:question_board")


def _raise_url(journey: Journey | None) -> str:
    url = reverse("learning:question_create")
    return f"{url}?reis={journey.slug}" if journey is not None else url


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    return _board_page(request)


@require_safe
def journey_index(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)
    return _list_page(request, journey, access)


@require_safe
def journey_board(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)
    return _board_page(request, journey, access)


@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """For researchers above all: what they own (the nearest due date first), what they
    help with, what they raised and what they follow."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    viewer = Viewer(user, preload=True)
    today = timezone.localdate()
    base = _decorate(visible_questions(user), user)
    owned = base.filter(owners=user).order_by(
        F("answered_at").asc(nulls_first=True), *ORDERINGS["streefdatum"]
    )
    sections = []
    for key, title, questions in (
        ("eigenaar", _("You own"), owned),
        ("helper", _("You help"), base.filter(helpers=user).order_by(*ORDERINGS["streefdatum"])),
        (
            "ingediend",
            _("You raised"),
            base.filter(raised_by=user).order_by(*ORDERINGS["nieuwste"]),
        ),
        (
            "volgend",
            _("You follow"),
            base.filter(follower_links__user=user)
            .exclude(raised_by=user)
            .exclude(owners=user)
            .order_by(*ORDERINGS["nieuwste"]),
        ),
    ):
        listed = list(questions[:50])
        sections.append(
            {"key": key, "title": title, "rows": [_row(viewer, q, today) for q in listed]}
        )
    owned_rows = sections[0]["rows"]
    context = _layout(
        sections=sections,
        due_soon=sum(row["due_soon"] for row in owned_rows),
        overdue=sum(row["overdue"] for row in owned_rows),
        is_researcher=viewer.is_researcher,
        view="mijn",
        raise_url=_raise_url(None),
        can_raise=True,
    )
    return render(request, "learning/leervragen/mine.html", context)


@require_safe
def gaps(request: HttpRequest) -> HttpResponse:
    gemeenten = list(
        Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE, journeys__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    chosen = request.GET.get("gemeente", "")
    gemeente_id = None
    status = 200
    problem = ""
    if chosen:
        if chosen.isdigit() and int(chosen) in {pk for pk, _name in gemeenten}:
            gemeente_id = int(chosen)
        else:
            status = 400
            problem = _("We don't know the filter value “%(value)s”. Choose one from the list.") % {
                "value": chosen
            }
    grid = gap_map(request.user, gemeente_id=gemeente_id)
    list_url = reverse("learning:question_index")
    for row in grid.rows:
        for cell in row.cells:
            cell.url = f"{list_url}?{urlencode({'thema': row.slug, 'element': cell.element_id})}"
    context = _layout(
        grid=grid,
        gemeenten=gemeenten,
        chosen=gemeente_id,
        problem=problem,
        no_element=NO_ELEMENT,
        view="witte-vlekken",
        raise_url=_raise_url(None),
        can_raise=request.user.is_authenticated,
    )
    return render(request, "learning/leervragen/gaps.html", context, status=status)


# --- Raising a question ---------------------------------------------------------------------


def _source(request: HttpRequest):
    """Where the question comes from (?bijeenkomst=, ?onderwerp=, ?kaart=, ?vervolg=), as
    the user may see it; 404 for something they may not see or that does not exist."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET

    def number(name: str) -> int | None:
        value = params.get(name, "")
        if not value:
            return None
        if not value.isdigit():
            raise Http404
        return int(value)

    found = {"event": None, "thread": None, "card": None, "follows_up": None}
    if (pk := number("bijeenkomst")) is not None:
        found["event"] = get_object_or_404(visible_events(user).select_related("journey"), pk=pk)
    if (pk := number("onderwerp")) is not None:
        thread = get_object_or_404(Thread.objects.select_related("journey"), pk=pk)
        if not thread_access(user, thread).can_read:
            raise Http404
        found["thread"] = thread
    if (pk := number("kaart")) is not None:
        card = get_object_or_404(Card.objects.select_related("board__journey"), pk=pk)
        if not card_is_shown(card, board_access(user, card.board)):
            raise Http404
        found["card"] = card
    if (pk := number("vervolg")) is not None:
        found["follows_up"] = get_object_or_404(
            visible_questions(user).select_related("journey"), pk=pk
        )
    return found


def _fixed_journey(found: dict) -> Journey | None:
    for key in ("event", "thread"):
        if found[key] is not None and found[key].journey_id:
            return found[key].journey
    if found["card"] is not None:
        return found["card"].board.journey
    return None


@limited("post")
def create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405)
    found = _source(request)
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    fixed = _fixed_journey(found)
    params = request.POST if request.method == "POST" else request.GET
    chosen_slug = params.get("reis", "") if fixed is None else fixed.slug
    if request.method == "GET" and chosen_slug:
        # 404 for a journey the user may not see; a clear 403 where they may only read.
        chosen, journey_access = journey_for(user, chosen_slug)
        if not scope_access(user, chosen, journey_access).can_raise:
            return _refused(
                request,
                _("You may read the learning questions here, but not raise one."),
                reverse("learning:journey_questions", args=[chosen.slug]),
                status=403,
            )
    own = list(
        Journey.objects.filter(
            memberships__user=user, memberships__role__in=CONTRIBUTING_ROLES
        ).order_by("title")
    )
    by_slug = {journey.slug: journey for journey in own}
    initial = {"journey": chosen_slug}
    if found["follows_up"] is not None and not chosen_slug:
        parent = found["follows_up"]
        initial["journey"] = parent.journey.slug if parent.journey_id else ""
        initial["themes"] = ", ".join(parent.themes.names())
    form = forms.RaiseForm(
        request.POST if request.method == "POST" else None,
        journeys=[(journey.slug, journey.title) for journey in own],
        fixed_journey=fixed,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            slug = form.cleaned_data["journey"]
            journey = fixed or by_slug.get(slug)
            try:
                question = services.raise_question(
                    user,
                    question=form.cleaned_data["question"],
                    context=form.cleaned_data["context"],
                    journey=journey,
                    themes=forms.theme_list(form.cleaned_data["themes"]),
                    **found,
                )
            except (RuleViolation, PermissionDenied) as refused:
                form.add_error(None, str(refused))
                status = 403 if isinstance(refused, PermissionDenied) else 400
            else:
                messages.success(request, _("Your learning question has been raised."))
                return redirect(question.get_absolute_url())
    context = _layout(
        form=form,
        found=found,
        fixed_journey=fixed,
        source_fields=[
            (name, request.GET.get(name) or request.POST.get(name))
            for name in ("bijeenkomst", "onderwerp", "kaart", "vervolg")
            if request.GET.get(name) or request.POST.get(name)
        ],
        view="nieuw",
    )
    return render(request, "learning/leervragen/raise.html", context, status=status)


# --- The question page ----------------------------------------------------------------------


def _sources_shown(user, question: LearningQuestion) -> dict:
    """Where the question came from, as far as this user may see it."""
    shown = {"event": None, "thread": None, "card": None, "follows_up": None}
    if question.raised_at_event_id:
        shown["event"] = (
            visible_events(user)
            .filter(pk=question.raised_at_event_id)
            .select_related("journey")
            .first()
        )
    if question.raised_in_thread_id:
        shown["thread"] = (
            readable_threads(user)
            .filter(pk=question.raised_in_thread_id)
            .select_related("journey")
            .first()
        )
    if question.raised_from_card_id:
        card = Card.objects.select_related("board__journey").get(pk=question.raised_from_card_id)
        if card_is_shown(card, board_access(user, card.board)):
            shown["card"] = card
    if question.follows_up_id:
        shown["follows_up"] = (
            visible_questions(user)
            .filter(pk=question.follows_up_id)
            .select_related("journey")
            .first()
        )
    return shown


def _thread_url(thread: Thread) -> str:
    if thread.journey_id:
        return reverse("community:journey_thread", args=[thread.journey.slug, thread.pk])
    return reverse("community:plein_thread", args=[thread.pk])


def _discussion(user, question: LearningQuestion) -> dict | None:
    thread = question.discussion_thread
    if thread is None or not thread_access(user, thread).can_read:
        return None
    posts = list(
        Post.objects.filter(thread=thread, deleted_at__isnull=True)
        .select_related("author")
        .order_by("-number")[:RECENT_POSTS]
    )
    posts.reverse()
    return {
        "thread": thread,
        "url": _thread_url(thread),
        "posts": posts,
        "more": max(thread.post_count - len(posts), 0),
    }


def _detail(
    request: HttpRequest,
    question: LearningQuestion,
    access: QuestionAccess,
    *,
    comment_form: forms.CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    from journeys.stories.queries import visible_stories

    user = request.user
    owners = list(question.owners.order_by("first_name", "last_name"))
    helpers = list(question.helpers.order_by("first_name", "last_name"))
    signed_in = user.is_authenticated
    following = signed_in and question.follower_links.filter(user=user).exists()
    voted = signed_in and question.votes.filter(user=user).exists()
    moves = services.moves_for(access, question)
    follow_ups = list(
        visible_questions(user)
        .filter(follows_up=question)
        .select_related("journey")
        .order_by("created_at")
    )
    discussion = _discussion(user, question)
    can_comment = False
    if signed_in:
        if question.discussion_thread_id:
            can_comment = (
                discussion is not None and thread_access(user, question.discussion_thread).can_post
            )
        elif question.journey_id:
            can_comment = access.scope.journey_role in CONTRIBUTING_ROLES
        else:
            can_comment = True
    context = _layout(
        question.journey,
        Access(role=access.scope.journey_role, is_staff=bool(signed_in and user.is_staff))
        if question.journey_id
        else None,
        question=question,
        qaccess=access,
        themes=list(question.themes.all()),
        owners=owners,
        helpers=helpers,
        following=following,
        voted=voted,
        can_vote=access.can_vote and question.status in services.VOTABLE,
        move_form=forms.MoveForm(moves=moves) if moves else None,
        timeline=list(question.moves.select_related("actor")),
        follow_ups=follow_ups,
        sources=_sources_shown(user, question),
        working_elements=list(question.working_elements.live().public().order_by("title")),
        stories=list(question.stories.filter(pk__in=visible_stories(user).values("pk"))),
        discussion=discussion,
        comment_form=comment_form or (forms.CommentForm() if can_comment else None),
        can_comment=can_comment,
        can_take=access.can_take_ownership and question.status in services.PLANNABLE,
        can_leave=access.is_owner and question.status in services.PLANNABLE,
        can_answer=access.is_owner and question.status in (Status.IN_ONDERZOEK, Status.BEANTWOORD),
        can_interpret=access.can_facilitate
        and question.status in (Status.BEANTWOORD, Status.GEDUID),
        can_plan=access.can_plan and question.status in services.PLANNABLE,
        is_overdue=bool(
            question.due_date
            and question.due_date < timezone.localdate()
            and question.status in OPEN_RESEARCH
        ),
        answered=question.status in ANSWERED_STATES or question.parked_from in ANSWERED_STATES,
        confidence_label=(
            LearningQuestion.Confidence(question.answer_confidence).label
            if question.answer_confidence
            else ""
        ),
        list_url=_list_url(question.journey),
        view="vraag",
    )
    return render(request, "learning/leervragen/question.html", context, status=status)


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    question, access, login = _question_or_login(request, pk)
    if login is not None:
        return login
    return _detail(request, question, access)


# --- Actions on a question ------------------------------------------------------------------


@question_action
def move(request, question, access, back) -> HttpResponse:
    form = forms.MoveForm(request.POST, moves=Status.values)
    if not form.is_valid():
        raise RuleViolation(_("Choose a state to move the learning question to."))
    moved = services.move(
        request.user, question, form.cleaned_data["naar"], note=form.cleaned_data["toelichting"]
    )
    messages.success(
        request,
        _("“%(question)s” is now %(state)s.")
        % {"question": moved.question, "state": services.label(moved.status)},
    )
    return redirect(back)


@question_action
def vote(request, question, access, back) -> HttpResponse:
    if request.POST.get("actie") == "intrekken":
        services.withdraw_vote(request.user, question)
        messages.success(request, _("Your vote has been withdrawn."))
    else:
        services.vote(request.user, question)
        messages.success(request, _("Your vote has been counted."))
    return redirect(back)


@question_action
def follow(request, question, access, back) -> HttpResponse:
    if request.POST.get("actie") == "ontvolgen":
        services.unfollow(request.user, question)
        messages.success(request, _("You no longer follow this learning question."))
    else:
        services.follow(request.user, question)
        messages.success(
            request, _("You follow this learning question: you hear of every move and answer.")
        )
    return redirect(back)


@question_action
def ownership(request, question, access, back) -> HttpResponse:
    if request.POST.get("actie") == "loslaten":
        services.give_up_ownership(request.user, question)
        messages.success(request, _("You are no longer an owner of this learning question."))
    else:
        services.take_ownership(request.user, question)
        messages.success(request, _("You are now an owner of this learning question."))
    return redirect(back)


@question_action
def position(request, question, access, back) -> HttpResponse:
    form = forms.PositionForm(request.POST)
    if not form.is_valid():
        raise RuleViolation(_("A place in the order is a whole number from 1."))
    placed = services.set_position(request.user, question, form.cleaned_data["plaats"])
    messages.success(
        request,
        _("“%(question)s” is now number %(place)s in the order.")
        % {"question": placed.question, "place": placed.position},
    )
    return redirect(back)


@limited("post")
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    question, access, login = _question_or_login(request, pk)
    if login is not None:
        return login
    if not request.user.is_authenticated:
        return redirect_to_login(question.get_absolute_url())
    form = forms.CommentForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            post = services.comment(request.user, question, form.cleaned_data["body"])
        except PermissionDenied as refused:
            return _refusal(request, refused, question.get_absolute_url())
        except RuleViolation as refused:
            form.add_error("body", str(refused))
            status = 429 if isinstance(refused, RateLimited) else 400
        else:
            messages.success(request, _("Your comment is posted in the discussion."))
            return redirect(f"{question.get_absolute_url()}#bericht-{post.number}")
    question.refresh_from_db()
    return _detail(request, question, access, comment_form=form, status=status)


# --- Form pages -----------------------------------------------------------------------------


def _form_page(request, question, form, *, title: str, intro: str = "", submit: str, status=200):
    journey_access = access_for(request.user, question.journey) if question.journey_id else None
    return render(
        request,
        "learning/leervragen/form.html",
        _layout(
            question.journey,
            journey_access,
            question=question,
            form=form,
            title=title,
            intro=intro,
            submit=submit,
            view="formulier",
        ),
        status=status,
    )


def _save(request, form, save: Callable[[], object], success: str, question) -> HttpResponse | None:
    """Run a service with a valid form: the redirect on success, None (and the message on
    the form) when a rule refuses."""
    try:
        save()
    except RuleViolation as refused:
        form.add_error(None, str(refused))
        return None
    messages.success(request, success)
    return redirect(question.get_absolute_url())


@question_form_view
def edit(request, question, access) -> HttpResponse:
    if not access.can_edit:
        raise PermissionDenied(
            _("Only who raised the question and the reisbegeleider change its words.")
        )
    form = forms.EditForm(
        request.POST if request.method == "POST" else None,
        initial={
            "question": question.question,
            "context": question.context,
            "themes": ", ".join(question.themes.names()),
        },
    )
    if request.method == "POST" and form.is_valid():
        done = _save(
            request,
            form,
            lambda: services.edit_question(
                request.user,
                question,
                text=form.cleaned_data["question"],
                context=form.cleaned_data["context"],
                themes=forms.theme_list(form.cleaned_data["themes"]),
            ),
            _("The learning question has been saved."),
            question,
        )
        if done:
            return done
    return _form_page(
        request,
        question,
        form,
        title=_("Change the learning question"),
        submit=_("Save"),
        status=400 if request.method == "POST" else 200,
    )


def _people_choices(users) -> list[tuple[str, str]]:
    return [(str(user.pk), user.display_name) for user in users]


@question_form_view
def plan(request, question, access) -> HttpResponse:
    if not access.can_plan:
        raise PermissionDenied(
            _("Only the reisbegeleider and the owners plan the research of this question.")
        )
    owner_people = list(people_who_may_own(question)) if access.can_facilitate else None
    helper_people = list(people_who_may_help(question)[:500])
    form = forms.PlanForm(
        request.POST if request.method == "POST" else None,
        owner_choices=_people_choices(owner_people) if owner_people is not None else None,
        helper_choices=_people_choices(helper_people),
        initial={
            "approaches": question.approaches,
            "due_date": question.due_date,
            "owners": [str(pk) for pk in question.owners.values_list("pk", flat=True)],
            "helpers": [str(pk) for pk in question.helpers.values_list("pk", flat=True)],
        },
    )
    if request.method == "POST" and form.is_valid():
        people = {str(user.pk): user for user in [*(owner_people or []), *helper_people]}
        chosen_owners = (
            [people[pk] for pk in form.cleaned_data["owners"]] if "owners" in form.fields else None
        )
        done = _save(
            request,
            form,
            lambda: services.set_plan(
                request.user,
                question,
                services.Plan(
                    approaches=form.cleaned_data["approaches"],
                    due_date=form.cleaned_data["due_date"],
                    owners=chosen_owners,
                    helpers=[people[pk] for pk in form.cleaned_data["helpers"]],
                ),
            ),
            _("The research plan has been saved."),
            question,
        )
        if done:
            return done
    return _form_page(
        request,
        question,
        form,
        title=_("Plan the research"),
        intro=_(
            "Choose how the question will be answered, who owns it and by when. Research "
            "starts once there is an approach, an owner and a due date."
        ),
        submit=_("Save the plan"),
        status=400 if request.method == "POST" else 200,
    )


@question_form_view
def answer(request, question, access) -> HttpResponse:
    if not access.is_owner:
        raise PermissionDenied(_("Only an owner of this learning question writes its answer."))
    form = forms.AnswerForm(
        request.POST if request.method == "POST" else None,
        initial={
            "answer": question.answer,
            "sources": services.sources_as_text(question.answer_sources),
            "confidence": question.answer_confidence,
        },
    )
    if request.method == "POST" and form.is_valid():

        def save():
            services.save_answer(
                request.user,
                question,
                text=form.cleaned_data["answer"],
                sources=services.parse_sources(form.cleaned_data["sources"]),
                confidence=form.cleaned_data["confidence"],
            )

        done = _save(request, form, save, _("The answer has been saved."), question)
        if done:
            return done
    return _form_page(
        request,
        question,
        form,
        title=_("Answer the learning question"),
        intro=_(
            "Saving the answer marks the question as answered. The reisbegeleider then "
            "discusses it with the network and records the duiding."
        ),
        submit=_("Save the answer"),
        status=400 if request.method == "POST" else 200,
    )


@question_form_view
def duiding(request, question, access) -> HttpResponse:
    if not access.can_facilitate:
        raise PermissionDenied(_("Only the reisbegeleider records the duiding."))
    form = forms.DuidingForm(
        request.POST if request.method == "POST" else None,
        initial={
            "duiding": question.duiding,
            "on": question.duiding_date or timezone.localdate(),
            "participants": question.duiding_participants,
        },
    )
    if request.method == "POST" and form.is_valid():
        done = _save(
            request,
            form,
            lambda: services.save_duiding(
                request.user,
                question,
                text=form.cleaned_data["duiding"],
                on=form.cleaned_data["on"],
                participants=form.cleaned_data["participants"],
            ),
            _("The duiding has been saved."),
            question,
        )
        if done:
            return done
    return _form_page(
        request,
        question,
        form,
        title=_("Record the duiding"),
        intro=_(
            "What does the answer mean for the journey? Note when you discussed it and who "
            "took part."
        ),
        submit=_("Save the duiding"),
        status=400 if request.method == "POST" else 200,
    )


@question_form_view
def evidence(request, question, access) -> HttpResponse:
    from journeys.stories.queries import visible_stories

    if not access.can_link_evidence:
        raise PermissionDenied(_("Only the reisbegeleider and the owners link evidence."))
    elements = list(WorkingElementPage.objects.live().public().order_by("title"))
    stories_qs = visible_stories(request.user).order_by("-created_at")
    if question.journey_id:
        stories_qs = stories_qs.filter(Q(journey=question.journey) | Q(journey__isnull=True))
    story_list = list(stories_qs[:200])
    linked_stories = set(question.stories.values_list("pk", flat=True))
    story_list += list(
        visible_stories(request.user)
        .filter(pk__in=linked_stories)
        .exclude(pk__in=[s.pk for s in story_list])
    )
    form = forms.EvidenceForm(
        request.POST if request.method == "POST" else None,
        element_choices=[(str(e.pk), e.title) for e in elements],
        story_choices=[(str(s.pk), s.title) for s in story_list],
        initial={
            "working_elements": [
                str(pk) for pk in question.working_elements.values_list("pk", flat=True)
            ],
            "stories": [str(pk) for pk in linked_stories],
        },
    )
    if request.method == "POST" and form.is_valid():
        by_pk = {str(e.pk): e for e in elements}
        stories_by_pk = {str(s.pk): s for s in story_list}
        done = _save(
            request,
            form,
            lambda: services.link_evidence(
                request.user,
                question,
                working_elements=[by_pk[pk] for pk in form.cleaned_data["working_elements"]],
                stories=[stories_by_pk[pk] for pk in form.cleaned_data["stories"]],
            ),
            _("The evidence has been saved."),
            question,
        )
        if done:
            return done
    return _form_page(
        request,
        question,
        form,
        title=_("Link evidence"),
        intro=_("Which werkzame elementen and stories does the answer rest on or speak to?"),
        submit=_("Save"),
        status=400 if request.method == "POST" else 200,
    )

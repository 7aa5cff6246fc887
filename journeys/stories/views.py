"""The story pages: the archive (/verhalen/ and each journey's Verhalen tab) with search,
facets, sorting and "tellen en vertellen"; the CSV of its counts; the story page with
its image and audio; telling, editing and withdrawing (also with a withdrawal code,
without an account).

Views are thin: what a user may see comes from journeys.stories.queries (a story they
may not see is a 404, also its image), the rules from journeys.stories.services. A
refused rule is shown as a form error with status 400 and nothing is stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.limits import SAFE, has_query, limited
from community.models import Card
from community.queries.boards import board_access, card_is_shown
from journeys.models import Journey, Story
from journeys.queries import journey_for
from journeys.services import RuleViolation
from journeys.stories import charts, facets, queries, services, tally
from journeys.stories.forms import StoryForm, WithdrawalCodeForm

PAGE_SIZE = 20
ARCHIVE_LAYOUT = "journeys/stories/archive_layout.html"
JOURNEY_LAYOUT = "journeys/stories/journey_layout.html"
CODE_SESSION_KEY = "story-withdrawal-code-%s"


# --- The archive ---------------------------------------------------------------------------


def _paginator(items, total: int | None) -> Paginator:
    paginator = Paginator(items, PAGE_SIZE)
    if total is not None:
        paginator.count = total  # counted with the facets already (a cached_property)
    return paginator


def _page_of(
    request: HttpRequest, matching, searched: facets.Searched, sort: str, total: int | None = None
):
    number = request.GET.get("pagina")
    if sort == facets.RELEVANCE and searched.ranked_ids is not None:
        page = Paginator(facets.ranked(matching, searched.ranked_ids), PAGE_SIZE).get_page(number)
        by_id = queries.for_list(request.user).in_bulk(list(page.object_list))
        return page, [by_id[pk] for pk in page.object_list if pk in by_id]
    order = facets.SORTS.get(sort, facets.SORTS["nieuw"])[1]
    ordered = matching.order_by(*order).select_related("journey", "gemeente")
    paginator = _paginator(ordered.prefetch_related("themes", "signifiers"), total)
    page = paginator.get_page(number)
    return page, list(page.object_list)


def _archive(request: HttpRequest, base, *, journey: Journey | None = None, access=None):
    filters = facets.parse(request.GET, journey_fixed=journey is not None)
    searched = facets.search(base, filters)
    matching = facets.apply(searched.stories, filters)
    sort = filters.sort
    keys = [key for key in facets.FACETS if not (journey and key == "reis")]
    if journey is None:
        counts = tally.archive_tally(request.user, searched, filters, keys)
    else:
        counts = tally.counted(searched.stories, filters, keys)
    page, stories = _page_of(request, matching, searched, sort, counts.total)
    sorts = [(key, label) for key, (label, _order) in facets.SORTS.items()]
    if filters.terms:
        sorts.insert(0, (facets.RELEVANCE, _("most relevant first")))
    if journey is not None:
        archive_url = reverse("stories:journey_archive", args=[journey.slug])
        csv_url = reverse("stories:journey_counts_csv", args=[journey.slug])
    else:
        archive_url = reverse("stories:index")
        csv_url = reverse("stories:counts_csv")
    query = filters.query()
    tell_url = reverse("stories:tell")
    context = {
        "base_template": JOURNEY_LAYOUT if journey else ARCHIVE_LAYOUT,
        "journey": journey,
        "access": access,
        "tab": "verhalen",
        "filters": filters,
        "facets": facets.facets(counts, filters, keys=keys),
        "page": page,
        "stories": stories,
        "total": page.paginator.count,
        "charts": charts.all_charts(counts),
        "search_failed": searched.failed,
        "sorts": sorts,
        "sort": sort,
        "query": query,
        "archive_url": archive_url,
        "csv_url": f"{csv_url}?{query}" if query else csv_url,
        "may_tell": request.user.is_authenticated
        and (journey is None or (access is not None and access.is_member)),
        "tell_url": f"{tell_url}?reis={journey.slug}" if journey else tell_url,
    }
    return render(request, "journeys/stories/archive.html", context)


@limited("search", methods=SAFE, when=has_query)
def archive(request: HttpRequest) -> HttpResponse:
    return _archive(request, queries.visible_stories(request.user))


@limited("search", methods=SAFE, when=has_query)
def journey_archive(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)  # 404 for a besloten journey
    base = queries.visible_stories(request.user).filter(journey=journey)
    return _archive(request, base, journey=journey, access=access)


def _counts_csv(request: HttpRequest, base, name: str) -> HttpResponse:
    filters = facets.parse(request.GET)
    body = charts.as_csv(tally.counted(facets.search(base, filters).stories, filters, keys=[]))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def counts_csv(request: HttpRequest) -> HttpResponse:
    return _counts_csv(request, queries.visible_stories(request.user), "verhalen-tellen.csv")


def journey_counts_csv(request: HttpRequest, slug: str) -> HttpResponse:
    journey, _access = journey_for(request.user, slug)
    base = queries.visible_stories(request.user).filter(journey=journey)
    return _counts_csv(request, base, f"verhalen-tellen-{journey.slug}.csv")


# --- One story -----------------------------------------------------------------------------


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    story, access = queries.story_for(request.user, pk)
    sliders = [
        {
            "question": value.slider.question,
            "left": value.slider.left_label,
            "right": value.slider.right_label,
            "value": value.value,
            "step": round(value.value / 25) + 1,
        }
        for value in story.slider_values.all()
    ]
    context = {
        "story": story,
        "story_access": access,
        "themes": list(story.themes.all()),
        "signifiers": list(story.signifiers.all()),
        "sliders": sliders,
        "source_card": _card_shown_to(request.user, story.source_card_id),
    }
    return render(request, "journeys/stories/story.html", context)


def _card_shown_to(user, card_id: int | None) -> Card | None:
    """The board card a story came from, when this visitor may see it on its board."""
    if card_id is None:
        return None
    card = Card.objects.select_related("board__journey").filter(pk=card_id).first()
    if card is None or not card_is_shown(card, board_access(user, card.board)):
        return None
    return card


def _media(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The story's image or audio, only for who may see the story, and never as a page:
    its own checked type, no sniffing, no scripts, a name without the teller's."""
    story, _access = queries.story_for(request.user, pk)
    stored = story.image if kind == "image" else story.audio
    content_type = story.image_type if kind == "image" else story.audio_type
    if not stored or not content_type:
        raise Http404
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    extension = stored.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle, content_type=content_type, filename=f"verhaal-{story.pk}.{extension}"
    )
    response["Content-Disposition"] = f'inline; filename="verhaal-{story.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def image(request: HttpRequest, pk: int) -> HttpResponse:
    return _media(request, pk, "image")


def audio(request: HttpRequest, pk: int) -> HttpResponse:
    return _media(request, pk, "audio")


# --- Telling and editing -------------------------------------------------------------------


def _form_page(request, form, *, story=None, status=200, source_card=None) -> HttpResponse:
    return render(
        request,
        "journeys/stories/story_form.html",
        {"form": form, "story": story, "source_card": source_card},
        status=status,
    )


def _source_card(request: HttpRequest) -> Card | None:
    """The board card a story is taken from (?kaart=<id>): only for the board's
    facilitator, and a 404 for anyone who may not see the card."""
    raw = request.GET.get("kaart")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    card = Card.objects.select_related("board__journey").filter(pk=int(raw)).first()
    if card is None:
        raise Http404
    access = board_access(request.user, card.board)
    if not card_is_shown(card, access):
        raise Http404
    if not access.can_facilitate:
        raise PermissionDenied(_("Only the board's reisbegeleider makes a story of a card."))
    return card


def _from_card(card: Card) -> dict:
    return {
        "journey": card.board.journey,
        "title": " ".join(card.body.split())[:80],
        "text": card.body,
        "told_by": Story.ToldBy.RECORDED,
        "display": Story.Display.ANONYMOUS if card.is_anonymous else Story.Display.FIRST_NAME,
        "teller_name": card.author_name or "",
    }


@limited("story")
@login_required
def tell(request: HttpRequest) -> HttpResponse:
    journeys = queries.journeys_to_tell_in(request.user)
    initial = {}
    chosen = request.GET.get("reis")
    if chosen:
        initial["journey"] = journeys.filter(slug=chosen).first()
    card = _source_card(request)
    if card is not None:
        initial.update(_from_card(card))
    form = StoryForm(
        request.POST or None, request.FILES or None, journeys=journeys, initial=initial
    )
    if request.method != "POST":
        return _form_page(request, form, source_card=card)
    if not form.is_valid():
        return _form_page(request, form, status=400, source_card=card)
    details = form.details()
    details.source_card = card
    try:
        if form.is_recorded:
            story, code = services.record_story(request.user, details, form.consent())
            request.session[CODE_SESSION_KEY % story.pk] = code
            return redirect("stories:code", pk=story.pk)
        story = services.tell_story(request.user, details)
    except (RuleViolation, PermissionDenied) as refused:
        form.add_error(None, str(refused))
        return _form_page(request, form, status=400, source_card=card)
    messages.success(request, _("Thank you for your story. It is in the archive."))
    return redirect(story)


def _owned(request: HttpRequest, pk: int) -> Story:
    story, access = queries.story_for(request.user, pk)
    if not access.can_edit:
        raise PermissionDenied(_("Only the teller changes or withdraws this story."))
    return story


@limited("story")
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _owned(request, pk)
    form = StoryForm(
        request.POST or None,
        request.FILES or None,
        story=story,
        initial=StoryForm.initial_for(story),
    )
    if request.method != "POST":
        return _form_page(request, form, story=story)
    if not form.is_valid():
        return _form_page(request, form, story=story, status=400)
    try:
        services.update_story(
            request.user,
            story,
            form.details(),
            consent=form.consent(),
            remove_image=form.cleaned_data.get("remove_image", False),
            remove_audio=form.cleaned_data.get("remove_audio", False),
        )
    except (RuleViolation, PermissionDenied) as refused:
        form.add_error(None, str(refused))
        return _form_page(request, form, story=story, status=400)
    messages.success(request, _("Your story has been saved."))
    return redirect(story)


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    story = _owned(request, pk)
    if request.method == "POST":
        try:
            services.withdraw_story(request.user, story)
        except RuleViolation as refused:
            messages.error(request, str(refused))
            return redirect(story)
        messages.success(
            request,
            _("The story has been withdrawn. It is gone from the archive, search and counts."),
        )
        return redirect("stories:index")
    return render(request, "journeys/stories/withdraw.html", {"story": story})


@login_required
@require_POST
def new_code(request: HttpRequest, pk: int) -> HttpResponse:
    story = _owned(request, pk)
    try:
        code = services.new_withdrawal_code(request.user, story)
    except RuleViolation as refused:
        messages.error(request, str(refused))
        return redirect(story)
    request.session[CODE_SESSION_KEY % story.pk] = code
    return redirect("stories:code", pk=story.pk)


@login_required
def code(request: HttpRequest, pk: int) -> HttpResponse:
    """The withdrawal code of a story just recorded, shown once to who recorded it."""
    story = _owned(request, pk)
    withdrawal_code = request.session.pop(CODE_SESSION_KEY % story.pk, None)
    if not withdrawal_code:
        messages.info(
            request,
            _("The withdrawal code is shown only once. Make a new one if the teller lost it."),
        )
        return redirect(story)
    link = request.build_absolute_uri(reverse("stories:withdraw_by_code", args=[withdrawal_code]))
    response = render(
        request,
        "journeys/stories/code.html",
        {"story": story, "code": withdrawal_code, "link": link},
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Withdrawing with a code (no account) --------------------------------------------------


@limited("withdrawal_code")
def withdraw_code_form(request: HttpRequest) -> HttpResponse:
    form = WithdrawalCodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            entered = services.normalise_code(form.cleaned_data["code"])
            if services.story_for_code(entered) is not None:
                return redirect("stories:withdraw_by_code", code=_dashed(entered))
            form.add_error(
                "code",
                _("This withdrawal code is not known, or the story was already withdrawn."),
            )
        return render(request, "journeys/stories/withdraw_code.html", {"form": form}, status=400)
    return render(request, "journeys/stories/withdraw_code.html", {"form": form})


def _dashed(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@limited("withdrawal_code", methods=(*SAFE, "POST"))
def withdraw_by_code(request: HttpRequest, code: str) -> HttpResponse:
    story = services.story_for_code(code)
    if request.method == "POST" and story is not None:
        try:
            services.withdraw_with_code(code)
        except RuleViolation as refused:
            messages.error(request, str(refused))
            return redirect("stories:withdraw_code_form")
        response = render(request, "journeys/stories/withdrawn.html", {})
        response["Cache-Control"] = "no-store"
        return response
    status = 200 if story is not None else 404
    response = render(
        request,
        "journeys/stories/withdraw_by_code.html",
        {"story": story, "code": code},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response

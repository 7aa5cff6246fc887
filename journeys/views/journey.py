"""The journeys list, creating and editing a journey, its dashboard, phase moves and
activity."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from taggit.models import Tag
from taggit.utils import edit_string_for_tags

from community.models import Organisation
from journeys import activity as journey_activity
from journeys import method, panels, queries, services
from journeys.forms import JourneyFilterForm, JourneyForm, MovePhaseForm
from journeys.models import PHASE_RESULT, JoinRequest, Journey, Membership, PhaseResult
from journeys.search import search_ids
from journeys.views.common import journey_action, journey_view

PAGE_SIZE = 20


def index(request: HttpRequest) -> HttpResponse:
    visible = queries.visible_to(request.user)
    gemeenten = Organisation.objects.filter(
        kind=Organisation.Kind.GEMEENTE, journeys__in=visible
    ).distinct()
    themes = (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Journey)
        )
        .values_list("name", flat=True)
        .distinct()
        .order_by("name")
    )
    form = JourneyFilterForm(
        request.GET or None,
        gemeenten=gemeenten,
        themes=list(themes),
        signed_in=request.user.is_authenticated,
    )
    journeys = queries.for_list(request.user)
    search_failed = False
    if form.is_valid():
        data = form.cleaned_data
        if data["phase"]:
            journeys = journeys.filter(phase=data["phase"])
        if data["gemeente"]:
            journeys = journeys.filter(organisations=data["gemeente"])
        if data["theme"]:
            journeys = journeys.filter(themes__name__iexact=data["theme"])
        if data["scenario"]:
            journeys = journeys.filter(scenario=data["scenario"])
        if data.get("mine"):
            journeys = journeys.filter(
                pk__in=Membership.objects.filter(user=request.user).values("journey")
            )
        if data["q"]:
            ids, search_failed = search_ids(data["q"])
            if ids is None:
                term = data["q"]
                journeys = journeys.filter(
                    Q(title__icontains=term)
                    | Q(challenge__icontains=term)
                    | Q(summary__icontains=term)
                )
            else:
                journeys = journeys.filter(pk__in=ids)
    page = Paginator(journeys.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "journeys/index.html",
        {
            "form": form,
            "page": page,
            "search_failed": search_failed,
            "query": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "pagina"),
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    # ?scenario=<key> (from the scenario chooser or a scenario page) preselects it.
    scenario = request.GET.get("scenario", "")
    initial = {"scenario": scenario} if scenario in Journey.Scenario.values else {}
    form = JourneyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        journey = services.create_journey(request.user, **form.cleaned_data)
        messages.success(
            request,
            _("The journey has started. You are its reisbegeleider: invite the others."),
        )
        return redirect(journey)
    return render(request, "journeys/journey_form.html", {"form": form, "creating": True})


@journey_view
def edit(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.can_facilitate:
        raise PermissionDenied(_("Only the reisbegeleider edits the journey."))
    initial = {
        "title": journey.title,
        "challenge": journey.challenge,
        "summary": journey.summary,
        "visibility": journey.visibility,
        "scenario": journey.scenario,
        "organisations": list(journey.organisations.all()),
        # The tag widget writes tags, not names, into its text ("a, b").
        "themes": edit_string_for_tags(list(journey.themes.all())),
    }
    form = JourneyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_journey(request.user, journey, **form.cleaned_data)
        messages.success(request, _("The journey has been saved."))
        return redirect(journey)
    return render(
        request,
        "journeys/journey_form.html",
        {"form": form, "journey": journey, "access": access, "tab": "dashboard"},
    )


def _phase_steps(journey: Journey, transitions) -> list[dict]:
    """The four phases with when the journey last entered each, for the stepper."""
    entered = {}
    for transition in transitions:
        entered[transition.to_phase] = transition.created_at
    current_index = method.PHASE_ORDER.index(journey.phase)
    steps = []
    for index, phase in enumerate(method.PHASE_ORDER):
        if phase == journey.phase:
            state = "current"
        elif index < current_index or (journey.cycle > 1 and phase in entered):
            state = "done"
        else:
            state = "todo"
        steps.append(
            {
                "phase": phase,
                "label": Journey.Phase(phase).label,
                "result": PhaseResult.Kind(PHASE_RESULT[phase]).label,
                "state": state,
                "entered": entered.get(phase),
                "description": method.PHASE_DESCRIPTIONS[phase],
            }
        )
    return steps


DASHBOARD_MEMBERS = 12


@journey_view
def dashboard(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    transitions = list(journey.transitions.select_related("actor").order_by("created_at", "pk"))
    result = (
        PhaseResult.objects.filter(journey=journey, kind=journey.result_kind, cycle=journey.cycle)
        .select_related("latest_revision__author", "approved_by")
        .first()
    )
    signed_in = request.user.is_authenticated
    # The dashboard shows the first few; the members page lists them all.
    if signed_in:
        members, role_counts = queries.first_members(journey, DASHBOARD_MEMBERS)
    else:
        members, role_counts = [], queries.role_counts(journey)
    organisations, themes = queries.organisation_and_theme_names(journey)
    context = {
        "journey": journey,
        "access": access,
        "tab": "dashboard",
        "steps": _phase_steps(journey, transitions),
        "history": list(reversed(transitions)),
        "result": result,
        "result_slug": method.RESULT_SLUGS[journey.result_kind],
        "next_phase": Journey.Phase(method.next_phase(journey.phase)),
        "next_starts_cycle": journey.phase == Journey.Phase.DOEN_EN_LEREN,
        "move_form": MovePhaseForm(initial={"to_phase": method.next_phase(journey.phase)}),
        "members": members,
        "role_counts": [(label, role_counts[value]) for value, label in Membership.Role.choices],
        "activity": journey_activity.recent(journey) if signed_in else [],
        "panels": panels.panels_for(request, journey, access),
        "organisations": organisations,
        "themes": themes,
        "open_requests": journey.join_requests.filter(status=JoinRequest.Status.OPEN).count()
        if access.can_facilitate
        else 0,
        "my_request": journey.join_requests.filter(
            user=request.user, status=JoinRequest.Status.OPEN
        ).exists()
        if signed_in and not access.is_member
        else False,
        "may_request": signed_in
        and not access.is_member
        and journey.visibility != Journey.Visibility.BESLOTEN,
    }
    return render(request, "journeys/dashboard.html", context)


@journey_action
def move_phase(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    form = MovePhaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next phase."))
        return redirect(journey)
    services.move_phase(
        request.user,
        journey,
        to_phase=form.cleaned_data["to_phase"],
        note=form.cleaned_data["note"],
    )
    journey.refresh_from_db()
    messages.success(
        request,
        _("The journey is now in the phase %(phase)s.") % {"phase": journey.get_phase_display()},
    )
    return redirect(journey)


@journey_view
def activity(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = Paginator(journey_activity.entries_for(journey), 50).get_page(request.GET.get("pagina"))
    items = [
        journey_activity.Activity(e.created_at, e.action, journey_activity.describe(e))
        for e in page.object_list
    ]
    return render(
        request,
        "journeys/activity.html",
        {"journey": journey, "access": access, "tab": "activity", "page": page, "items": items},
    )

"""The Impact Canvas of a journey: the grid with its witte vlekken and doublures, and the
forms to fill it. Every change goes through journeys.services; these views only read the
request, call the service and show the outcome."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journeys import services
from journeys.canvas import grid_for
from journeys.models import BuildingBlock, CanvasEntry, CanvasPhase, Journey
from journeys.queries import Access
from journeys.services import RuleViolation
from journeys.views.common import journey_action, journey_view


class PhaseChoiceField(forms.ChoiceField):
    """One of this journey's canvas phases, chosen by id, cleaned to the phase itself.

    The phases are passed in (the page already has them), so the select costs no query
    of its own, and an id from another journey is simply not a valid choice."""

    phases: dict[str, CanvasPhase]

    def set_phases(self, phases: list[CanvasPhase]) -> None:
        # Each form holds its own copy of the field, so this stays per request.
        self.phases = {str(phase.pk): phase for phase in phases}
        self.choices = [("", "---------"), *((str(p.pk), p.name) for p in phases)]

    def clean(self, value) -> CanvasPhase | None:
        value = super().clean(value)
        return self.phases[value] if value else None


class EntryForm(forms.Form):
    phase = PhaseChoiceField(
        label=gettext_lazy("Phase of the issue"),
        error_messages={
            "required": gettext_lazy("Choose the phase of the issue."),
            "invalid_choice": gettext_lazy("Choose one of the phases of this canvas."),
        },
    )
    block = forms.ChoiceField(
        label=gettext_lazy("Building block"),
        choices=[("", "---------"), *BuildingBlock.choices],
        error_messages={
            "required": gettext_lazy("Choose one of the four building blocks."),
            "invalid_choice": gettext_lazy("Choose one of the four building blocks."),
        },
    )
    actor = forms.CharField(
        label=gettext_lazy("Actor or organisation"),
        max_length=CanvasEntry._meta.get_field("actor").max_length,
        help_text=gettext_lazy("A person, team or organisation, for example: wijkteam Noord."),
        error_messages={
            "required": gettext_lazy("Name the actor or organisation that brings something.")
        },
    )
    contribution = forms.CharField(
        label=gettext_lazy("What they bring"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: knowledge of the neighbourhood, a budget, a report."),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=CanvasEntry.Status.choices,
        initial=CanvasEntry.Status.ACTIEF,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the statuses.")},
    )

    def __init__(self, *args, phases: list[CanvasPhase], **kwargs):
        kwargs.setdefault("prefix", "entry")
        super().__init__(*args, **kwargs)
        self.fields["phase"].set_phases(phases)


class PhaseForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the phase"),
        max_length=CanvasPhase._meta.get_field("name").max_length,
        error_messages={"required": gettext_lazy("Give the phase a name.")},
    )
    description = forms.CharField(
        label=gettext_lazy("What happens in this phase"),
        required=False,
        max_length=CanvasPhase._meta.get_field("description").max_length,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "phase")
        super().__init__(*args, **kwargs)


class DoublureForm(forms.Form):
    """The small form in a doublure cell; its fields are written out in the template."""

    phase = PhaseChoiceField()
    block = forms.ChoiceField(choices=BuildingBlock.choices)
    intended = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    note = forms.CharField(required=False, max_length=250)

    def __init__(self, *args, phases: list[CanvasPhase], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].set_phases(phases)


def _canvas_url(journey: Journey) -> str:
    return reverse("journeys:canvas", kwargs={"slug": journey.slug})


def _page(
    request: HttpRequest,
    journey: Journey,
    access: Access,
    *,
    entry_form: EntryForm | None = None,
    phase_form: PhaseForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    grid = grid_for(journey)
    if access.can_contribute and entry_form is None:
        # A "fill in" link in an empty cell opens the form with that cell chosen.
        entry_form = EntryForm(
            phases=grid.phases,
            initial={"phase": request.GET.get("fase"), "block": request.GET.get("blok")},
        )
    if access.can_facilitate and phase_form is None:
        phase_form = PhaseForm()
    user_id = request.user.pk if request.user.is_authenticated else None
    context = {
        "journey": journey,
        "access": access,
        "tab": "canvas",
        "grid": grid,
        "entry_form": entry_form if access.can_contribute else None,
        "phase_form": phase_form if access.can_facilitate else None,
        "problem": problem,
        "user_id": user_id,
        "canvas_url": _canvas_url(journey),
    }
    return render(request, "journeys/canvas.html", context, status=status)


@journey_view
def canvas(request: HttpRequest, journey: Journey, access: Access) -> HttpResponse:
    return _page(request, journey, access)


@journey_action
def add_entry(request: HttpRequest, journey: Journey, access: Access) -> HttpResponse:
    if not access.can_contribute:
        raise PermissionDenied
    form = EntryForm(request.POST, phases=list(journey.canvas_phases.all()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.add_canvas_entry(
                request.user,
                journey,
                phase=data["phase"],
                block=data["block"],
                actor_name=data["actor"],
                contribution=data["contribution"],
                status=data["status"],
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(actor)s is on the canvas under %(phase)s, %(block)s.")
                % {
                    "actor": entry.actor,
                    "phase": entry.phase.name,
                    "block": entry.get_block_display(),
                },
            )
            return redirect(_canvas_url(journey))
    return _page(request, journey, access, entry_form=form, status=400)


@journey_action
def remove_entry(request: HttpRequest, journey: Journey, access: Access, pk: int) -> HttpResponse:
    entry = get_object_or_404(CanvasEntry, pk=pk, journey=journey)
    services.remove_canvas_entry(request.user, entry)
    messages.success(request, _("%(actor)s was removed from the canvas.") % {"actor": entry.actor})
    return redirect(_canvas_url(journey))


@journey_action
def mark_doublure(request: HttpRequest, journey: Journey, access: Access) -> HttpResponse:
    if not access.can_facilitate:
        raise PermissionDenied
    form = DoublureForm(request.POST, phases=list(journey.canvas_phases.all()))
    if not form.is_valid():
        return _page(
            request,
            journey,
            access,
            problem=_("That cell is not on this canvas, or the note is too long. Nothing changed."),
            status=400,
        )
    data = form.cleaned_data
    services.mark_doublure(
        request.user,
        journey,
        phase=data["phase"],
        block=data["block"],
        intended=data["intended"],
        note=data["note"],
    )
    if data["intended"]:
        message = _("The doublure in %(phase)s, %(block)s is marked as intended.")
    else:
        message = _("The doublure in %(phase)s, %(block)s is no longer marked as intended.")
    messages.success(
        request,
        message % {"phase": data["phase"].name, "block": BuildingBlock(data["block"]).label},
    )
    return redirect(_canvas_url(journey))


@journey_action
def add_phase(request: HttpRequest, journey: Journey, access: Access) -> HttpResponse:
    if not access.can_facilitate:
        raise PermissionDenied
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            phase = services.add_canvas_phase(
                request.user,
                journey,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except RuleViolation as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(
                request, _("The phase %(name)s was added to the canvas.") % {"name": phase.name}
            )
            return redirect(_canvas_url(journey))
    return _page(request, journey, access, phase_form=form, status=400)


@journey_action
def remove_phase(request: HttpRequest, journey: Journey, access: Access, pk: int) -> HttpResponse:
    phase = get_object_or_404(CanvasPhase, pk=pk, journey=journey)
    services.remove_canvas_phase(request.user, phase)
    messages.success(
        request, _("The phase %(name)s was removed from the canvas.") % {"name": phase.name}
    )
    return redirect(_canvas_url(journey))

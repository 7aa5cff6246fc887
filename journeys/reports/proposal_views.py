"""Proposing a werkzaam element to the editors from a journey, and the journey's list of
what it proposed. Thin: the rules are in journeys.reports.proposals. A refused rule is
shown as a form error with status 400 and nothing is stored."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journeys.models import Journey
from journeys.reports import proposals
from journeys.services import RuleViolation
from journeys.views.common import journey_view


class ProposalForm(forms.Form):
    """The page's text; the evidence stories are checkboxes the template draws itself."""

    title = forms.CharField(
        label=gettext_lazy("Name of the werkzaam element"), max_length=proposals.MAX_TITLE
    )
    summary = forms.CharField(
        label=gettext_lazy("What it is"),
        help_text=gettext_lazy("Two or three sentences."),
        max_length=proposals.MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mechanism = forms.CharField(
        label=gettext_lazy("How it works"),
        help_text=gettext_lazy("Why it makes a difference: how it brings about change."),
        max_length=proposals.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    target_group = forms.CharField(
        label=gettext_lazy("For whom"),
        required=False,
        max_length=proposals.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    context = forms.CharField(
        label=gettext_lazy("In which context"),
        help_text=gettext_lazy("Where it worked: the place, the partners, what was needed."),
        required=False,
        max_length=proposals.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _chosen(request: HttpRequest) -> list[int]:
    chosen = []
    for value in request.POST.getlist("stories"):
        try:
            chosen.append(int(value))
        except ValueError:
            continue
    return chosen


def _form_page(request, journey, access, form, chosen, *, status=200) -> HttpResponse:
    context = {
        "journey": journey,
        "access": access,
        "tab": "reisverslag",
        "form": form,
        "stories": list(proposals.eligible_stories(request.user, journey)),
        "chosen": set(chosen),
    }
    return render(request, "journeys/reports/element_propose.html", context, status=status)


@journey_view
def propose(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    # The journey first: who may not see it gets 404, signed in or not.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.can_contribute:
        raise PermissionDenied(
            _("Only reisbegeleiders, opdrachtgevers and reizigers propose werkzame elementen.")
        )
    if request.method != "POST":
        return _form_page(request, journey, access, ProposalForm(), [])
    form = ProposalForm(request.POST)
    chosen = _chosen(request)
    if not form.is_valid():
        return _form_page(request, journey, access, form, chosen, status=400)
    try:
        proposal = proposals.propose_element(
            request.user, journey, story_ids=chosen, **form.cleaned_data
        )
    except (RuleViolation, PermissionDenied) as refused:
        form.add_error(None, str(refused))
        return _form_page(request, journey, access, form, chosen, status=400)
    messages.success(
        request,
        _("Thank you. “%(title)s” is with the editors of the kennisbank for review.")
        % {"title": proposal.title},
    )
    return redirect("journeys:element_list", slug=journey.slug)


@journey_view
def element_list(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    rows = proposals.proposal_rows(request.user, journey)
    for row in rows:
        row.url = row.page.get_url(request) if row.status == proposals.Status.PUBLISHED else ""
    context = {
        "journey": journey,
        "access": access,
        "tab": "reisverslag",
        "rows": rows,
    }
    return render(request, "journeys/reports/elements.html", context)

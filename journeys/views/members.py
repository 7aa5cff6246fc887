"""Members of a journey: the list, invitations, join requests, roles and leaving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from journeys import queries, services
from journeys.forms import InviteForm, JoinRequestForm, RoleForm
from journeys.models import Invitation, JoinRequest, Journey, Membership
from journeys.views.common import journey_action, journey_view


def _members_page(request, journey, access, *, invite_form=None, join_form=None, status=200):
    facilitating = access.can_facilitate
    context = {
        "journey": journey,
        "access": access,
        "tab": "members",
        "members": list(queries.members_of(journey)) if request.user.is_authenticated else [],
        "roles": Membership.Role.choices,
        "invite_form": invite_form or (InviteForm() if facilitating else None),
        "invitations": list(
            journey.invitations.filter(status=Invitation.Status.OPEN)
            .select_related("invited_by")
            .order_by("-created_at")
        )
        if facilitating
        else [],
        "join_requests": list(
            journey.join_requests.filter(status=JoinRequest.Status.OPEN).select_related("user")
        )
        if facilitating
        else [],
        "join_form": join_form or JoinRequestForm(),
        "my_request": request.user.is_authenticated
        and not access.is_member
        and journey.join_requests.filter(
            user=request.user, status=JoinRequest.Status.OPEN
        ).exists(),
        "may_request": request.user.is_authenticated
        and not access.is_member
        and journey.visibility != Journey.Visibility.BESLOTEN,
        "now": timezone.now(),
    }
    return render(request, "journeys/members.html", context, status=status)


@journey_view
def index(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _members_page(request, journey, access)


@journey_action
def invite(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    if not access.can_facilitate:
        raise PermissionDenied(_("Only the reisbegeleider invites people."))
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _members_page(request, journey, access, invite_form=form, status=400)
    try:
        invitation = services.invite(request.user, journey, **form.cleaned_data)
    except services.RuleViolation as refused:
        form.add_error("email", str(refused))
        return _members_page(request, journey, access, invite_form=form, status=400)
    messages.success(
        request,
        _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
    )
    return redirect("journeys:members", slug=journey.slug)


@journey_action
def change_role(request: HttpRequest, journey: Journey, access, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk, journey=journey)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
    else:
        services.change_role(request.user, membership, form.cleaned_data["role"])
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {
                "name": membership.user.display_name,
                "role": Membership.Role(form.cleaned_data["role"]).label,
            },
        )
    return redirect("journeys:members", slug=journey.slug)


@journey_action
def remove(request: HttpRequest, journey: Journey, access, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, journey=journey
    )
    services.remove_member(request.user, membership)
    messages.success(
        request, _("%(name)s is no longer a member.") % {"name": membership.user.display_name}
    )
    return redirect("journeys:members", slug=journey.slug)


@journey_action
def revoke_invitation(request: HttpRequest, journey: Journey, access, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk, journey=journey)
    services.revoke_invitation(request.user, invitation)
    messages.success(request, _("The invitation has been withdrawn."))
    return redirect("journeys:members", slug=journey.slug)


@journey_action
def decide_request(request: HttpRequest, journey: Journey, access, pk: int) -> HttpResponse:
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"), pk=pk, journey=journey
    )
    approve = request.POST.get("decision") == "approve"
    role = request.POST.get("role") or Membership.Role.REIZIGER
    services.decide_join_request(request.user, join_request, approve=approve, role=role)
    name = join_request.user.display_name
    if approve:
        messages.success(request, _("%(name)s has joined the journey.") % {"name": name})
    else:
        messages.success(request, _("The request of %(name)s has been declined.") % {"name": name})
    return redirect("journeys:members", slug=journey.slug)


@journey_action(members_only=False)
def join(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    if journey.visibility == Journey.Visibility.BESLOTEN and not access.is_member:
        # Only staff get here (others get 404): they read a besloten journey, no more.
        raise PermissionDenied(_("This journey is closed: members join by invitation only."))
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return _members_page(request, journey, access, join_form=form, status=400)
    services.request_to_join(request.user, journey, message=form.cleaned_data["message"])
    messages.success(request, _("Your request has been sent to the reisbegeleider."))
    return redirect(journey)


@journey_action
def leave(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    services.leave(request.user, journey)
    messages.success(request, _("You have left the journey."))
    if queries.may_view(request.user, journey, None):
        return redirect(journey)
    return redirect("journeys:index")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page the invitation email links to. Accepting needs an account with the
    invited address; the sign-up and sign-in links come back here."""
    found = Invitation.objects.select_related("journey", "invited_by").filter(token=token).first()
    if found is None:
        return render(request, "journeys/invitation.html", {"missing": True}, status=404)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "accept":
                if not request.user.is_authenticated:
                    return redirect_to_login(request.path)
                services.accept_invitation(request.user, token)
                messages.success(
                    request, _("Welcome to %(title)s.") % {"title": found.journey.title}
                )
                return redirect(found.journey)
            if decision == "decline":
                services.decline_invitation(request.user, token)
                messages.success(request, _("You have declined the invitation."))
                return redirect(request.path)
            messages.error(request, _("Choose whether you accept or decline."))
        except services.RuleViolation as refused:
            messages.error(request, str(refused))
        return redirect(request.path)
    here = request.path
    context = {
        "invitation": found,
        "journey": found.journey,
        "expired": found.expires_at <= timezone.now(),
        "signup_url": f"{reverse('account_signup')}?next={here}",
        "login_url": f"{reverse('account_login')}?next={here}",
    }
    return render(request, "journeys/invitation.html", context)

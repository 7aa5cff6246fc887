"""Board export (CSV, Markdown, print) and the Padlet import, under the journey's boards.

Whoever may see the board may export it; to anyone else the board does not exist (404,
as for a besloten journey). The files hold the visible cards only, whoever asks: see
community/board_io.py. Only the journey's reisbegeleider imports; a refused file is a
form error (status 400) and nothing is stored.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from community import board_io
from community.models import Board
from community.queries.boards import BoardAccess, board_access, journey_board_access
from journeys.models import Journey
from journeys.queries import Access, journey_for
from journeys.services import RuleViolation

TAB = "borden"  # the journey tab (community/board_views.py)


def _board_or_404(request: HttpRequest, slug: str, board_id: int):
    """The board with the visitor's access, or 404 when they may not see it."""
    journey, access = journey_for(request.user, slug)  # 404 for a besloten journey
    board = Board.objects.filter(pk=board_id, journey=journey).select_related("event").first()
    if board is None:
        raise Http404
    board.journey = journey
    board_rights = board_access(request.user, board, access)
    if not board_rights.can_see:  # a board in preparation, for anyone but its facilitators
        raise Http404
    return journey, access, board, board_rights


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A board of a besloten journey must not stay behind in a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def board_csv(request: HttpRequest, slug: str, board_id: int) -> HttpResponse:
    _journey, _access, board, _rights = _board_or_404(request, slug, board_id)
    return _download(
        board_io.board_csv(board),
        "text/csv; charset=utf-8",
        board_io.export_filename(board, "csv"),
    )


@require_safe
def board_markdown(request: HttpRequest, slug: str, board_id: int) -> HttpResponse:
    _journey, _access, board, _rights = _board_or_404(request, slug, board_id)
    return _download(
        board_io.board_markdown(board),
        "text/markdown; charset=utf-8",
        board_io.export_filename(board, "md"),
    )


@require_safe
def board_print(request: HttpRequest, slug: str, board_id: int) -> HttpResponse:
    journey, access, board, rights = _board_or_404(request, slug, board_id)
    export = board_io.export_data(board)
    context = {
        "journey": journey,
        "access": access,
        "board": board,
        "board_access": rights,
        "rows": board_io.print_rows(export),
        "has_rows": bool(export.rows),
        "card_count": export.card_count,
        "exported_at": export.exported_at,
        "zone": board_io.ZONE,
        "board_url": board.get_absolute_url(),
    }
    response = render(request, "community/boards/print.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Import ------------------------------------------------------------------------------


class PadletImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Padlet export (CSV file)"),
        help_text=gettext_lazy(
            "In Padlet: Share, then Export to CSV. At most 2 MB and 2,000 posts."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": gettext_lazy("Choose the CSV file that Padlet made."),
            "empty": gettext_lazy("The file is empty."),
        },
    )
    title = forms.CharField(
        label=gettext_lazy("Title of the new board"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Leave empty to take the name of the file."),
    )
    anonymity = forms.ChoiceField(
        label=gettext_lazy("Names on new cards"),
        choices=Board.Anonymity.choices,
        initial=Board.Anonymity.CHOICE,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "For the cards participants add later. The imported cards are always anonymous."
        ),
    )


def _import_page(
    request: HttpRequest,
    journey: Journey,
    access: Access,
    form: PadletImportForm,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "journey": journey,
        "access": access,
        "tab": TAB,
        "form": form,
        "max_rows": board_io.MAX_IMPORT_ROWS,
        "boards_url": reverse("community:journey_boards", args=[journey.slug]),
    }
    return render(request, "community/boards/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def board_import(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    rights: BoardAccess = journey_board_access(request.user, journey, access)
    if not rights.can_facilitate:
        raise PermissionDenied
    if request.method != "POST":
        return _import_page(request, journey, access, PadletImportForm())
    form = PadletImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            board = board_io.import_padlet(
                request.user,
                journey,
                board_io.read_upload(upload),
                filename=upload.name,
                title=form.cleaned_data["title"],
                anonymity=form.cleaned_data["anonymity"],
            )
        except RuleViolation as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(
                request,
                ngettext(
                    "The board is made with %(count)s card. It is in preparation: only "
                    "you see it until you open it. Names from Padlet were not taken over.",
                    "The board is made with %(count)s cards. It is in preparation: only "
                    "you see it until you open it. Names from Padlet were not taken over.",
                    board.card_count,
                )
                % {"count": board.card_count},
            )
            return redirect(board.get_absolute_url())
    return _import_page(request, journey, access, form, status=400)

from django.urls import include, path, register_converter

from journeys.reports import views as reports
from journeys.views import canvas, journey, members, results


class ResultConverter:
    """The four phase results by their address: opdracht, foto, programma-aanpak, reisverslag."""

    regex = "opdracht|foto|programma-aanpak|reisverslag"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ResultConverter, "result")


class ReportConverter(ResultConverter):
    """The two results composed from the journey's material: the foto and the reisverslag."""

    regex = "foto|reisverslag"


register_converter(ReportConverter, "report")

app_name = "journeys"

urlpatterns = [
    path("", journey.index, name="index"),
    path("nieuw/", journey.create, name="create"),
    path("uitnodiging/<str:token>/", members.invitation, name="invitation"),
    path("<slug:slug>/", journey.dashboard, name="dashboard"),
    path("<slug:slug>/bewerken/", journey.edit, name="edit"),
    path("<slug:slug>/fase/", journey.move_phase, name="move_phase"),
    path("<slug:slug>/activiteit/", journey.activity, name="activity"),
    # Members, invitations and join requests
    path("<slug:slug>/leden/", members.index, name="members"),
    path("<slug:slug>/leden/uitnodigen/", members.invite, name="invite"),
    path("<slug:slug>/leden/<int:pk>/rol/", members.change_role, name="change_role"),
    path("<slug:slug>/leden/<int:pk>/verwijderen/", members.remove, name="remove_member"),
    path(
        "<slug:slug>/uitnodigingen/<int:pk>/intrekken/",
        members.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<slug:slug>/aanvragen/<int:pk>/", members.decide_request, name="decide_request"),
    path("<slug:slug>/deelnemen/", members.join, name="join"),
    path("<slug:slug>/verlaten/", members.leave, name="leave"),
    # The Impact Canvas
    path("<slug:slug>/canvas/", canvas.canvas, name="canvas"),
    path("<slug:slug>/canvas/vermeldingen/", canvas.add_entry, name="canvas_add_entry"),
    path(
        "<slug:slug>/canvas/vermeldingen/<int:pk>/verwijderen/",
        canvas.remove_entry,
        name="canvas_remove_entry",
    ),
    path("<slug:slug>/canvas/doublure/", canvas.mark_doublure, name="canvas_mark_doublure"),
    path("<slug:slug>/canvas/fasen/", canvas.add_phase, name="canvas_add_phase"),
    path(
        "<slug:slug>/canvas/fasen/<int:pk>/verwijderen/",
        canvas.remove_phase,
        name="canvas_remove_phase",
    ),
    # The foto's linked items
    path("<slug:slug>/foto/data/", results.add_data_point, name="add_data_point"),
    path("<slug:slug>/foto/documenten/", results.add_document, name="add_document"),
    path(
        "<slug:slug>/foto/<str:item_kind>/<int:pk>/verwijderen/",
        results.remove_item,
        name="remove_item",
    ),
    # Indicators (data over time) and werkzame elementen proposed to the editors
    path("<slug:slug>/data/", include("journeys.reports.indicator_urls")),
    path("<slug:slug>/werkzame-elementen/", include("journeys.reports.proposal_urls")),
    # Composing the foto and the reisverslag from the journey's material
    path(
        "<slug:slug>/<report:kind_slug>/samenstellen/", reports.compose_view, name="report_compose"
    ),
    path("<slug:slug>/<report:kind_slug>/samenstellen/toevoegen/", reports.add, name="report_add"),
    path(
        "<slug:slug>/<report:kind_slug>/samenstellen/<int:pk>/",
        reports.change,
        name="report_change",
    ),
    path("<slug:slug>/<report:kind_slug>/pdf/", include("journeys.reports.pdf_urls")),
    # Phase results
    path("<slug:slug>/<result:kind_slug>/", results.detail, name="result"),
    path("<slug:slug>/<result:kind_slug>/bewerken/", results.edit, name="result_edit"),
    path("<slug:slug>/<result:kind_slug>/versies/", results.history, name="result_history"),
    path("<slug:slug>/<result:kind_slug>/verschil/", results.diff, name="result_diff"),
    path("<slug:slug>/<result:kind_slug>/indienen/", results.submit, name="result_submit"),
    path("<slug:slug>/<result:kind_slug>/vaststellen/", results.approve, name="result_approve"),
    path("<slug:slug>/<result:kind_slug>/terugsturen/", results.send_back, name="result_return"),
]

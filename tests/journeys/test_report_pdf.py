"""The PDF of a foto or reisverslag: the demo reisverslag read back from its PDF, the
progress of an export on its status page, who may ask for and download it, a report with
nothing in it, and rendering that never fetches anything from the network."""

from __future__ import annotations

import io
import re
import socket
import unicodedata

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from community.models import AuditEntry
from journeys import method, services
from journeys.models import Journey, PhaseResult, Story
from journeys.reports import compose, exports, pdf
from journeys.reports import services as reports
from journeys.reports.models import ReportExport, ReportItem
from journeys.stories import services as stories
from journeys.stories.services import StoryDetails

pytestmark = pytest.mark.django_db

Status = ReportExport.Status
Visibility = Journey.Visibility
REISVERSLAG = PhaseResult.Kind.REISVERSLAG


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """The PDFs go to a folder of this test, not to var/private."""
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(ReportExport._meta.get_field("file"), "storage", storage)
    return storage


LOCAL = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture
def no_network(monkeypatch):
    """Refuses, and records, every attempt to look up or reach a host other than this
    machine (the database and Redis stay reachable). Returns the attempts."""
    attempts = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address, *args):
        if isinstance(address, tuple) and address[0] not in LOCAL:
            attempts.append(address)
            raise OSError(f"network access in a test: {address}")
        return real_connect(sock, address, *args)

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOCAL and host is not None:
            attempts.append(host)
            raise OSError(f"name lookup in a test: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def flat(text: str) -> str:
    """Text as compared with what a PDF gives back: ligatures split, whitespace single."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def bare(text: str) -> str:
    """Text without any whitespace: lines in a PDF break where the layout wants."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return flat(" ".join(page.extract_text() for page in reader.pages))


def tell(person, journey, title, text, *, visibility=Story.Visibility.OPENBAAR):
    return stories.tell_story(
        person,
        StoryDetails(
            title=title,
            text=text,
            perspective=Story.Perspective.INWONER,
            visibility=visibility,
            journey=journey,
        ),
    )


def write(journey, text="Een jaar vroegsignalering in drie wijken.", **sections):
    """The reisverslag of cycle 1 with a summary (and other sections) written."""
    result = services.result_for(journey, REISVERSLAG, 1)
    author = journey.memberships.get(role="reisbegeleider").user
    services.save_result(
        author,
        result,
        content={"samenvatting": text, **sections},
        base_revision_id=result.latest_revision_id,
    )
    result.refresh_from_db()
    return result


def made(result, *, requested_by=None) -> ReportExport:
    """A finished export of `result` as it reads now, without rendering a real PDF."""
    export = ReportExport.objects.create(
        result=result,
        revision_number=result.latest_revision.number if result.latest_revision else None,
        requested_by=requested_by,
    )
    digest = pdf.digest_of(pdf.render_html(result))[: exports.DIGEST_LENGTH]
    stem = pdf.file_name(result).removesuffix(".pdf")
    export.file.save(f"{stem}-{digest}.pdf", ContentFile(b"%PDF-1.7 proef"), save=False)
    export.status, export.progress = Status.DONE, 100
    export.save()
    return export


def urls(journey, export, kind_slug="reisverslag") -> dict[str, str]:
    base = {"slug": journey.slug, "kind_slug": kind_slug}
    return {
        "report_pdf": reverse("journeys:report_pdf", kwargs=base),
        "report_pdf_status": reverse(
            "journeys:report_pdf_status", kwargs={**base, "pk": export.pk}
        ),
        "report_pdf_download": reverse(
            "journeys:report_pdf_download", kwargs={**base, "pk": export.pk}
        ),
    }


def in_dutch(message) -> str:
    with translation.override("nl"):
        return str(message)


# --- The demo reisverslag, read back from its PDF -------------------------------------------


def test_the_demo_reisverslag_pdf_holds_every_heading_and_the_stories_as_told(
    django_capture_on_commit_callbacks, no_network, client
):
    call_command("seed_demo")
    journey = Journey.objects.get(slug="armoede-interventies-waardenland")
    result = PhaseResult.objects.get(journey=journey, kind=REISVERSLAG, cycle=1)
    member = journey.memberships.get(role="meelezer").user

    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(member, result)
    export.refresh_from_db()

    assert (export.status, export.progress, export.error) == (Status.DONE, 100, "")
    with export.file.open("rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    text = pdf_text(data)
    with translation.override("nl"):
        labels = [str(section.label) for section in method.RESULT_SECTIONS[REISVERSLAG]]
        report = compose.build(result)
        title = pdf.title_of(result)
    told = [
        entry.obj
        for section in report.sections
        for entry in section.entries
        if entry.kind == ReportItem.Kind.STORY
    ]
    assert len(told) >= 3, "the demo reisverslag tells stories"
    # Every section heading, in the method's order, each at the top of its page.
    tops = [page.extract_text().strip().splitlines()[0] for page in reader.pages]
    assert [top for top in tops if top in labels] == labels
    assert tops[1] == "Inhoud" and all(flat(label) in text for label in labels)
    for story in told:
        assert flat(story.title) in text
        assert bare(story.text) in bare(text), story.title
    # The chart is there with its table, and the document says what it is.
    assert "alle cijfers" in text
    assert reader.metadata.title == title
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged: PDF/UA
    bookmarks = [item["/Title"] for item in reader.outline[1] if not isinstance(item, list)]
    assert bookmarks == labels
    assert no_network == []

    # A member downloads it under its own name.
    client.force_login(member)
    response = client.get(urls(journey, export)["report_pdf_download"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="reisverslag-armoede-interventies-waardenland-cyclus-1.pdf"'
    )
    assert b"".join(response.streaming_content) == data


# --- Progress and failure ---------------------------------------------------------------------


def test_the_status_page_follows_the_export_from_the_queue_to_the_download(
    personas, make_journey, monkeypatch, django_assert_max_num_queries
):
    journey = make_journey()
    result = write(journey)
    rosa = personas["reisbegeleider"]
    client = Client()
    client.force_login(rosa)

    response = client.post(urls(journey, made(result))["report_pdf"], {"cyclus": 1})
    # The made export shows the report as it reads now: no second one.
    assert ReportExport.objects.count() == 1
    ReportExport.objects.all().delete()

    response = client.post(reverse("journeys:report_pdf", args=[journey.slug, "reisverslag"]))
    export = ReportExport.objects.get()  # the task waits for the commit: still in the queue
    page = urls(journey, export)["report_pdf_status"]
    assert response.status_code == 302 and response.url == page
    assert AuditEntry.objects.filter(action="journey.report_exported").count() == 1

    # 5 for the page (journey, session, user, role, export), 9 for the site's shell
    # (main navigation, notifications).
    with django_assert_max_num_queries(14):
        html = client.get(page).content.decode()
    assert '<progress id="pdf-voortgang-balk" max="100" value="0">' in html
    assert "Staat in de wachtrij" in html
    assert 'http-equiv="refresh" content="2"' in html  # without JavaScript
    assert 'hx-trigger="every 2s"' in html  # with htmx
    assert "Vernieuwen" in html

    seen = []
    real_at = exports._at

    def watch(export_id, step):
        real_at(export_id, step)
        done = ReportExport.objects.get(pk=export_id)
        seen.append((done.status, done.progress, done.step))
        if step == exports.LAYING_OUT:  # what a reader sees halfway
            halfway = client.get(page).content.decode()
            seen.append('value="40"' in halfway and "worden opgemaakt" in halfway)

    monkeypatch.setattr(exports, "_at", watch)
    assert exports.make_report_pdf.call(export.pk) == Status.DONE

    assert seen == [
        (Status.RUNNING, 10, "verzamelen"),
        (Status.RUNNING, 40, "opmaken"),
        True,
        (Status.RUNNING, 90, "opslaan"),
    ]
    export.refresh_from_db()
    assert (export.status, export.progress, export.step) == (Status.DONE, 100, "")
    assert export.finished_at is not None
    html = client.get(page).content.decode()
    assert "De PDF is klaar." in html
    assert "<progress" not in html and "http-equiv" not in html and "hx-trigger" not in html
    assert urls(journey, export)["report_pdf_download"] in html
    # htmx stops asking once the PDF is made.
    assert client.get(page, headers={"HX-Request": "true"}).status_code == 286


def test_a_failing_render_is_recorded_and_the_status_page_says_so(
    personas, make_journey, monkeypatch, django_capture_on_commit_callbacks
):
    journey = make_journey()
    write(journey)

    def broken(*args, **kwargs):
        raise OSError("Pango is weg")

    monkeypatch.setattr(pdf, "render", broken)
    client = Client(raise_request_exception=False)
    client.force_login(personas["professional"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("journeys:report_pdf", args=[journey.slug, "reisverslag"]), {"cyclus": 1}
        )

    export = ReportExport.objects.get()
    assert export.status == Status.FAILED
    assert export.progress < 100 and not export.file
    assert "OSError" in export.error and "Pango is weg" not in export.error
    assert export.finished_at is not None
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "De PDF kon niet worden gemaakt" in html
    assert export.error in html
    assert "Opnieuw proberen" in html and "<progress" not in html
    download = client.get(urls(journey, export)["report_pdf_download"])
    assert download.status_code == 302 and download.url == response.url


def test_a_pdf_no_longer_matching_the_report_is_not_handed_out(personas, make_journey):
    """A story withdrawn after the PDF was made leaves the PDF too."""
    journey = make_journey(visibility=Visibility.OPENBAAR)
    ilse = personas["inwoner"]
    story = tell(ilse, journey, "Mijn verhaal", "Wat ik nooit eerder vertelde.")
    result = write(journey)
    reports.add_item(personas["professional"], result, kind="verhaal", key=str(story.pk))
    export = made(result)
    client = Client()
    client.force_login(personas["opdrachtgever"])
    assert client.get(urls(journey, export)["report_pdf_download"]).status_code == 200

    stories.withdraw_story(ilse, story)

    response = client.get(urls(journey, export)["report_pdf_download"])
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "veranderd" in html and "Nieuwe PDF maken" in html
    # Asking again makes a new one rather than handing back the old.
    again = exports.request_export(personas["opdrachtgever"], result)
    assert again.pk != export.pk and again.status == Status.QUEUED


def test_at_most_three_pdfs_of_a_report_are_kept(personas, make_journey, monkeypatch):
    journey = make_journey()
    rosa = personas["reisbegeleider"]

    def quick(result, *, base_url, html=None):
        html = html or pdf.render_html(result)
        return pdf.Rendered(b"%PDF-1.7 snel", pdf.digest_of(html), [], True)

    monkeypatch.setattr(pdf, "render", quick)
    files = []
    for n in range(5):
        result = write(journey, f"Samenvatting {n}.")
        export = exports.request_export(rosa, result)
        assert exports.run_export(export.pk) == Status.DONE
        export.refresh_from_db()
        files.append(export.file.name)

    kept = list(ReportExport.objects.order_by("pk").values_list("file", flat=True))
    assert kept == files[2:]
    storage = ReportExport._meta.get_field("file").storage
    assert [storage.exists(name) for name in files] == [False, False, True, True, True]


# --- Who may ask for it and download it -------------------------------------------------------

VIEWERS = (
    "anonymous",
    "non-member",
    "meelezer",
    "reiziger",
    "opdrachtgever",
    "reisbegeleider",
    "staff",
)
PERSONA = {
    "non-member": "trainer",
    "meelezer": "inwoner",
    "reiziger": "professional",
    "opdrachtgever": "opdrachtgever",
    "reisbegeleider": "reisbegeleider",
    "staff": "beheerder",
}
SEES = {
    Visibility.BESLOTEN: {"meelezer", "reiziger", "opdrachtgever", "reisbegeleider", "staff"},
    Visibility.OPENBAAR: set(VIEWERS),
}


LOGIN_PATH = reverse("account_login")


def expected(visibility: str, viewer: str, name: str):
    if viewer not in SEES[visibility]:
        return 404
    if viewer == "anonymous":
        return "login"
    if viewer == "non-member":
        return 403
    return 302 if name == "report_pdf" else 200


@pytest.mark.parametrize("visibility", [Visibility.BESLOTEN, Visibility.OPENBAAR])
def test_members_and_staff_make_and_download_the_pdf_and_others_do_not(
    personas, make_journey, visibility
):
    journey = make_journey(visibility=visibility)
    result = write(journey)
    export = made(result)
    mismatches = []
    for viewer in VIEWERS:
        client = Client(raise_request_exception=False)
        if viewer != "anonymous":
            client.force_login(personas[PERSONA[viewer]])
        for name, url in urls(journey, export).items():
            response = client.post(url, {"cyclus": 1}) if name == "report_pdf" else client.get(url)
            want = expected(visibility, viewer, name)
            got = response.status_code
            if got == 302 and response.url.startswith(LOGIN_PATH):
                got = "login"
            if got != want:
                mismatches.append(f"{viewer} {name}: {got}, expected {want}")
            if name == "report_pdf_download" and got == 200:
                assert b"".join(response.streaming_content) == b"%PDF-1.7 proef"
    assert mismatches == []
    # Nobody's request made a second PDF of the same report.
    assert list(ReportExport.objects.values_list("pk", flat=True)) == [export.pk]


def test_a_non_member_asking_for_a_pdf_is_told_why_and_nothing_is_made(personas, make_journey):
    journey = make_journey(visibility=Visibility.OPENBAAR)
    result = write(journey)
    outsider = personas["trainer"]

    with pytest.raises(PermissionDenied) as refused:
        exports.request_export(outsider, result)
    assert "Alleen leden van deze reis" in in_dutch(refused.value.args[0])
    client = Client(raise_request_exception=False)
    client.force_login(outsider)
    response = client.post(reverse("journeys:report_pdf", args=[journey.slug, "reisverslag"]))
    assert response.status_code == 403
    assert ReportExport.objects.count() == 0
    assert not AuditEntry.objects.filter(action="journey.report_exported").exists()


def test_an_export_of_another_journey_or_report_is_not_found(personas, make_journey):
    mine = make_journey("Mijn reis")
    other = make_journey("Andere reis")
    theirs = made(write(other))
    client = Client()
    client.force_login(personas["reisbegeleider"])  # leads both journeys
    for name in ("report_pdf_status", "report_pdf_download"):
        assert client.get(urls(other, theirs)[name]).status_code == 200
        assert client.get(urls(mine, theirs)[name]).status_code == 404
        assert client.get(urls(other, theirs, kind_slug="foto")[name]).status_code == 404


# --- A report with nothing in it --------------------------------------------------------------


def test_an_empty_report_is_refused_with_a_message_and_nothing_is_made(personas, make_journey):
    journey = make_journey()
    rosa = personas["reisbegeleider"]
    client = Client()
    client.force_login(rosa)
    url = reverse("journeys:report_pdf", args=[journey.slug, "reisverslag"])

    # No reisverslag at all yet, then one with nothing in it.
    response = client.post(url, {"cyclus": 1}, follow=True)
    assert "er staat nog niets in" in response.content.decode()
    result = services.result_for(journey, REISVERSLAG, 1)
    with pytest.raises(services.RuleViolation) as refused:
        exports.request_export(rosa, result)
    assert "er staat nog niets in" in in_dutch(refused.value.args[0])
    response = client.post(url, {"cyclus": 1}, follow=True)
    assert response.status_code == 200
    assert "er staat nog niets in" in response.content.decode()
    assert ReportExport.objects.count() == 0


# --- Nothing is fetched -----------------------------------------------------------------------


def test_the_url_fetcher_hands_out_static_files_and_refuses_everything_else(no_network):
    fetcher = pdf.make_url_fetcher()
    for url in (
        "http://example.org/beeld.png",
        "https://example.org/stijl.css",
        "ftp://example.org/bestand",
        "file:///etc/passwd",
        "file://example.org/etc/passwd",
        "gopher://example.org/",
    ):
        with pytest.raises(pdf.FetchRefusedError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6
    stylesheet = finders.find(pdf.STYLESHEET)
    response = fetcher.fetch(f"file://{stylesheet}")
    assert b"@page" in response.read()
    response.close()
    assert fetcher.fetch("data:text/plain;base64,aGFsbG8=").read() == b"hallo"
    assert no_network == []


def test_addresses_in_a_story_or_the_document_are_never_fetched(personas, make_journey, no_network):
    journey = make_journey(visibility=Visibility.OPENBAAR)
    text = (
        'Kijk maar: <img src="http://tracker.example/pixel.png"> en '
        "<a href='https://tracker.example/'>deze site</a>, of http://tracker.example/x.png."
    )
    story = tell(personas["inwoner"], journey, "Een verhaal met adressen", text)
    result = write(journey)
    reports.add_item(personas["professional"], result, kind="verhaal", key=str(story.pk))

    rendered = pdf.render(result, base_url="http://testserver/")
    # Told as text, not as an image or a link to fetch.
    assert bare(text) in bare(pdf_text(rendered.pdf))
    assert rendered.refused == []

    # Even a document that asks for outside resources gets none of them.
    html = pdf.render_html(result).replace(
        "</body>",
        '<img src="http://tracker.example/pixel.png" alt="">'
        '<img src="/media/verhalen/foto.jpg" alt="">'
        '<link rel="stylesheet" href="https://tracker.example/stijl.css"></body>',
    )
    rendered = pdf.render(result, base_url="http://testserver/", html=html)
    assert set(rendered.refused) >= {
        "http://tracker.example/pixel.png",
        "http://testserver/media/verhalen/foto.jpg",
    }
    assert no_network == []

"""An XSS corpus in every user text field, rendered in Chromium: no script runs.

Each payload is saved through the services into the forum (thread title and post body, in
a journey and on the plein), a story (title, text, quote, neighbourhood, theme), a board
card and comment, an event (title, description, address, verslag), a leervraag (question,
context, comment), a member's names, an organisation's name, the impact canvas (actor,
contribution, phase), a phase result (the opdracht) and a forum report. Then every page
that shows them is opened as a signed-in member: the thread pages, the journey forum, the
plein, the story pages and archive, the board, the event pages and agenda, the leervragen
list and pages, the search results, the notifications, the canvas, the opdracht, the
reisverslag composer, the journey dashboard and the moderation queue.

Every payload tries to set window.__xss or call alert(); the test listens for dialogs,
reads window.__xss after the page (and its failing images) settled, and also looks in the
DOM for what would run on a click or hover: an event-handler or htmx attribute, or a
javascript: / data: link, carrying the payload's marker. The figures
(payloads x fields x pages) are printed for docs/security.md.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import ForumCategory, Organisation
from community.services import boards as board_services
from community.services import events as event_services
from community.services import forum as forum_services
from community.services import register_member
from community.services.boards import BoardDetails
from community.services.events import EventDetails
from journeys import method
from journeys import services as journey_services
from journeys.models import Journey, Story
from journeys.services import RuleViolation
from journeys.stories import services as story_services
from journeys.stories.services import StoryDetails
from learning.leervragen import services as question_services
from tests.conftest import PASSWORD
from tests.e2e.test_accounts_flow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The word every saved text carries, so search finds them all.
WORD = "xsskorpus"

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    '<a href="javascript:window.__xss=1">klik</a>',
    '<a href="&#106;avascript:window.__xss=1">klik</a>',
    "[klik](javascript:window.__xss=1)",
    "[klik](JaVaScRiPt:alert(1))",
    "![beeld](javascript:window.__xss=1)",
    "[klik](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    '"><img src=x onerror=window.__xss=1>',
    "' onmouseover='window.__xss=1' x='",
    '" autofocus onfocus="window.__xss=1" x="',
    "</textarea><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    "{{7*7}} {% now 'Y' %} ${7*7} #{7*7}",
    '<div hx-get="/meldingen/" hx-trigger="load" hx-on::after-request="window.__xss=1">x</div>',
    '<button hx-on:click="window.__xss=1" hx-post="/plein/nieuw/">knop</button>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    '<details open ontoggle="window.__xss=1">',
    "<body onload=window.__xss=1>",
    "<style>*{background:url('javascript:window.__xss=1')}</style>",
    "\uff1cscript\uff1ewindow.__xss=1\uff1c/script\uff1e",
    "\u202e<scr\u200bipt>window.__xss=1</scr\u200bipt>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    '<form action="javascript:window.__xss=1"><input type=submit></form>',
    '<object data="javascript:window.__xss=1"></object>',
]

# What would run later (a click, a hover, htmx): an attribute or link with the marker.
INJECTED_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.toLowerCase().replace(/\\s/g, '');
      const marked = value.includes('__xss') || value.includes('alert(');
      const urlish = ['href', 'src', 'action', 'formaction', 'data', 'srcdoc'].includes(name);
      const handler = name.startsWith('on') || name.startsWith('hx-') || name.startsWith('data-hx');
      if (handler && marked) {
        found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
      } else if (urlish && (value.startsWith('javascript:') || value.startsWith('data:text/html')
                 || (name === 'srcdoc' && marked))) {
        found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
      }
    }
  }
  return found;
}"""


REFUSED: dict[str, set[str]] = {}


def _save(saved: dict, field: str, action) -> None:
    """Save one payload into one field; a field whose rules refuse the payload is skipped,
    not counted, and its reason printed with the figures."""
    try:
        action()
    except RuleViolation as refused:
        REFUSED.setdefault(field, set()).add(str(refused))
        return
    saved[field] = saved.get(field, 0) + 1


def _corpus(personas, settings) -> dict:
    # The per-minute rules would refuse most of the corpus: it is written in one go.
    settings.RATE_LIMITS = {}
    settings.FORUM_POSTS_PER_MINUTE = 100_000
    settings.BOARD_CARDS_PER_MINUTE = 100_000
    lead = personas["reisbegeleider"]
    other = personas["professional"]
    organisation = Organisation.objects.create(
        name=f"{WORD} <img src=x onerror=window.__xss=1>", kind=Organisation.Kind.GEMEENTE
    )
    journey = journey_services.create_journey(
        lead,
        title=f"{WORD} reis",
        challenge="Eenzaamheid",
        visibility=Journey.Visibility.NETWERK,
        organisations=[organisation],
    )
    invitation = journey_services.invite(lead, journey, email=other.email, role="reiziger")
    journey_services.accept_invitation(other, invitation.token)
    category = ForumCategory.objects.create(name="Algemeen", slug="algemeen")
    board = board_services.create_board(
        lead, journey, BoardDetails(title=f"{WORD} bord"), template="perspectieven"
    )
    board_services.set_state(lead, board, "open")
    column = board.columns.first()
    row = board.rows.first()
    canvas_phase = journey_services.add_canvas_phase(lead, journey, name="Signalering")
    saved: dict[str, int] = {"organisation name": 1}
    threads, stories, events, questions = [], [], [], []
    sections = method.section_keys(journey.result_kind)
    result_content = {key: "" for key in sections}
    past = timezone.now() - timedelta(days=2)

    for n, payload in enumerate(PAYLOADS):
        text = f"{WORD} {payload}"
        author = register_member(
            None,
            email=f"schrijver{n}@example.org",
            password=PASSWORD,
            first_name=payload[:150],
            last_name=payload[:150],
            email_verified=True,
        )
        journey_services.accept_invitation(
            author,
            journey_services.invite(lead, journey, email=author.email, role="reiziger").token,
        )
        saved["member first and last name"] = saved.get("member first and last name", 0) + 1

        def thread_in_journey(text=text, payload=payload):
            thread = forum_services.start_thread(
                lead, title=payload[:200] or WORD, body=text, journey=journey
            )
            threads.append(thread)

        _save(saved, "journey thread title and body", thread_in_journey)
        if threads:
            thread = threads[-1]
            _save(
                saved,
                "reply body (by a member with the payload as name)",
                lambda thread=thread, text=text, author=author: forum_services.reply(
                    author, thread, body=text
                ),
            )
            _save(
                saved,
                "forum report reason",
                lambda thread=thread, text=text: forum_services.report_post(
                    other, thread.posts.first(), reason=text
                ),
            )
        _save(
            saved,
            "plein thread title and body",
            lambda text=text, payload=payload: threads.append(
                forum_services.start_thread(
                    other, title=payload[:200], body=text, category=category
                )
            ),
        )
        _save(
            saved,
            "story title, text, quote, wijk and theme",
            lambda text=text, payload=payload: stories.append(
                story_services.tell_story(
                    lead,
                    StoryDetails(
                        title=payload[:200],
                        text=text,
                        quote=payload[:200],
                        wijk=payload[:100],
                        themes=[payload[:40]],
                        perspective=Story.Perspective.PROFESSIONAL,
                        visibility=Story.Visibility.NETWERK,
                        journey=journey,
                    ),
                )
            ),
        )
        card_holder = []
        _save(
            saved,
            "board card text",
            lambda text=text, card_holder=card_holder: card_holder.append(
                board_services.post_card(
                    other,
                    board,
                    body=text,
                    column_id=column.pk,
                    row_id=getattr(row, "pk", None),
                )
            ),
        )
        if card_holder:
            _save(
                saved,
                "board card comment",
                lambda text=text, card=card_holder[0]: board_services.add_comment(
                    lead, card, body=text
                ),
            )

        def event(text=text, payload=payload):
            created = event_services.create_event(
                lead,
                EventDetails(
                    title=payload[:200],
                    description=text,
                    address=payload[:250],
                    starts_at=past,
                    ends_at=past + timedelta(hours=2),
                    form="fysiek",
                ),
                journey=journey,
            )
            events.append(created)
            event_services.record_report(lead, created, report=text, attendance=3)

        _save(saved, "event title, description, address and verslag", event)
        _save(
            saved,
            "leervraag question and context",
            lambda text=text: questions.append(
                question_services.raise_question(
                    lead, question=text[:300], context=text, journey=journey
                )
            ),
        )
        if questions:
            question = questions[-1]
            _save(
                saved,
                "leervraag comment",
                lambda question=question, text=text: question_services.comment(
                    lead, question, body=text
                ),
            )
        _save(
            saved,
            "canvas actor and contribution",
            lambda payload=payload, text=text: journey_services.add_canvas_entry(
                lead,
                journey,
                phase=canvas_phase,
                block="probleemeigenaar",
                actor_name=payload[:100],
                contribution=text,
            ),
        )
        key = sections[n % len(sections)]
        result_content[key] += f"{text}\n\n"
        saved["opdracht (phase result) sections"] = 1

    result = journey_services.result_for(journey, journey.result_kind)
    journey_services.save_result(
        lead, result, content=result_content, base_revision_id=result.latest_revision_id
    )
    return {
        "journey": journey,
        "board": board,
        "threads": threads,
        "stories": stories,
        "events": events,
        "questions": questions,
        "saved": saved,
    }


def _pages(corpus) -> list[str]:
    slug = corpus["journey"].slug
    pages = [
        f"/reizen/{slug}/",
        f"/reizen/{slug}/forum/",
        "/plein/",
        "/verhalen/",
        f"/reizen/{slug}/verhalen/",
        corpus["board"].get_absolute_url(),
        "/agenda/",
        f"/reizen/{slug}/agenda/",
        "/leervragen/",
        "/leervragen/bord/",
        f"/reizen/{slug}/leervragen/",
        f"/zoeken/?q={WORD}",
        f"/plein/zoeken/?q={WORD}",
        f"/reizen/{slug}/forum/zoeken/?q={WORD}",
        "/meldingen/",
        f"/reizen/{slug}/canvas/",
        f"/reizen/{slug}/opdracht/",
        f"/reizen/{slug}/reisverslag/samenstellen/",
        f"/reizen/{slug}/leden/",
        f"/reizen/{slug}/activiteit/",
        f"/reizen/{slug}/forum/moderatie/",
    ]
    for thread in corpus["threads"]:
        if thread.journey_id:
            pages.append(f"/reizen/{slug}/forum/{thread.pk}/")
        else:
            pages.append(f"/plein/onderwerp/{thread.pk}/")
    pages += [story.get_absolute_url() for story in corpus["stories"]]
    pages += [f"/agenda/{event.pk}/" for event in corpus["events"]]
    pages += [question.get_absolute_url() for question in corpus["questions"]]
    return pages


def test_no_payload_runs_on_any_page_that_shows_user_text(page, site, personas, settings):
    corpus = _corpus(personas, settings)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, site, "reisbegeleider@example.org")

    checked = []
    for path in _pages(corpus):
        response = page.goto(site + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # failing images fire onerror after load
        ran = page.evaluate("() => window.__xss")
        injected = page.evaluate(INJECTED_JS)
        assert not ran, f"a payload ran on {path}"
        assert not dialogs, f"alert() on {path}: {dialogs}"
        assert not injected, f"{path}: {injected[:5]}"
        checked.append(path)

    fields = corpus["saved"]
    print(
        f"\nXSS corpus: {len(PAYLOADS)} payloads, {len(fields)} fields "
        f"({sum(fields.values())} saved texts), {len(checked)} pages checked"
    )
    for field, count in sorted(fields.items()):
        print(f"  {field}: {count}")
    for field, reasons in sorted(REFUSED.items()):
        print(f"  refused in {field}: {sorted(reasons)}")
    assert len(checked) >= 100

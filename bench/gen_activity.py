"""Events with registrations, live boards with cards, and leervragen in every workflow
state with votes and their timeline. Counters (card_count, vote_count) match the rows."""

from __future__ import annotations

from datetime import timedelta

from bench import gen_text as text
from bench.gen_core import REFERENCE, Ctx
from community.models import AgendaItem, Board, BoardColumn, BoardRow, Card, Event, Registration
from learning.models import (
    LearningQuestion,
    LearningQuestionFollower,
    LearningQuestionMove,
    LearningQuestionVote,
)

COLUMNS = ("Burgers", "Professionals", "Beleidsmakers")
ROWS = ("Wat is impact?", "Verwachtingen", "Wrijving en dilemma's")


def make_events(ctx: Ctx) -> None:
    rng = ctx.rng("events")
    n = ctx.counts["events"]
    n_target = max(1, n // 100)
    start = ctx.w.next_id(Event)
    events, organisers, registrations, agenda = [], [], [], []
    reg_id, org_id, item_id = (
        ctx.w.next_id(Registration),
        ctx.w.next_id(Event.organisers.through),
        ctx.w.next_id(AgendaItem),
    )
    for i in range(n):
        pk = start + i
        journey = (
            ctx.target
            if i < n_target
            else (rng.choice(ctx.journeys) if rng.random() < 0.8 else None)
        )
        people = journey.members if journey else ctx.users
        starts = REFERENCE + timedelta(days=rng.randint(-365, 365), hours=rng.randint(0, 9))
        form = rng.choice(["fysiek", "online", "hybride"])
        capacity = rng.choice([None, None, None, 20, 40])
        organiser = journey.facilitator if journey else rng.choice(people)
        events.append((
            pk, journey.id if journey else None, None, f"Bijeenkomst: {text.title(rng)}",
            text.paragraph(rng, 2), starts, starts + timedelta(hours=2), form,
            "" if form == "online" else f"Buurthuis {rng.choice(text.WIJKEN)} {pk % 200}",
            "" if form == "fysiek" else f"https://meet.example.org/{pk}",
            capacity, starts - timedelta(days=1), None,
            text.paragraph(rng, 2) if starts < REFERENCE and rng.random() < 0.3 else "",
            None, organiser, starts - timedelta(days=rng.randint(10, 60)),
        ))  # fmt: skip
        organisers.append((org_id + len(organisers), pk, organiser))
        attending = 0
        for user in rng.sample(people, min(len(people), rng.randint(3, 15))):
            status = rng.choices(["aanwezig", "misschien", "afwezig"], [6, 2, 1])[0]
            waitlisted = None
            if status == "aanwezig":
                if capacity is not None and attending >= capacity:
                    status, waitlisted = "wachtlijst", starts - timedelta(days=3)
                else:
                    attending += 1
            at = starts - timedelta(days=5)
            registrations.append(
                (reg_id + len(registrations), pk, user, status, at, waitlisted, at, None, None)
            )
        for position in range(2):
            agenda.append((item_id + len(agenda), pk, position, text.title(rng), 30, ""))
    ctx.w.insert(
        Event,
        ["id", "journey_id", "series_id", "title", "description", "starts_at", "ends_at", "form",
         "address", "online_url", "capacity", "registration_deadline", "cancelled_at", "report",
         "attendance", "created_by_id", "created_at"],
        events,
    )  # fmt: skip
    ctx.w.insert(Event.organisers.through, ["id", "event_id", "user_id"], organisers)
    ctx.w.insert(
        Registration,
        ["id", "event_id", "user_id", "status", "created_at", "waitlisted_at", "updated_at",
         "reminded_day_before_at", "reminded_hour_before_at"],
        registrations,
    )  # fmt: skip
    ctx.w.insert(AgendaItem, ["id", "event_id", "position", "title", "minutes", "note"], agenda)


def make_boards(ctx: Ctx) -> None:
    """One board per journey on average; the target board (the first) holds 1% of the
    cards, at least 20, and is open."""
    rng = ctx.rng("boards")
    n_cards = ctx.counts["cards"]
    n_boards = ctx.counts["boards"]
    b_start, c_start, r_start, k_start = (
        ctx.w.next_id(Board), ctx.w.next_id(BoardColumn), ctx.w.next_id(BoardRow),
        ctx.w.next_id(Card),
    )  # fmt: skip
    boards, columns, rows, cards = [], [], [], []
    target_cards = min(n_cards, max(20, n_cards // 100))
    sizes = [target_cards] + [0] * (n_boards - 1)
    for k in rng.choices(range(1, n_boards), k=n_cards - target_cards) if n_boards > 1 else []:
        sizes[k] += 1
    for i in range(n_boards):
        pk = b_start + i
        journey = ctx.target if i == 0 else ctx.journeys[i % len(ctx.journeys)]
        state = (
            "open" if i == 0 else rng.choice(["concept", "open", "open", "bevroren", "gesloten"])
        )
        created = ctx.when(rng, 400)
        cols = [(c_start + len(columns) + k, pk, title, k) for k, title in enumerate(COLUMNS)]
        rws = [(r_start + len(rows) + k, pk, title, k) for k, title in enumerate(ROWS)]
        columns.extend(cols)
        rows.extend(rws)
        cell_positions: dict[tuple[int, int], int] = {}
        visible = 0
        for _ in range(sizes[i]):
            col, row = rng.choice(cols)[0], rng.choice(rws)[0]
            position = cell_positions.get((col, row), 0)
            cell_positions[(col, row)] = position + 1
            status = "visible" if rng.random() < 0.97 else "hidden"
            visible += status == "visible"
            cards.append((
                k_start + len(cards), pk, col, row, position, rng.choice(journey.members),
                rng.random() < 0.6, text.sentence(rng), "", "", "", status, rng.random() < 0.05,
                0, 0, None, created + timedelta(minutes=len(cards) % 600), None,
            ))  # fmt: skip
        boards.append((
            pk, journey.id, None, "Drie perspectieven" if i == 0 else text.title(rng),
            text.sentence(rng), "grid", state, "choice", False, 0, visible, journey.facilitator,
            created, created,
        ))  # fmt: skip
    ctx.w.insert(
        Board,
        ["id", "journey_id", "event_id", "title", "instructions", "layout", "state", "anonymity",
         "requires_approval", "last_seq", "card_count", "created_by_id", "created_at",
         "updated_at"],
        boards,
    )  # fmt: skip
    ctx.w.insert(BoardColumn, ["id", "board_id", "title", "position"], columns)
    ctx.w.insert(BoardRow, ["id", "board_id", "title", "position"], rows)
    ctx.w.insert(
        Card,
        ["id", "board_id", "column_id", "row_id", "position", "author_id", "is_anonymous", "body",
         "link", "image", "image_alt", "status", "is_highlighted", "reaction_count",
         "comment_count", "thread_id", "created_at", "edited_at"],
        cards,
    )  # fmt: skip
    ctx.manifest["board_id"] = b_start


S = LearningQuestion.Status
APPROACHES = [a.value for a in LearningQuestion.Approach]
FLOW = [S.INGEDIEND, S.GEPRIORITEERD, S.IN_ONDERZOEK, S.BEANTWOORD, S.GEDUID, S.AFGESLOTEN]


def make_leervragen(ctx: Ctx) -> None:
    rng = ctx.rng("leervragen")
    n = ctx.counts["leervragen"]
    n_target = min(n, max(7, n // 50))
    start = ctx.w.next_id(LearningQuestion)
    questions, moves, votes, followers, owners, themes = [], [], [], [], [], []
    ids = {
        m: ctx.w.next_id(m)
        for m in (LearningQuestionMove, LearningQuestionVote, LearningQuestionFollower,
                  LearningQuestion.owners.through)
    }  # fmt: skip
    positions: dict[int | None, int] = {}
    for i in range(n):
        pk = start + i
        journey = (
            ctx.target
            if i < n_target
            else (rng.choice(ctx.journeys) if rng.random() < 0.8 else None)
        )
        people = journey.members if journey else ctx.users
        # Every state in the target journey: the first seven cycle through them.
        status = (list(S)[i % len(S)] if i < n_target else
                  rng.choices(list(S), [30, 20, 15, 12, 8, 10, 5])[0])  # fmt: skip
        reached = (
            FLOW[: FLOW.index(status) + 1] if status != S.GEPARKEERD else FLOW[: rng.randint(1, 3)]
        )
        parked_from = reached[-1] if status == S.GEPARKEERD else ""
        if status == S.GEPARKEERD:
            reached = [*reached, S.GEPARKEERD]
        raised_by = rng.choice(people)
        created = ctx.when(rng, 600)
        answered = S.BEANTWOORD in reached
        interpreted = S.GEDUID in reached
        key = journey.id if journey else None
        position = None
        if S.GEPRIORITEERD in reached:
            position = positions.get(key, 0)
            positions[key] = position + 1
        owner = rng.choice(people)
        voters = rng.sample(people, min(len(people), rng.choice([0, 1, 2, 3, 5, 8])))
        at = created
        previous = ""
        for state in reached:
            moves.append((ids[LearningQuestionMove] + len(moves), pk, previous, state,
                          raised_by if state == S.INGEDIEND else owner, "", at))  # fmt: skip
            previous = state
            at += timedelta(days=rng.randint(3, 30))
        questions.append((
            pk, text.sentence(rng, 8).rstrip(".") + "?", text.paragraph(rng, 2),
            key, raised_by, None, None, None, None, status, parked_from, len(voters), position,
            rng.sample(APPROACHES, 2) if S.IN_ONDERZOEK in reached else [],
            (created + timedelta(days=90)).date() if S.IN_ONDERZOEK in reached else None,
            text.paragraph(rng, 3) if answered else "",
            [{"title": text.title(rng), "url": f"https://kennis.example.org/{pk}"}]
            if answered else [],
            rng.choice(["laag", "midden", "hoog"]) if answered else "",
            owner if answered else None, at if answered else None,
            text.paragraph(rng, 2) if interpreted else "",
            at.date() if interpreted else None, "reisbegeleider, reizigers" if interpreted else "",
            (journey.facilitator if journey else owner) if interpreted else None,
            None, created, at,
        ))  # fmt: skip
        for user in voters:
            votes.append(
                (ids[LearningQuestionVote] + len(votes), pk, user, created + timedelta(days=1))
            )
        followers.append((ids[LearningQuestionFollower] + len(followers), pk, raised_by, created))
        if S.IN_ONDERZOEK in reached:
            owners.append((ids[LearningQuestion.owners.through] + len(owners), pk, owner))
        themes.append((pk, rng.sample(text.THEMES, rng.choice([1, 2]))))
    ctx.w.insert(
        LearningQuestion,
        ["id", "question", "context", "journey_id", "raised_by_id", "raised_at_event_id",
         "raised_in_thread_id", "raised_from_card_id", "follows_up_id", "status", "parked_from",
         "vote_count", "position", "approaches", "due_date", "answer", "answer_sources",
         "answer_confidence", "answered_by_id", "answered_at", "duiding", "duiding_date",
         "duiding_participants", "duiding_by_id", "discussion_thread_id", "created_at",
         "updated_at"],
        questions,
    )  # fmt: skip
    ctx.w.insert(
        LearningQuestionMove,
        ["id", "question_id", "from_status", "to_status", "actor_id", "note", "created_at"],
        moves,
    )
    ctx.w.insert(LearningQuestionVote, ["id", "question_id", "user_id", "created_at"], votes)
    ctx.w.insert(
        LearningQuestionFollower, ["id", "question_id", "user_id", "created_at"], followers
    )
    ctx.w.insert(LearningQuestion.owners.through, ["id", "learningquestion_id", "user_id"], owners)
    ctx.tag_rows(LearningQuestion, themes)

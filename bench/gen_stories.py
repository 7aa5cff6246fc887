"""Stories: perspectives, themes (taggit), signifiers, a slider value, gemeente, years and
every visibility, owned by their authors; some recorded on a teller's behalf with a
consent record, a few withdrawn (those are never indexed)."""

from __future__ import annotations

from datetime import date, timedelta

from bench import gen_text as text
from bench.gen_core import REFERENCE, Ctx
from journeys.models import Story, StorySignifier, StorySlider, StorySliderValue

V = Story.Visibility
PERSPECTIVES = [p.value for p in Story.Perspective]
PERSPECTIVE_WEIGHTS = [30, 12, 25, 10, 8, 5, 10]
YEARS = list(range(2019, 2027))

FIELDS = [
    "id", "title", "text", "quote", "perspective", "author_id", "told_by", "teller_name",
    "display", "shown_name", "visibility", "journey_id", "cycle", "phase", "gemeente_id",
    "wijk", "happened_on", "year", "image", "image_type", "image_description", "audio",
    "audio_type", "consent_given_on", "consent_method", "consent_visibility", "consent_note",
    "withdrawal_code_hash", "created_at", "updated_at", "withdrawn_at", "source_card_id",
]  # fmt: skip


def make_stories(ctx: Ctx) -> None:
    rng = ctx.rng("stories")
    n = ctx.counts["stories"]
    n_target = max(2, n // 50)
    signifiers = list(StorySignifier.objects.values_list("id", flat=True))
    slider = StorySlider.objects.order_by("position", "pk").values_list("id", flat=True).first()
    start = ctx.w.next_id(Story)
    rows, themes, meant, sliders = [], [], [], []
    for i in range(n):
        pk = start + i
        if i < n_target:
            journey = ctx.target
        elif rng.random() < 0.7:
            journey = rng.choice(ctx.journeys)
        else:
            journey = None
        author = rng.choice(journey.members) if journey else rng.choice(ctx.users)
        if journey:
            visibility = rng.choices(
                [V.OPENBAAR, V.NETWERK, V.BESLOTEN, V.PRIVE], [35, 30, 25, 10]
            )[0]
        else:
            visibility = rng.choices([V.OPENBAAR, V.NETWERK, V.PRIVE], [45, 45, 10])[0]
        recorded = rng.random() < 0.2
        display = rng.choices(
            [Story.Display.NAME, Story.Display.FIRST_NAME, Story.Display.ANONYMOUS], [2, 5, 3]
        )[0]
        teller = " ".join(text.person(rng.randint(10_000, 99_999))[:2]) if recorded else ""
        first, last = teller.split(" ", 1) if recorded else ctx.names[author]
        shown = (
            ""
            if display == Story.Display.ANONYMOUS
            else (first if display == Story.Display.FIRST_NAME else f"{first} {last}")
        )
        year = rng.choice(YEARS)
        happened = date(year, 1, 1) + timedelta(days=rng.randint(0, 300))
        created = max(
            REFERENCE - timedelta(days=800),
            min(REFERENCE, _at(happened) + timedelta(days=rng.randint(1, 60))),
        )
        withdrawn = created + timedelta(days=3) if rng.random() < 0.01 else None
        body = text.paragraph(rng, rng.randint(3, 7))
        quote = text.sentence(rng, 8) if rng.random() < 0.4 else ""
        rows.append((
            pk, text.title(rng), body, quote,
            rng.choices(PERSPECTIVES, PERSPECTIVE_WEIGHTS)[0], author,
            Story.ToldBy.RECORDED if recorded else Story.ToldBy.TELLER, teller, display, shown,
            visibility, journey.id if journey else None, 1 if journey else None,
            journey.phase if journey else "",
            rng.choice(ctx.gemeenten) if rng.random() < 0.85 else None,
            rng.choice(text.WIJKEN) if rng.random() < 0.6 else "", happened, year,
            "", "", "", "", "",
            happened + timedelta(days=1) if recorded else None,
            rng.choice([m.value for m in Story.ConsentMethod]) if recorded else "",
            visibility if recorded else "", "", "", created, created, withdrawn, None,
        ))  # fmt: skip
        themes.append((pk, rng.sample(text.THEMES, rng.choice([1, 1, 2, 2, 3]))))
        for s in rng.sample(signifiers, rng.choice([0, 1, 1, 2, 3])):
            meant.append((pk, s))
        if slider and rng.random() < 0.5:
            sliders.append((pk, slider, rng.randint(0, 100)))
    ctx.w.insert(Story, FIELDS, rows)
    ctx.tag_rows(Story, themes)
    through = Story.signifiers.through
    s_id = ctx.w.next_id(through)
    ctx.w.insert(
        through,
        ["id", "story_id", "storysignifier_id"],
        [(s_id + k, story, sig) for k, (story, sig) in enumerate(meant)],
    )
    v_id = ctx.w.next_id(StorySliderValue)
    ctx.w.insert(
        StorySliderValue,
        ["id", "story_id", "slider_id", "value"],
        [(v_id + k, *row) for k, row in enumerate(sliders)],
    )
    ctx.manifest["story_ids"] = (start, start + n - 1)


def _at(day: date):
    from datetime import datetime, time

    return datetime.combine(day, time(10), tzinfo=REFERENCE.tzinfo)

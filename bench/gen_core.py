"""The generator's shared state, and the first stages: organisations, users with verified
email addresses, tags, journeys with their members, phases and results."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from bench import gen_text as text
from bench.gen_db import Writer
from community.models import Organisation, User
from journeys import method
from journeys.models import (
    PHASE_RESULT,
    CanvasPhase,
    CanvasPhaseTemplate,
    Journey,
    Membership,
    PhaseResult,
    PhaseTransition,
    ResultRevision,
)

# A fixed "now": the same seed gives the same rows whatever day it runs. Events spread a
# year around it, so about half are upcoming until late 2027.
REFERENCE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PASSWORD = "Bench-impact-2026"
PHASES = [p.value for p in Journey.Phase]
Role = Membership.Role


@dataclass
class JourneyInfo:
    id: int
    slug: str
    title: str
    visibility: str
    phase: str
    members: list[int]
    facilitator: int


@dataclass
class Ctx:
    profile: str
    seed: int
    counts: dict[str, int]
    w: Writer
    users: list[int] = field(default_factory=list)
    gemeenten: list[int] = field(default_factory=list)
    organisations: list[int] = field(default_factory=list)
    journeys: list[JourneyInfo] = field(default_factory=list)
    tags: dict[str, int] = field(default_factory=dict)
    names: dict[int, tuple[str, str]] = field(default_factory=dict)
    target: JourneyInfo | None = None
    # Filled by later stages for the manifest.
    manifest: dict = field(default_factory=dict)

    def rng(self, stage: str) -> random.Random:
        # One stream per stage: changing one stage leaves the others' data as it was.
        return random.Random(f"{self.seed}:{stage}")  # noqa: S311

    def when(self, rng: random.Random, days_back: int = 730) -> datetime:
        return REFERENCE - timedelta(seconds=rng.randint(0, days_back * 86400))

    def tag_rows(self, model, object_ids_tags: list[tuple[int, list[str]]]) -> None:
        """Taggit's generic TaggedItem rows for (object id, tag names)."""
        ct = ContentType.objects.get_for_model(model).pk
        start = self.w.next_id(TaggedItem)
        rows = []
        for object_id, names in object_ids_tags:
            for name in names:
                rows.append((start + len(rows), self.tags[name], ct, object_id))
        self.w.insert(TaggedItem, ["id", "tag_id", "content_type_id", "object_id"], rows)


def make_tags(ctx: Ctx) -> None:
    names = sorted(set(text.THEMES) | set(text.JOB_TITLES) | set(text.CHALLENGES))
    existing = dict(Tag.objects.values_list("name", "id"))
    new = [name for name in names if name not in existing]
    start = ctx.w.next_id(Tag)
    ctx.w.insert(
        Tag, ["id", "name", "slug"], [(start + i, n, slugify(n)) for i, n in enumerate(new)]
    )
    ctx.tags = {**existing, **{n: start + i for i, n in enumerate(new)}}


def make_organisations(ctx: Ctx) -> None:
    rng = ctx.rng("organisations")
    n = ctx.counts["organisations"]
    n_gemeenten = max(2, n * 3 // 4)
    start = ctx.w.next_id(Organisation)
    rows = []
    for i, name in enumerate(text.gemeente_names(n_gemeenten)):
        rows.append((start + i, name, Organisation.Kind.GEMEENTE, ""))
    for j in range(n - n_gemeenten):
        kind = text.ORGANISATION_KINDS[j % len(text.ORGANISATION_KINDS)]
        rows.append((start + len(rows), text.organisation_name(rng, kind, j + 1), kind, ""))
    ctx.w.insert(Organisation, ["id", "name", "kind", "website"], rows)
    ctx.organisations = [r[0] for r in rows]
    ctx.gemeenten = [r[0] for r in rows if r[2] == Organisation.Kind.GEMEENTE]


def make_users(ctx: Ctx) -> None:
    """Every user has the same password, hashed once, and a verified primary address."""
    rng = ctx.rng("users")
    hashed = make_password(PASSWORD)
    start = ctx.w.next_id(User)
    fields = ["id", "password", "last_login", "is_superuser", "first_name", "last_name",
              "is_staff", "is_active", "date_joined", "email", "organisation_id", "job_title",
              "handle"]  # fmt: skip
    rows, emails, expertise = [], [], []
    for n in range(1, ctx.counts["users"] + 1):
        first, last, handle = text.person(n)
        pk = start + n - 1
        email = f"{handle}@bench.example.org"
        org = rng.choice(ctx.organisations) if rng.random() < 0.85 else None
        rows.append((pk, hashed, None, False, first, last, False, True, ctx.when(rng, 1500),
                     email, org, rng.choice(text.JOB_TITLES), handle))  # fmt: skip
        emails.append((pk, email))
        if rng.random() < 0.3:
            expertise.append((pk, rng.sample(text.THEMES, rng.randint(1, 3))))
    ctx.w.insert(User, fields, rows)
    start_email = ctx.w.next_id(EmailAddress)
    ctx.w.insert(
        EmailAddress,
        ["id", "user_id", "email", "verified", "primary"],
        ((start_email + i, pk, email, True, True) for i, (pk, email) in enumerate(emails)),
    )
    ctx.tag_rows(User, expertise)
    ctx.users = [r[0] for r in rows]
    ctx.names = {r[0]: (r[4], r[5]) for r in rows}
    ctx.manifest["users"] = {
        r[0]: r[9] for r in rows[:3]
    }  # facilitator, member, opdrachtgever of the target


def _journey_members(ctx: Ctx, rng: random.Random, index: int) -> list[int]:
    if index == 0:
        # The target journey: the first 1,000 users (all of them in the smaller profiles).
        return ctx.users[:1000]
    size = min(len(ctx.users), rng.randint(5, 30))
    return rng.sample(ctx.users, size)


def make_journeys(ctx: Ctx) -> None:
    rng = ctx.rng("journeys")
    n = ctx.counts["journeys"]
    start = ctx.w.next_id(Journey)
    templates = list(CanvasPhaseTemplate.objects.order_by("position", "pk"))
    journeys, rows, orgs, themes = [], [], [], []
    for i in range(n):
        pk = start + i
        title = f"{text.title(rng)} {i + 1}" if i else "Samen tegen eenzaamheid in de wijk"
        slug = slugify(title)[:70].strip("-") if i else "bench-doelreis"
        if i:
            slug = f"{slug}-{pk}"
        visibility = (
            Journey.Visibility.OPENBAAR
            if i == 0
            else rng.choices(
                [
                    Journey.Visibility.OPENBAAR,
                    Journey.Visibility.NETWERK,
                    Journey.Visibility.BESLOTEN,
                ],
                [3, 4, 3],
            )[0]
        )
        phase = Journey.Phase.DOEN_EN_LEREN if i == 0 else rng.choice(PHASES)
        cycle = 1 if i == 0 else rng.choice([1, 1, 1, 2])
        members = _journey_members(ctx, rng, i)
        created = ctx.when(rng, 900)
        rows.append((pk, title, slug, rng.choice(text.CHALLENGES), text.paragraph(rng, 2),
                     visibility, rng.choice([s.value for s in Journey.Scenario] + [""]), phase,
                     cycle, created, created + timedelta(days=rng.randint(1, 200))))  # fmt: skip
        journeys.append(JourneyInfo(pk, slug, title, visibility, phase, members, members[0]))
        orgs.extend((pk, o) for o in rng.sample(ctx.gemeenten, min(len(ctx.gemeenten), 2)))
        themes.append((pk, rng.sample(text.THEMES, 2)))
    ctx.w.insert(
        Journey,
        ["id", "title", "slug", "challenge", "summary", "visibility", "scenario", "phase", "cycle",
         "created_at", "updated_at"],
        rows,
    )  # fmt: skip
    through = Journey.organisations.through
    start_o = ctx.w.next_id(through)
    ctx.w.insert(
        through,
        ["id", "journey_id", "organisation_id"],
        [(start_o + k, j, o) for k, (j, o) in enumerate(orgs)],
    )
    ctx.tag_rows(Journey, themes)
    ctx.journeys = journeys
    ctx.target = journeys[0]
    _memberships(ctx, rng, journeys, {r[0]: r[9] for r in rows})
    _phases(ctx, rng, journeys, {r[0]: (r[8], r[9]) for r in rows}, templates)


def _memberships(ctx: Ctx, rng: random.Random, journeys: list[JourneyInfo], created) -> None:
    start = ctx.w.next_id(Membership)
    rows = []
    for j in journeys:
        for k, user in enumerate(j.members):
            if k == 0:
                role = Role.REISBEGELEIDER
            elif k == 2 or (k > 2 and rng.random() < 0.03):
                role = Role.OPDRACHTGEVER
            elif k > 2 and rng.random() < 0.1:
                role = Role.MEELEZER
            else:
                role = Role.REIZIGER
            joined = created[j.id] + timedelta(hours=k)
            rows.append((start + len(rows), j.id, user, role, joined))
    ctx.w.insert(Membership, ["id", "journey_id", "user_id", "role", "joined_at"], rows)


def _phases(ctx: Ctx, rng, journeys: list[JourneyInfo], meta, templates) -> None:
    """Transitions up to the current phase; each phase's result, the earlier ones
    vastgesteld with one approved revision, as the services leave them."""
    t_rows, r_rows, v_rows, c_rows = [], [], [], []
    t_id, r_id = ctx.w.next_id(PhaseTransition), ctx.w.next_id(PhaseResult)
    v_id, c_id = ctx.w.next_id(ResultRevision), ctx.w.next_id(CanvasPhase)
    for j in journeys:
        _cycle, created = meta[j.id]
        reached = PHASES[: PHASES.index(j.phase) + 1]
        when = created
        previous = ""
        for phase in reached:
            t_rows.append((t_id + len(t_rows), j.id, previous, phase, 1, "", j.facilitator, when))
            kind = PHASE_RESULT[phase]
            done = phase != j.phase
            rev = v_id + len(v_rows)
            content = {key: text.sentence(rng) for key in method.section_keys(kind)[:3]}
            v_rows.append((rev, r_id + len(r_rows), 1, 1, content, j.facilitator, when, ""))
            approver = j.members[min(2, len(j.members) - 1)]
            r_rows.append((r_id + len(r_rows), j.id, kind, 1, 1,
                           PhaseResult.Status.VASTGESTELD if done else PhaseResult.Status.CONCEPT,
                           rev, rev if done else None, approver if done else None,
                           when + timedelta(days=20) if done else None))  # fmt: skip
            previous = phase
            when += timedelta(days=30)
        for t in templates:
            c_rows.append((c_id + len(c_rows), j.id, t.name, t.description, t.position))
    ctx.w.insert(
        PhaseTransition,
        ["id", "journey_id", "from_phase", "to_phase", "cycle", "note", "actor_id", "created_at"],
        t_rows,
    )
    # Results first without their revisions (the foreign keys point both ways).
    ctx.w.insert(
        PhaseResult,
        ["id", "journey_id", "kind", "cycle", "version", "status", "latest_revision_id",
         "approved_revision_id", "approved_by_id", "approved_at"],
        [(*r[:6], None, None, *r[8:]) for r in r_rows],
    )  # fmt: skip
    ctx.w.insert(
        ResultRevision,
        ["id", "result_id", "number", "version", "content", "author_id", "created_at", "note"],
        v_rows,
    )
    by_id = {r[0]: r for r in r_rows}
    PhaseResult.objects.bulk_update(
        [
            PhaseResult(pk=pk, latest_revision_id=r[6], approved_revision_id=r[7])
            for pk, r in by_id.items()
        ],
        ["latest_revision_id", "approved_revision_id"],
        batch_size=1000,
    )
    ctx.w.insert(CanvasPhase, ["id", "journey_id", "name", "description", "position"], c_rows)

"""Journeys through the Aanpakken met Impact method: members and their roles, the phases
with their history, the versioned results of each phase and the Impact Canvas.

Only journeys/services.py writes these; journeys/queries.py decides who may see them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from wagtail.search import index


class Journey(index.Indexed, models.Model):
    """A reis: a network working on one societal challenge through the four phases."""

    class Phase(models.TextChoices):
        REISWENS = "reiswens", _("reiswens")
        VERKENNEN = "verkennen", _("verkennen")
        INRICHTEN = "inrichten", _("(in)richten")
        DOEN_EN_LEREN = "doen_en_leren", _("doen en leren")

    class Visibility(models.TextChoices):
        OPENBAAR = "openbaar", _("public: anyone")
        NETWERK = "netwerk", _("network: everyone signed in")
        BESLOTEN = "besloten", _("closed: members only")

    class Scenario(models.TextChoices):
        # The five routes for a gemeente to start; the kennisbank's scenario pages carry
        # the same keys, so a journey links to its page once those pages exist.
        KLEIN_EN_KRACHTIG = "klein_en_krachtig", _("klein en krachtig")
        STRATEGISCHE_START = "strategische_start", _("strategische start")
        FOCUS_OP_PARTNERS = "focus_op_partners", _("focus op partners")
        IMPACT_DEEP_DIVING = "impact_deep_diving", _("impact deep diving")
        TRAINING = "training", _("training")

    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    challenge = models.CharField(
        _("societal challenge"),
        max_length=200,
        help_text=_("The maatschappelijke opgave, for example: loneliness among older residents."),
    )
    summary = models.TextField(_("summary"), blank=True)
    organisations = models.ManyToManyField(
        "community.Organisation",
        verbose_name=_("municipalities and organisations"),
        blank=True,
        related_name="journeys",
    )
    themes = TaggableManager(verbose_name=_("themes"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.NETWERK
    )
    scenario = models.CharField(
        _("scenario"), max_length=30, choices=Scenario.choices, blank=True, db_index=True
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.REISWENS, db_index=True
    )
    cycle = models.PositiveIntegerField(_("cycle"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last activity"), auto_now=True, db_index=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("challenge", boost=2),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("visibility"),
        index.FilterField("phase"),
    ]

    class Meta:
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("journeys:dashboard", kwargs={"slug": self.slug})

    @property
    def result_kind(self) -> str:
        return PHASE_RESULT[self.phase]


class Membership(models.Model):
    class Role(models.TextChoices):
        REISBEGELEIDER = "reisbegeleider", _("reisbegeleider")
        OPDRACHTGEVER = "opdrachtgever", _("opdrachtgever")
        REIZIGER = "reiziger", _("reiziger")
        MEELEZER = "meelezer", _("meelezer")

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["journey", "user"], name="one_membership_per_journey")
        ]
        ordering = ["journey", "user__first_name", "user__last_name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Invitation(models.Model):
    """An invitation by email; its secret link leads through sign-up or sign-in."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        REVOKED = "revoked", _("withdrawn")

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    message = models.TextField(_("personal message"), blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} -> {self.journey}"

    def get_absolute_url(self) -> str:
        return reverse("journeys:invitation", kwargs={"token": self.token})


class JoinRequest(models.Model):
    """A request to join a network journey, decided by its reisbegeleider."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey_join_requests"
    )
    message = models.TextField(_("why you want to join"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "user"],
                condition=models.Q(status="open"),
                name="one_open_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} -> {self.journey}"


class PhaseTransition(models.Model):
    """One move of a journey from phase to phase: the history the dashboard shows."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(max_length=20, choices=Journey.Phase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Journey.Phase.choices)
    cycle = models.PositiveIntegerField()
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.journey}: {self.from_phase or '-'} -> {self.to_phase}"


class PhaseResult(models.Model):
    """The result of one phase in one cycle: a document with numbered revisions.

    Status runs concept -> ter vaststelling -> vastgesteld. A vastgesteld version is
    read-only; the next edit opens version + 1, starting from the vastgesteld text.
    """

    class Kind(models.TextChoices):
        OPDRACHT = "opdracht", _("opdracht")
        FOTO = "foto", _("foto")
        PROGRAMMA_AANPAK = "programma_aanpak", _("programma-aanpak")
        REISVERSLAG = "reisverslag", _("reisverslag")

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        TER_VASTSTELLING = "ter_vaststelling", _("ter vaststelling")
        VASTGESTELD = "vastgesteld", _("vastgesteld")

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    cycle = models.PositiveIntegerField(default=1)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONCEPT)
    latest_revision = models.ForeignKey(
        "ResultRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_revision = models.ForeignKey(
        "ResultRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phase result")
        verbose_name_plural = _("phase results")
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "kind", "cycle"], name="one_result_per_kind_and_cycle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.journey} ({self.cycle})"

    @property
    def content(self) -> dict[str, str]:
        return self.latest_revision.content if self.latest_revision else {}

    @property
    def is_read_only(self) -> bool:
        return self.status == self.Status.VASTGESTELD


class ResultRevision(models.Model):
    """One saved state of a result: who wrote it, when, and the text of every section."""

    result = models.ForeignKey(PhaseResult, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    version = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("what changed"), max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["result", "number"], name="revision_numbers_unique")
        ]

    def __str__(self) -> str:
        return f"{self.result} r{self.number}"


class DataPoint(models.Model):
    """A figure for the foto's lenses: indicator, value, unit, source and date."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="data_points")
    cycle = models.PositiveIntegerField(default=1)
    lens = models.CharField(_("lens"), max_length=40)
    indicator = models.CharField(_("indicator"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=200)
    measured_on = models.DateField(_("date"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["lens", "indicator", "measured_on"]

    def __str__(self) -> str:
        return self.indicator


class LensDocument(models.Model):
    """A document the foto refers to under one lens, by its address."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="documents")
    cycle = models.PositiveIntegerField(default=1)
    lens = models.CharField(_("lens"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address (URL)"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["lens", "title"]

    def __str__(self) -> str:
        return self.title


class CanvasPhaseTemplate(models.Model):
    """The default phases of a societal issue that every new canvas starts with.

    Editable data: beheerders change the list in the admin; journeys already running keep
    their own copy.
    """

    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("canvas phase (default)")
        verbose_name_plural = _("canvas phases (default)")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class CanvasPhase(models.Model):
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="canvas_phases")
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "name"], name="canvas_phase_names_unique")
        ]

    def __str__(self) -> str:
        return self.name


class BuildingBlock(models.TextChoices):
    PROBLEEMEIGENAAR = "probleemeigenaar", _("probleemeigenaar")
    IMMATERIEEL_KAPITAAL = "immaterieel_kapitaal", _("immaterieel kapitaal")
    PLAN_RAPPORTAGE = "plan_rapportage", _("plan/rapportage")
    FINANCIERING = "financiering", _("financiering")


class CanvasEntry(models.Model):
    """Who brings what to one cell of the canvas (issue phase x building block)."""

    class Status(models.TextChoices):
        ACTIEF = "actief", _("active")
        TOEGEZEGD = "toegezegd", _("promised")
        GEWENST = "gewenst", _("wanted")

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="canvas_entries")
    phase = models.ForeignKey(CanvasPhase, on_delete=models.CASCADE, related_name="entries")
    block = models.CharField(_("building block"), max_length=30, choices=BuildingBlock.choices)
    actor = models.CharField(_("actor or organisation"), max_length=150)
    contribution = models.TextField(_("what they bring"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIEF
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phase__position", "block", "pk"]

    def __str__(self) -> str:
        return self.actor


class IntendedDoublure(models.Model):
    """The reisbegeleider's mark that several actors in one cell is on purpose."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="+")
    phase = models.ForeignKey(CanvasPhase, on_delete=models.CASCADE, related_name="+")
    block = models.CharField(max_length=30, choices=BuildingBlock.choices)
    note = models.CharField(_("why"), max_length=250, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["phase", "block"], name="one_mark_per_cell")]

    def __str__(self) -> str:
        return f"{self.phase} / {self.block}"


# Which result each phase ends in.
PHASE_RESULT = {
    Journey.Phase.REISWENS: PhaseResult.Kind.OPDRACHT,
    Journey.Phase.VERKENNEN: PhaseResult.Kind.FOTO,
    Journey.Phase.INRICHTEN: PhaseResult.Kind.PROGRAMMA_AANPAK,
    Journey.Phase.DOEN_EN_LEREN: PhaseResult.Kind.REISVERSLAG,
}


# =========================================================================================
# Stories (verhalen): told by residents, professionals and policy makers, owned by their
# tellers. Only journeys/stories/services.py writes these; journeys/stories/queries.py
# (visible_stories) decides who may see them. See docs/stories.md.
# =========================================================================================


class StorySignifier(models.Model):
    """What the impact meant to the teller (gezien worden, erkenning, ...): an editable
    list. A signifier taken out of use stays on the stories that chose it."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("story signifier")
        verbose_name_plural = _("story signifiers")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class StorySlider(models.Model):
    """A scale the teller may set, between two ends ("minder" - "meer regie over mijn
    leven"). Values run from 0 (left) to 100 (right)."""

    question = models.CharField(_("question"), max_length=150)
    left_label = models.CharField(_("left end"), max_length=80)
    right_label = models.CharField(_("right end"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("story slider")
        verbose_name_plural = _("story sliders")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question


class Story(index.Indexed, models.Model):
    """A verhaal: what happened, told by the teller or recorded on their behalf."""

    class Perspective(models.TextChoices):
        INWONER = "inwoner", _("resident")
        ERVARINGSDESKUNDIGE = "ervaringsdeskundige", _("expert by experience")
        PROFESSIONAL = "professional", _("professional")
        BELEIDSMAKER = "beleidsmaker", _("policy maker")
        ONDERZOEKER = "onderzoeker", _("researcher")
        ONDERNEMER = "ondernemer", _("entrepreneur")
        VRIJWILLIGER = "vrijwilliger", _("volunteer")

    class ToldBy(models.TextChoices):
        TELLER = "zelf", _("the teller themselves")
        RECORDED = "namens", _("recorded on the teller's behalf")

    class Display(models.TextChoices):
        NAME = "naam", _("full name")
        FIRST_NAME = "voornaam", _("first name only")
        ANONYMOUS = "anoniem", _("anonymous")

    class Visibility(models.TextChoices):
        # From widest to narrowest: VISIBILITY_ORDER below.
        OPENBAAR = "openbaar", _("public: anyone")
        NETWERK = "netwerk", _("network: everyone signed in")
        BESLOTEN = "besloten", _("journey members only")
        PRIVE = "prive", _("private: only the teller")

    class ConsentMethod(models.TextChoices):
        MONDELING = "mondeling", _("spoken")
        SCHRIFTELIJK = "schriftelijk", _("in writing")
        DIGITAAL = "digitaal", _("digitally (email, form)")
        OPNAME = "opname", _("recorded (audio or video)")

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("story"))
    quote = models.CharField(_("highlighted quote"), max_length=300, blank=True)
    perspective = models.CharField(
        _("perspective"), max_length=30, choices=Perspective.choices, db_index=True
    )
    # Who wrote it in: the teller, or the professional who recorded it for them.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    told_by = models.CharField(
        _("told by"), max_length=10, choices=ToldBy.choices, default=ToldBy.TELLER
    )
    # A recorded teller's name as they gave it; never shown as such, only as `shown_name`.
    teller_name = models.CharField(_("name of the teller"), max_length=150, blank=True)
    display = models.CharField(
        _("show the teller as"), max_length=10, choices=Display.choices, default=Display.FIRST_NAME
    )
    # What the pages print for the teller, set by the service ("" when anonymous): the
    # pages never read the author or teller_name, so an anonymous story cannot leak them.
    shown_name = models.CharField(max_length=150, blank=True, editable=False)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.NETWERK
    )
    journey = models.ForeignKey(
        Journey,
        verbose_name=_("journey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    cycle = models.PositiveIntegerField(_("cycle"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Journey.Phase.choices, blank=True)
    gemeente = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        limit_choices_to={"kind": "gemeente"},
    )
    wijk = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    happened_on = models.DateField(_("when it happened"), null=True, blank=True)
    # The year it happened (or was told): the year facet and the chart over time.
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    themes = TaggableManager(verbose_name=_("themes"), blank=True)
    signifiers = models.ManyToManyField(
        StorySignifier, verbose_name=_("what it meant"), blank=True, related_name="stories"
    )
    image = models.FileField(_("image"), upload_to="verhalen/beeld/", blank=True)
    image_type = models.CharField(max_length=40, blank=True, editable=False)
    image_description = models.CharField(_("image description"), max_length=250, blank=True)
    audio = models.FileField(_("audio"), upload_to="verhalen/geluid/", blank=True)
    audio_type = models.CharField(max_length=40, blank=True, editable=False)
    # The consent record of a recorded story.
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_method = models.CharField(
        _("consent given how"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    consent_visibility = models.CharField(
        _("visibility agreed with the teller"),
        max_length=10,
        choices=Visibility.choices,
        blank=True,
    )
    consent_note = models.CharField(_("note on the consent"), max_length=250, blank=True)
    # A recorded teller withdraws with a code; only its hash is kept.
    withdrawal_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("told"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, db_index=True)
    # The board card the reisbegeleider took this story from; the card links back.
    source_card = models.ForeignKey(
        "community.Card",
        verbose_name=_("from the board card"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("quote", boost=2),
        index.SearchField("text"),
        index.SearchField("wijk"),
        index.AutocompleteField("title"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("withdrawn_at"),
        index.FilterField("visibility"),
        index.FilterField("journey_id"),
        index.FilterField("perspective"),
        index.FilterField("gemeente_id"),
        index.FilterField("year"),
    ]

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["journey", "-created_at"])]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", kwargs={"pk": self.pk})

    @classmethod
    def get_indexed_objects(cls):
        # A withdrawn story is never (re)indexed; the service removes its entry at once.
        return super().get_indexed_objects().filter(withdrawn_at__isnull=True)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_recorded(self) -> bool:
        return self.told_by == self.ToldBy.RECORDED

    @property
    def is_anonymous(self) -> bool:
        return self.display == self.Display.ANONYMOUS


# Story visibilities from narrowest to widest: a story may not be wider than the consent.
STORY_VISIBILITY_ORDER = [
    Story.Visibility.PRIVE,
    Story.Visibility.BESLOTEN,
    Story.Visibility.NETWERK,
    Story.Visibility.OPENBAAR,
]


class StorySliderValue(models.Model):
    """Where the teller put one slider: 0 (left end) to 100 (right end)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="slider_values")
    slider = models.ForeignKey(StorySlider, on_delete=models.CASCADE, related_name="values")
    value = models.PositiveSmallIntegerField(_("value"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "slider"], name="one_value_per_slider"),
            models.CheckConstraint(
                condition=models.Q(value__lte=100), name="slider_value_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slider}: {self.value}"


# Composed reports (the foto and the reisverslag): picked items, PDF exports and proposed
# werkzame elementen live in journeys/reports/models.py; importing them here registers
# them with the journeys app.
from journeys.reports.models import ElementProposal, ReportExport, ReportItem  # noqa: E402, F401

"""Every form of the platform, given hostile input (any text, control characters, NUL
bytes, huge strings, numbers out of range, several values for one field, stray fields,
random files), either validates or answers with Dutch error messages; it never raises.
Valid forms also hand their data over (details(), kwargs(), ...) without raising."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from community import board_forms, event_forms, forum_forms
from community import forms as account_forms
from community.board_io_views import PadletImportForm
from community.calendar_views import ReminderForm
from community.models import ForumCategory
from community.moderation_views import MoveForm as ThreadMoveForm
from community.moderation_views import ReportForm as PostReportForm
from community.notification_views import EmailChoiceForm
from community.services import boards as board_services
from journeys import forms as journey_forms
from journeys import method
from journeys.models import Journey
from journeys.reports.indicator_views import ImportForm
from journeys.reports.proposal_views import ProposalForm
from journeys.services import add_canvas_phase
from journeys.stories.forms import StoryForm, WithdrawalCodeForm
from journeys.views.canvas import DoublureForm, EntryForm, PhaseForm
from learning import forms as learning_forms
from learning.chooser_view import ChooserForm
from learning.leervragen import forms as question_forms
from learning.models import LearningQuestion
from learning.site_search.forms import SiteSearchForm
from tests.security.strategies import FUZZ, posted

pytestmark = pytest.mark.django_db


def _catalogue(journey: Journey) -> dict:
    """name -> a function (data, files) -> a bound form, constructed as its view does."""
    phases = list(journey.canvas_phases.all())
    categories = ForumCategory.objects.all()
    question = {
        "question": "Waar begin je?",
        "answers": [{"label": "Klein"}, {"label": "Groot"}],
    }
    return {
        "NameForm": lambda d, f: account_forms.NameForm(d),
        "ProfileForm": lambda d, f: account_forms.ProfileForm(d),
        "SignupForm": lambda d, f: account_forms.SignupForm(d),
        "ThreadForm": lambda d, f: forum_forms.ThreadForm(d, f, categories=categories),
        "ThreadForm (journey)": lambda d, f: forum_forms.ThreadForm(d, f),
        "ReplyForm": lambda d, f: forum_forms.ReplyForm(d, f),
        "EditPostForm": lambda d, f: forum_forms.EditPostForm(d),
        "ThreadMoveForm": lambda d, f: ThreadMoveForm(d),
        "PostReportForm": lambda d, f: PostReportForm(d),
        "EmailChoiceForm": lambda d, f: EmailChoiceForm(d),
        "ReminderForm": lambda d, f: ReminderForm(d),
        "BoardSettingsForm": lambda d, f: board_forms.BoardSettingsForm(d, journey=journey),
        "NewBoardForm": lambda d, f: board_forms.NewBoardForm(d, journey=journey),
        "CardForm": lambda d, f: board_forms.CardForm(d, f),
        "CardEditForm": lambda d, f: board_forms.CardEditForm(d),
        "CardCommentForm": lambda d, f: board_forms.CommentForm(d),
        "CardMoveForm": lambda d, f: board_forms.MoveForm(d),
        "ReactionForm": lambda d, f: board_forms.ReactionForm(d),
        "CardStatusForm": lambda d, f: board_forms.CardStatusForm(d),
        "StateForm": lambda d, f: board_forms.StateForm(d),
        "ThreadTitleForm": lambda d, f: board_forms.ThreadTitleForm(d),
        "PadletImportForm": lambda d, f: PadletImportForm(d, f),
        "EventForm": lambda d, f: event_forms.EventForm(d),
        "NewEventForm": lambda d, f: event_forms.NewEventForm(d),
        "RegistrationForm": lambda d, f: event_forms.RegistrationForm(d),
        "EventReportForm": lambda d, f: event_forms.ReportForm(d),
        "EventJourneyFilterForm": lambda d, f: event_forms.JourneyFilterForm(d, journeys=[journey]),
        "JourneyFilterForm": lambda d, f: journey_forms.JourneyFilterForm(
            d, gemeenten=journey.organisations.all(), themes=["eenzaamheid"]
        ),
        "JourneyForm": lambda d, f: journey_forms.JourneyForm(d),
        "MovePhaseForm": lambda d, f: journey_forms.MovePhaseForm(d),
        "InviteForm": lambda d, f: journey_forms.InviteForm(d),
        "RoleForm": lambda d, f: journey_forms.RoleForm(d),
        "JoinRequestForm": lambda d, f: journey_forms.JoinRequestForm(d),
        **{
            f"ResultForm ({kind})": (lambda d, f, kind=kind: journey_forms.ResultForm(d, kind=kind))
            for kind in method.RESULT_SECTIONS
        },
        "DataPointForm": lambda d, f: journey_forms.DataPointForm(d),
        "DocumentForm": lambda d, f: journey_forms.DocumentForm(d),
        "EntryForm": lambda d, f: EntryForm(d, phases=phases),
        "PhaseForm": lambda d, f: PhaseForm(d),
        "DoublureForm": lambda d, f: DoublureForm(d, phases=phases),
        "ImportForm": lambda d, f: ImportForm(d, f, journey=journey),
        "ProposalForm": lambda d, f: ProposalForm(d),
        "StoryForm": lambda d, f: StoryForm(d, f, journeys=Journey.objects.filter(pk=journey.pk)),
        "WithdrawalCodeForm": lambda d, f: WithdrawalCodeForm(d),
        "KnowledgeFilterForm": lambda d, f: learning_forms.KnowledgeFilterForm(
            d, themes=[("eenzaamheid", "eenzaamheid")], challenges=[], target_groups=[]
        ),
        "ChooserForm": lambda d, f: ChooserForm([question], d),
        "SiteSearchForm": lambda d, f: SiteSearchForm(d, kinds=["verhaal", "reis"]),
        "RaiseForm": lambda d, f: question_forms.RaiseForm(
            d, journeys=[(journey.slug, journey.title)]
        ),
        "RaiseForm (fixed)": lambda d, f: question_forms.RaiseForm(
            d, journeys=[], fixed_journey=journey
        ),
        "EditForm": lambda d, f: question_forms.EditForm(d),
        "FilterForm": lambda d, f: question_forms.FilterForm(
            d, journeys=[(journey.slug, journey.title)], themes=[("a", "a")], owners=[("1", "X")]
        ),
        "QuestionMoveForm": lambda d, f: question_forms.MoveForm(
            d, moves=LearningQuestion.Status.values
        ),
        "PlanForm": lambda d, f: question_forms.PlanForm(
            d, owner_choices=[("1", "X")], helper_choices=[("2", "Y")]
        ),
        "AnswerForm": lambda d, f: question_forms.AnswerForm(d),
        "DuidingForm": lambda d, f: question_forms.DuidingForm(d),
        "EvidenceForm": lambda d, f: question_forms.EvidenceForm(
            d, element_choices=[("1", "A")], story_choices=[("2", "B")]
        ),
        "QuestionCommentForm": lambda d, f: question_forms.CommentForm(d),
        "PositionForm": lambda d, f: question_forms.PositionForm(d),
    }


# What a valid form hands to its service, where it has a method for it.
HAND_OVER = ("details", "kwargs", "tag_list", "content", "chosen_answers", "consent")

files = st.lists(
    st.builds(
        lambda name, content: SimpleUploadedFile(name, content),
        st.sampled_from(["a.png", "b.csv", "c.html", "x" * 300 + ".jpg", "d\x00.pdf"]),
        st.binary(max_size=300),
    ),
    max_size=3,
)


def _bound(factory, data: dict, uploads: list, language: str):
    with translation.override(language):
        file_dict = MultiValueDict()
        for name in ("attachments", "image", "file", "audio"):
            if uploads:
                file_dict.setlist(name, uploads)
        form = factory(MultiValueDict(data), file_dict)
        valid = form.is_valid()
        errors = [str(message) for messages in form.errors.values() for message in messages]
        if valid:
            for method_name in HAND_OVER:
                if hasattr(form, method_name):
                    getattr(form, method_name)()
        return form, valid, errors


@pytest.fixture
def catalogue(make_journey):
    journey = make_journey()
    add_canvas_phase(journey.memberships.get(role="reisbegeleider").user, journey, name="Fase 1")
    board_services.TEMPLATES  # noqa: B018 (the board forms import their templates)
    return _catalogue(journey)


def _field_names(form) -> list[str]:
    return [form.add_prefix(name) for name in form.fields]


def _fuzz(name: str, factory):
    fields = _field_names(factory(None, None))

    @FUZZ
    @given(data=posted(fields), uploads=files)
    def fuzz(data, uploads):
        for upload in uploads:
            upload.seek(0)
        _form, valid_nl, dutch = _bound(factory, data, uploads, "nl")
        for upload in uploads:
            upload.seek(0)
        # Validity may differ: Dutch also accepts dates as 31-12-2026.
        _form, _valid_en, english = _bound(factory, data, uploads, "en")
        if not valid_nl:
            assert dutch, f"{name}: invalid without a message"
            untranslated = [m for m in dutch if m in english]
            assert not untranslated, f"{name}: not in Dutch: {untranslated}"

    return fuzz


def test_every_form_validates_or_answers_in_dutch_and_never_raises(catalogue):
    for name, factory in catalogue.items():
        _fuzz(name, factory)()
    assert len(catalogue) >= 60


def test_an_id_beyond_64_bits_is_an_invalid_choice_not_a_crash(catalogue):
    """SQLite binds integers as 64-bit: a multiple choice of such an id raised
    OverflowError (a 500) before the fields refused it."""
    huge = "9" * 25
    for name, data in (
        ("JourneyForm", {"title": "Reis", "challenge": "Eenzaamheid", "organisations": [huge]}),
        ("StoryForm", {"title": "Verhaal", "text": "Tekst", "signifiers": [huge, f"-{huge}"]}),
    ):
        with translation.override("nl"):
            form = catalogue[name](
                MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}),
                None,
            )
            assert not form.is_valid()
            field = "organisations" if name == "JourneyForm" else "signifiers"
            assert "geen beschikbare keuze" in str(form.errors[field]), form.errors

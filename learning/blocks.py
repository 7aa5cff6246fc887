"""StreamField blocks of the editorial pages. Each block has its own template under
templates/learning/blocks/, so pages render them with {% include_block %}."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from journeys.models import Journey


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=200)
    text = blocks.TextBlock(label=_("explanation"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Step")
        template = "learning/blocks/step.html"


class PointBlock(blocks.TextBlock):
    """One point of a list: a kans, a risico, a learning goal."""

    class Meta:
        icon = "minus"
        label = _("Point")
        template = "learning/blocks/point.html"


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=250)
    url = blocks.URLBlock(label=_("link"), required=False)
    note = blocks.CharBlock(label=_("note"), max_length=250, required=False)

    class Meta:
        icon = "link"
        label = _("Source")
        template = "learning/blocks/source.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("who said it"), max_length=150, required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "learning/blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("text alternative"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "learning/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("video address"), help_text=_("For example a YouTube or Vimeo link.")
    )
    title = blocks.CharBlock(label=_("title"), max_length=200)
    transcript = blocks.TextBlock(
        label=_("transcript"),
        required=False,
        help_text=_("What is said in the video, for those who cannot hear or watch it."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "learning/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "learning/blocks/document.html"


class ExerciseBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    instructions = blocks.RichTextBlock(
        label=_("what to do"), features=["bold", "italic", "ol", "ul", "link"]
    )

    class Meta:
        icon = "tasks"
        label = _("Exercise")
        template = "learning/blocks/exercise.html"


class ReflectionBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("reflection question"))

    class Meta:
        icon = "help"
        label = _("Reflection question")
        template = "learning/blocks/reflection.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "ul", "link"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "learning/blocks/callout.html"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


def body_blocks() -> list[tuple[str, blocks.Block]]:
    """The blocks of free page content."""
    return [
        (
            "paragraph",
            blocks.RichTextBlock(
                label=_("Text"),
                features=RICH_TEXT_FEATURES,
                template="learning/blocks/paragraph.html",
            ),
        ),
        ("quote", QuoteBlock()),
        ("image", ImageBlock()),
        ("callout", CalloutBlock()),
    ]


def lesson_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        *body_blocks(),
        ("video", VideoBlock()),
        ("document", DocumentBlock()),
        ("exercise", ExerciseBlock()),
        ("reflection", ReflectionBlock()),
    ]


class ScenarioPointsBlock(blocks.StructBlock):
    """How much an answer speaks for each of the five scenarios (0 = not at all)."""

    def __init__(self, **kwargs):
        super().__init__(
            [
                (key, blocks.IntegerBlock(label=label, min_value=0, max_value=5, default=0))
                for key, label in Journey.Scenario.choices
            ],
            **kwargs,
        )

    class Meta:
        label = _("Points per scenario")
        form_classname = "scenario-points"


class ChooserAnswerBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("answer"), max_length=200)
    points = ScenarioPointsBlock()
    reason = blocks.TextBlock(
        label=_("reason shown with the advice"),
        required=False,
        help_text=_("Why this answer points to the scenarios it gives points to."),
    )

    class Meta:
        icon = "radio-full"
        label = _("Answer")


class ChooserQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=250)
    help_text = blocks.TextBlock(label=_("explanation"), required=False)
    answers = blocks.ListBlock(ChooserAnswerBlock(), min_num=2, label=_("answers"))

    class Meta:
        icon = "help"
        label = _("Question")

"""/scenarios/kiezen/: the scenario chooser's questionnaire and its advice.

The form is sent with GET, not POST, on purpose: answering changes nothing on the
server (nothing is stored), so the request is safe and repeatable; the advice gets an
address of its own that can be bookmarked, shared with colleagues and sent back to after
signing in (`?next=` keeps the answers); and no CSRF token is needed, so a cached page
still works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from journeys.models import Journey
from learning.chooser import (
    SCENARIO_ORDER,
    Recommendation,
    answers_of,
    question_values,
    recommend,
)

SUBMITTED = "advies"  # a hidden field: tells "sent without answers" from "first visit"
FIELD_PREFIX = "vraag_"


class ChooserForm(forms.Form):
    """One radio group per question of the page; field `vraag_<index>`, value = the
    answer's index."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = question_values(questions)
        for index, question in enumerate(self.questions):
            text = question.get("question") or ""
            self.fields[f"{FIELD_PREFIX}{index}"] = forms.ChoiceField(
                label=text,
                help_text=question.get("help_text") or "",
                choices=[
                    (str(number), answer.get("label") or "")
                    for number, answer in enumerate(answers_of(question))
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer to the question “%(question)s”.")
                    % {"question": text},
                    "invalid_choice": _("Choose one of the answers to “%(question)s”.")
                    % {"question": text},
                },
            )

    def chosen_answers(self) -> dict[int, int]:
        return {
            int(name.removeprefix(FIELD_PREFIX)): int(value)
            for name, value in self.cleaned_data.items()
        }

    def error_links(self) -> list[dict[str, str]]:
        """For the error summary: each message with a link to its question's first radio."""
        return [
            {"href": f"#{bound.auto_id}_0", "message": message}
            for bound in self
            for message in bound.errors
        ]


@dataclass
class AdvisedScenario:
    key: str
    label: str
    page: object | None
    reasons: list[str] = field(default_factory=list)
    start_url: str = ""
    is_primary: bool = False


@dataclass
class ScoreRow:
    key: str
    label: str
    score: int
    advice: str  # "primary", "combined" or ""


def scenario_pages(keys) -> dict:
    """The live ScenarioPages for these keys, by key."""
    from learning.models.scenarios import ScenarioPage

    return {page.scenario: page for page in ScenarioPage.objects.live().filter(scenario__in=keys)}


def start_journey_url(key: str) -> str:
    return f"{reverse('journeys:create')}?{urlencode({'scenario': key})}"


def advice_for(recommendation: Recommendation) -> tuple[list[AdvisedScenario], list[ScoreRow]]:
    keys = recommendation.advised
    pages = scenario_pages(keys)
    advised = [
        AdvisedScenario(
            key=key,
            label=Journey.Scenario(key).label,
            page=pages.get(key),
            reasons=recommendation.reasons.get(key, []),
            start_url=start_journey_url(key),
            is_primary=key == recommendation.primary,
        )
        for key in keys
    ]
    rows = [
        ScoreRow(
            key=key,
            label=Journey.Scenario(key).label,
            score=recommendation.scores.get(key, 0),
            advice=(
                "primary"
                if key == recommendation.primary
                else "combined"
                if key in recommendation.combined_with
                else ""
            ),
        )
        for key in SCENARIO_ORDER
    ]
    return advised, rows


def serve_chooser(page, request: HttpRequest) -> HttpResponse:
    submitted = SUBMITTED in request.GET or any(k.startswith(FIELD_PREFIX) for k in request.GET)
    form = ChooserForm(page.questions, request.GET if submitted else None)
    context = page.get_context(request)
    context.update(
        form=form,
        submitted=submitted,
        submitted_name=SUBMITTED,
        login_url=f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}",
    )
    status = 200
    if submitted:
        if form.is_valid():
            recommendation = recommend(
                page.questions, form.chosen_answers(), page.combination_margin
            )
            advised, rows = advice_for(recommendation)
            context.update(recommendation=recommendation, advised=advised, score_rows=rows)
        else:
            # Nothing is advised from half an answer: the questions come back with a
            # message per missing answer, and the status says the request was incomplete.
            context.update(error_links=form.error_links())
            status = 400
    return TemplateResponse(request, page.get_template(request), context, status=status)

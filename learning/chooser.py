"""The scenario chooser's arithmetic: add up the points of the chosen answers.

Pure and deterministic. The questions, answers, points and reasons are content (the
ScenarioChooserPage's StreamField, edited in the CMS); this module holds no opinion about
which situation suits which scenario, only how points become an advice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from journeys.models import Journey

SCENARIO_ORDER: tuple[str, ...] = tuple(Journey.Scenario.values)
MAX_COMBINED = 2  # at most two scenarios advised alongside the first


@dataclass(frozen=True)
class Recommendation:
    """primary is None only when no chosen answer gave any scenario a point."""

    primary: str | None
    combined_with: list[str] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_combination(self) -> bool:
        return bool(self.combined_with)

    @property
    def advised(self) -> list[str]:
        """The advised scenario keys, the first one first."""
        return [self.primary, *self.combined_with] if self.primary else []


def _get(value: Any, key: str, default: Any = None) -> Any:
    """Read a StructValue, a plain dict or a StreamField child's value alike."""
    try:
        return value.get(key, default)
    except AttributeError:
        return getattr(value, key, default)


def question_values(questions: Iterable[Any]) -> list[Any]:
    """The question blocks' values, from a StreamValue or a list of dicts."""
    # A StreamValue yields StreamChild objects (block_type, value); a list yields dicts.
    return [getattr(item, "value", item) for item in questions]


def answers_of(question: Any) -> list[Any]:
    return list(_get(question, "answers") or [])


def recommend(questions: Iterable[Any], answers: Mapping[int, int], margin: int) -> Recommendation:
    """questions: the chooser's questions; answers: question index -> answer index.

    Unanswered questions add nothing (the view refuses them before asking here); an index
    that does not exist raises ValueError. The highest score is advised, ties going to
    the earlier scenario in Journey.Scenario's order; up to two more scenarios join it as
    a combination when they score more than 0 and at most `margin` below it.
    """
    questions = question_values(questions)
    scores = dict.fromkeys(SCENARIO_ORDER, 0)
    reasons_by_key: dict[str, list[str]] = {key: [] for key in SCENARIO_ORDER}

    for question_index, answer_index in sorted(answers.items()):
        if not 0 <= question_index < len(questions):
            raise ValueError(f"There is no question {question_index}.")
        options = answers_of(questions[question_index])
        if not 0 <= answer_index < len(options):
            raise ValueError(f"Question {question_index} has no answer {answer_index}.")
        answer = options[answer_index]
        points = _get(answer, "points") or {}
        reason = (_get(answer, "reason") or "").strip()
        for key in SCENARIO_ORDER:
            given = int(_get(points, key) or 0)
            if given <= 0:
                continue
            scores[key] += given
            if reason and reason not in reasons_by_key[key]:
                reasons_by_key[key].append(reason)

    # sorted() is stable, so equal scores keep Journey.Scenario's order.
    ranked = sorted(SCENARIO_ORDER, key=lambda key: -scores[key])
    top = ranked[0]
    if scores[top] <= 0:
        return Recommendation(primary=None, scores=scores, reasons={})
    threshold = scores[top] - max(margin, 0)
    combined = [key for key in ranked[1:] if scores[key] > 0 and scores[key] >= threshold]
    combined = combined[:MAX_COMBINED]
    return Recommendation(
        primary=top,
        combined_with=combined,
        scores=scores,
        reasons={key: reasons_by_key[key] for key in [top, *combined]},
    )

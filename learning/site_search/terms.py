"""What was typed in the search box, made safe to hand to any engine.

The engine gets words only: punctuation and query syntax (quotes, brackets, *, -, the
operators AND/OR/NOT) would mean something different, or an error, in each backend
(SQLite FTS5, PostgreSQL tsquery, Meilisearch). Control characters, NUL bytes among them,
are dropped; long input is refused by the form before it gets here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 200  # characters the box accepts
MAX_WORDS = 12  # words sent to the engine; the rest are ignored
OPERATORS = frozenset({"AND", "OR", "NOT"})  # query syntax, not words, when in capitals

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w+")


def tidy(raw: str | None) -> str:
    """The input without control characters and with single spaces."""
    return " ".join(_CONTROL.sub("", raw or "").split())


@dataclass(frozen=True)
class Terms:
    text: str  # what the user typed, tidied: shown back in the box and the heading
    words: tuple[str, ...]  # what is searched for

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def query(self) -> str:
        """The words as one string for the engine."""
        return " ".join(self.words)


def parse(raw: str | None) -> Terms:
    text = tidy(raw)
    words = [word for word in _WORD.findall(text) if word not in OPERATORS]
    return Terms(text=text, words=tuple(words[:MAX_WORDS]))

"""Differences between two revisions of a result, section by section, word by word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from journeys.method import RESULT_SECTIONS

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    label: str
    pieces: list[Piece]

    @property
    def changed(self) -> bool:
        return any(piece.op != "same" for piece in self.pieces)


def word_diff(old: str, new: str) -> list[Piece]:
    """Changed words as whole runs: "[removed: a b] [added: c d]" reads better than
    alternating single words, so spaces between two changes join them."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    pieces: list[Piece] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed:
            pieces.append(Piece("removed", "".join(removed)))
        if added:
            pieces.append(Piece("added", "".join(added)))
        removed.clear()
        added.clear()

    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        same = "".join(a[i1:i2])
        between_changes = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (between_changes and not same.strip()):
            flush()
            pieces.append(Piece("same", same))
            continue
        removed.extend(a[i1:i2])
        added.extend(b[j1:j2])
    flush()
    return pieces


def result_diff(kind: str, old: dict, new: dict) -> list[SectionDiff]:
    return [
        SectionDiff(
            section.key,
            str(section.label),
            word_diff(old.get(section.key, ""), new.get(section.key, "")),
        )
        for section in RESULT_SECTIONS[kind]
    ]

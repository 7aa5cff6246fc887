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
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(b[j1:j2])))
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

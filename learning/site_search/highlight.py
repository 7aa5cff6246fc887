"""Highlighted matches: every piece of text is escaped first, then the words searched for
are wrapped in <mark>. The result is safe HTML whatever the text holds."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 220


def plain(value) -> str:
    """Text without tags or entities, on one line."""
    text = html.unescape(strip_tags(str(value or "")))
    return " ".join(text.split())


def _stem(word: str) -> str:
    # The engines stem ("wijken" finds "wijk"); a rough cut keeps the marks with them.
    return word[:-2] if len(word) >= 6 else word


def matcher(words: Iterable[str]) -> re.Pattern | None:
    """Matches every word that begins like one of the words searched for."""
    stems = sorted({_stem(word.lower()) for word in words if word}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, stems)) + r")\w*", re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """`text` (plain) escaped, with the matches in <mark>."""
    if pattern is None:
        return escape(text)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part was escaped above)


def excerpt(texts: Iterable, pattern: re.Pattern | None, size: int = SNIPPET_CHARS) -> SafeString:
    """A short passage, highlighted: around the first match in the first text that has
    one, else the beginning of the first text that is not empty."""
    candidates = [text for text in (plain(value) for value in texts) if text]
    if not candidates:
        return mark_safe("")
    chosen, at = candidates[0], -1
    if pattern is not None:
        for text in candidates:
            match = pattern.search(text)
            if match:
                chosen, at = text, match.start()
                break
    if len(chosen) <= size:
        return highlight(chosen, pattern)
    start = 0
    if at > size // 3:
        start = chosen.rfind(" ", 0, at - size // 3) + 1  # begin at a word
    end = start + size
    if end < len(chosen):
        cut = chosen.rfind(" ", start, end)
        end = cut if cut > start + size // 2 else end
    passage = highlight(chosen[start:end], pattern)
    before = "… " if start else ""
    after = " …" if end < len(chosen) else ""
    return mark_safe(f"{before}{passage}{after}")  # noqa: S308 (passage is escaped)

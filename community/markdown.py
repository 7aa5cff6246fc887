"""Markdown for forum posts: CommonMark (markdown-it-py) with raw HTML switched off, then
an allowlist sanitiser (nh3) on the result. @mentions become marked spans."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9-]{1,48}[a-z0-9])", re.IGNORECASE)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "ol": {"start"}}


def _mention_rule(known: set[str]):
    """Turn '@handle' in plain text (never inside code) into a span, for known handles."""

    def rule(state) -> None:
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            children: list[Token] = []
            for token in block.children:
                if token.type != "text" or "@" not in token.content:
                    children.append(token)
                    continue
                position = 0
                for match in MENTION.finditer(token.content):
                    handle = match.group(1).lower()
                    if handle not in known:
                        continue
                    if match.start() > position:
                        text = Token("text", "", 0)
                        text.content = token.content[position : match.start()]
                        children.append(text)
                    span = Token("html_inline", "", 0)
                    span.content = f'<span class="mention">@{handle}</span>'
                    children.append(span)
                    position = match.end()
                if position < len(token.content):
                    rest = Token("text", "", 0)
                    rest.content = token.content[position:]
                    children.append(rest)
            block.children = children

    return rule


def _only_mention_class(tag: str, attribute: str, value: str) -> str | None:
    if tag == "span" and attribute == "class":
        return value if value == "mention" else None
    return value


def render(body: str, *, mentionable: set[str] | frozenset[str] = frozenset()) -> str:
    """Sanitised HTML for a post. `mentionable`: the handles that may be mentioned."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    md.enable("table").enable("strikethrough")
    md.core.ruler.push("mentions", _mention_rule({h.lower() for h in mentionable}))
    html = md.render(body)
    # A post sits under the thread's own headings: its headings start at level 3.
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener noreferrer",
        attribute_filter=_only_mention_class,
    )


def mentioned_handles(body: str) -> set[str]:
    return {match.group(1).lower() for match in MENTION.finditer(body)}


def quote(body: str, handle: str, number: int) -> str:
    """Markdown that quotes a post in a reply."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.strip().splitlines())
    return f"> @{handle} (#{number}):\n{quoted}\n\n"

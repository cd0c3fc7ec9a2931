"""A strict checker for the HTML subset Telegram's Bot API accepts (parse_mode=HTML).

Telegram refuses a message whose text has a tag it does not know, a tag left open or closed out
of order, or an `&` that does not start an entity, with "Bad Request: can't parse entities: …".
The fake Bot API runs every HTML text through `check_telegram_html`, so a name like
`Школа <№1> & "Лицей"` formatted into a message unescaped fails the test as it would fail live.
"""

from __future__ import annotations

import re

# Tag -> attributes it may carry (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    "b": frozenset(),
    "strong": frozenset(),
    "i": frozenset(),
    "em": frozenset(),
    "u": frozenset(),
    "ins": frozenset(),
    "s": frozenset(),
    "strike": frozenset(),
    "del": frozenset(),
    "a": frozenset({"href"}),
    "code": frozenset({"class"}),
    "pre": frozenset(),
    "tg-spoiler": frozenset(),
    "span": frozenset({"class"}),
    "blockquote": frozenset({"expandable"}),
    "tg-emoji": frozenset({"emoji-id"}),
}

_TAG = re.compile(
    r"""<(?P<closing>/)?(?P<name>[a-zA-Z][a-zA-Z0-9-]*)"""
    r"""(?P<attributes>(?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=]+))?)*)\s*>"""
)
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>=]+))?""")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


class HtmlProblem(ValueError):
    """The text would be refused by Telegram; the message mimics Telegram's wording."""


def _unquote(value: str | None) -> str:
    if value is None:
        return ""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _check_attributes(name: str, attributes: str, offset: int) -> None:
    for attribute, raw in _ATTRIBUTE.findall(attributes):
        attribute = attribute.lower()
        if attribute not in ALLOWED_TAGS[name]:
            raise HtmlProblem(f'Unsupported attribute "{attribute}" at byte offset {offset}')
        value = _unquote(raw)
        if name == "span" and value != "tg-spoiler":
            raise HtmlProblem(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        if "&" in value and _ENTITY.sub("", value).count("&"):
            raise HtmlProblem(f"Character entity expected at byte offset {offset}")
    if name == "span" and "class" not in attributes:
        raise HtmlProblem(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')


def check_telegram_html(text: str) -> None:
    """Raise HtmlProblem unless Telegram would parse `text` with parse_mode=HTML."""
    open_tags: list[str] = []
    position = 0
    while position < len(text):
        character = text[position]
        offset = len(text[:position].encode("utf-8"))
        if character == "<":
            match = _TAG.match(text, position)
            if match is None:
                raise HtmlProblem(f"Unsupported start tag at byte offset {offset}")
            name = match["name"].lower()
            if name not in ALLOWED_TAGS:
                raise HtmlProblem(f'Unsupported start tag "{name}" at byte offset {offset}')
            if match["closing"]:
                if match["attributes"].strip():
                    raise HtmlProblem(f'Unexpected end tag "{name}" at byte offset {offset}')
                if not open_tags or open_tags[-1] != name:
                    raise HtmlProblem(
                        f'Unmatched end tag at byte offset {offset}, expected "</'
                        f'{open_tags[-1] if open_tags else ""}>", found "</{name}>"'
                    )
                open_tags.pop()
            else:
                _check_attributes(name, match["attributes"], offset)
                open_tags.append(name)
            position = match.end()
        elif character == "&":
            match = _ENTITY.match(text, position)
            if match is None:
                raise HtmlProblem(f"Character entity expected at byte offset {offset}")
            position = match.end()
        else:
            position += 1
    if open_tags:
        raise HtmlProblem(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')

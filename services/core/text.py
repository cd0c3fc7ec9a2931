"""The one place typed text is normalised and checked, for every free-text field.

What a person types can carry characters nobody sees: zero-width spaces, RTL marks, NULs, lone
combining marks, exotic spaces. Without this, `\\u200b\\u200b\\u200b` passes as an
organisation's name or a request's "what is hard". `clean_text` applies Unicode NFC, removes
control, format, private-use, surrogate and unassigned characters (keeping line breaks and tabs in
multi-line fields), drops combining marks with no letter to sit on, turns every kind of space into
a plain one, collapses runs of spaces, and strips; then checks the length.
"""

from __future__ import annotations

import re
import unicodedata

from services.core.errors import ValidationFailed

EMPTY = "empty"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"

# Categories that are never text a person meant: Cc control, Cf format (ZWSP, ZWJ, RTL marks,
# BOM), Co private use, Cs surrogates, Cn unassigned; Zl/Zp are the Unicode line and paragraph
# separators, treated as line breaks.
_DROPPED = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
_MARKS = frozenset({"Mn", "Mc", "Me"})
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _characters(value: str, *, multiline: bool) -> str:
    kept: list[str] = []
    for character in value:
        category = unicodedata.category(character)
        if character in "\n\r\v\f\x1c\x1d\x1e\x85" or category in ("Zl", "Zp"):
            kept.append("\n" if multiline else " ")
        elif character == "\t" or category == "Zs":
            kept.append(" ")
        elif category in _DROPPED:
            continue
        elif category in _MARKS and (not kept or not kept[-1].strip()):
            # A combining mark with nothing (or only space) to combine with.
            continue
        else:
            kept.append(character)
    return "".join(kept)


def normalise_text(value: str, *, multiline: bool = False) -> str:
    """`value` tidied as described above, without any length check (may be empty)."""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
    # Removing characters can leave a mark at the start of a line; run until nothing changes.
    while True:
        cleaned = _characters(text, multiline=multiline)
        if multiline:
            lines = (_SPACES.sub(" ", line).strip() for line in cleaned.split("\n"))
            cleaned = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
        else:
            cleaned = " ".join(cleaned.split())
        cleaned = unicodedata.normalize("NFC", cleaned)
        if cleaned == text:
            return cleaned
        text = cleaned


def clean_text(
    value: str,
    *,
    field: str = "text",
    max_length: int,
    min_length: int = 1,
    multiline: bool = False,
) -> str:
    """The cleaned text, or ValidationFailed(field, reason) with reason "empty" (nothing visible
    was left), "too_short" (under `min_length`) or "too_long" (over `max_length`)."""
    text = normalise_text(value, multiline=multiline)
    if not text:
        raise ValidationFailed(field, EMPTY)
    if len(text) < min_length:
        raise ValidationFailed(field, TOO_SHORT)
    if len(text) > max_length:
        raise ValidationFailed(field, TOO_LONG)
    return text

"""Typed text is cleaned in one place: nothing invisible survives, the result is stable."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.core.errors import ValidationFailed
from services.core.text import clean_text, normalise_text
from services.organisations.registry import clean_address, clean_name
from services.plans.rules import clean_comment, clean_title
from services.requests.draft import clean_request_text

INVISIBLE = ["\u200b\u200b\u200b", "\x00\x01", "\u200f\u200e\u202e", "\u200d\u2060", "\u0301"]
BLANK = [" \t\u00a0\u2003\u3000", "\n\n", "\ufeff", "\u2028\u2029"]


def _forbidden(character: str, *, multiline: bool) -> bool:
    if multiline and character == "\n":
        return False
    return unicodedata.category(character) in {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


@given(st.text(), st.booleans(), st.integers(min_value=1, max_value=50))
def test_cleaned_text_is_visible_stable_and_fits(value: str, multiline: bool, limit: int) -> None:
    normalised = normalise_text(value, multiline=multiline)
    if not normalised or len(normalised) > limit:
        with pytest.raises(ValidationFailed) as caught:
            clean_text(value, max_length=limit, multiline=multiline)
        assert caught.value.reason == ("empty" if not normalised else "too_long")
        return
    cleaned = clean_text(value, max_length=limit, multiline=multiline)
    assert cleaned == normalised
    assert not any(_forbidden(c, multiline=multiline) for c in cleaned)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert 1 <= len(cleaned) <= limit
    assert clean_text(cleaned, max_length=limit, multiline=multiline) == cleaned
    assert unicodedata.normalize("NFC", cleaned) == cleaned
    if not multiline:
        assert "\n" not in cleaned and "\t" not in cleaned


@given(st.text(), st.booleans())
def test_normalising_is_idempotent(value: str, multiline: bool) -> None:
    once = normalise_text(value, multiline=multiline)
    assert normalise_text(once, multiline=multiline) == once
    assert once == once.strip()


@pytest.mark.parametrize("value", INVISIBLE + BLANK)
@pytest.mark.parametrize(
    "validator",
    [
        clean_name,
        clean_address,
        clean_title,
        clean_comment,
        lambda value: clean_request_text(value, "difficulty", 1000),
    ],
)
def test_invisible_text_is_refused_as_empty(value: str, validator: object) -> None:
    with pytest.raises(ValidationFailed) as caught:
        validator(value)  # type: ignore[operator]
    assert caught.value.reason == "empty"


def test_what_people_type_is_kept() -> None:
    assert clean_name('  Школа   <№1> & "Лицей"\u200b ') == 'Школа <№1> & "Лицей"'
    assert clean_name("Детский сад № 71 «Антошка»") == "Детский сад № 71 «Антошка»"
    # NFC: a letter and its combining accent become one character.
    assert clean_text("Е\u0308лка", max_length=10) == "Ёлка"
    assert clean_text("a\r\n\r\n\r\n\r\nb  c", max_length=20, multiline=True) == "a\n\nb c"
    assert clean_text("a\nb", max_length=20) == "a b"
    with pytest.raises(ValidationFailed) as caught:
        clean_text("abc", max_length=2)
    assert caught.value.reason == "too_long"

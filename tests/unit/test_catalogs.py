"""Translations are complete: every string of the code is in both catalogs, translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot.telegram.i18n import LOCALES_DIR

ROOT = LOCALES_DIR.parent
LANGUAGES = ("ru", "en")


def _catalog(language: str) -> Catalog:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=language)


def _message_ids(catalog: Catalog) -> set[str]:
    return {str(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What the code and templates ask to translate right now."""
    target = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(  # type: ignore[no-untyped-call]
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_",
            "-k",
            "gettext",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(target),
            str(ROOT),
        ]
    )
    with target.open("rb") as source:
        return read_po(source)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_every_message_of_the_code(language: str, extracted: Catalog) -> None:
    missing = _message_ids(extracted) - _message_ids(_catalog(language))
    assert not missing, f"run `make locales`, then translate: {sorted(missing)[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_translated_and_not_fuzzy(language: str) -> None:
    catalog = _catalog(language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, f"{language}: untranslated or fuzzy: {problems[:5]}"


def test_russian_plurals_have_three_forms() -> None:
    catalog = _catalog("ru")
    assert catalog.num_plurals == 3
    for message in catalog:
        if message.pluralizable:
            assert isinstance(message.string, tuple | list)
            assert len(message.string) == 3
            assert all(message.string)


def test_placeholders_survive_translation() -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)s|\{\w+\}")
    for message in _catalog("ru"):
        if not message.id:
            continue
        source = str(message.id if isinstance(message.id, str) else message.id[1])
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert isinstance(string, str)
            assert set(placeholder.findall(source)) == set(placeholder.findall(string)), source


def test_compiled_catalogs_exist_after_start() -> None:
    for language in LANGUAGES:
        assert (LOCALES_DIR / language / "LC_MESSAGES" / "messages.mo").exists()
        assert Path(LOCALES_DIR / language).is_dir()


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_message(language: str) -> None:
    """What `pybabel compile` checks, so `make locales` does not stop on a translation whose
    placeholders differ from its message's (a "%" that reads as a %-placeholder did once)."""
    problems = [
        f"{message.id!r}: {error}"
        for message, errors in _catalog(language).check()
        for error in errors
    ]
    assert not problems, problems[:5]

"""The programme logic does not know which messenger a person uses (149-ФЗ; the move to MAX).

`services/` and `models/` may explain a messenger's limits in comments and docstrings, but no
name, attribute, argument or string literal there may be about Telegram: identity lives in
`messenger_account` rows that only the adapters under `bot/` interpret.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from services.outbox.queue import OutgoingMessage
from services.people.directory import MenuTarget, PersonView

ROOT = Path(__file__).resolve().parents[2]
WORD = "telegram"


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (documentation, like comments)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _code_mentions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        words: list[str] = []
        match node:
            case ast.Name(id=name) | ast.Attribute(attr=name) | ast.arg(arg=name):
                words = [name]
            case ast.keyword(arg=str(name)):
                words = [name]
            case (
                ast.FunctionDef(name=name)
                | ast.AsyncFunctionDef(name=name)
                | ast.ClassDef(name=name)
            ):
                words = [name]
            case ast.alias(name=name, asname=asname):
                words = [name, asname or ""]
            case ast.ImportFrom(module=str(module)):
                words = [module]
            case ast.Constant(value=str(text)) if id(node) not in docstrings:
                words = [text]
        line = getattr(node, "lineno", 0)
        found += [
            f"{path.relative_to(ROOT)}:{line}: {word!r}" for word in words if WORD in word.lower()
        ]
    return found


@pytest.mark.parametrize("package", ["services", "models"])
def test_no_code_in_the_domain_mentions_telegram(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files
    mentions = [mention for path in files for mention in _code_mentions(path)]
    assert mentions == []


def test_the_check_finds_a_mention() -> None:
    """Guards the test above against checking nothing."""
    mentions = _code_mentions(ROOT / "bot" / "telegram" / "identity.py")
    assert any("'TELEGRAM'" in mention for mention in mentions)


def test_what_services_hand_out_carries_person_ids_not_messenger_ids() -> None:
    for view in (PersonView, OutgoingMessage, MenuTarget):
        fields = set(view.__dataclass_fields__)
        assert not {name for name in fields if WORD in name or name == "chat_id"}, view

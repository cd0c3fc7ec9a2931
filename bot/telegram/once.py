"""Confirm buttons act once: a second press of the same button gets a calm "already done".

A double tap sends two presses of the same button, often before the first reply arrives. The
first press that acts claims its button (this message, this callback data); the second finds it
claimed and is told the work is done, with nothing created twice. Claims live in the FSM storage
under a key of their own, so a form that clears its state does not forget them, and the memory
storage reads and writes them without yielding, so two presses at once cannot both claim.
Presses that reach no handler at all (a state filter no longer matches) are checked by the
fallback router.
"""

from __future__ import annotations

from dataclasses import replace

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

# The claims' own storage key: the chat's key with a thread id no Telegram chat has. (A destiny
# would be the natural choice, but the Redis key builder refuses destinies unless configured for
# them, which would also move every stored form to a new key.)
CLAIMS_THREAD = -1
CLAIMS_KEY = "claims"
# Only the last few confirmations matter: a double tap comes within seconds.
REMEMBERED = 20


def already_done_text() -> str:
    return _("This has already been done.")


def _ledger(state: FSMContext) -> FSMContext:
    return FSMContext(storage=state.storage, key=replace(state.key, thread_id=CLAIMS_THREAD))


def _button(callback: CallbackQuery) -> str | None:
    """Another button of the same keyboard (a second role for an invite) is a new action; the
    same one pressed again is not."""
    if callback.message is None:
        return None
    return f"{callback.message.message_id}:{callback.data}"


async def _claims(state: FSMContext) -> list[str]:
    return list((await _ledger(state).get_data()).get(CLAIMS_KEY, []))


async def is_spent(state: FSMContext, callback: CallbackQuery) -> bool:
    button = _button(callback)
    return button is not None and button in await _claims(state)


async def claim(state: FSMContext, callback: CallbackQuery) -> bool:
    """True for the first press of this button; False if it was claimed already."""
    button = _button(callback)
    if button is None:
        return True
    claims = await _claims(state)
    if button in claims:
        return False
    await _ledger(state).set_data({CLAIMS_KEY: [*claims, button][-REMEMBERED:]})
    return True


async def release(state: FSMContext, callback: CallbackQuery) -> None:
    """The action was refused (a stale or forged button): the next press is judged afresh."""
    button = _button(callback)
    claims = await _claims(state)
    if button in claims:
        claims.remove(button)
        await _ledger(state).set_data({CLAIMS_KEY: claims})


async def answer_already_done(callback: CallbackQuery) -> None:
    await callback.answer(already_done_text())

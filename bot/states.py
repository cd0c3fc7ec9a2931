"""Every FSM state group."""

from aiogram.fsm.state import State, StatesGroup


class OrganisationCreation(StatesGroup):
    name = State()
    address = State()
    timezone = State()
    confirm = State()

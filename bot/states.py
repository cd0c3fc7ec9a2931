"""Every FSM state group."""

from aiogram.fsm.state import State, StatesGroup


class OrganisationCreation(StatesGroup):
    name = State()
    address = State()
    timezone = State()
    confirm = State()


class ProfileForm(StatesGroup):
    full_name = State()
    position = State()
    subjects = State()
    experience_years = State()
    organisation_years = State()
    role = State()
    mentee_category = State()
    needed_domains = State()
    offered_domains = State()
    meeting_format = State()
    days = State()
    times = State()
    summary = State()


class ProfileAvailability(StatesGroup):
    unavailable_until = State()

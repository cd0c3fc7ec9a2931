"""Every FSM state group."""

from aiogram.fsm.state import State, StatesGroup


class OrganisationCreation(StatesGroup):
    name = State()
    address = State()
    timezone = State()
    confirm = State()


class ProfileAvailability(StatesGroup):
    unavailable_until = State()


class OfferDecline(StatesGroup):
    comment = State()


class PairPause(StatesGroup):
    until = State()


class OrderRecording(StatesGroup):
    pairs = State()
    number = State()
    order_date = State()


class CohortMatch(StatesGroup):
    review = State()


class FormStates(StatesGroup):
    """Answering a form of the one engine (services/forms). Only routes messages: the form in
    progress is in the database, and is found there again after a restart."""

    answering = State()


class CheckinPostpone(StatesGroup):
    new_date = State()


class QuietPause(StatesGroup):
    until = State()


class AgreedMeetingForm(StatesGroup):
    when = State()


class PlanForm(StatesGroup):
    goal_title = State()
    task_return_comment = State()


class ProgrammeHolidays(StatesGroup):
    dates = State()


class QuestionnaireUpload(StatesGroup):
    """A curator is about to send a questionnaire file (the organisation is in the FSM data)."""

    file = State()


class BroadcastForm(StatesGroup):
    """A curator writing a message to many (the organisation and audience in the FSM data)."""

    text = State()
    confirm = State()


class ProgrammeFigures(StatesGroup):
    """A curator typing one figure of the programme year (organisation, year, figure in data)."""

    value = State()


class ReportDates(StatesGroup):
    """A curator or coordinator typing the period of /report (the organisation in the data)."""

    period = State()

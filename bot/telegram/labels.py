"""Names of domain values in the current language (for buttons and templates alike)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from models import CompetenceDomain, InviteRole, MeetingFormat, MenteeCategory, ProfileRole
from services.forms.definitions import lazy_gettext
from services.organisations.participants import ParticipantStatus


def role_name(role: InviteRole | str) -> str:
    role = InviteRole(role)
    names = {
        InviteRole.MENTEE: _("mentee"),
        InviteRole.MENTOR: _("mentor"),
        InviteRole.EITHER: _("mentor or mentee"),
        InviteRole.CURATOR: _("curator"),
        InviteRole.HEAD: _("head of the organisation"),
        InviteRole.COORDINATOR: _("municipal coordinator"),
    }
    return names[role]


def profile_role_name(role: ProfileRole | str) -> str:
    names = {
        ProfileRole.MENTEE: _("mentee"),
        ProfileRole.MENTOR: _("mentor"),
        ProfileRole.BOTH: _("mentor and mentee"),
    }
    return names[ProfileRole(role)]


def participant_status_name(status: ParticipantStatus | str) -> str:
    names = {
        ParticipantStatus.INVITED: _("waiting for consent"),
        ParticipantStatus.CONSENTED: _("consented, profile not filled"),
        ParticipantStatus.PROFILE_COMPLETE: _("profile complete"),
        ParticipantStatus.DECLINED: _("declined consent"),
        ParticipantStatus.WITHDRAWN: _("withdrew consent"),
        ParticipantStatus.UNREACHABLE: _("blocked the bot"),
    }
    return names[ParticipantStatus(status)]


# Profile answers offered as buttons: (button key, the value stored). Stored values are Russian
# because the programme's documents are Russian; they never change when a translation is polished.
POSITIONS: tuple[tuple[str, str], ...] = (
    ("teacher", "учитель"),
    ("educator", "воспитатель"),
    ("psychologist", "педагог-психолог"),
    ("additional", "педагог дополнительного образования"),
    ("speech", "учитель-логопед"),
    ("methodist", "методист"),
)
SUBJECTS: tuple[tuple[str, str], ...] = (
    ("preschool", "Дошкольное образование"),
    ("primary", "Начальные классы"),
    ("russian", "Русский язык"),
    ("literature", "Литература"),
    ("math", "Математика"),
    ("cs", "Информатика"),
    ("physics", "Физика"),
    ("chemistry", "Химия"),
    ("biology", "Биология"),
    ("geography", "География"),
    ("history", "История"),
    ("social", "Обществознание"),
    ("foreign", "Иностранный язык"),
    ("art", "Изобразительное искусство"),
    ("music", "Музыка"),
    ("pe", "Физическая культура"),
    ("technology", "Труд (технология)"),
    ("safety", "ОБЗР"),
)


def position_name(position: str) -> str:
    """A position from the buttons in the current language; a typed one as it was typed."""
    names = {
        "учитель": _("Teacher"),
        "воспитатель": _("Kindergarten teacher"),
        "педагог-психолог": _("Educational psychologist"),
        "педагог дополнительного образования": _("Additional education teacher"),
        "учитель-логопед": _("Speech therapist"),
        "методист": _("Methodologist"),
    }
    return names.get(position, position)


def subject_name(subject: str) -> str:
    """A subject from the buttons in the current language; a typed one as it was typed."""
    names = {
        "Дошкольное образование": _("Preschool education"),
        "Начальные классы": _("Primary school"),
        "Русский язык": _("Russian language"),
        "Литература": _("Literature"),
        "Математика": _("Mathematics"),
        "Информатика": _("Computer science"),
        "Физика": _("Physics"),
        "Химия": _("Chemistry"),
        "Биология": _("Biology"),
        "География": _("Geography"),
        "История": _("History"),
        "Обществознание": _("Social studies"),
        "Иностранный язык": _("Foreign language"),
        "Изобразительное искусство": _("Art"),
        "Музыка": _("Music"),
        "Физическая культура": _("Physical education"),
        "Труд (технология)": _("Technology"),
        "ОБЗР": _("Life safety"),
    }
    return names.get(subject, subject)


def mentee_category_name(category: MenteeCategory | str) -> str:
    names = {
        MenteeCategory.YOUNG_SPECIALIST: _("Young specialist (up to 3 years)"),
        MenteeCategory.NEW_TO_STAFF: _("New to the staff"),
        MenteeCategory.NEW_TECHNOLOGY: _("Mastering a new method or duty"),
        MenteeCategory.NON_PEDAGOGICAL: _("Non-teaching education"),
        MenteeCategory.OTHER: _("Professional difficulties"),
    }
    return names[MenteeCategory(category)]


def domain_name(domain: CompetenceDomain | str) -> str:
    names = {
        CompetenceDomain.SCIENTIFIC: _("Scientific and theoretical"),
        CompetenceDomain.REGULATORY: _("Regulations and law"),
        CompetenceDomain.SUBJECT: _("Subject knowledge"),
        CompetenceDomain.PSYCHOLOGICAL: _("Psychology: pupils and parents"),
        CompetenceDomain.METHODOLOGICAL: _("Teaching methods"),
        CompetenceDomain.ICT: _("ICT skills"),
        CompetenceDomain.DIGITAL: _("Digital education"),
        CompetenceDomain.UPBRINGING: _("Extracurricular and upbringing work"),
        CompetenceDomain.HEALTH: _("Pupils' health"),
    }
    return names[CompetenceDomain(domain)]


# The meeting formats in the order forms offer them, untranslated: the form engine translates
# options when it shows them, `meeting_format_name` when it is asked.
MEETING_FORMAT_OPTIONS = (
    (MeetingFormat.IN_PERSON.value, lazy_gettext("In person")),
    (MeetingFormat.ONLINE.value, lazy_gettext("Online")),
    (MeetingFormat.ANY.value, lazy_gettext("Either")),
)


def meeting_format_name(meeting_format: MeetingFormat | str) -> str:
    return _(dict(MEETING_FORMAT_OPTIONS)[MeetingFormat(meeting_format).value])


def day_name(day: str) -> str:
    """services.profiles.DAYS as short names: Mon … Sat."""
    names = {
        "mon": _("Mon"),
        "tue": _("Tue"),
        "wed": _("Wed"),
        "thu": _("Thu"),
        "fri": _("Fri"),
        "sat": _("Sat"),
    }
    return names[day]


def time_name(time: str) -> str:
    """services.profiles.TIMES as the hours they stand for."""
    names = {
        "morning": _("Morning, before 12:00"),
        "midday": _("12:00–15:00"),
        "afternoon": _("15:00–18:00"),
        "evening": _("After 18:00"),
    }
    return names[time]


def profile_field_name(field: str) -> str:
    """The profile's questions by their field names (ProfileDraft), for Edit buttons."""
    names = {
        "full_name": _("Full name"),
        "position": _("Position"),
        "subjects": _("Subjects"),
        "experience_years": _("Teaching experience"),
        "organisation_years": _("Years here"),
        "role": _("Role"),
        "mentee_category": _("Category"),
        "needed_domains": _("Need help with"),
        "offered_domains": _("Can help with"),
        "meeting_format": _("Format"),
        "days": _("Days"),
        "times": _("Times"),
    }
    return names[field]

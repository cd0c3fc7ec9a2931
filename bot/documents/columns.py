"""The columns of the workbook's sheets: header, Excel type, width and what the column holds (the
last sheet of every workbook explains each column with these words)."""

from __future__ import annotations

from dataclasses import dataclass

from services.forms.definitions import lazy_gettext as N_  # noqa: N812 (the gettext convention)

TEXT, NUMBER, DATE, PERCENT, DECIMAL = "text", "number", "date", "percent", "decimal"


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header and its explanation are msgids, translated when written."""

    header: str
    kind: str
    width: int
    meaning: str


INDICATOR_COLUMNS = (
    Column(N_("Indicator"), TEXT, 52, N_("A target indicator of the mentoring programme.")),
    Column(
        N_("Numerator"),
        NUMBER,
        12,
        N_("What is counted; the rule is in the last column."),
    ),
    Column(N_("Denominator"), NUMBER, 13, N_("Out of how many; empty when not known.")),
    Column(
        N_("Denominator from"),
        TEXT,
        40,
        N_("Entered by the curator in /programme, or counted from the profiles in the bot."),
    ),
    Column(N_("Value"), PERCENT, 10, N_("Numerator / denominator.")),
    Column(
        N_("Target year"),
        NUMBER,
        12,
        N_("The calendar year whose target applies (the year the period ends in)."),
    ),
    Column(N_("Target"), PERCENT, 10, N_("The target for that year.")),
    Column(N_("Met"), TEXT, 8, N_("Whether the value reaches the target.")),
    Column(N_("How it is counted"), TEXT, 90, N_("The rule behind the numerator.")),
)

MENTOR_COLUMNS = (
    Column(N_("Full name"), TEXT, 34, N_("The mentor's surname, name and patronymic.")),
    Column(N_("Position"), TEXT, 24, N_("As given in the profile.")),
    Column(N_("Subjects"), TEXT, 30, N_("Subjects or areas taught.")),
    Column(N_("Experience, years"), NUMBER, 11, N_("Teaching experience in years.")),
    Column(N_("Here, years"), NUMBER, 10, N_("Years in this organisation.")),
    Column(N_("Can help with"), TEXT, 50, N_("Competence domains the mentor offers.")),
    Column(
        N_("Places"),
        NUMBER,
        8,
        N_("Mentees the mentor takes at once (own number, else the organisation's)."),
    ),
    Column(
        N_("Mentees now"),
        NUMBER,
        10,
        N_("Pairs of this mentor not finished (including paused and awaiting an order)."),
    ),
    Column(
        N_("Pairs in period"),
        NUMBER,
        10,
        N_("Pairs of this mentor that worked during the period."),
    ),
    Column(N_("Reachable"), TEXT, 10, N_("'no' when the mentor blocked the bot.")),
)

MENTEE_COLUMNS = (
    Column(N_("Full name"), TEXT, 34, N_("The mentee's surname, name and patronymic.")),
    Column(N_("Position"), TEXT, 24, N_("As given in the profile.")),
    Column(
        N_("Category"),
        TEXT,
        28,
        N_("Young specialist, new to the staff, mastering a new method, and so on."),
    ),
    Column(N_("Experience, years"), NUMBER, 11, N_("Teaching experience in years.")),
    Column(
        N_("Request filed"),
        DATE,
        12,
        N_("Date of the latest request up to the period's end."),
    ),
    Column(N_("Topics"), TEXT, 40, N_("What the mentee asked help with.")),
    Column(
        N_("What is hard"),
        TEXT,
        50,
        N_("The mentee's own words (for the curator only)."),
    ),
    Column(
        N_("Kind of mentoring"),
        TEXT,
        26,
        N_("Traditional, short-term or situational."),
    ),
    Column(N_("Urgency"), TEXT, 14, N_("How soon help is needed.")),
    Column(N_("Request status"), TEXT, 18, N_("Where the request is now.")),
    Column(
        N_("Mentor"),
        TEXT,
        34,
        N_("The mentor of the mentee's latest pair in the period."),
    ),
)

PAIR_COLUMNS = (
    Column(N_("Pair №"), NUMBER, 8, N_("The pair's number in the bot.")),
    Column(N_("Mentor"), TEXT, 34, N_("Full name.")),
    Column(N_("Mentee"), TEXT, 34, N_("Full name.")),
    Column(N_("Kind of mentoring"), TEXT, 26, N_("As agreed for the pair.")),
    Column(
        N_("State now"),
        TEXT,
        18,
        N_("Awaiting the order, active, paused, completed, ended early."),
    ),
    Column(N_("Formed"), DATE, 12, N_("When the pair was formed.")),
    Column(
        N_("Started"),
        DATE,
        12,
        N_("When it started (after the order, where one is required)."),
    ),
    Column(N_("Order №"), TEXT, 12, N_("Number of the order fixing the pair.")),
    Column(N_("Order date"), DATE, 12, N_("Date of that order.")),
    Column(N_("Ended"), DATE, 12, N_("When the pair ended.")),
    Column(N_("Why it ended early"), TEXT, 30, N_("For pairs that ended early.")),
    Column(
        N_("Meetings in period"),
        NUMBER,
        11,
        N_("Meetings in the log during the period."),
    ),
    Column(N_("Last meeting"), DATE, 12, N_("The latest meeting up to the period's end.")),
)

MEETING_COLUMNS = (
    Column(N_("Date"), DATE, 12, N_("When the meeting was held.")),
    Column(N_("Pair №"), NUMBER, 8, N_("The pair (see the pairs sheet).")),
    Column(N_("Mentor"), TEXT, 34, N_("Full name.")),
    Column(N_("Mentee"), TEXT, 34, N_("Full name.")),
    Column(N_("Meeting"), TEXT, 18, N_("Introduction, planning, regular or final.")),
    Column(N_("Format"), TEXT, 12, N_("In person or online.")),
    Column(N_("Minutes"), NUMBER, 9, N_("How long it lasted.")),
    Column(N_("Topic"), TEXT, 40, N_("As written in the log.")),
    Column(N_("Usefulness 1–5"), NUMBER, 12, N_("As rated in the log.")),
    Column(N_("Next step"), TEXT, 40, N_("As written in the log.")),
)

RESULT_COLUMNS = (
    Column(
        N_("Questionnaire"),
        TEXT,
        40,
        N_("Its title; every version answered counts (see the versions)."),
    ),
    Column(
        N_("Versions"),
        TEXT,
        9,
        N_("Versions of the questionnaire the answers were given to."),
    ),
    Column(N_("Group"), TEXT, 14, N_("All respondents, or mentees and mentors apart.")),
    Column(
        N_("Question"),
        TEXT,
        60,
        N_("The question (free-text questions are not summarised)."),
    ),
    Column(N_("n"), NUMBER, 6, N_("Respondents who answered the question.")),
    Column(N_("Mean"), DECIMAL, 8, N_("For scales and numbers.")),
    Column(N_("Median"), DECIMAL, 8, N_("For scales and numbers.")),
    Column(
        N_("Answers"),
        TEXT,
        60,
        N_("How many chose each answer; groups under 3 are not broken down."),
    ),
)

ORGANISATION_COLUMNS = (
    Column(N_("Organisation"), TEXT, 44, N_("The organisation, or the totals.")),
    Column(
        N_("Participants"),
        NUMBER,
        12,
        N_("People who joined the programme (any status)."),
    ),
    Column(
        N_("Mentors in pairs"),
        NUMBER,
        12,
        N_("Distinct mentors in pairs that worked during the period."),
    ),
    Column(
        N_("Mentees in pairs"),
        NUMBER,
        12,
        N_("Distinct mentees in pairs that worked during the period."),
    ),
    Column(N_("Pairs"), NUMBER, 9, N_("Pairs that worked during the period.")),
    Column(N_("Meetings"), NUMBER, 10, N_("Meetings held during the period.")),
    Column(
        N_("Cadence compliance"),
        PERCENT,
        12,
        N_("Share of the period's cycles in which the pair met."),
    ),
    Column(
        N_("Questionnaires finished"),
        PERCENT,
        13,
        N_("Finished of those sent during the period."),
    ),
    Column(
        N_("Mentees satisfied"),
        PERCENT,
        12,
        N_("By the organisation's threshold; empty under 3 answers."),
    ),
    Column(
        N_("Mentors satisfied"),
        PERCENT,
        12,
        N_("By the organisation's threshold; empty under 3 answers."),
    ),
    Column(
        N_("Provides mentors"),
        TEXT,
        10,
        N_("At least one mentor in a pair during the period."),
    ),
)

"""Every callback-data factory. Short prefixes and ids only: Telegram allows 64 bytes."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LanguageCallback(CallbackData, prefix="lang"):
    locale: str


class TimezoneCallback(CallbackData, prefix="tz"):
    """Index into services.timezones.RUSSIAN_TIMEZONES."""

    index: int


class OrgCreateCallback(CallbackData, prefix="oc"):
    """Confirm (`yes`) or abandon (`no`) the new organisation."""

    answer: str


class OrgPageCallback(CallbackData, prefix="og"):
    page: int


class OrgCuratorInviteCallback(CallbackData, prefix="oi"):
    """/orgs: a single-use staff invite for the organisation: `curator` or `coordinator`."""

    organisation_id: int
    role: str = "curator"


class InviteOrganisationCallback(CallbackData, prefix="io"):
    """Which organisation an invite (or the invite list) is for; `list` or `new`."""

    organisation_id: int
    purpose: str


class InviteRoleCallback(CallbackData, prefix="ir"):
    organisation_id: int
    role: str


class InviteRevokeCallback(CallbackData, prefix="iv"):
    """`ask` shows a confirmation, `yes` revokes."""

    invite_id: int
    step: str


class ConsentCallback(CallbackData, prefix="cs"):
    """An answer to one consent document: `yes`, `no`, `show` again, or `erase` (a confirmed
    refusal of a changed text)."""

    document_id: int
    answer: str


class ProfileCallback(CallbackData, prefix="pf"):
    """/profile's buttons: `action` (edit, capacity, date of absence…), `value` its argument."""

    action: str
    value: str = ""


class PrivacyCallback(CallbackData, prefix="pv"):
    """/privacy: `export`, `withdraw` (asks), `withdraw_yes`, `withdraw_no`."""

    action: str


class ParticipantsCallback(CallbackData, prefix="pl"):
    """/participants: a page of the list with a role and status filter ("" = any)."""

    organisation_id: int
    role: str = ""
    status: str = ""
    page: int = 0


class ParticipantsActionCallback(CallbackData, prefix="pr"):
    """/participants actions: `remind` those waiting for consent."""

    organisation_id: int
    action: str


class ConsentSettingsCallback(CallbackData, prefix="cr"):
    """/consent (curator): show an organisation's consent settings (`years` 0) or set the period."""

    organisation_id: int
    years: int = 0


# --- Requests (the mentee's side) -------------------------------------------------------------


class RequestActionCallback(CallbackData, prefix="ra"):
    """A live request: `edit`, `withdraw` (asks), `withdraw_yes`, `suggest`, `curator`."""

    request_id: int
    action: str


class ChooseMentorCallback(CallbackData, prefix="rm"):
    """The mentee asks this suggested mentor to take the request."""

    request_id: int
    mentor_id: int


class FileForCallback(CallbackData, prefix="ff"):
    """A curator files a request for a mentee (`mentee_id` 0 = the list, with `page`)."""

    organisation_id: int
    mentee_id: int = 0
    page: int = 0


# --- Offers and open requests (the mentor's side) --------------------------------------------


class OfferCallback(CallbackData, prefix="of"):
    """A mentor's answer to an offered request: `accept`, `close` (accept and close intake),
    `decline` (asks the reason), `skip` (no comment), `show`."""

    offer_id: int
    action: str


class DeclineReasonCallback(CallbackData, prefix="od"):
    offer_id: int
    reason: str


class TakeRequestCallback(CallbackData, prefix="tk"):
    """A mentor takes an open request from /requests: `ask` shows it, `yes` takes it."""

    request_id: int
    step: str


class OpenRequestsPageCallback(CallbackData, prefix="rp"):
    page: int


# --- The curator's requests, matching, orders, settings ---------------------------------------


class CuratorRequestsCallback(CallbackData, prefix="cl"):
    organisation_id: int
    page: int = 0


class CuratorRequestCallback(CallbackData, prefix="cq"):
    """One request in the curator's list: `show` (the request and its suggestions)."""

    request_id: int
    action: str


class AssignCallback(CallbackData, prefix="as"):
    """The curator pairs a request with a mentor: `ask` confirms, `yes` pairs."""

    request_id: int
    mentor_id: int
    step: str


class MatchCallback(CallbackData, prefix="mt"):
    """/match review: `objective` (value 0 best fit, 1 everyone), `edit` (value: request id),
    `page`, `approve`, `cancel`."""

    action: str
    value: int = 0


class MatchPickCallback(CallbackData, prefix="mk"):
    """A mentor for one line of the draft (`mentor_id` 0 = leave without a mentor)."""

    request_id: int
    mentor_id: int


class ProgrammeSettingCallback(CallbackData, prefix="ps"):
    organisation_id: int
    setting: str
    value: str = ""


class OrderCallback(CallbackData, prefix="oo"):
    """Recording an order: `toggle` a pair (value: pair id), `all`, `done`, `cancel`."""

    action: str
    value: int = 0


# --- Pairs -----------------------------------------------------------------------------------


class PairActionCallback(CallbackData, prefix="pa"):
    """A participant's pair in /mypairs: `show`, `petition`, `pause`, `resume`."""

    pair_id: int
    action: str


class PetitionReasonCallback(CallbackData, prefix="pe"):
    pair_id: int
    reason: str


class PetitionDecisionCallback(CallbackData, prefix="pd"):
    """The curator approves (`yes`) or rejects (`no`) a petition."""

    petition_id: int
    decision: str


class CuratorPairsCallback(CallbackData, prefix="cp"):
    organisation_id: int
    page: int = 0


class PairManageCallback(CallbackData, prefix="pm"):
    """The curator on one pair: `show`, `pause`, `resume`, `complete`, `end` (asks the reason),
    `end_<reason>`."""

    pair_id: int
    action: str


class MentorCapacityCallback(CallbackData, prefix="mc"):
    """/capacity (curator): `page` of the mentors list, `show` one mentor, `set` their capacity
    to `value` (-1 = back to the organisation's default)."""

    organisation_id: int
    action: str
    mentor_id: int = 0
    value: int = 0


# --- Meetings, check-ins, plans ----------------------------------------------------------------


class CheckinCallback(CallbackData, prefix="ci"):
    """ "Did you meet?" for one cycle: `met`, `postponed`, `missed`."""

    cycle_id: int
    answer: str


class QuietPairCallback(CallbackData, prefix="qp"):
    """The nudge to a quiet pair: `fine`, `pause`, `help`."""

    pair_id: int
    answer: str


class MeetingCallback(CallbackData, prefix="mg"):
    """/meeting and /meetings: `pair` (value: pair id) chooses the pair, `log` shows its log,
    `edit` (value: meeting id) corrects one's own entry, `page`."""

    action: str
    value: int = 0


class FormAnswerCallback(CallbackData, prefix="fa"):
    """An answer to the current question of a data-defined form (`value` is the option's code;
    `skip`, `back` are commands)."""

    question: str
    value: str


class PlanCallback(CallbackData, prefix="pn"):
    """/plan of one pair: `show`, `goal` (add a goal), `task` (add a task), `overdue`."""

    pair_id: int
    action: str
    item_id: int = 0


class TaskCallback(CallbackData, prefix="tt"):
    """One task of a plan: `done` (assignee), `check` or `return` (mentor), `show`."""

    task_id: int
    action: str


class AgreedMeetingCallback(CallbackData, prefix="am"):
    """The meeting date a pair agreed on: `set` asks for it, `cancel` drops it."""

    pair_id: int
    action: str


class PairCadenceCallback(CallbackData, prefix="pk"):
    """How often a pair meets: `days` -1 shows the choices, 0 returns to the organisation's
    cadence, another number is the cadence chosen."""

    pair_id: int
    days: int


class QuestionnaireCallback(CallbackData, prefix="qn"):
    """/questionnaires of one organisation: `list`, `show` / `preview` / `download` one
    questionnaire (`code`), `upload` a file."""

    organisation_id: int
    action: str
    code: str = ""


class ResponseCallback(CallbackData, prefix="qr"):
    """Open (or go on with) this response."""

    response_id: int


class SurveyOpenCallback(CallbackData, prefix="so"):
    """A survey invitation's or reminder's button: the person's own response in the campaign."""

    campaign_id: int


class SurveyCallback(CallbackData, prefix="sv"):
    """/survey of one organisation: `list`, `new` (choose a questionnaire), `who` (value: code),
    `when` (value: code|audience), `ask` (value: code|audience|days: the confirmation), `go`
    (launch), `show` / `close` / `closeok` (value: campaign id)."""

    organisation_id: int
    action: str
    value: str = ""


class AuditCallback(CallbackData, prefix="au"):
    """/audit: the organisation (0: every one, superadmin), the period in days, the kind of
    action ("" for all), only one's own actions, the page."""

    organisation_id: int
    days: int = 7
    category: str = ""
    mine: int = 0
    page: int = 0


class BroadcastCallback(CallbackData, prefix="bc"):
    """/broadcast: `who` (the audiences), `surveys` (which survey's unfinished), `to` (value: the
    audience, or "unfinished-<campaign id>"), `send` and `cancel` under the preview."""

    organisation_id: int
    action: str
    value: str = ""


class StatsCallback(CallbackData, prefix="st"):
    """/stats: the organisation (0: the coordinator's roll-up), `show`, `charts` or `rollup`, the
    roll-up's page."""

    organisation_id: int
    action: str
    page: int = 0


class ReportCallback(CallbackData, prefix="rb"):
    """/report: the organisation (0: the coordinator's roll-up) and the period as
    "YYYYMMDD-YYYYMMDD", `dates` to type them, or "" after choosing the organisation."""

    organisation_id: int
    value: str

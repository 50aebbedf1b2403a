"""The vocabulary of jszb.h as IntEnums.

Every member has the number of its C enumerator; member names are the C names
without their prefix (JSZB_STATE_HANDLING -> State.HANDLING). C uses 0 for
"unspecified"; the package shows that as None instead of a member, except for
Refusal.NONE and Code.OK, which jszb.h itself defines.
"""
from __future__ import annotations

from enum import IntEnum

__all__ = [
    "Code",
    "Open311Format",
    "Open311Content",
    "Open311Status",
    "ReportFormat",
    "Figure",
    "GroupScope",
    "TaskState",
    "ThemePeriod",
    "ExportFormat",
    "Refusal",
    "Kind",
    "Channel",
    "Urgency",
    "Role",
    "State",
    "CommandKind",
    "EventType",
    "NotDispatchedReason",
    "DispatchMode",
    "Satisfaction",
    "VisitMethod",
    "SupervisionLevel",
    "Step",
    "EscalationAction",
    "RouteOutcome",
    "UnitClass",
    "Sync",
    "LogLevel",
    "FINAL_STATES",
]


class Code(IntEnum):
    """jszb_code: what a call returned."""

    OK = 0
    INVALID = -1
    NOT_FOUND = -2
    STATE = -3
    DENIED = -4
    REFUSED = -5
    BUSY = -6
    NOMEM = -7
    INTERNAL = -8
    RANGE = -9
    STORAGE = -10
    LOCKED = -11
    CORRUPT = -12
    VERSION = -13
    CONFLICT = -14
    CANCELLED = -15


class Refusal(IntEnum):
    """jszb_refusal: why the lifecycle refused a command."""

    NONE = 0
    STATE = 1
    NOT_CENTRE = 2
    NOT_REVIEWER = 3
    NOT_OWNER = 4
    NOT_CO_HANDLER = 5
    OWNER_FIXED = 6
    EXTENSION_LIMIT = 7
    VISIT_SATISFIED = 8
    NOT_CENTRE_OR_SYSTEM = 9
    NOT_OWNER_OR_CENTRE = 10
    NOT_SYSTEM = 11
    NOT_CREDITED = 12  # only a unit the visit result is scored for may appeal
    NOT_APPEALABLE = 13  # no valid result stands, or it was appealed already
    NOT_OVERDUE = 14  # a visit before the reply: only once the reply deadline passed
    NOT_IN_REDO = 15  # re-dispatch from handling: only an order sent back to redo
    NOT_SUPERVISOR = 16  # 督办: only the centre, the system or the lead's district
    NOT_COMMUNITY_OF_LEAD = 17  # forward only to a community of the lead street
    NOT_COMMUNITY = 18  # only the community the order was forwarded to


class Kind(IntEnum):
    """jszb_kind (Art. 2)."""

    CONSULTATION = 1
    HELP = 2
    COMPLAINT = 3
    REPORT = 4
    SUGGESTION = 5


class Channel(IntEnum):
    """jszb_channel."""

    PHONE = 1
    WEB = 2
    WECHAT_MINI = 3
    WECHAT_ACCOUNT = 4
    APP = 5
    LEADERS_BOARD = 6
    NATIONAL_MINI = 7
    WEIBO = 8
    TOUTIAO = 9
    MERGED_HOTLINE = 10


class Urgency(IntEnum):
    """jszb_urgency."""

    NORMAL = 1
    URGENT = 2
    EXTRA_URGENT = 3


class Role(IntEnum):
    """jszb_role."""

    OPERATOR = 1
    DISPATCHER = 2
    UNIT = 3
    CITIZEN = 4
    SYSTEM = 5


class State(IntEnum):
    """jszb_state."""

    RECEIVED = 1
    ANSWERED_ON_SPOT = 2
    NOT_DISPATCHED = 3
    DISPATCHED = 4
    RETURN_REQUESTED = 5
    HANDLING = 6
    CO_HANDLING = 7
    EXTENSION_REQUESTED = 8
    SUSPENDED = 9
    REPLIED = 10
    VISITED = 11
    TERMINATED = 12
    CLOSED = 13
    MERGED = 14
    APPEALED = 15  # 申诉: a unit disputes the visit result
    SUSPENSION_REQUESTED = 16  # 挂起申请: waiting for review, the clock still runs
    LONG_TERM_PENDING = 17  # 挂账: on the long-term pending list until reviewed


# States jszb.h marks "(final)"; CLOSED is not among them: it can be reopened.
FINAL_STATES = frozenset(
    {State.ANSWERED_ON_SPOT, State.NOT_DISPATCHED, State.TERMINATED, State.MERGED}
)


class CommandKind(IntEnum):
    """jszb_command_kind. An accepted command K appends one event of type K."""

    ANSWER_ON_SPOT = 2
    NOT_DISPATCH = 3
    DISPATCH = 4
    REQUEST_RETURN = 5
    APPROVE_RETURN = 6
    REFUSE_RETURN = 7
    SIGN = 8
    CONTACT_CITIZEN = 9
    ADD_CO_HANDLERS = 10
    REPORT_TO_LEAD = 11
    REQUEST_EXTENSION = 12
    APPROVE_EXTENSION = 13
    REFUSE_EXTENSION = 14
    SUSPEND = 15
    RESUME = 16
    SUPERVISE = 17
    REPLY = 18
    VISIT = 19
    REDO = 20
    TERMINATE = 21
    CLOSE = 22
    REOPEN = 23
    MERGE = 24
    AUTO_RETURN = 25  # system only: the engine's timers send it
    APPEAL = 29  # a scored unit disputes the visit result (26..28 are timer events)
    UPHOLD_APPEAL = 30  # reviewer: the result leaves scoring
    REJECT_APPEAL = 31  # reviewer: the result stands
    REQUEST_SUSPENSION = 34  # owner: 挂起申请, text (the reason)
    APPROVE_SUSPENSION = 35  # reviewer: the clock stops from now
    REFUSE_SUSPENSION = 36  # reviewer: back to handling
    HOLD_LONG_TERM = 37  # reviewer: 挂账, until_ms the review date, text the reason
    FORWARD_TO_COMMUNITY = 38  # lead street: to one of its communities (payload unit)
    COMMUNITY_SIGN = 39  # the community the order was forwarded to
    COMMUNITY_REPLY = 40  # the community: its result back to the street (text, solved)


class EventType(IntEnum):
    """jszb_event_type."""

    SUBMITTED = 1
    ANSWERED_ON_SPOT = 2
    NOT_DISPATCHED = 3
    DISPATCHED = 4
    RETURN_REQUESTED = 5
    RETURN_APPROVED = 6
    RETURN_REFUSED = 7
    SIGNED = 8
    CITIZEN_CONTACTED = 9
    CO_HANDLERS_ADDED = 10
    REPORTED_TO_LEAD = 11
    EXTENSION_REQUESTED = 12
    EXTENSION_APPROVED = 13
    EXTENSION_REFUSED = 14
    SUSPENDED = 15
    RESUMED = 16
    SUPERVISED = 17
    REPLIED = 18
    VISITED = 19
    REDO_ORDERED = 20
    TERMINATED = 21
    CLOSED = 22
    REOPENED = 23
    MERGED = 24
    AUTO_RETURNED = 25
    # Timers (actor: system); payload.step, .mark and .action say which.
    DEADLINE_WARNING = 26
    DEADLINE_BREACHED = 27
    DEADLINE_ESCALATED = 28
    APPEALED = 29
    APPEAL_UPHELD = 30
    APPEAL_REJECTED = 31
    # The engine's result under Art. 23 (actor: system): expired, no reply, no visit.
    AUTO_VISITED = 32
    # The engine's move of an open case to a new policy version (actor: system):
    # its estimated deadlines re-planned on the newly loaded official schedule.
    REPLANNED = 33
    SUSPENSION_REQUESTED = 34
    SUSPENSION_APPROVED = 35
    SUSPENSION_REFUSED = 36
    HELD_LONG_TERM = 37
    FORWARDED_TO_COMMUNITY = 38
    COMMUNITY_SIGNED = 39
    COMMUNITY_REPLIED = 40


class NotDispatchedReason(IntEnum):
    """jszb_not_dispatched_reason (Art. 11)."""

    EMERGENCY = 1
    LEGAL_CHANNEL = 2
    DUPLICATE = 3
    SECRET = 4
    OUTSIDE_DUTY = 5
    UNLAWFUL = 6


class DispatchMode(IntEnum):
    """jszb_dispatch_mode."""

    DIRECT = 1
    DISTRICT_COORDINATES = 2


class Satisfaction(IntEnum):
    """jszb_satisfaction."""

    SATISFIED = 1
    BASICALLY_SATISFIED = 2
    NOT_SATISFIED = 3


class VisitMethod(IntEnum):
    """jszb_visit_method."""

    PHONE = 1
    SMS = 2
    ONLINE = 3


class SupervisionLevel(IntEnum):
    """jszb_supervision_level."""

    DISTRICT = 1
    CITY = 2


class Step(IntEnum):
    """jszb_step: the timed steps of an order (policy deadline rules)."""

    DISPATCH = 1  # received -> dispatched
    SIGN = 2  # dispatched -> signed
    FIRST_CONTACT = 3  # signed -> the citizen contacted
    REPLY = 4  # dispatched -> replied: the order's deadline
    CO_HANDLER_REPORT = 5  # co-handlers added -> all reported
    RETURN_VISIT = 6  # replied -> visited
    APPEAL_REVIEW = 7  # appealed -> upheld or rejected
    EXPIRY_VISIT = 8  # the reply deadline passed -> replied or visited (Art. 23)
    SUPERVISION = 9  # 督办 while the lead owes its reply -> the lead's next reply
    LONG_TERM_REVIEW = 10  # on the pending list (挂账) -> reviewed: due is the review date


class EscalationAction(IntEnum):
    """jszb_escalation_action: what an escalation mark does."""

    NOTIFY = 1
    SUPERVISE_DISTRICT = 2
    SUPERVISE_CITY = 3
    RETURN_TO_DISPATCHER = 4


class UnitClass(IntEnum):
    """jszb_unit_class: what kind of unit handles orders."""

    DISTRICT = 1  # 区政府
    STREET = 2  # 街道/乡镇
    DEPARTMENT = 3  # city or district department
    ENTERPRISE = 4  # public-service enterprise
    CENTRE = 5  # the 12345 centre
    COMMUNITY = 6  # 居委会/村委会, under a street


class RouteOutcome(IntEnum):
    """jszb_route_outcome: what a routing decision does with the order."""

    DISPATCH = 1  # to the lead unit
    DISTRICT_COORDINATES = 2  # owner unclear: the lead is the district
    NOT_DISPATCHED = 3  # Art. 11, with a reason


class Sync(IntEnum):
    """jszb_sync: when a durable store's commit counts as done."""

    FULL = 0  # on disk: survives a crash and a power cut
    NORMAL = 1  # survives a crash of the process; a power cut may lose the last commits


class LogLevel(IntEnum):
    """jszb_log_level: how much of the library's log jszb.set_log hears."""

    OFF = 0
    ERROR = 1  # a commit failed
    WARN = 2  # a slow commit, a provisional calendar
    INFO = 3  # a store recovered, a checkpoint, a backup done
    DEBUG = 4


class ReportFormat(IntEnum):
    """jszb_report_format: how Engine.report gives the report."""

    JSON = 1  # the jszb.v1.Report message as JSON
    CSV = 2  # one table per section
    HTML = 3  # one self-contained page with charts


class GroupScope(IntEnum):
    """jszb_group_scope: how far apart a group's requests may be
    (Engine.request_groups)."""

    COMMUNITY = 1
    STREET = 2
    DISTRICT = 3  # the default: a matter often spans streets
    CITY = 4


class Figure(IntEnum):
    """jszb_figure: a figure of a unit's row, for Engine.unit_orders."""

    # Of the visits that stand and count (UnitScore.visits):
    VISITS = 1
    NOT_CONTACTED = 2  # in the response rate, not contacted
    NOT_SOLVED = 3  # resolution-only (Art. 23) results included
    NOT_SATISFIED = 4
    BASICALLY_SATISFIED = 5
    SATISFIED = 6
    # Events of the period:
    LATE_SIGN_FOR = 7  # returned unsigned included
    LATE_REPLY = 8  # Art. 23 late completions included
    BREACHED = 9  # deadline breaches attributed to the unit
    APPEALED = 10  # the unit's appeals (申诉)
    SUPERVISED = 11  # 督办 of the unit as lead
    DISPATCHED = 12
    CLOSED = 13
    LONG_TERM_HELD = 14  # 挂账
    RESOLUTION_ONLY = 15  # visits in the resolution rate only (Art. 23)


class TaskState(IntEnum):
    """jszb_task_state: a theme task's state (overdue: open past its due time)."""

    OPEN = 1
    DONE = 2


class ThemePeriod(IntEnum):
    """jszb_theme_period: the periods a theme's trend is counted in (China time)."""

    MONTH = 1  # calendar months
    ASSESSMENT_MONTH = 2  # the 19th to the 19th
    WEEK = 3  # Monday to Monday


class Open311Format(IntEnum):
    """jszb_open311_format: how an Open311 document is written."""

    JSON = 1
    XML = 2


class Open311Content(IntEnum):
    """jszb_open311_content: how an Open311 POST body is encoded."""

    FORM = 1  # application/x-www-form-urlencoded
    JSON = 2


class Open311Status(IntEnum):
    """jszb_open311_status: which requests by their Open311 status."""

    ANY = 0
    OPEN = 1
    CLOSED = 2


class ExportFormat(IntEnum):
    """jszb_export_format: the formats of Engine.export and Engine.import_."""

    JSONL = 1  # cases and their events, JSON Lines (docs/interchange.md)
    CSV = 2  # requests and their outcomes, one row per case
    OPEN311_JSON = 3  # Open311 GeoReport v2 (served by the Open311 gateway)
    OPEN311_XML = 4

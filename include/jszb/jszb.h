/*
 * jszb.h: the C ABI of jszb, a work-order engine for 12345 citizen hotlines (接诉即办).
 *
 * This header is the whole contract. It compiles as C99 and as C++. The documents it
 * names (README.md, docs/process.md, docs/store.md) are installed with it, in
 * share/doc/jszb/ (README.md, process.md, store.md).
 *
 * Rules that hold for every function below:
 *
 *  - Names: everything is prefixed jszb_ / JSZB_. Objects are opaque handles
 *    (jszb_engine, jszb_case); they are created by jszb_<object>_open/get and
 *    released by jszb_<object>_close/free. Release functions accept NULL.
 *
 *  - Pointers: a required pointer argument (a handle, a struct to read, an output)
 *    that is NULL is JSZB_E_INVALID naming it; where NULL is allowed, the function
 *    says so.
 *
 *  - Lifetimes: using a handle after it was closed or freed, or releasing it twice,
 *    is undefined behaviour (as with free() and sqlite3_close()): the library cannot
 *    tell. A case snapshot (jszb_case) owns what it points to: it stays valid after
 *    its engine is closed, until jszb_case_free(). So does memory handed over for
 *    jszb_free(). A jszb_policy may be freed once the engines using it have it
 *    (jszb_engine_set_policy keeps its own reference).
 *
 *  - Errors: a function that can fail returns an int: JSZB_OK (0) on success or a
 *    negative jszb_code. On failure nothing changed (no state, no log entry, no
 *    output parameter written), and jszb_error_last() describes the failure on the
 *    calling thread until the next failing call on that thread. Successful calls do
 *    not clear it; jszb_error_clear() does. No C++ exception ever crosses this ABI.
 *
 *  - Time is an input: every command carries its instant as milliseconds since the
 *    Unix epoch (UTC). The library never reads the wall clock. Every instant passed
 *    in lies in [JSZB_TIME_MIN_MS, JSZB_TIME_MAX_MS] (2000-01-01 to 2200-01-01 UTC);
 *    one outside is JSZB_E_INVALID naming it, except 0 where this header gives 0 a
 *    meaning (unset, or an open end of a filter or a period). Durations and counts
 *    (calendar arithmetic) that would leave the range are JSZB_E_RANGE.
 *
 *  - Strings are UTF-8 and NUL-terminated. Invalid UTF-8 is refused with JSZB_E_INVALID.
 *    Strings returned by the library stay valid as long as the object they came from.
 *
 *  - Structs the caller fills (options, intake, commands, filters) start with a
 *    `version` field: initialise them with their JSZB_..._INIT macro. Fields are only
 *    ever appended, so a program built against an older header keeps working.
 *    FFIs, which see no macros, call jszb_<struct>_init(&s, JSZB_<STRUCT>_VERSION)
 *    instead (libgit2's git_*_options_init): it writes the INIT macro's values for
 *    that version and touches only the fields that version has, so a caller with
 *    an older, smaller struct passes its own version and is not overrun. A NULL
 *    struct, version 0 or a version newer than the library's: JSZB_E_INVALID.
 *    jszb_ffi.h, installed beside this header, is this header without macros or
 *    preprocessor directives (constants become enum constants), for ffi.cdef.
 *    Structs the library returns (jszb_case_info, jszb_event) are owned by the
 *    library: read them, never allocate or copy them by value; fields are appended.
 *
 *  - Memory the library hands over (lists, JSON, protobuf bytes) is freed with
 *    jszb_free().
 *
 *  - Thread safety: an engine is not thread-safe; use one engine from one thread at
 *    a time (callers may lock around it). Distinct engines are independent. Error
 *    state is per thread.
 *
 *  - Listeners and routers (callbacks) run synchronously on the calling thread.
 *    From inside one, the engine may be read (get_case, list_cases, case_count,
 *    case_deadlines, route by the policy's catalogue) but not changed: submit,
 *    apply, replay, advance, dispatch_routed, set_router, add/remove_listener,
 *    and route through a router of the caller's, return JSZB_E_BUSY.
 *    jszb_engine_close() from inside one is deferred until the call that ran the
 *    callback returns; the handle is then gone.
 *
 *  - Time: escalations of a case that fall due by a command's time happen before
 *    the command, as events of their own (they would have happened anyway). A
 *    command refused after them (a late sign on an order already returned to the
 *    centre) leaves them in place and adds nothing itself.
 *
 *  - Limits: text fields (content, address, payload.text) at most 65,536 bytes;
 *    names and references (channel_ref, categories, district, street, community,
 *    contact) at most 256 bytes; at most 64 copy-to units per dispatch and 64
 *    co-handlers per case. Going over is JSZB_E_INVALID.
 *
 *  - ABI: only jszb_* symbols are exported; the SONAME carries JSZB_VERSION_MAJOR.
 *    Signatures never change; a changed behaviour gets a new _v2 function.
 */
#ifndef JSZB_JSZB_H
#define JSZB_JSZB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define JSZB_API __attribute__((visibility("default")))
#else
#define JSZB_API
#endif

/* ---------------------------------------------------------------- version */

#define JSZB_VERSION_MAJOR 0
#define JSZB_VERSION_MINOR 2
#define JSZB_VERSION_PATCH 0
#define JSZB_VERSION_STRING "0.2.0"
/* major * 10000 + minor * 100 + patch */
#define JSZB_VERSION_NUMBER \
  (JSZB_VERSION_MAJOR * 10000 + JSZB_VERSION_MINOR * 100 + JSZB_VERSION_PATCH)

/* The version of the library actually loaded, e.g. "0.2.0". */
JSZB_API const char* jszb_version(void);
/* The same as a number, comparable with JSZB_VERSION_NUMBER. */
JSZB_API int jszb_version_number(void);

/* ------------------------------------------------------------------- time */

/* The instants the library accepts, in milliseconds since the Unix epoch (UTC):
   2000-01-01 00:00 and 2200-01-01 00:00 UTC, both included. */
#define JSZB_TIME_MIN_MS INT64_C(946684800000)
#define JSZB_TIME_MAX_MS INT64_C(7258118400000)

/* ----------------------------------------------------------------- errors */

typedef enum jszb_code {
  JSZB_OK = 0,
  JSZB_E_INVALID = -1,   /* an argument is malformed; the message names it */
  JSZB_E_NOT_FOUND = -2, /* no such case (or listener, policy version, district) */
  JSZB_E_STATE = -3,     /* the case's state does not allow this command */
  JSZB_E_DENIED = -4,    /* the actor's role or unit may not do this */
  JSZB_E_REFUSED = -5,   /* a lifecycle rule refuses it (see jszb_refusal) */
  JSZB_E_BUSY = -6,      /* called from inside a listener of the same engine */
  JSZB_E_NOMEM = -7,     /* out of memory */
  JSZB_E_INTERNAL = -8,  /* a bug in jszb: please report the message */
  JSZB_E_RANGE = -9,     /* outside what the calendar knows (see the policy's calendar) */
  /* Durable stores. A call that fails with one of these wrote nothing. */
  JSZB_E_STORAGE = -10, /* disk full, size limit, read-only file or I/O error */
  JSZB_E_LOCKED = -11,  /* another process has the store open */
  JSZB_E_CORRUPT = -12, /* the file is damaged, or not a jszb store */
  JSZB_E_VERSION = -13, /* the store's schema is newer than this library */
  /* A client request id (payload.request_id) that came with another command:
     a retry must repeat its command exactly (same case, kind, actor, time and
     payload) and then gets the original result; a new command needs a new id. */
  JSZB_E_CONFLICT = -14,
  /* A progress callback (jszb_progress_fn) asked the call to stop: nothing changed. */
  JSZB_E_CANCELLED = -15
} jszb_code;

/* Why the lifecycle refused a command (jszb_error.refusal). */
typedef enum jszb_refusal {
  JSZB_REFUSAL_NONE = 0,
  JSZB_REFUSAL_STATE = 1,           /* no transition for this command here */
  JSZB_REFUSAL_NOT_CENTRE = 2,      /* only the centre (operator, dispatcher) */
  JSZB_REFUSAL_NOT_REVIEWER = 3,    /* only a dispatcher/reviewer */
  JSZB_REFUSAL_NOT_OWNER = 4,       /* only the owning (lead) unit */
  JSZB_REFUSAL_NOT_CO_HANDLER = 5,  /* only a co-handler that has not reported */
  JSZB_REFUSAL_OWNER_FIXED = 6,     /* owner fixed after review: no more returns */
  JSZB_REFUSAL_EXTENSION_LIMIT = 7, /* no extension left for this case */
  JSZB_REFUSAL_VISIT_SATISFIED = 8, /* redo needs an unsolved/unsatisfied visit */
  JSZB_REFUSAL_NOT_CENTRE_OR_SYSTEM = 9,
  JSZB_REFUSAL_NOT_OWNER_OR_CENTRE = 10,
  JSZB_REFUSAL_NOT_SYSTEM = 11,            /* only the engine's own timers */
  JSZB_REFUSAL_NOT_CREDITED = 12,          /* only a unit the visit result is scored for */
  JSZB_REFUSAL_NOT_APPEALABLE = 13,        /* no valid visit result stands, or it was appealed */
  JSZB_REFUSAL_NOT_OVERDUE = 14,           /* a visit before the reply: only once the reply
                                              deadline has passed (Art. 23) */
  JSZB_REFUSAL_NOT_IN_REDO = 15,           /* re-dispatch (改派) from handling: only an order
                                              sent back to redo, before its new reply */
  JSZB_REFUSAL_NOT_SUPERVISOR = 16,        /* 督办: only the centre, the system, or the lead
                                              unit's district (supervision no longer gives
                                              JSZB_REFUSAL_NOT_CENTRE_OR_SYSTEM) */
  JSZB_REFUSAL_NOT_COMMUNITY_OF_LEAD = 17, /* forward only to a community (居委会/村委会)
                                              of the lead street */
  JSZB_REFUSAL_NOT_COMMUNITY = 18          /* only the community the order was forwarded to */
} jszb_refusal;

typedef struct jszb_error {
  int code;            /* jszb_code */
  const char* message; /* never NULL; "" when there is no error; valid UTF-8 of at
                          most 1024 bytes (what it quotes is cut short, "…") */
  /* For commands refused by the lifecycle (JSZB_E_STATE, _DENIED, _REFUSED);
     0 otherwise. */
  int state;   /* jszb_state of the case when refused */
  int command; /* jszb_command_kind refused */
  int refusal; /* jszb_refusal */
} jszb_error;

/* The last failure on this thread. Never NULL. */
JSZB_API const jszb_error* jszb_error_last(void);
JSZB_API void jszb_error_clear(void);

/* Frees memory the library handed over. Accepts NULL. */
JSZB_API void jszb_free(void* ptr);

/* ------------------------------------------------------------- vocabulary */
/* Enumerations travel as int. 0 always means "unspecified". Names: the
   jszb_*_name functions return a stable lower_snake name, or NULL if unknown. */

typedef enum jszb_kind {                             /* Art. 2 */
                         JSZB_KIND_CONSULTATION = 1, /* 咨询 */
                         JSZB_KIND_HELP = 2,         /* 求助 */
                         JSZB_KIND_COMPLAINT = 3,    /* 投诉 */
                         JSZB_KIND_REPORT = 4,       /* 举报 */
                         JSZB_KIND_SUGGESTION = 5    /* 建议 */
} jszb_kind;

typedef enum jszb_channel {
  JSZB_CHANNEL_PHONE = 1,          /* 12345 hotline */
  JSZB_CHANNEL_WEB = 2,            /* 12345 网上接诉即办 */
  JSZB_CHANNEL_WECHAT_MINI = 3,    /* 北京12345 WeChat mini program */
  JSZB_CHANNEL_WECHAT_ACCOUNT = 4, /* WeChat official account */
  JSZB_CHANNEL_APP = 5,            /* 北京通 app */
  JSZB_CHANNEL_LEADERS_BOARD = 6,  /* 人民网领导留言板 */
  JSZB_CHANNEL_NATIONAL_MINI = 7,  /* national government-service mini program */
  JSZB_CHANNEL_WEIBO = 8,          /* government Weibo */
  JSZB_CHANNEL_TOUTIAO = 9,        /* government Toutiao */
  JSZB_CHANNEL_MERGED_HOTLINE = 10 /* 12315, 12320, ... merged into 12345 */
} jszb_channel;

typedef enum jszb_urgency {
  JSZB_URGENCY_NORMAL = 1,      /* 一般 */
  JSZB_URGENCY_URGENT = 2,      /* 紧急 */
  JSZB_URGENCY_EXTRA_URGENT = 3 /* 特急 */
} jszb_urgency;

typedef enum jszb_role {
  JSZB_ROLE_OPERATOR = 1,   /* centre operator: intake, answers, visits */
  JSZB_ROLE_DISPATCHER = 2, /* centre dispatcher/reviewer */
  JSZB_ROLE_UNIT = 3,       /* a handling unit (street, district, department, enterprise) */
  JSZB_ROLE_CITIZEN = 4,
  JSZB_ROLE_SYSTEM = 5 /* timers and automation */
} jszb_role;

typedef enum jszb_state {
  JSZB_STATE_RECEIVED = 1,              /* 受理 */
  JSZB_STATE_ANSWERED_ON_SPOT = 2,      /* 直接办结 (finished; JSZB_CMD_REOPEN reopens it) */
  JSZB_STATE_NOT_DISPATCHED = 3,        /* 不予派单, with a reason (final) */
  JSZB_STATE_DISPATCHED = 4,            /* 派单, waiting for the unit to sign */
  JSZB_STATE_RETURN_REQUESTED = 5,      /* 退单 asked, waiting for review */
  JSZB_STATE_HANDLING = 6,              /* 签收 signed for, 办理 in hand */
  JSZB_STATE_CO_HANDLING = 7,           /* 吹哨报到: co-handlers still to report */
  JSZB_STATE_EXTENSION_REQUESTED = 8,   /* 延期 asked, waiting for review */
  JSZB_STATE_SUSPENDED = 9,             /* 挂起: the clock stops */
  JSZB_STATE_REPLIED = 10,              /* 反馈 given, waiting for the return visit */
  JSZB_STATE_VISITED = 11,              /* 回访 done, waiting for close or redo */
  JSZB_STATE_TERMINATED = 12,           /* 终止 after review (final) */
  JSZB_STATE_CLOSED = 13,               /* 办结 (reopenable) */
  JSZB_STATE_MERGED = 14,               /* merged into another case (final) */
  JSZB_STATE_APPEALED = 15,             /* 申诉: a unit disputes the visit result */
  JSZB_STATE_SUSPENSION_REQUESTED = 16, /* 挂起申请: asked, waiting for review; the
                                          clock runs until it is approved */
  JSZB_STATE_LONG_TERM_PENDING = 17     /* 挂账: explained but not solvable now, on the
                                          pending list until its review */
} jszb_state;
#define JSZB_STATE_COUNT 17

/* Commands and the events they produce share numbers: a command of kind K,
   when accepted, appends one event of type K. Submission is event 1. */
typedef enum jszb_command_kind {
  JSZB_CMD_ANSWER_ON_SPOT = 2,     /* centre: answered during the call */
  JSZB_CMD_NOT_DISPATCH = 3,       /* centre: Art. 11, payload.reason */
  JSZB_CMD_DISPATCH = 4,           /* centre: payload.unit (+copy_to, units, mode) */
  JSZB_CMD_REQUEST_RETURN = 5,     /* owner: dispute the dispatch, payload.text */
  JSZB_CMD_APPROVE_RETURN = 6,     /* reviewer: re-dispatch to payload.unit */
  JSZB_CMD_REFUSE_RETURN = 7,      /* reviewer: owner stays and is fixed */
  JSZB_CMD_SIGN = 8,               /* owner: sign for the order */
  JSZB_CMD_CONTACT_CITIZEN = 9,    /* owner: first contact with the citizen */
  JSZB_CMD_ADD_CO_HANDLERS = 10,   /* owner (吹哨) or centre (加派): payload.units */
  JSZB_CMD_REPORT_TO_LEAD = 11,    /* co-handler: report back to the lead */
  JSZB_CMD_REQUEST_EXTENSION = 12, /* owner: payload.until_ms, payload.text */
  JSZB_CMD_APPROVE_EXTENSION = 13, /* reviewer: until_ms (0: as requested) */
  JSZB_CMD_REFUSE_EXTENSION = 14,  /* reviewer */
  JSZB_CMD_SUSPEND = 15,           /* reviewer: payload.text */
  JSZB_CMD_RESUME = 16,            /* owner or centre */
  JSZB_CMD_SUPERVISE = 17,         /* centre or system: payload.level, unit */
  JSZB_CMD_REPLY = 18,             /* owner: contacted, solved, text */
  JSZB_CMD_VISIT = 19,             /* centre: valid_visit, contacted, solved, satisfaction */
  JSZB_CMD_REDO = 20,              /* centre: after an unsolved/unsatisfied visit */
  JSZB_CMD_TERMINATE = 21,         /* reviewer: payload.text */
  JSZB_CMD_CLOSE = 22,             /* centre */
  JSZB_CMD_REOPEN = 23,            /* centre: closed or answered on the spot, back to received */
  JSZB_CMD_MERGE = 24,             /* centre: into payload.other_case */
  JSZB_CMD_AUTO_RETURN = 25,       /* system: not signed for in time, back to the centre */
  /* 26..28 are the timers' events, not commands. */
  JSZB_CMD_APPEAL = 29,        /* a scored unit: dispute the visit result, payload.text */
  JSZB_CMD_UPHOLD_APPEAL = 30, /* reviewer: the result leaves scoring, payload.text */
  JSZB_CMD_REJECT_APPEAL = 31, /* reviewer: the result stands, payload.text */
  /* 32, 33 are the engine's own events, not commands. */
  JSZB_CMD_REQUEST_SUSPENSION = 34, /* owner: 挂起申请, payload.text (the reason) */
  JSZB_CMD_APPROVE_SUSPENSION = 35, /* reviewer: the clock stops from now */
  JSZB_CMD_REFUSE_SUSPENSION = 36,  /* reviewer: back to handling, the clock never stopped */
  /* 挂账: a reviewer puts a replied or visited order on the long-term pending
     list; payload.until_ms the review date, payload.text the reason (planning,
     funding, law). The review: JSZB_CMD_REDO (back to handling) or
     JSZB_CMD_CLOSE. */
  JSZB_CMD_HOLD_LONG_TERM = 37,
  /* The community level: the lead street forwards the order to one of its
     communities (payload.unit, a JSZB_UNIT_COMMUNITY under it); the street
     stays responsible and assessed. The community signs and reports its
     result (payload.text, payload.solved) back to the street. */
  JSZB_CMD_FORWARD_TO_COMMUNITY = 38,
  JSZB_CMD_COMMUNITY_SIGN = 39,
  JSZB_CMD_COMMUNITY_REPLY = 40
} jszb_command_kind;
#define JSZB_CMD_FIRST 2
#define JSZB_CMD_LAST 40 /* 26..28, 32 and 33 in between are not commands */

typedef enum jszb_event_type {
  JSZB_EVENT_SUBMITTED = 1,
  JSZB_EVENT_ANSWERED_ON_SPOT = 2,
  JSZB_EVENT_NOT_DISPATCHED = 3,
  JSZB_EVENT_DISPATCHED = 4,
  JSZB_EVENT_RETURN_REQUESTED = 5,
  JSZB_EVENT_RETURN_APPROVED = 6,
  JSZB_EVENT_RETURN_REFUSED = 7,
  JSZB_EVENT_SIGNED = 8,
  JSZB_EVENT_CITIZEN_CONTACTED = 9,
  JSZB_EVENT_CO_HANDLERS_ADDED = 10,
  JSZB_EVENT_REPORTED_TO_LEAD = 11,
  JSZB_EVENT_EXTENSION_REQUESTED = 12,
  JSZB_EVENT_EXTENSION_APPROVED = 13,
  JSZB_EVENT_EXTENSION_REFUSED = 14,
  JSZB_EVENT_SUSPENDED = 15,
  JSZB_EVENT_RESUMED = 16,
  JSZB_EVENT_SUPERVISED = 17,
  JSZB_EVENT_REPLIED = 18,
  JSZB_EVENT_VISITED = 19,
  JSZB_EVENT_REDO_ORDERED = 20,
  JSZB_EVENT_TERMINATED = 21,
  JSZB_EVENT_CLOSED = 22,
  JSZB_EVENT_REOPENED = 23,
  JSZB_EVENT_MERGED = 24,
  JSZB_EVENT_AUTO_RETURNED = 25,
  /* Timers (actor: system). payload.step, payload.mark (the escalation mark's
     index) and payload.action say which deadline and what follows. */
  JSZB_EVENT_DEADLINE_WARNING = 26,   /* a warn_at fraction of the time is used */
  JSZB_EVENT_DEADLINE_BREACHED = 27,  /* the deadline passed */
  JSZB_EVENT_DEADLINE_ESCALATED = 28, /* a later level of the escalation ladder */
  /* 申诉 appeals against a visit result (after the timers' numbers). */
  JSZB_EVENT_APPEALED = 29,
  JSZB_EVENT_APPEAL_UPHELD = 30,
  JSZB_EVENT_APPEAL_REJECTED = 31,
  /* The engine's own result under Art. 23 (actor: system, not a command): the
     reply deadline passed and neither a reply nor a visit came within the
     return-visit window after it. payload: valid_visit, contacted, solved and
     satisfaction as the policy's expiry_result says (counted as not solved
     only: valid_visit 1 and satisfaction 0, in the resolution rate alone);
     text says why. The
     order's state does not change; a later reply counts as late, and a later
     real visit replaces this result. */
  JSZB_EVENT_AUTO_VISITED = 32,
  /* The engine's move of an open case to a new policy version (actor: system,
     not a command; jszb_engine_adopt_schedule): the official schedule of a
     year the case's deadlines were estimated on is known now. policy_version
     is the new version; deadlines are the estimated ones, re-planned from
     their start under it (marks whose new instant is past count as fired;
     nothing fires). The order's state does not change. */
  JSZB_EVENT_REPLANNED = 33,
  /* 挂起申请: a unit asks, the centre decides (after the engine's numbers). */
  JSZB_EVENT_SUSPENSION_REQUESTED = 34,
  JSZB_EVENT_SUSPENSION_APPROVED = 35,
  JSZB_EVENT_SUSPENSION_REFUSED = 36,
  /* 挂账 (payload.valid_visit, set by the engine: whether the order's standing
     result stays in the rates, as the policy's long_term_pending says) */
  JSZB_EVENT_HELD_LONG_TERM = 37,
  JSZB_EVENT_FORWARDED_TO_COMMUNITY = 38,
  JSZB_EVENT_COMMUNITY_SIGNED = 39,
  JSZB_EVENT_COMMUNITY_REPLIED = 40
} jszb_event_type;

typedef enum jszb_not_dispatched_reason { /* Art. 11 */
                                          JSZB_NOT_DISPATCHED_EMERGENCY =
                                              1, /* transferred to 110/119/120/122 */
                                          JSZB_NOT_DISPATCHED_LEGAL_CHANNEL =
                                              2, /* court, arbitration, petition */
                                          JSZB_NOT_DISPATCHED_DUPLICATE =
                                              3, /* nothing new: told the progress */
                                          JSZB_NOT_DISPATCHED_SECRET =
                                              4, /* state secrets or privacy */
                                          JSZB_NOT_DISPATCHED_OUTSIDE_DUTY =
                                              5, /* outside every unit's duty */
                                          JSZB_NOT_DISPATCHED_UNLAWFUL = 6 /* unlawful demand */
} jszb_not_dispatched_reason;

typedef enum jszb_dispatch_mode {
  JSZB_DISPATCH_DIRECT = 1,              /* clear owner */
  JSZB_DISPATCH_DISTRICT_COORDINATES = 2 /* owner unclear: district coordinates */
} jszb_dispatch_mode;

typedef enum jszb_satisfaction {
  JSZB_SATISFIED = 1,           /* 满意 */
  JSZB_BASICALLY_SATISFIED = 2, /* 基本满意 */
  JSZB_NOT_SATISFIED = 3        /* 不满意 */
} jszb_satisfaction;

typedef enum jszb_visit_method {
  JSZB_VISIT_PHONE = 1,
  JSZB_VISIT_SMS = 2,
  JSZB_VISIT_ONLINE = 3
} jszb_visit_method;

/* The timed steps of an order (policy deadline rules). */
typedef enum jszb_step {
  JSZB_STEP_DISPATCH = 1,          /* received -> dispatched */
  JSZB_STEP_SIGN = 2,              /* dispatched -> signed */
  JSZB_STEP_FIRST_CONTACT = 3,     /* signed -> the citizen contacted */
  JSZB_STEP_REPLY = 4,             /* dispatched -> replied: the order's deadline */
  JSZB_STEP_CO_HANDLER_REPORT = 5, /* co-handlers added -> all reported */
  JSZB_STEP_RETURN_VISIT = 6,      /* replied -> visited */
  JSZB_STEP_APPEAL_REVIEW = 7,     /* appealed -> upheld or rejected */
  JSZB_STEP_EXPIRY_VISIT = 8,      /* the reply deadline passed -> replied or visited
                                      (Art. 23): at its end the engine records
                                      JSZB_EVENT_AUTO_VISITED */
  JSZB_STEP_SUPERVISION = 9,       /* 督办 (JSZB_EVENT_SUPERVISED) of an order whose
                                      lead still owes its reply -> the lead's next
                                      reply; its breach is the lead unit's */
  JSZB_STEP_LONG_TERM_REVIEW = 10  /* put on the long-term pending list (挂账) ->
                                      reviewed: its due is the review date; its
                                      breach is nobody's (the centre reviews) */
} jszb_step;

typedef enum jszb_escalation_action {
  JSZB_ESCALATE_NOTIFY = 1,              /* an event to listeners */
  JSZB_ESCALATE_SUPERVISE_DISTRICT = 2,  /* 督办 by the district */
  JSZB_ESCALATE_SUPERVISE_CITY = 3,      /* 督办 by the city */
  JSZB_ESCALATE_RETURN_TO_DISPATCHER = 4 /* not signed in time: back to the centre */
} jszb_escalation_action;

typedef enum jszb_supervision_level {
  JSZB_SUPERVISION_DISTRICT = 1,
  JSZB_SUPERVISION_CITY = 2
} jszb_supervision_level;

JSZB_API const char* jszb_code_name(int code);
JSZB_API const char* jszb_refusal_name(int refusal);
JSZB_API const char* jszb_kind_name(int kind);
JSZB_API const char* jszb_channel_name(int channel);
JSZB_API const char* jszb_urgency_name(int urgency);
JSZB_API const char* jszb_role_name(int role);
JSZB_API const char* jszb_state_name(int state);
JSZB_API const char* jszb_command_name(int command_kind);
JSZB_API const char* jszb_event_type_name(int event_type);
JSZB_API const char* jszb_not_dispatched_reason_name(int reason);
JSZB_API const char* jszb_dispatch_mode_name(int mode);
JSZB_API const char* jszb_satisfaction_name(int satisfaction);
JSZB_API const char* jszb_visit_method_name(int method);
JSZB_API const char* jszb_supervision_level_name(int level);
JSZB_API const char* jszb_step_name(int step);
JSZB_API const char* jszb_escalation_action_name(int action);

/* ------------------------------------------------------------------ engine */

typedef struct jszb_engine jszb_engine;

#define JSZB_ENGINE_OPTIONS_VERSION 1
typedef struct jszb_engine_options {
  unsigned version;
  /* Approved extensions allowed per handling cycle (a redo renews them) or,
     under a policy with extension_allowance EXTENSION_ALLOWANCE_PER_DISPATCH,
     per dispatch, 0..100; a further request is refused with
     JSZB_REFUSAL_EXTENSION_LIMIT. Default 1. */
  int max_extensions;
} jszb_engine_options;
#define JSZB_ENGINE_OPTIONS_INIT \
  { JSZB_ENGINE_OPTIONS_VERSION, 1 }
/* JSZB_ENGINE_OPTIONS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_engine_options_init(jszb_engine_options* options, unsigned version);

/* Opens an in-memory engine. opts may be NULL for the defaults. */
JSZB_API int jszb_engine_open(const jszb_engine_options* opts, jszb_engine** out);
JSZB_API void jszb_engine_close(jszb_engine* engine);

/* Who does something. unit: the acting unit (role UNIT), or the unit a centre
   staff member belongs to; staff: an operator's or officer's number (0: none).
   This struct is frozen: it is embedded in others and never grows. */
typedef struct jszb_actor {
  int role; /* jszb_role */
  uint32_t unit;
  uint32_t staff;
} jszb_actor;

/* ------------------------------------------------------------------ intake */

/* A request as recorded at intake (受理). Strings may be NULL (= empty) except
   channel_ref, category[0] and content. */
#define JSZB_INTAKE_VERSION 1
typedef struct jszb_intake {
  unsigned version;
  int64_t time_ms;         /* when it was received */
  jszb_actor actor;        /* who recorded it (operator; citizen online) */
  int channel;             /* jszb_channel */
  const char* channel_ref; /* the channel's own id: submission is idempotent on
                              (channel, channel_ref) */
  int kind;                /* jszb_kind */
  const char* category[3]; /* category path, levels 1..3 (一级/二级/三级) */
  int urgency;             /* jszb_urgency; 0 means normal */
  const char* district;    /* location: names as the citizen gave them */
  const char* street;      /* street or township (街道/乡镇) */
  const char* community;   /* community or village (社区/村) */
  const char* address;
  int has_point; /* lat/lon are set (WGS84 degrees) */
  double lat;
  double lon;
  const char* content; /* what the citizen asked */
  /* Citizen contact: personal data, kept apart from the case and erasable. */
  const char* contact_name;
  const char* contact_phone;
} jszb_intake;
#define JSZB_INTAKE_INIT                                                                          \
  {                                                                                               \
    JSZB_INTAKE_VERSION, 0, {0, 0, 0}, 0, NULL, 0, {NULL, NULL, NULL}, 0, NULL, NULL, NULL, NULL, \
        0, 0.0, 0.0, NULL, NULL, NULL                                                             \
  }
/* JSZB_INTAKE_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_intake_init(jszb_intake* intake, unsigned version);

/* Records a request. *case_id receives its id; *created (may be NULL) is 1 when
   a new case was made, 0 when (channel, channel_ref) was already known and the
   existing case's id is returned without any change. */
JSZB_API int jszb_engine_submit(jszb_engine* engine, const jszb_intake* intake, uint64_t* case_id,
                                int* created);

/* ---------------------------------------------------------------- commands */

/* What a command or an event says beyond its kind. Which fields count depends on
   the kind (see jszb_command_kind); the others must be left 0/NULL. It is the
   last member of jszb_command, so that it can grow with the command's version. */
typedef struct jszb_payload {
  uint32_t unit;           /* dispatch/approve_return: lead unit;
                              supervise: supervising unit (optional);
                              report_to_lead event: the reporting co-handler */
  int mode;                /* dispatch: jszb_dispatch_mode (0: direct) */
  const uint32_t* copy_to; /* dispatch/approve_return: units copied (抄送) */
  size_t copy_to_count;
  const uint32_t* units; /* dispatch/add_co_handlers: co-handling units */
  size_t units_count;
  int reason;          /* not_dispatch: jszb_not_dispatched_reason */
  int level;           /* supervise: jszb_supervision_level */
  int contacted;       /* reply/visit: citizen was contacted (0/1) */
  int solved;          /* reply/visit: problem solved (0/1) */
  int valid_visit;     /* visit: 1 valid visit, 0 no valid visit possible */
  int satisfaction;    /* visit: jszb_satisfaction (valid visits only) */
  int visit_method;    /* visit: jszb_visit_method (0: unspecified) */
  int64_t until_ms;    /* request/approve_extension: new reply deadline */
  uint64_t other_case; /* merge: the case this one merges into */
  const char* text;    /* reason, reply text, note (see the kind) */
  /* Set by the engine on the events it makes; leave 0/NULL in commands. */
  int step;         /* deadline events: jszb_step */
  int mark;         /* deadline events: the escalation mark fired */
  int action;       /* deadline events: jszb_escalation_action */
  const char* rule; /* routed dispatches: the catalogue rule that decided */
  /* Version 3: the client's id for this command (at most 256 bytes). A retry
     with an id already committed, after a crash or a timeout, is answered
     JSZB_OK and not applied again. Recorded in the event. */
  const char* request_id;
} jszb_payload;

/* Version 2 added payload.step, mark, action and rule; 3 payload.request_id. */
#define JSZB_COMMAND_VERSION 3
typedef struct jszb_command {
  unsigned version;
  int kind; /* jszb_command_kind */
  uint64_t case_id;
  int64_t time_ms; /* when it happened; not earlier than the case's last event */
  jszb_actor actor;
  jszb_payload payload;
} jszb_command;
#define JSZB_COMMAND_INIT                                                          \
  {                                                                                \
    JSZB_COMMAND_VERSION, 0, 0, 0, {0, 0, 0}, {                                    \
      0, 0, NULL, 0, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, 0, 0, NULL, NULL \
    }                                                                              \
  }
/* JSZB_COMMAND_INIT as a function, for FFIs (versions 1..3; see the rules at
   the top). */
JSZB_API int jszb_command_init(jszb_command* command, unsigned version);

/* Applies one command. Accepted: one event is appended to the case's history,
   the case moves on, listeners are told. Refused: JSZB_E_STATE, _DENIED or
   _REFUSED with jszb_error_last() naming the state, command and reason, and
   nothing changes. Malformed: JSZB_E_INVALID naming the field. */
JSZB_API int jszb_engine_apply(jszb_engine* engine, const jszb_command* command);

/* ------------------------------------------------------------------- bulk */
/* Many commands (or requests) in one call, for callers whose own per-call cost
   is high (Python, other FFIs). Each one is handled on its own, exactly as the
   single call would handle it, in order, and the call goes on past a refusal:
   results[i] receives the jszb_code the single call would have returned for
   item i (JSZB_OK: accepted).

   Atomicity is the caller's choice: outside a batch each item is a batch of
   its own (on a durable store, a commit of its own); between
   jszb_engine_begin and jszb_engine_commit the items join the open batch and
   the caller's commit or rollback decides for all of them (so: check the
   return value, then commit or roll back).

   Returns:
     0 (JSZB_OK)  every item was accepted (also when n is 0);
     > 0          that many items were refused: see results; jszb_error_last()
                  describes the first refused item, its message starting with
                  "commands[i]: " (or "intakes[i]: "); later refusals give
                  their code only;
     < 0          a jszb_code for the call itself, before any item was tried:
                  engine NULL, the items or an output array NULL with n > 0, n greater than
                  INT_MAX (JSZB_E_INVALID), or called from inside a listener
                  or router of the same engine (JSZB_E_BUSY); nothing was
                  applied and results were not written.
   A listener that closes the engine stops the call: the items not yet tried
   get JSZB_E_BUSY, and the engine is closed when the call returns. */
JSZB_API int jszb_engine_apply_many(jszb_engine* engine, const jszb_command* commands, size_t n,
                                    int* results);

/* Records n requests as jszb_engine_submit would, one by one (see the bulk
   rules above). case_ids[i] receives request i's case id (a new case, or the
   existing one when (channel, channel_ref) was known already), 0 when it was
   refused; results[i] its jszb_code. case_ids is required like results. */
JSZB_API int jszb_engine_submit_many(jszb_engine* engine, const jszb_intake* intakes, size_t n,
                                     uint64_t* case_ids, int* results);

/* ------------------------------------------------------------------ events */

/* The clock on one timed step. A deadline whose start_ms is 0 is not running
   (in an event: the event stopped it). Handed out in arrays: this struct is
   frozen and never grows. */
typedef struct jszb_deadline {
  int step;                  /* jszb_step */
  int64_t start_ms;          /* when the clock started */
  int64_t due_ms;            /* when it expires, suspensions and extensions included */
  int64_t paused_ms;         /* time suspended so far, in the deadline's own clock */
  int fired;                 /* escalation marks fired so far */
  int working;               /* 1: counted in working time, 0: natural time */
  int estimated;             /* 1: the due instant (in working time) or an escalation
                                level counted in working time falls past the
                                calendar's years, on its rule for them (weekends
                                only, or the provisional schedule): an estimate */
  int64_t base_due_ms;       /* the due instant before any suspension */
  int64_t paused_natural_ms; /* time suspended so far, natural time ... */
  int64_t paused_working_ms; /* ... and working time (paused_ms is one of them) */
  int64_t resumed_ms;        /* the last resume: no escalation falls before it */
} jszb_deadline;

/* One entry of a case's history. Owned by the library. */
typedef struct jszb_event {
  uint64_t case_id;
  uint32_t seq; /* 1-based position in the case's history */
  int type;     /* jszb_event_type */
  int state;    /* the case's state after this event */
  int64_t time_ms;
  jszb_actor actor;
  const jszb_intake* intake;      /* JSZB_EVENT_SUBMITTED only, else NULL */
  const jszb_payload* payload;    /* as the command gave it; never NULL */
  uint32_t policy_version;        /* the policy the case runs under, 0: none */
  const jszb_deadline* deadlines; /* the deadlines this event set or stopped */
  size_t deadlines_count;
} jszb_event;

/* Serialises an event as a jszb.v1.Event (protobuf bytes, or JSON). */
JSZB_API int jszb_event_to_proto(const jszb_event* event, void** bytes, size_t* size);
JSZB_API int jszb_event_to_json(const jszb_event* event, char** json);

/* Applies a recorded event (a jszb.v1.Event, as protobuf bytes or JSON) as it
   stands: to rebuild an engine from a log or move a case between engines. The
   event must be the case's next one (seq), and the lifecycle must agree with the
   state it records; otherwise JSZB_E_INVALID or the command's refusal. */
JSZB_API int jszb_engine_replay_proto(jszb_engine* engine, const void* bytes, size_t size);
JSZB_API int jszb_engine_replay_json(jszb_engine* engine, const char* json);

/* --------------------------------------------------------------- listeners */

/* Called once for every event, in order, after it is applied. */
typedef void (*jszb_listener_fn)(void* payload, const jszb_event* event);

JSZB_API int jszb_engine_add_listener(jszb_engine* engine, jszb_listener_fn fn, void* payload,
                                      uint64_t* listener_id);
JSZB_API int jszb_engine_remove_listener(jszb_engine* engine, uint64_t listener_id);

/* ------------------------------------------------------------------- cases */

typedef struct jszb_case jszb_case;

/* A case as it stands. Owned by the library; fields are appended over time. */
typedef struct jszb_case_info {
  uint64_t id;
  int state;                 /* jszb_state */
  const jszb_intake* intake; /* as received */
  uint32_t lead_unit;        /* 0 until dispatched */
  int dispatch_mode;
  const uint32_t* copy_to;
  size_t copy_to_count;
  const uint32_t* co_handlers;
  size_t co_handlers_count;
  const uint32_t* co_handlers_pending; /* those that have not reported back yet */
  size_t co_handlers_pending_count;
  int owner_fixed; /* a return was reviewed: no further return */
  int not_dispatched_reason;
  int supervision_level;    /* highest level that supervised it, 0: none */
  uint32_t return_count;    /* returns requested */
  uint32_t extension_count; /* extensions approved in this handling cycle */
  uint32_t redo_count;
  uint32_t reopen_count;
  int64_t dispatched_ms; /* 0 when not (yet) */
  int64_t signed_ms;
  int64_t first_contact_ms;
  int64_t extension_requested_until_ms; /* pending extension request, 0: none */
  int64_t extended_until_ms;            /* last approved extension's deadline, 0: none */
  int64_t replied_ms;
  int64_t visited_ms;
  int64_t closed_ms; /* closed, answered, not dispatched, terminated, merged */
  int64_t last_event_ms;
  int reply_contacted; /* last reply */
  int reply_solved;
  const char* reply_text;
  int visit_valid; /* last return visit */
  int visit_contacted;
  int visit_solved;
  int visit_satisfaction;
  int visit_method;
  uint64_t merged_into;
  size_t event_count;
  uint32_t policy_version;        /* the policy the case runs under, 0: none */
  int64_t suspended_since_ms;     /* 0 unless suspended */
  const jszb_deadline* deadlines; /* the running deadlines, by step */
  size_t deadlines_count;
  uint32_t community_unit; /* the community it was forwarded to, 0: none */
  int64_t community_signed_ms;
  int64_t community_replied_ms;
} jszb_case_info;

/* A snapshot of one case: JSZB_E_NOT_FOUND if there is none. Free with
   jszb_case_free(). The snapshot does not change when the engine moves on. */
JSZB_API int jszb_engine_get_case(jszb_engine* engine, uint64_t case_id, jszb_case** out);
JSZB_API void jszb_case_free(jszb_case* c);
JSZB_API const jszb_case_info* jszb_case_get_info(const jszb_case* c);
/* Event i (0-based) of the case's history; NULL when out of range. */
JSZB_API const jszb_event* jszb_case_get_event(const jszb_case* c, size_t index);
/* Serialises the case as a jszb.v1.Case (protobuf bytes, or JSON). */
JSZB_API int jszb_case_to_proto(const jszb_case* c, void** bytes, size_t* size);
JSZB_API int jszb_case_to_json(const jszb_case* c, char** json);

#define JSZB_CASE_FILTER_VERSION 2
typedef struct jszb_case_filter {
  unsigned version;
  int state;         /* jszb_state, 0: any */
  uint32_t unit;     /* lead, copied or co-handling unit, 0: any */
  uint64_t after_id; /* only ids greater than this (paging) */
  size_t limit;      /* at most this many, 0: no limit */
  /* Version 2. Every field set must match; NULL or "" / 0: any. */
  const char* district; /* area, by the names the intake gave */
  const char* street;
  const char* community;
  const char* category[3];  /* category path prefix: the leading levels given */
  int64_t received_from_ms; /* received in [from, until) */
  int64_t received_until_ms;
  int64_t due_from_ms; /* running reply deadline due in [from, until) */
  int64_t due_until_ms;
} jszb_case_filter;
#define JSZB_CASE_FILTER_INIT \
  { JSZB_CASE_FILTER_VERSION, 0, 0, 0, 0, NULL, NULL, NULL, {NULL, NULL, NULL}, 0, 0, 0, 0 }
/* JSZB_CASE_FILTER_INIT as a function, for FFIs (versions 1..2; see the rules
   at the top). */
JSZB_API int jszb_case_filter_init(jszb_case_filter* filter, unsigned version);

/* Ids of the matching cases in ascending order, in a jszb_free()-able array
   (NULL when *count is 0). filter may be NULL: every case. */
JSZB_API int jszb_engine_list_cases(jszb_engine* engine, const jszb_case_filter* filter,
                                    uint64_t** ids, size_t* count);

/* Number of cases the engine holds in memory. With a durable store that is
   the open cases and those read or changed since it was opened, not the
   finished cases it left in the store: see jszb_engine_stored_case_count. */
JSZB_API int jszb_engine_case_count(jszb_engine* engine, uint64_t* count);

/* Number of cases the engine answers for, in memory or not: with a durable
   store, every case it holds (committed: an open batch's new cases count once
   it commits; purged cases no longer), as jszb_engine_list_cases with no
   filter lists them; in memory, jszb_engine_case_count. */
JSZB_API int jszb_engine_stored_case_count(jszb_engine* engine, uint64_t* count);

/* ----------------------------------------------------------------- policies */
/* A policy: units, work calendar, street areas, dispatch catalogue, deadline
   rules and escalation ladder (the jszb.v1.Policy schema, in protobuf text
   format). Loading checks everything; on any problem nothing is loaded and the
   error message lists every problem as file:line, one per line. A policy is
   immutable and may be shared by engines and threads. */

typedef struct jszb_policy jszb_policy;

/* The built-in policy: Beijing practice (16 districts and their 349 streets,
   China's official calendar 2019-2026, a provisional one to 2030). */
JSZB_API int jszb_policy_default(jszb_policy** out);
/* From text. `name` is used in messages; the files the policy names
   (calendar_file, areas_file) are read from base_dir, or, when base_dir is
   NULL or "", from the files built into the library (e.g.
   "china-calendar.textproto"). */
JSZB_API int jszb_policy_load(const char* name, const char* text, const char* base_dir,
                              jszb_policy** out);
/* From a file; the files it names are read from the same directory. */
JSZB_API int jszb_policy_load_file(const char* path, jszb_policy** out);
JSZB_API void jszb_policy_free(jszb_policy* policy);
JSZB_API const char* jszb_policy_name(const jszb_policy* policy);
JSZB_API uint32_t jszb_policy_version(const jszb_policy* policy);

typedef enum jszb_unit_class {
  JSZB_UNIT_DISTRICT = 1,   /* 区政府 */
  JSZB_UNIT_STREET = 2,     /* 街道/乡镇 */
  JSZB_UNIT_DEPARTMENT = 3, /* city or district department */
  JSZB_UNIT_ENTERPRISE = 4, /* public-service enterprise */
  JSZB_UNIT_CENTRE = 5,     /* the 12345 centre */
  JSZB_UNIT_COMMUNITY = 6   /* 居委会/村委会, under a street (jszb_unit.street) */
} jszb_unit_class;

/* A unit of a policy. Owned by the policy; fields are appended over time. */
typedef struct jszb_unit {
  uint32_t code;
  const char* name;
  int unit_class;         /* jszb_unit_class */
  uint32_t district;      /* streets and district departments: their district */
  uint32_t street;        /* communities: their street, else 0 */
  uint64_t national_code; /* communities: the 12-digit national code (their
                             unit code is jszb's own), else 0 */
} jszb_unit;

JSZB_API size_t jszb_policy_unit_count(const jszb_policy* policy);
/* Unit i (0-based, in the policy's order), or NULL. */
JSZB_API const jszb_unit* jszb_policy_unit(const jszb_policy* policy, size_t index);
/* The unit with this code, or NULL. */
JSZB_API const jszb_unit* jszb_policy_find_unit(const jszb_policy* policy, uint32_t code);

/* Makes `policy` the engine's current one: new cases run under it; cases keep
   the version they were received under, and events record it. The engine keeps
   its own reference. A different policy under a version already loaded is
   refused (JSZB_E_INVALID). */
JSZB_API int jszb_engine_set_policy(jszb_engine* engine, const jszb_policy* policy);

/* Moves open cases to policy_version (set already with jszb_engine_set_policy),
   a policy carrying the official schedule of a year their deadlines were
   estimated on (the State Council's notice for next year; README.md,
   "Loading next year's calendar").
   Every case in the engine's memory (with a store: the open ones) that is not
   finished, runs under another version and has a running deadline marked
   estimated gets a JSZB_EVENT_REPLANNED event at now_ms (or its last event's
   time, if later), after the marks due by then have fired: its estimated
   deadlines are counted again from their start under policy_version; a mark
   whose new instant is past counts as fired, nothing fires early. Other cases
   keep their version. All cases move in one batch, or none (JSZB_E_NOT_FOUND:
   the version is not loaded; not inside a batch). *moved (may be NULL): how
   many cases moved. */
JSZB_API int jszb_engine_adopt_schedule(jszb_engine* engine, uint32_t policy_version,
                                        int64_t now_ms, size_t* moved);

/* ------------------------------------------------------------ work calendar */
/* The policy's calendar, in its local time (China: UTC+8). Outside the years
   the calendar knows, a calendar that refuses returns JSZB_E_RANGE; the
   built-in one counts a provisional schedule through 2030 and refuses past it. */

JSZB_API int jszb_calendar_is_working_day(const jszb_policy* policy, int year, int month, int day,
                                          int* working);
/* The first instant at or after t that is inside working hours. */
JSZB_API int jszb_calendar_next_working_instant(const jszb_policy* policy, int64_t t_ms,
                                                int64_t* out_ms);
/* n (>= 0) working days after t. With s the first working instant at or after
   t: the n-th working day after s's day, at as much working time into that day
   as s is into its own (the end of its working hours if that day has less, a
   half day); n = 0 gives s. Mon 10:00 + 5 is next Mon 10:00 (no holidays);
   Fri 20:00 + 5 is the 5th working day after Mon, at 09:00. */
JSZB_API int jszb_calendar_add_working_days(const jszb_policy* policy, int64_t t_ms, int64_t n,
                                            int64_t* out_ms);
/* When duration_ms of working time have passed since t. */
JSZB_API int jszb_calendar_add_working_time(const jszb_policy* policy, int64_t t_ms,
                                            int64_t duration_ms, int64_t* out_ms);
/* Working time in [a, b), in ms. */
JSZB_API int jszb_calendar_working_time_between(const jszb_policy* policy, int64_t a_ms,
                                                int64_t b_ms, int64_t* out_ms);

/* ------------------------------------------------------------------ routing */

typedef enum jszb_route_outcome {
  JSZB_ROUTE_DISPATCH = 1,             /* to `lead` */
  JSZB_ROUTE_DISTRICT_COORDINATES = 2, /* owner unclear: `lead` is the district */
  JSZB_ROUTE_NOT_DISPATCHED = 3        /* Art. 11 `reason` */
} jszb_route_outcome;

/* A routing decision. Filled by the library (owned by a jszb_routing), or by
   a router callback (its arrays and strings need only last the call). */
typedef struct jszb_route {
  int outcome; /* jszb_route_outcome */
  uint32_t lead;
  const uint32_t* copy_to;
  size_t copy_to_count;
  const uint32_t* co_handlers;
  size_t co_handlers_count;
  int reason;        /* jszb_not_dispatched_reason */
  const char* note;  /* not dispatched: what the citizen is told */
  const char* rule;  /* the rule that decided; recorded in the event */
  uint32_t district; /* where the request was found to lie, 0: unknown */
  uint32_t street;
  int street_from_point; /* the street came from the request's point */
} jszb_route;

/* One catalogue rule's verdict on a request. */
typedef struct jszb_rule_verdict {
  const char* rule;
  int priority;
  int matched; /* every condition holds */
  int chosen;  /* the rule that decides */
  const char* why;
} jszb_rule_verdict;

typedef struct jszb_routing jszb_routing;

/* Routes a case (without changing it): the decision, and, when the policy's
   catalogue decided, every rule considered with its verdict. No applicable
   rule: JSZB_E_STATE with a message naming the case. */
JSZB_API int jszb_engine_route(jszb_engine* engine, uint64_t case_id, jszb_routing** out);
/* The catalogue's verdicts only; the decision is NULL when no rule applies. */
JSZB_API int jszb_engine_explain(jszb_engine* engine, uint64_t case_id, jszb_routing** out);
JSZB_API void jszb_routing_free(jszb_routing* routing);
JSZB_API const jszb_route* jszb_routing_decision(const jszb_routing* routing);
JSZB_API size_t jszb_routing_verdict_count(const jszb_routing* routing);
JSZB_API const jszb_rule_verdict* jszb_routing_verdict(const jszb_routing* routing, size_t index);

/* Routes the case and applies the decision as the actor's command (dispatch,
   dispatch to the district to coordinate, or not dispatched). */
JSZB_API int jszb_engine_dispatch_routed(jszb_engine* engine, uint64_t case_id, int64_t time_ms,
                                         jszb_actor actor);

/* A router of the caller's: fills *out and returns JSZB_OK, or returns a
   negative jszb_code to refuse (the message says the router refused). */
typedef int (*jszb_router_fn)(void* payload, const jszb_case_info* c, jszb_route* out);
/* fn NULL: back to the policy's catalogue. */
JSZB_API int jszb_engine_set_router(jszb_engine* engine, jszb_router_fn fn, void* payload);

/* --------------------------------------------------- deadlines and timers */

/* A running deadline of a case, measured at some instant. Handed out in
   arrays: this struct is frozen and never grows. */
typedef struct jszb_deadline_status {
  int step; /* jszb_step */
  int64_t start_ms;
  int64_t due_ms;
  int64_t used_ms; /* of the allowed time, in its clock, suspensions excluded */
  int64_t left_ms; /* until due, in its clock; negative when overdue */
  int overdue;
  int paused;    /* the case is suspended: the clock stands */
  int working;   /* counted in working time */
  int fired;     /* escalation marks fired so far */
  int estimated; /* see jszb_deadline */
} jszb_deadline_status;

/* The case's running deadlines at now_ms, in a jszb_free()-able array. */
JSZB_API int jszb_engine_case_deadlines(jszb_engine* engine, uint64_t case_id, int64_t now_ms,
                                        jszb_deadline_status** out, size_t* count);

/* Fires every escalation mark due at or before now_ms, in time order: deadline
   warnings, breaches, ladder levels (supervision), automatic returns. Each is
   an event to listeners. A case's marks also fire before any command on it. */
JSZB_API int jszb_engine_advance(jszb_engine* engine, int64_t now_ms);
/* Cases with an escalation pending. */
JSZB_API int jszb_engine_timers_pending(jszb_engine* engine, uint64_t* count);

/* ------------------------------------------------------------ durable stores */
/* A store is one SQLite file holding the event log (the truth) and the cases
   as they stand. jszb_engine_open_store opens it, creating it if need be, and
   rebuilds the engine from it: the policies it ran under, the open cases, and
   the events logged after the last checkpoint; escalation timers run again.

   Rules:
   - A call that changes the engine returns JSZB_OK only once its events are
     committed to the file (with JSZB_SYNC_FULL, on disk: they survive a crash
     of the process and a power cut). A failed call wrote nothing.
   - Group commit: between jszb_engine_begin and jszb_engine_commit, calls join
     one transaction; each still answers at once whether its command was
     accepted, but nothing is acknowledged before commit returns JSZB_OK. A
     failed commit, jszb_engine_rollback, or closing the engine with a batch
     open, undoes the whole batch. jszb_engine_commit_async commits a batch
     on a thread of the engine's while the caller builds the next; its
     commands are acknowledged when jszb_engine_wait says so (below).
   - One writer per file, whatever name it is opened by (a symbolic or hard
     link): a second writer fails with JSZB_E_LOCKED until the first closes
     or dies. Readers (read-only opens, the sqlite3 shell, a backup) and the
     writer never wait for each other; a read-only open sees the store as it
     was when it opened, and works on a read-only file, directory or mount.
   - A store that has lost acknowledged events (a damaged WAL) is refused
     with JSZB_E_CORRUPT unless store_opts.accept_lost_events says otherwise;
     so is one missing a table. File-system errors are JSZB_E_STORAGE, the
     message giving the operating system's reason.
   - The file can be read with the sqlite3 shell at any time (docs/store.md);
     it must not be written by anything but jszb.
   - jszb_engine_close checkpoints: the projections then match the log. */

typedef enum jszb_sync {
  JSZB_SYNC_FULL = 0,  /* the default: acknowledged means on disk */
  JSZB_SYNC_NORMAL = 1 /* survives a process crash; a power cut may lose the last commits */
} jszb_sync;

/* Version 2 adds accept_lost_events. */
#define JSZB_STORE_OPTIONS_VERSION 2
typedef struct jszb_store_options {
  unsigned version;
  int synchronous;            /* jszb_sync */
  int read_only;              /* nonzero: read, never write */
  uint64_t max_bytes;         /* refuse to grow the file past this; 0: no limit */
  uint64_t checkpoint_events; /* a case's projection lags its log by at most this
                                 many events; 0: the default (200000) */
  /* Version 2. Nonzero: open a store that has lost acknowledged events (its
     log ends before the position its "<file>-lsn" record says was committed:
     a damaged WAL, a backup restored in its place), with the events it has;
     the lost cases' ids are never given out again. 0 (the default): such a
     store is refused with JSZB_E_CORRUPT, the message saying how many events
     are missing (docs/store.md, "What survives what"). */
  int accept_lost_events;
} jszb_store_options;
#define JSZB_STORE_OPTIONS_INIT \
  { JSZB_STORE_OPTIONS_VERSION, JSZB_SYNC_FULL, 0, 0, 0, 0 }
/* JSZB_STORE_OPTIONS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_store_options_init(jszb_store_options* options, unsigned version);

/* opts and store_opts may be NULL for the defaults. */
JSZB_API int jszb_engine_open_store(const char* path, const jszb_engine_options* opts,
                                    const jszb_store_options* store_opts, jszb_engine** out);

/* Group commit (also useful in memory: a batch is undone as a whole). */
JSZB_API int jszb_engine_begin(jszb_engine* engine);
JSZB_API int jszb_engine_commit(jszb_engine* engine);
JSZB_API int jszb_engine_rollback(jszb_engine* engine);

/* Pipelined commit: the engine's own writer thread (started on first use)
   commits a batch while the caller builds the next one. jszb_engine_commit
   stays the default and behaves as before.

   - jszb_engine_commit_async ends the batch jszb_engine_begin opened, hands
     it to the writer and sets *ticket (1, 2, ...: one per batch, in order).
     At most one batch commits at a time: the call first waits for the batch
     before. Its commands are NOT acknowledged yet.
   - A command is acknowledged when its batch is durable: jszb_engine_wait on
     its ticket returned JSZB_OK, or jszb_engine_poll set *done_through to its
     ticket or later and jszb_engine_wait on it returns JSZB_OK (at once).
     Only then are listeners told of the batch's events: on the caller's
     thread, inside jszb_engine_wait, jszb_engine_poll, the next
     jszb_engine_commit_async, or any call that waits for the writer (every changing call outside a
   batch, jszb_engine_commit, checkpoint, verify, purge, erase_personal, close). A listener told of
     batch n may find the engine showing batch n+1 applied already.
   - If batch n fails to commit, it is undone in memory together with the
     batch applied on top of it: jszb_engine_wait(n) returns the store's
     error (JSZB_E_STORAGE for a full disk), and so do every call in the
     batch on top and its jszb_engine_commit_async or jszb_engine_commit
     (jszb_engine_rollback ends it). Neither batch's listeners hear anything.
   - Reads (get_case, list_cases, counters, events) see the engine in memory,
     batches not yet durable included; those that read the file first wait
     for the writer. The engine stays one-caller-thread: the writer is the
     library's own and never calls back.
   - In memory (no store) the batch is committed inside commit_async; its
     ticket is durable at once, listeners still told by wait or poll. */
JSZB_API int jszb_engine_commit_async(jszb_engine* engine, uint64_t* ticket);
/* Waits until batch `ticket` is durable (JSZB_OK) or failed (its error).
   A ticket never given out: JSZB_E_INVALID. */
JSZB_API int jszb_engine_wait(jszb_engine* engine, uint64_t ticket);
/* Without waiting: *done_through is the highest ticket whose batch is
   durable or failed (jszb_engine_wait on it, or an earlier one, returns at
   once); 0 before the first. */
JSZB_API int jszb_engine_poll(jszb_engine* engine, uint64_t* done_through);

/* Writes every projection that lags the log (reopening then replays nothing). */
JSZB_API int jszb_engine_checkpoint(jszb_engine* engine);

/* Runs SQLite's integrity check of a durable store's file (pages, rows,
   indexes: each damage it names is a mismatch), then replays the whole log
   into a fresh engine and compares every case with the stored projection and
   the engine's own copy. *problems: the first few disagreements, one per line,
   jszb_free()-able (NULL when there are none). */
JSZB_API int jszb_engine_verify(jszb_engine* engine, uint64_t* events, uint64_t* cases,
                                uint64_t* mismatches, char** problems);

/* Progress of a long call: `done` of `total` units of the named stage (total
   0: not known), told on the calling thread now and then and once at the end
   of each stage. Return 0 to go on; anything else stops the call, which then
   fails with JSZB_E_CANCELLED. It may read the engine, not change it. */
typedef int (*jszb_progress_fn)(void* payload, const char* stage, uint64_t done, uint64_t total);

#define JSZB_VERIFY_OPTIONS_VERSION 1
typedef struct jszb_verify_options {
  unsigned version;
  /* NULL: none. Stages: "replay" (the log's events), then "compare" (cases). */
  jszb_progress_fn progress;
  void* progress_payload;
} jszb_verify_options;
#define JSZB_VERIFY_OPTIONS_INIT \
  { JSZB_VERIFY_OPTIONS_VERSION, NULL, NULL }
/* JSZB_VERIFY_OPTIONS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_verify_options_init(jszb_verify_options* options, unsigned version);

/* jszb_engine_verify, with options (NULL: none): a progress callback. */
JSZB_API int jszb_engine_verify_v2(jszb_engine* engine, const jszb_verify_options* options,
                                   uint64_t* events, uint64_t* cases, uint64_t* mismatches,
                                   char** problems);

/* Erases the citizen's personal data of a case (contact, address, content,
   point); the case stays, anonymised, in listings and statistics. An
   in-memory engine keeps no personal data apart: JSZB_E_STATE. */
JSZB_API int jszb_engine_erase_personal(jszb_engine* engine, uint64_t case_id, int64_t time_ms);

/* Deletes finished cases (closed, merged, terminated, not dispatched,
   answered on the spot) whose last event came before before_ms, with their
   events. Their ids are never given out again. An in-memory engine has
   nothing to purge: JSZB_E_STATE. */
JSZB_API int jszb_engine_purge(jszb_engine* engine, int64_t before_ms, uint64_t* purged);

/* ---------------------------------------------------------------- assessment */
/* The three rates of Art. 32 per handling unit and period (see docs/process.md). A
   period whose ends fall on half-day edges in China time (00:00 or 12:00: the
   assessment month, the bulletin day, whole days) is read from counters kept
   with the events, in about a millisecond whatever the store's size; any other
   period is recounted from the log, with the same definitions. An order counts once, with the
   return visit that stands (a visit after a redo replaces the earlier one), in the period that
   visit falls in, for its lead unit and each co-handler; orders never dispatched, terminated or
   merged do not count. A re-dispatch after a redo (改派) to another unit settles the result
   standing then: it stays counted for its units, whatever the order does later, and the new
   unit's own result counts for the new unit. An order on the long-term pending list (挂账)
   under the policy's default leaves the rates with its result. response = contacted / visits,
   resolution = solved / visits, satisfaction = (satisfied + 0.9 x basically satisfied) /
   visits, composite = weighted sum. On-time sign-for: each sign-for in the period (an order
   returned unsigned counts as late); on-time completion: each reply in the period. A visit
   result overturned on appeal (JSZB_CMD_UPHOLD_APPEAL) does not count.
   An Art. 23 result counted as not solved only (a valid visit with satisfaction 0, policy
   expiry_result EXPIRY_COUNTED_AS_NOT_SOLVED) is among the visits of the resolution rate and
   left out of those of response and satisfaction, which are then over fewer visits than
   jszb_unit_score.visits (the report's unit rows give resolution_only_visits).
 */

/* The assessment month ending on the 18th of (year, month): from the 19th of
   the month before, 00:00, to the 19th, 00:00, China time (UTC+8). */
JSZB_API int jszb_assessment_month(int year, int month, int64_t* from_ms, int64_t* until_ms);
/* The daily bulletin's day: noon of the day before to noon, China time. */
JSZB_API int jszb_bulletin_day(int year, int month, int day, int64_t* from_ms, int64_t* until_ms);

#define JSZB_RATE_WEIGHTS_VERSION 1
typedef struct jszb_rate_weights {
  unsigned version;
  double response;     /* default 0.1 */
  double resolution;   /* default 0.5 */
  double satisfaction; /* default 0.4 */
} jszb_rate_weights;
#define JSZB_RATE_WEIGHTS_INIT \
  { JSZB_RATE_WEIGHTS_VERSION, 0.1, 0.5, 0.4 }
/* JSZB_RATE_WEIGHTS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_rate_weights_init(jszb_rate_weights* weights, unsigned version);

typedef struct jszb_unit_score {
  uint32_t unit;
  uint32_t visits; /* orders with a standing valid visit in the period */
  uint32_t contacted;
  uint32_t solved;
  uint32_t satisfied;
  uint32_t basically_satisfied;
  uint32_t not_satisfied;
  double response; /* 0 without visits */
  double resolution;
  double satisfaction;
  double composite;
  uint32_t sign_outcomes; /* signed, or returned unsigned */
  uint32_t signed_on_time;
  uint32_t replies;
  uint32_t replied_on_time;
} jszb_unit_score;

/* Scores by unit (ascending) for [from_ms, until_ms), in a jszb_free()-able
   array (NULL when *count is 0: nothing counted in the period). weights may be
   NULL for the defaults. JSZB_E_INVALID, naming the argument and its value:
   from_ms or until_ms outside JSZB_TIME_MIN_MS..JSZB_TIME_MAX_MS, until_ms not
   after from_ms, weights.version unknown, a weight negative or not finite, or
   all weights 0. */
JSZB_API int jszb_engine_assess(jszb_engine* engine, int64_t from_ms, int64_t until_ms,
                                const jszb_rate_weights* weights, jszb_unit_score** scores,
                                size_t* count);

/* ------------------------------------------------------------------- reports */
/* A report (daily bulletin, weekly summary, monthly analysis) for a period and
   the city or one district: volumes by channel, kind, category levels 1-3,
   district, street and community, each with the previous period of the same
   length; hot spots (streets and communities by volume and by growth); rising
   problems (a category in a district well above its mean over earlier
   periods, the test stated in the report); the units' workload, speed, three
   rates, on-time indicators and rank within their class; and request groups
   (matters reported 10+ times, found across wordings) for periods of up to a
   week; the themes (每月一题, below): each one's count, monthly trend around
   its start and tasks, and the rising problems no theme covers. The
   period's ends must fall on half-day edges in China time (see
   jszb_assessment_month, jszb_bulletin_day); everything but the groups and
   the themes comes from the counters kept with the events.
   A period in which nothing happened in scope gives a report all the same,
   marked "empty": true (the CSV's report row and the HTML header say so).
   Refused, each naming the field and its value, with nothing read:
   JSZB_E_INVALID for options.version unknown, from_ms or until_ms outside
   the time range or off a half-day edge, until_ms not after from_ms, top
   outside 0..10000, baseline_periods outside 1..52, district not valid
   UTF-8, an unknown format, or the policy's rate weights negative, not finite
   or all 0; JSZB_E_NOT_FOUND for a district the current policy does not name
   (also an alias, e.g. "朝阳": requests count under "朝阳区"; with no policy
   loaded, every district), and (version 2) min_visits outside 1..1000000. */
#define JSZB_REPORT_OPTIONS_VERSION 3
typedef struct jszb_report_options {
  unsigned version;
  int64_t from_ms; /* [from_ms, until_ms) */
  int64_t until_ms;
  const char* district; /* a district's name ("朝阳区"), NULL or "": the city */
  int top;              /* rows per hot-spot list (default 20, 0: all; at most 10000) */
  int baseline_periods; /* rising problems: earlier periods averaged (default 4; 1..52) */
  /* Version 2: units with fewer valid visits are listed, not ranked (rank 0;
     default 10; 1..1000000). Version 1 callers get the default. */
  int min_visits;
  /* Version 3: nonzero gives each unit row's figures with the orders behind
     them (the JSON's unit_orders, the CSV's "unit_orders" section, the HTML's
     links from each unit row to its lists; see jszb_engine_unit_orders). It
     reads the whole log, where the rest of the report reads counters. */
  int with_orders;
} jszb_report_options;
#define JSZB_REPORT_OPTIONS_INIT \
  { JSZB_REPORT_OPTIONS_VERSION, 0, 0, NULL, 20, 4, 10, 0 }
/* JSZB_REPORT_OPTIONS_INIT as a function, for FFIs (versions 1..3; see the
   rules at the top). */
JSZB_API int jszb_report_options_init(jszb_report_options* options, unsigned version);

typedef enum jszb_report_format {
  JSZB_REPORT_JSON = 1, /* the jszb.v1.Report message as JSON (proto field names) */
  JSZB_REPORT_CSV = 2,  /* one table per section, each after a "# name" line */
  JSZB_REPORT_HTML = 3  /* one self-contained page: inline CSS and SVG charts, no script */
} jszb_report_format;

/* The report in `format`, NUL-terminated UTF-8 in *out (free with jszb_free). */
JSZB_API int jszb_engine_report(jszb_engine* engine, const jszb_report_options* options, int format,
                                char** out);

/* A report given as JSON (as jszb_engine_report gives it, `length` bytes) in
   `format`, NUL-terminated UTF-8 in *out (free with jszb_free): the CSV and the
   page of one report object, so that a program that prints figures of its own
   from the JSON shows the same numbers as the page. JSZB_E_INVALID for JSON
   that is not a report, or an unknown format. Needs no engine. */
JSZB_API int jszb_report_render(const char* json, size_t length, int format, char** out);

/* Request groups (群体诉求): one matter reported 10 or more times among the
   requests received in [from_ms, until_ms), found even when people word it
   differently. Largest first. A group's cases can be merged into its
   representative with JSZB_CMD_MERGE. jszb_engine_request_groups_v2 (below)
   takes options and says more of each group. */
typedef struct jszb_request_group {
  uint64_t representative; /* the request most like the others */
  size_t size;             /* number of cases */
  const uint64_t* cases;   /* ascending; inside the same allocation */
} jszb_request_group;

/* The groups in one jszb_free()-able array (NULL when *count is 0); district:
   a district's name, NULL or "" for the city. The same as
   jszb_engine_request_groups_v2 with scope JSZB_GROUP_SCOPE_STREET and
   min_size 10. Refused as jszb_engine_report refuses them: the period
   (JSZB_E_INVALID; any ms, not only half-day edges) and the district
   (JSZB_E_NOT_FOUND when the current policy does not name it). */
JSZB_API int jszb_engine_request_groups(jszb_engine* engine, int64_t from_ms, int64_t until_ms,
                                        const char* district, jszb_request_group** groups,
                                        size_t* count);

/* How far apart a group's requests may be: only requests the engine placed
   (by names or map point) in the same community, street, district or
   anywhere in the city group. */
typedef enum jszb_group_scope {
  JSZB_GROUP_SCOPE_COMMUNITY = 1,
  JSZB_GROUP_SCOPE_STREET = 2,
  JSZB_GROUP_SCOPE_DISTRICT = 3, /* the default: a matter often spans streets */
  JSZB_GROUP_SCOPE_CITY = 4
} jszb_group_scope;

/* Which requests to group, and how the groups come back. Initialise with
   JSZB_GROUP_OPTIONS_INIT, then set what differs; fields are only ever
   appended, and `version` says which the caller knows. */
#define JSZB_GROUP_OPTIONS_VERSION 1
/* The layout of jszb_request_group_v2 this header declares. */
#define JSZB_REQUEST_GROUP_VERSION 1
typedef struct jszb_group_options {
  unsigned version; /* JSZB_GROUP_OPTIONS_VERSION */
  int64_t from_ms;  /* the window: requests received in [from_ms, until_ms) */
  int64_t until_ms;
  const char* district;   /* requests placed in this district; NULL or "": the city */
  int scope;              /* jszb_group_scope */
  size_t min_size;        /* a group has at least this many requests: 2..1000000 */
  unsigned group_version; /* the jszb_request_group_v2 layout to fill in:
                             JSZB_REQUEST_GROUP_VERSION */
} jszb_group_options;
#define JSZB_GROUP_OPTIONS_INIT                                            \
  {                                                                        \
    JSZB_GROUP_OPTIONS_VERSION, 0, 0, NULL, JSZB_GROUP_SCOPE_DISTRICT, 10, \
        JSZB_REQUEST_GROUP_VERSION                                         \
  }
/* JSZB_GROUP_OPTIONS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_group_options_init(jszb_group_options* options, unsigned version);

/* One group. Its requests are tied by the place they name (the address the
   operator recorded, the estate or company the text names) and, within a
   place, by their words across categories; a request that names no place
   joins the group it clearly shares most words with. Strings are UTF-8. */
typedef struct jszb_request_group_v2 {
  uint64_t representative;       /* the request most like the others */
  size_t size;                   /* number of cases */
  const uint64_t* cases;         /* ascending */
  size_t street_count;           /* the streets its requests were placed in, */
  const char* const* streets;    /* most requests first */
  size_t category_count;         /* its categories, "level1" or "level1/level2", */
  const char* const* categories; /* most requests first */
} jszb_request_group_v2;

/* The groups, largest first, in one jszb_free()-able block (everything a
   group points to is inside it; NULL when *count is 0). Refused, changing
   nothing: options NULL or of an unknown version, group_version not
   JSZB_REQUEST_GROUP_VERSION, a scope not of jszb_group_scope, min_size out
   of range, the period (ending before or when it starts, outside the time
   range) (all JSZB_E_INVALID); a district the current policy does not
   name (JSZB_E_NOT_FOUND). */
JSZB_API int jszb_engine_request_groups_v2(jszb_engine* engine, const jszb_group_options* options,
                                           jszb_request_group_v2** groups, size_t* count);

/* ------------------------------------------------------------ drill-down */
/* The orders behind each figure of a unit's row, so that a unit sees what cost
   it its rank and appeals the right result. Each list is made by the same walk
   of the log as the recount behind jszb_engine_assess (the same definitions,
   above): an entry is one count of the figure, so for the same unit and period
   a list's length equals the figure jszb_engine_assess and the report give
   (appeals excepted: no score counts them). Entries are occurrences, not
   distinct orders: an order appears once per count (two breaches, two
   entries; an order re-dispatched after a redo and back can count twice).
   Any period: the log is read, whatever the period's edges (the cost of a
   recount). Orders purged from a durable store (jszb_engine_purge) leave the
   lists; their counts stay in the counters. */
typedef enum jszb_figure {
  /* Of the visits that stand and count (jszb_unit_score.visits): */
  JSZB_FIGURE_VISITS = 1,
  JSZB_FIGURE_NOT_CONTACTED = 2, /* those in the response rate, not contacted: visits -
                                    resolution_only_visits - contacted */
  JSZB_FIGURE_NOT_SOLVED = 3,    /* visits - solved (resolution-only ones included) */
  JSZB_FIGURE_NOT_SATISFIED = 4, /* not_satisfied */
  JSZB_FIGURE_BASICALLY_SATISFIED = 5,
  JSZB_FIGURE_SATISFIED = 6,
  /* Events of the period: */
  JSZB_FIGURE_LATE_SIGN_FOR = 7,   /* sign_outcomes - signed_on_time: orders returned
                                      unsigned included */
  JSZB_FIGURE_LATE_REPLY = 8,      /* replies - replied_on_time: Art. 23 late completions
                                      included */
  JSZB_FIGURE_BREACHED = 9,        /* deadline breaches attributed to the unit (the
                                      report's breached) */
  JSZB_FIGURE_APPEALED = 10,       /* the unit's appeals (申诉), when it appealed */
  JSZB_FIGURE_SUPERVISED = 11,     /* supervisions (督办) of the unit as lead */
  JSZB_FIGURE_DISPATCHED = 12,     /* orders dispatched to the unit */
  JSZB_FIGURE_CLOSED = 13,         /* orders of the unit closed */
  JSZB_FIGURE_LONG_TERM_HELD = 14, /* put on the long-term pending list (挂账) */
  /* The visits in the resolution rate only (the report's resolution_only_visits:
     Art. 23 under EXPIRY_COUNTED_AS_NOT_SOLVED). */
  JSZB_FIGURE_RESOLUTION_ONLY = 15
} jszb_figure;

#define JSZB_UNIT_ORDERS_OPTIONS_VERSION 1
typedef struct jszb_unit_orders_options {
  unsigned version;
  uint32_t unit;   /* the unit's code; 0 is refused */
  int64_t from_ms; /* [from_ms, until_ms) */
  int64_t until_ms;
  int figure; /* jszb_figure */
} jszb_unit_orders_options;
#define JSZB_UNIT_ORDERS_OPTIONS_INIT \
  { JSZB_UNIT_ORDERS_OPTIONS_VERSION, 0, 0, 0, 0 }
/* JSZB_UNIT_ORDERS_OPTIONS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_unit_orders_options_init(jszb_unit_orders_options* options, unsigned version);

/* One entry of a list. Handed out in arrays: this struct is frozen and never
   grows. */
typedef struct jszb_unit_order {
  uint64_t case_id;
  int64_t time_ms; /* when it counted: the standing visit's time for the visit
                      figures (1-6, 15), the event's for the others */
} jszb_unit_order;

/* The orders behind one figure of a unit for a period, sorted by case id, then
   time, in a jszb_free()-able array (NULL when *count is 0). JSZB_E_INVALID,
   naming what is wrong, for an unknown options version or figure, unit 0, or a
   period that is empty, ends before it starts or lies outside the time range
   (JSZB_TIME_MIN_MS..JSZB_TIME_MAX_MS); JSZB_E_NOT_FOUND for a unit the current policy does not
   know (as for an unknown district in a report). */
JSZB_API int jszb_engine_unit_orders(jszb_engine* engine, const jszb_unit_orders_options* options,
                                     jszb_unit_order** orders, size_t* count);

/* ------------------------------------------------------------------ themes */
/* 每月一题 ("one problem a month") and 未诉先办 ("handle before anyone
   complains"): a problem the city attacks on purpose, such as 预付式消费退费难
   (prepaid-consumption refunds) or 房产证办理难 (property certificates). A
   theme names the problem, when it was chosen, the unit that leads it and
   what it covers; tasks give parts of the work to units, each with a due
   time and a state. Themes are data in the engine's store (a durable store
   keeps them in its file, docs/store.md), not events of cases: a change
   carries its time like every command, is committed before the call
   returns (each change its own transaction: not inside jszb_engine_begin ..
   commit, JSZB_E_STATE), and the store keeps a record of every change.

   Which requests belong to a theme: a request does when
     its area matches: the theme has no areas (the city), or one area is its
       district ("朝阳区": the request's district name), or its district and
       street ("朝阳区/望京街道"), as the request was recorded (the names
       listings and reports use);
   AND its subject matches: its category path starts with one of the
     theme's category prefixes, compared by whole levels ("市场管理" covers
     "市场管理/预付式消费/…", never "市场管理局"), OR its content contains one
     of the keywords (bytes of UTF-8, case as written; content erased with
     jszb_engine_erase_personal no longer matches).
   Whatever its state, unit or channel: a task force needs every related
   order. A theme covers requests received before its start too (the trend
   compares before and after).

   Refused, naming the field and its value, with nothing written:
   JSZB_E_INVALID for a struct version unknown, an empty name or title, text
   not UTF-8 or holding a control character, a name over 256 bytes, a
   category, keyword or area over 256 bytes or given twice, more than 64 of
   any, a category of more than 3 levels or with an empty level, an area
   that is not "district" or "district/street", neither a category nor a
   keyword, a name another theme has, a time outside JSZB_TIME_MIN_MS..JSZB_TIME_MAX_MS, a
   task due before its theme's start (or a redefined start after a task's
   due), a task state not open or done, unit 0; JSZB_E_NOT_FOUND for an
   unknown theme or task id, a unit, district or street the current policy
   does not know (with no policy set, none is known); JSZB_E_BUSY from a
   listener or router. */

typedef enum jszb_task_state {
  JSZB_TASK_OPEN = 1, /* in hand; overdue once its due time has passed */
  JSZB_TASK_DONE = 2
} jszb_task_state;

/* A theme, as the caller defines it and as the library gives it back. */
#define JSZB_THEME_VERSION 1
typedef struct jszb_theme {
  unsigned version;
  uint64_t id;                   /* define: 0 for a new theme, else the theme to redefine */
  const char* name;              /* "预付式消费退费难"; unique among the themes */
  int64_t start_ms;              /* when it was chosen (its month) */
  uint32_t lead_unit;            /* the unit that leads it (牵头单位) */
  const char* const* categories; /* category path prefixes, levels joined by "/" */
  size_t categories_count;
  const char* const* keywords; /* any one in a request's content */
  size_t keywords_count;
  const char* const* areas; /* "district" or "district/street"; none: the city */
  size_t areas_count;
} jszb_theme;
#define JSZB_THEME_INIT \
  { JSZB_THEME_VERSION, 0, NULL, 0, 0, NULL, 0, NULL, 0, NULL, 0 }
/* JSZB_THEME_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_theme_init(jszb_theme* theme, unsigned version);

/* A task of a theme. */
#define JSZB_THEME_TASK_VERSION 1
typedef struct jszb_theme_task {
  unsigned version;
  uint32_t id;         /* set: 0 for a new task, else the task to change */
  uint32_t owner_unit; /* the unit that must do it */
  const char* title;   /* at most 4096 bytes */
  int64_t due_ms;      /* not before the theme's start */
  int state;           /* jszb_task_state; 0 means open */
  int64_t done_ms;     /* given back: when it was marked done (the time of that
                          change), 0 while open; ignored when set */
} jszb_theme_task;
#define JSZB_THEME_TASK_INIT \
  { JSZB_THEME_TASK_VERSION, 0, 0, NULL, 0, JSZB_TASK_OPEN, 0 }
/* JSZB_THEME_TASK_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_theme_task_init(jszb_theme_task* task, unsigned version);

/* Defines a new theme (theme->id 0; *theme_id receives its id, never given
   out again) or redefines one (its tasks stay). theme_id may be NULL. */
JSZB_API int jszb_engine_theme_define(jszb_engine* engine, const jszb_theme* theme, int64_t time_ms,
                                      uint64_t* theme_id);
/* Removes a theme and its tasks. */
JSZB_API int jszb_engine_theme_remove(jszb_engine* engine, uint64_t theme_id, int64_t time_ms);
/* Adds a task (task->id 0; *task_id receives its id, from 1 within the theme)
   or changes one (owner, title, due, state). Marked done, the task records
   time_ms as when; reopened, that is cleared. task_id may be NULL. */
JSZB_API int jszb_engine_theme_task_set(jszb_engine* engine, uint64_t theme_id,
                                        const jszb_theme_task* task, int64_t time_ms,
                                        uint32_t* task_id);

/* Themes as they stand, by id, each with its tasks by id: a snapshot that
   does not change when the themes do. Free with jszb_themes_free(). */
typedef struct jszb_themes jszb_themes;
/* theme_id 0: every theme; else that one (JSZB_E_NOT_FOUND if there is none). */
JSZB_API int jszb_engine_themes(jszb_engine* engine, uint64_t theme_id, jszb_themes** out);
JSZB_API void jszb_themes_free(jszb_themes* themes);
JSZB_API size_t jszb_themes_count(const jszb_themes* themes);
/* Theme i (0-based), or NULL; owned by the snapshot. */
JSZB_API const jszb_theme* jszb_themes_get(const jszb_themes* themes, size_t index);
JSZB_API size_t jszb_themes_task_count(const jszb_themes* themes, size_t index);
/* Task t of theme i, or NULL; owned by the snapshot. */
JSZB_API const jszb_theme_task* jszb_themes_task(const jszb_themes* themes, size_t index,
                                                 size_t task);

/* A theme's requests per period, before and after its start (China time). */
typedef enum jszb_theme_period {
  JSZB_THEME_MONTH = 1,            /* calendar months, from the 1st 00:00 */
  JSZB_THEME_ASSESSMENT_MONTH = 2, /* the 19th 00:00 to the 19th (jszb_assessment_month) */
  JSZB_THEME_WEEK = 3              /* Monday 00:00 to Monday 00:00 */
} jszb_theme_period;

#define JSZB_THEME_TREND_OPTIONS_VERSION 1
typedef struct jszb_theme_trend_options {
  unsigned version;
  uint64_t theme_id;
  int period;           /* jszb_theme_period (default month) */
  int before;           /* periods before the one holding the start, 0..120 (default 3) */
  int after;            /* periods from the one holding the start on, 1..120 (default 3) */
  const char* district; /* only the theme's requests there; NULL or "": all of them */
} jszb_theme_trend_options;
#define JSZB_THEME_TREND_OPTIONS_INIT \
  { JSZB_THEME_TREND_OPTIONS_VERSION, 0, JSZB_THEME_MONTH, 3, 3, NULL }
/* JSZB_THEME_TREND_OPTIONS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_theme_trend_options_init(jszb_theme_trend_options* options, unsigned version);

/* One period of a trend. Handed out in arrays: this struct is frozen and
   never grows. */
typedef struct jszb_theme_count {
  int64_t from_ms; /* [from_ms, until_ms) */
  int64_t until_ms;
  int offset;        /* 0: the period holding the start, -1 the one before, ... */
  uint64_t received; /* the theme's requests received in it */
} jszb_theme_count;

/* before + after periods, oldest first, in a jszb_free()-able array.
   JSZB_E_INVALID for options out of range, JSZB_E_NOT_FOUND for an unknown
   theme or a district the current policy does not name. */
JSZB_API int jszb_engine_theme_trend(jszb_engine* engine, const jszb_theme_trend_options* options,
                                     jszb_theme_count** counts, size_t* count);

/* The theme's cases received in [from_ms, until_ms) (both 0: any time), in
   any state and of any unit, ascending, in a jszb_free()-able array (NULL
   when *count is 0); district: NULL or "" for all of them. */
JSZB_API int jszb_engine_theme_cases(jszb_engine* engine, uint64_t theme_id, int64_t from_ms,
                                     int64_t until_ms, const char* district, uint64_t** ids,
                                     size_t* count);

/* A rising problem no theme covers: a candidate for the next theme. Handed
   out in arrays: this struct is frozen and never grows. */
typedef struct jszb_theme_candidate {
  const char* district;
  const char* category; /* levels 1 and 2 */
  int64_t count;        /* requests in the period */
  double baseline;      /* mean over the baseline periods */
  double z;             /* (count - baseline) / sqrt(baseline + 1) */
} jszb_theme_candidate;

/* The report's rising problems (jszb_engine_report: the same options, test
   and refusals; options.top and min_visits are not used) that no theme
   covers, highest z first, in one jszb_free()-able block (the strings
   inside it; NULL when *count is 0). A theme covers a category in a
   district when one of its category prefixes is that category or above it
   and its areas are the city or include the district itself. */
JSZB_API int jszb_engine_theme_candidates(jszb_engine* engine, const jszb_report_options* options,
                                          jszb_theme_candidate** candidates, size_t* count);

/* ------------------------------------------------------------- operations */
/* What an operator needs around a running store: an online backup, the
   library's log, counts and metrics (docs/store.md, "Backup"; docs/cli.md). */

#define JSZB_BACKUP_OPTIONS_VERSION 1
typedef struct jszb_backup_options {
  unsigned version;
  /* NULL: none. Stage "backup": pages copied of the pages in all. Stopping
     it (nonzero) leaves no file at dest: JSZB_E_CANCELLED. */
  jszb_progress_fn progress;
  void* progress_payload;
  int pages_per_step; /* pages copied between two progress reports; 0: 1024 */
} jszb_backup_options;
#define JSZB_BACKUP_OPTIONS_INIT \
  { JSZB_BACKUP_OPTIONS_VERSION, NULL, NULL, 0 }
/* JSZB_BACKUP_OPTIONS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_backup_options_init(jszb_backup_options* options, unsigned version);

/* Copies the store at store_path to dest_path with SQLite's online backup,
   from a read-only connection: it needs no writer's hold, so it runs while
   another process (or this one) has the store open and commits. The copy
   is the store as it was when the backup began (one WAL snapshot), written
   to a temporary file beside dest_path (mode 0600: it holds personal data)
   and renamed to dest_path once complete and synced. A dest_path that
   exists (JSZB_E_INVALID) or a directory that cannot be written
   (JSZB_E_STORAGE) is refused and nothing is created; a file that is not a
   jszb store is JSZB_E_CORRUPT. The copy opens as a store of its own: its
   log position record (<file>-lsn) is not copied. opts may be NULL. */
JSZB_API int jszb_backup(const char* store_path, const char* dest_path,
                         const jszb_backup_options* opts);
/* jszb_backup of the engine's own store, once the batches it committed are
   durable (a pipelined batch under way first). An open batch (begin()
   without commit()) is not in the copy. In memory: JSZB_E_STATE. */
JSZB_API int jszb_engine_backup(jszb_engine* engine, const char* dest_path,
                                const jszb_backup_options* opts);

/* What a store holds, counted by SQL over its projections (not by listing
   cases): the committed store, or an in-memory engine's cases. */
#define JSZB_STORE_STATS_VERSION 1
typedef struct jszb_store_stats {
  unsigned version;
  /* cases_by_state[s]: cases in state s (a jszb_state, 1..JSZB_STATE_COUNT);
     the array has room for the states to come. */
  uint64_t cases_by_state[32];
  uint64_t cases;        /* all of them (purged ones no longer) */
  uint64_t events;       /* log positions committed (purged events included) */
  int64_t last_event_ms; /* the newest event's instant (time is an input); 0: none */
  uint64_t file_bytes;   /* the store file; 0 in memory */
  uint64_t wal_bytes;    /* its -wal file; 0 when none */
} jszb_store_stats;
#define JSZB_STORE_STATS_INIT \
  { JSZB_STORE_STATS_VERSION, {0}, 0, 0, 0, 0, 0 }
/* JSZB_STORE_STATS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_store_stats_init(jszb_store_stats* stats, unsigned version);
/* Fills *stats (initialised with JSZB_STORE_STATS_INIT: its version says
   which fields the caller has). */
JSZB_API int jszb_engine_store_stats(jszb_engine* engine, jszb_store_stats* stats);

/* The library's log, process-wide (as SQLite's SQLITE_CONFIG_LOG): what it
   would tell an operator. ERROR: a commit failed; WARN: a slow commit (over
   500 ms), a calendar year still provisional; INFO: a store opened with the
   events it replayed, a checkpoint, a backup done; DEBUG: more detail. */
typedef enum jszb_log_level {
  JSZB_LOG_OFF = 0,
  JSZB_LOG_ERROR = 1,
  JSZB_LOG_WARN = 2,
  JSZB_LOG_INFO = 3,
  JSZB_LOG_DEBUG = 4
} jszb_log_level;
typedef void (*jszb_log_fn)(void* user_data, int level, const char* message);
/* Sends messages of `level` and more severe to fn (NULL: off, the default).
   fn runs on the thread that logs: the caller's, or an engine's pipelined
   commit writer (a slow commit); calls to it are serialised, and it must
   not call into jszb. The message is valid during the call. A level outside
   JSZB_LOG_OFF..JSZB_LOG_DEBUG: JSZB_E_INVALID. */
JSZB_API int jszb_set_log(jszb_log_fn fn, void* user_data, int level);

/* Counters an operator graphs, since the engine was opened. */
#define JSZB_METRICS_BUCKETS 13
#define JSZB_METRICS_VERSION 1
typedef struct jszb_metrics {
  unsigned version;
  uint64_t events_applied;   /* applied in memory (replayed on open, undone batches included) */
  uint64_t events_committed; /* log positions committed to the store */
  uint64_t commits;          /* batches committed (failed ones included) */
  /* Commit latency of a durable store: commits that took at most
     commit_bucket_ms[i] ms (not cumulative); the last bucket is those above
     the last bound (+Inf). In memory commits are not timed (reading the
     clock would cost more than the commit): every bucket stays 0. */
  double commit_bucket_ms[JSZB_METRICS_BUCKETS];
  uint64_t commit_buckets[JSZB_METRICS_BUCKETS];
  double commit_seconds_sum;
  uint64_t open_cases;        /* cases not finished, in memory */
  uint64_t timers_pending;    /* cases with an escalation mark armed */
  uint64_t escalations_fired; /* warning, breach and escalation marks fired */
  uint64_t cases_read_back;   /* cases loaded back from the store into memory */
} jszb_metrics;
#define JSZB_METRICS_INIT \
  { JSZB_METRICS_VERSION, 0, 0, 0, {0}, {0}, 0, 0, 0, 0, 0 }
/* JSZB_METRICS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_metrics_init(jszb_metrics* metrics, unsigned version);
/* Fills *metrics (initialised with JSZB_METRICS_INIT). Cheap: open_cases
   walks the cases in memory, nothing else counts anything. */
JSZB_API int jszb_engine_metrics(jszb_engine* engine, jszb_metrics* metrics);
/* The metrics and the store's stats in the Prometheus text exposition
   format 0.0.4 (# HELP and # TYPE lines, names prefixed jszb_, the commit
   latency a histogram in seconds), jszb_free()-able, for an embedding
   server to serve at /metrics. */
JSZB_API int jszb_engine_metrics_prometheus(jszb_engine* engine, char** text);

/* ------------------------------------------------- Open311 GeoReport v2 */
/* The civic-issue API of FixMyStreet and many cities (docs/open311.md): the
   services a policy's dispatch catalogue names, cases as service requests,
   and a POST service request read as a submission. Documents are JSON (an
   array of objects) or XML (<services><service>..., <service_requests>
   <request>...), UTF-8, times in ISO 8601 with the +08:00 offset, in a
   jszb_free()-able string.

   A service is a category path the policy names (in a dispatch or deadline
   rule): service_code is its levels joined by "/" ("公共服务/供水"),
   service_name the last level, group the first. A request is a case:
   service_request_id its id, status "open" or "closed" (finished states are
   closed; docs/open311.md maps all 17 states, and to FixMyStreet's states),
   status_notes the unit's public reply, agency_responsible the lead unit's
   name, expected_datetime the running reply deadline.

   Personal data (the contact's name and phone, the exact address and point)
   leaves only with with_personal: without it address is the area's names
   (district, street, community) and lat/long are rounded to 0.001 degree
   (about 100 m). What jszb_engine_erase_personal erased never comes back. */

typedef enum jszb_open311_format {
  JSZB_OPEN311_JSON = 1,
  JSZB_OPEN311_XML = 2
} jszb_open311_format;

/* How a submission's body is encoded. */
typedef enum jszb_open311_content {
  JSZB_OPEN311_CONTENT_FORM = 1, /* application/x-www-form-urlencoded */
  JSZB_OPEN311_CONTENT_JSON = 2  /* a JSON object of the same fields */
} jszb_open311_content;

typedef enum jszb_open311_status {
  JSZB_OPEN311_STATUS_ANY = 0,
  JSZB_OPEN311_STATUS_OPEN = 1,
  JSZB_OPEN311_STATUS_CLOSED = 2
} jszb_open311_status;

/* The policy's services, sorted by service_code. */
JSZB_API int jszb_open311_services(const jszb_policy* policy, int format, char** out);

#define JSZB_OPEN311_QUERY_VERSION 1
typedef struct jszb_open311_query {
  unsigned version;
  uint64_t case_id; /* one request (JSZB_E_NOT_FOUND if there is none); 0: all */
  int64_t from_ms;  /* requested (received) in [from_ms, until_ms); 0: open end */
  int64_t until_ms;
  int status;               /* jszb_open311_status */
  const char* service_code; /* a category path prefix ("公共服务/供水"); NULL or "": any */
  int with_personal;        /* 1: contact, exact address and point too */
  size_t limit;             /* at most this many, by ascending id; 0: no limit */
} jszb_open311_query;
#define JSZB_OPEN311_QUERY_INIT \
  { JSZB_OPEN311_QUERY_VERSION, 0, 0, 0, JSZB_OPEN311_STATUS_ANY, NULL, 0, 0 }
/* JSZB_OPEN311_QUERY_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_open311_query_init(jszb_open311_query* query, unsigned version);

/* The cases the query matches, as service requests. query may be NULL: every
   case, without personal data. */
JSZB_API int jszb_engine_open311_requests(jszb_engine* engine, const jszb_open311_query* query,
                                          int format, char** out);

/* A POST service request (body of size bytes, form-urlencoded or JSON) as a
   submission at time_ms: service_code (required: a service of the current
   policy, or a category under one), lat and long or address_string or
   address_id (one required), description (required), first_name,
   last_name, phone, email, media_url; api_key, jurisdiction_id, device_id
   and account_id are accepted and not kept (the caller checks api_key).
   It becomes an intake on JSZB_CHANNEL_WEB, kind JSZB_KIND_HELP, by a
   citizen (docs/open311.md gives each field's place). A field that is
   unknown, malformed, too long or missing is JSZB_E_INVALID naming it, and
   nothing changes; the engine's own refusals are as jszb_engine_submit's.
   *case_id receives the case's id (the same body at the same time_ms is the
   same request: its case). */
JSZB_API int jszb_engine_open311_submit(jszb_engine* engine, const char* body, size_t size,
                                        int content, int64_t time_ms, uint64_t* case_id);

/* Imports a file of service requests (size bytes): a JSON array of request
   objects, or <service_requests><request>... XML, as GET requests writes
   them. Each needs service_request_id, service_code (1 to 3 category
   levels), requested_datetime (RFC 3339, any offset), status and
   description; lat/long and address are kept. A request becomes a
   submission at requested_datetime (JSZB_CHANNEL_WEB, channel_ref
   "open311:<service_request_id>", so importing a file again changes
   nothing); a closed one is then answered on the spot (JSZB_CMD_ANSWER_ON_SPOT)
   at updated_datetime with status_notes as its text: kept as finished, no
   unit scored for it. All in one batch (not inside one of the caller's).
   A bad request (a missing or malformed field, or one the engine refuses):
   skip_bad 0: JSZB_E_INVALID naming the first few by position ("request 3
   (line 17): ..."), nothing imported; skip_bad 1: the others are imported
   and *out lists the bad ones. Nothing is ever half imported. A file that
   cannot be read: JSZB_E_INVALID naming where. Free *out with
   jszb_open311_import_free(). */
typedef struct jszb_open311_import jszb_open311_import;
JSZB_API int jszb_engine_open311_import(jszb_engine* engine, const char* data, size_t size,
                                        int format, int skip_bad, jszb_open311_import** out);
JSZB_API void jszb_open311_import_free(jszb_open311_import* result);
/* New cases, and requests already imported before (left unchanged). */
JSZB_API uint64_t jszb_open311_import_imported(const jszb_open311_import* result);
JSZB_API uint64_t jszb_open311_import_known(const jszb_open311_import* result);
JSZB_API size_t jszb_open311_import_bad_count(const jszb_open311_import* result);
/* Bad request i (0-based, in file order): why, and (position may be NULL)
   its 1-based position in the file; NULL when i is out of range. */
JSZB_API const char* jszb_open311_import_bad(const jszb_open311_import* result, size_t index,
                                             size_t* position);
/* ------------------------------------------------------------ what-if replay */
/* A store's history run again under another policy (other deadlines, another
   catalogue, other rate weights) to answer "what would the rates have been
   with 5 working-day deadlines?". The inputs are what people did: each
   submission and command of the store's log, with its time and actor, in log
   order. What the engine did by itself (escalation marks, automatic returns,
   Art. 23 results) is recomputed under the new policy, and routed decisions
   (events naming a catalogue rule) are routed again by its catalogue. A
   command the new policy refuses is skipped, counted and (the first
   max_listed) listed in the result; the replay goes on.

   The replay's engine is an ordinary in-memory jszb_engine that keeps the
   report counters, not the events: jszb_engine_assess over half-day edges
   (months, bulletin days) and jszb_engine_report give what a live engine
   under the new policy would have given, except that a report of a week or
   less has no request groups (the replay keeps no request texts); what reads
   the log (an assessment over other periods, drill-down, request groups,
   with_orders) is JSZB_E_STATE. It holds the cases still open at the end (a case
   leaves memory once its history has ended and it is finished), so memory is
   bounded by the open cases, not by the history (provided the store's
   projections are complete: closed or checkpointed after its last event;
   otherwise every case stays, and memory_bounded says so). A case keeps the
   source's id when the new policy accepts its submission in order. The store
   is opened read-only: its writer may have it open. */

#define JSZB_WHAT_IF_OPTIONS_VERSION 1
typedef struct jszb_what_if_options {
  unsigned version;
  /* Submissions received in [from_ms, until_ms) are replayed with all their
     later commands before until_ms; 0: no bound. The clock ends at until_ms
     (or the last command's time), so marks due by then have fired. */
  int64_t from_ms;
  int64_t until_ms;
  /* NULL: none. Stage "replay": done = events of the log read, total = the
     log's events; called every progress_every events and once at the end.
     Nonzero stops the replay: jszb_what_if_run then fails with
     JSZB_E_CANCELLED and gives nothing back (the partial replay is
     discarded; a narrower window gives a partial answer). */
  jszb_progress_fn progress;
  void* progress_payload;
  uint64_t progress_every; /* events between calls, at least 1 (default 1048576) */
  size_t max_listed;       /* skipped commands listed in the result (default 100) */
  /* The replaying engine's options (max_extensions); NULL: the defaults. The
     live engine's for a replay under the same rules. */
  const jszb_engine_options* engine_options;
} jszb_what_if_options;
#define JSZB_WHAT_IF_OPTIONS_INIT \
  { JSZB_WHAT_IF_OPTIONS_VERSION, 0, 0, NULL, NULL, UINT64_C(1048576), 100, NULL }
/* JSZB_WHAT_IF_OPTIONS_INIT as a function, for FFIs: see the rules at the top. */
JSZB_API int jszb_what_if_options_init(jszb_what_if_options* options, unsigned version);

/* What a replay did. Owned by the result; fields are appended. */
typedef struct jszb_what_if_counts {
  uint64_t events_read;       /* of the source's log */
  uint64_t submissions;       /* accepted under the new policy */
  uint64_t commands_replayed; /* submissions and commands accepted */
  uint64_t commands_rerouted; /* routed decisions the new catalogue took */
  uint64_t engine_events;     /* the source engine's own, recomputed instead */
  uint64_t outside_window;    /* events of cases submitted outside [from_ms, until_ms) */
  uint64_t commands_skipped;  /* refused by the new policy */
  int memory_bounded;         /* 0: the store's projections lagged its log, no
                                 case could leave memory */
} jszb_what_if_counts;

/* A command (or submission) the new policy refused. Owned by the result. */
typedef struct jszb_what_if_skipped {
  uint64_t case_id; /* in the source store */
  uint32_t seq;     /* the event's sequence number in its case */
  int command;      /* jszb_command_kind; 0: the submission */
  int64_t time_ms;
  int code;            /* the jszb_code the engine refused it with */
  int refusal;         /* jszb_refusal, for lifecycle refusals; else 0 */
  const char* message; /* why, UTF-8 */
} jszb_what_if_skipped;

typedef struct jszb_what_if_result jszb_what_if_result;

/* Replays the store at store_path under `policy` (the engine keeps its own
   reference). opts may be NULL for the defaults. On success *out_engine is the
   replay's engine (close it with jszb_engine_close) and *out_result what the
   replay did (free it with jszb_what_if_result_free). Refused, naming the
   field, with nothing opened: JSZB_E_INVALID for a NULL store_path, policy or
   output, opts.version unknown, from_ms or until_ms outside the time range
   (0 allowed), until_ms not after from_ms, progress_every 0, bad
   engine_options; the store's errors as jszb_engine_open_store gives them
   (JSZB_E_STORAGE for a missing file, JSZB_E_CORRUPT, JSZB_E_VERSION);
   JSZB_E_CANCELLED when the progress callback stopped it. */
JSZB_API int jszb_what_if_run(const char* store_path, const jszb_policy* policy,
                              const jszb_what_if_options* opts, jszb_engine** out_engine,
                              jszb_what_if_result** out_result);
JSZB_API void jszb_what_if_result_free(jszb_what_if_result* result);
/* The counts; never NULL for a result. */
JSZB_API const jszb_what_if_counts* jszb_what_if_result_counts(const jszb_what_if_result* result);
/* Commands of this jszb_command_kind skipped (0: submissions), listed or not. */
JSZB_API uint64_t jszb_what_if_result_skipped_of(const jszb_what_if_result* result, int command);
/* The listed skipped commands, in log order: at most opts.max_listed. */
JSZB_API size_t jszb_what_if_result_skipped_count(const jszb_what_if_result* result);
/* Listed skipped command i (0-based), or NULL. */
JSZB_API const jszb_what_if_skipped* jszb_what_if_result_skipped(const jszb_what_if_result* result,
                                                                 size_t index);
/* ------------------------------------------------------------ interchange */
/* Import and export of cases for other city systems (docs/interchange.md):
   JSON Lines of cases and their events (one JSON object per line, times as
   RFC 3339 in China time, enums as lowercase names; its JSON Schema is
   docs/schema/jszb-export.schema.json) and CSV of requests and their
   outcomes (RFC 4180, UTF-8, a header row; the columns are in the doc). */

typedef enum jszb_export_format {
  JSZB_EXPORT_JSONL = 1,        /* cases and events, JSON Lines */
  JSZB_EXPORT_CSV = 2,          /* requests and their outcomes, one row per case */
  JSZB_EXPORT_OPEN311_JSON = 3, /* reserved: Open311 GeoReport v2 */
  JSZB_EXPORT_OPEN311_XML = 4   /* reserved: Open311 GeoReport v2 */
} jszb_export_format;

#define JSZB_EXPORT_OPTIONS_VERSION 1
typedef struct jszb_export_options {
  unsigned version;
  int format;      /* jszb_export_format */
  int64_t from_ms; /* cases received in [from_ms, until_ms); 0: an open end */
  int64_t until_ms;
  const char* district; /* NULL or "": every district (by the name the intake gave) */
  /* 1: the citizen's contact and exact address go out too; 0 (the default):
     they are left out. Erased personal data never goes out. */
  int with_personal;
  /* NULL: none. Stage "export", in cases; returning non-zero stops the export
     (JSZB_E_CANCELLED; what was written stays written). */
  jszb_progress_fn progress;
  void* progress_payload;
} jszb_export_options;
#define JSZB_EXPORT_OPTIONS_INIT \
  { JSZB_EXPORT_OPTIONS_VERSION, 0, 0, 0, NULL, 0, NULL, NULL }
/* JSZB_EXPORT_OPTIONS_INIT as a function, for FFIs (see the rules at the top). */
JSZB_API int jszb_export_options_init(jszb_export_options* options, unsigned version);

/* Called with the export's bytes a piece at a time (UTF-8, lines whole),
   in order; returns 0 to go on, non-zero to stop the export
   (JSZB_E_STORAGE: "the writer failed"). */
typedef int (*jszb_write_fn)(void* payload, const char* data, size_t size);

/* Streams the selected cases, in id order, to `write`: nothing is held whole
   in memory, so a year of a city's cases can go to a file. A format this
   library does not serve (3, 4: the Open311 gateway's) is JSZB_E_INVALID.
   On failure part of the export may have been written already. */
JSZB_API int jszb_engine_export(jszb_engine* engine, const jszb_export_options* options,
                                jszb_write_fn write, void* payload);

#define JSZB_IMPORT_OPTIONS_VERSION 1
typedef struct jszb_import_options {
  unsigned version;
  int format; /* JSZB_EXPORT_JSONL or JSZB_EXPORT_CSV */
  /* 0: one bad row refuses the whole import, and nothing is imported.
     1: the cases with a bad row are left out whole (no case is half-imported),
     the others imported; the bad rows are in the result. */
  int skip_bad;
  /* NULL: none. Stage "import", in cases; returning non-zero stops the import
     (JSZB_E_CANCELLED, nothing imported). */
  jszb_progress_fn progress;
  void* progress_payload;
} jszb_import_options;
#define JSZB_IMPORT_OPTIONS_INIT \
  { JSZB_IMPORT_OPTIONS_VERSION, 0, 0, NULL, NULL }
/* JSZB_IMPORT_OPTIONS_INIT as a function, for FFIs (see the rules at the top). */
JSZB_API int jszb_import_options_init(jszb_import_options* options, unsigned version);

/* What an import did. */
typedef struct jszb_import_result jszb_import_result;

/* Imports `size` bytes of the format. JSON Lines replays each case's events
   (the ids, times and policy versions they record: the policies must be
   loaded; a case id already in the engine is a bad row); a CSV row becomes a
   request and the commands that bring it to its recorded outcome (a new case
   id). The whole import is one batch (outside a batch only: JSZB_E_STATE
   inside one): all of it is committed, or nothing.
   Bad rows (a line that does not parse, a value out of range, an event the
   lifecycle refuses, an outcome a CSV row cannot reach):
     skip_bad 0: JSZB_E_INVALID, nothing imported, and, unlike other calls,
                 *out IS written so that every bad row can be listed;
     skip_bad 1: JSZB_OK, the cases with a bad row left out.
   Any other failure (the store's) writes nothing to *out. Free the result
   with jszb_import_result_free(). */
JSZB_API int jszb_engine_import(jszb_engine* engine, const jszb_import_options* options,
                                const char* data, size_t size, jszb_import_result** out);
JSZB_API uint64_t jszb_import_result_imported(const jszb_import_result* result); /* cases */
JSZB_API uint64_t jszb_import_result_skipped(const jszb_import_result* result);  /* cases */
JSZB_API size_t jszb_import_result_bad_count(const jszb_import_result* result);  /* rows */
/* Bad row i (0-based, in file order): its 1-based line and what was wrong.
   NULL message (and 0 line) when i is out of range. The message lives as
   long as the result. */
JSZB_API uint64_t jszb_import_result_bad_line(const jszb_import_result* result, size_t i);
JSZB_API const char* jszb_import_result_bad_message(const jszb_import_result* result, size_t i);
JSZB_API void jszb_import_result_free(jszb_import_result* result);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* JSZB_JSZB_H */

"""ctypes mirror of jszb.h: structures in the header's field order and one
prototype per function. Nothing else in the package touches ctypes prototypes.

The library is found by _library.load_library (the order is written there).
"""
from __future__ import annotations

import ctypes
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_double,
    c_int,
    c_int64,
    c_size_t,
    c_uint,
    c_uint32,
    c_uint64,
    c_void_p,
)
from typing import Optional, Type, TypeVar

from ._ffi_ops import jszb_backup_options, jszb_log_fn, jszb_metrics, jszb_store_stats
from ._ffi_ops import prototypes as _ops_prototypes
from ._ffi_open311 import jszb_open311_import, jszb_open311_query  # noqa: F401 - the mirror
from ._ffi_open311 import prototypes as _open311_prototypes
from ._ffi_themes import (  # noqa: F401 - part of the mirror
    jszb_theme,
    jszb_theme_candidate,
    jszb_theme_count,
    jszb_theme_task,
    jszb_theme_trend_options,
    jszb_themes,
)
from ._library import load_library

# The ABI major this package was written against (JSZB_VERSION_MAJOR).
EXPECTED_MAJOR = 0
# The library's file name as the loader knows it (its SONAME).
SONAME = f"libjszb.so.{EXPECTED_MAJOR}"

# The caller-filled structs below (those with a `version` field) say which
# version of their layout they mirror in LAYOUT_VERSION; the package makes them
# with new_struct(), which has the library write that version's defaults
# (jszb_<struct>_init) rather than the package repeating them.

# --------------------------------------------------------------- structures


class jszb_error(Structure):
    _fields_ = [
        ("code", c_int),
        ("message", c_char_p),
        ("state", c_int),
        ("command", c_int),
        ("refusal", c_int),
    ]


class jszb_engine(Structure):
    """Opaque handle."""


class jszb_case(Structure):
    """Opaque handle."""


class jszb_engine_options(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("max_extensions", c_int),
    ]


class jszb_actor(Structure):
    _fields_ = [
        ("role", c_int),
        ("unit", c_uint32),
        ("staff", c_uint32),
    ]


class jszb_intake(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("time_ms", c_int64),
        ("actor", jszb_actor),
        ("channel", c_int),
        ("channel_ref", c_char_p),
        ("kind", c_int),
        ("category", c_char_p * 3),
        ("urgency", c_int),
        ("district", c_char_p),
        ("street", c_char_p),
        ("community", c_char_p),
        ("address", c_char_p),
        ("has_point", c_int),
        ("lat", c_double),
        ("lon", c_double),
        ("content", c_char_p),
        ("contact_name", c_char_p),
        ("contact_phone", c_char_p),
    ]


class jszb_payload(Structure):
    _fields_ = [
        ("unit", c_uint32),
        ("mode", c_int),
        ("copy_to", POINTER(c_uint32)),
        ("copy_to_count", c_size_t),
        ("units", POINTER(c_uint32)),
        ("units_count", c_size_t),
        ("reason", c_int),
        ("level", c_int),
        ("contacted", c_int),
        ("solved", c_int),
        ("valid_visit", c_int),
        ("satisfaction", c_int),
        ("visit_method", c_int),
        ("until_ms", c_int64),
        ("other_case", c_uint64),
        ("text", c_char_p),
        # Set by the engine on the events it makes; 0/NULL in commands.
        ("step", c_int),
        ("mark", c_int),
        ("action", c_int),
        ("rule", c_char_p),
        ("request_id", c_char_p),
    ]


class jszb_command(Structure):
    LAYOUT_VERSION = 3
    _fields_ = [
        ("version", c_uint),
        ("kind", c_int),
        ("case_id", c_uint64),
        ("time_ms", c_int64),
        ("actor", jszb_actor),
        ("payload", jszb_payload),
    ]


class jszb_deadline(Structure):
    _fields_ = [
        ("step", c_int),
        ("start_ms", c_int64),
        ("due_ms", c_int64),
        ("paused_ms", c_int64),
        ("fired", c_int),
        ("working", c_int),
        ("estimated", c_int),
        ("base_due_ms", c_int64),
        ("paused_natural_ms", c_int64),
        ("paused_working_ms", c_int64),
        ("resumed_ms", c_int64),
    ]


class jszb_event(Structure):
    _fields_ = [
        ("case_id", c_uint64),
        ("seq", c_uint32),
        ("type", c_int),
        ("state", c_int),
        ("time_ms", c_int64),
        ("actor", jszb_actor),
        ("intake", POINTER(jszb_intake)),
        ("payload", POINTER(jszb_payload)),
        ("policy_version", c_uint32),
        ("deadlines", POINTER(jszb_deadline)),
        ("deadlines_count", c_size_t),
    ]


class jszb_case_info(Structure):
    _fields_ = [
        ("id", c_uint64),
        ("state", c_int),
        ("intake", POINTER(jszb_intake)),
        ("lead_unit", c_uint32),
        ("dispatch_mode", c_int),
        ("copy_to", POINTER(c_uint32)),
        ("copy_to_count", c_size_t),
        ("co_handlers", POINTER(c_uint32)),
        ("co_handlers_count", c_size_t),
        ("co_handlers_pending", POINTER(c_uint32)),
        ("co_handlers_pending_count", c_size_t),
        ("owner_fixed", c_int),
        ("not_dispatched_reason", c_int),
        ("supervision_level", c_int),
        ("return_count", c_uint32),
        ("extension_count", c_uint32),
        ("redo_count", c_uint32),
        ("reopen_count", c_uint32),
        ("dispatched_ms", c_int64),
        ("signed_ms", c_int64),
        ("first_contact_ms", c_int64),
        ("extension_requested_until_ms", c_int64),
        ("extended_until_ms", c_int64),
        ("replied_ms", c_int64),
        ("visited_ms", c_int64),
        ("closed_ms", c_int64),
        ("last_event_ms", c_int64),
        ("reply_contacted", c_int),
        ("reply_solved", c_int),
        ("reply_text", c_char_p),
        ("visit_valid", c_int),
        ("visit_contacted", c_int),
        ("visit_solved", c_int),
        ("visit_satisfaction", c_int),
        ("visit_method", c_int),
        ("merged_into", c_uint64),
        ("event_count", c_size_t),
        ("policy_version", c_uint32),
        ("suspended_since_ms", c_int64),
        ("deadlines", POINTER(jszb_deadline)),
        ("deadlines_count", c_size_t),
        ("community_unit", c_uint32),
        ("community_signed_ms", c_int64),
        ("community_replied_ms", c_int64),
    ]


class jszb_case_filter(Structure):
    LAYOUT_VERSION = 2
    _fields_ = [
        ("version", c_uint),
        ("state", c_int),
        ("unit", c_uint32),
        ("after_id", c_uint64),
        ("limit", c_size_t),
        ("district", c_char_p),
        ("street", c_char_p),
        ("community", c_char_p),
        ("category", c_char_p * 3),
        ("received_from_ms", c_int64),
        ("received_until_ms", c_int64),
        ("due_from_ms", c_int64),
        ("due_until_ms", c_int64),
    ]


class jszb_rate_weights(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("response", c_double),
        ("resolution", c_double),
        ("satisfaction", c_double),
    ]


class jszb_report_options(Structure):
    LAYOUT_VERSION = 3
    _fields_ = [
        ("version", c_uint),
        ("from_ms", c_int64),
        ("until_ms", c_int64),
        ("district", c_char_p),
        ("top", c_int),
        ("baseline_periods", c_int),
        ("min_visits", c_int),
        ("with_orders", c_int),
    ]


class jszb_request_group(Structure):
    _fields_ = [
        ("representative", c_uint64),
        ("size", c_size_t),
        ("cases", POINTER(c_uint64)),
    ]


class jszb_group_options(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("from_ms", c_int64),
        ("until_ms", c_int64),
        ("district", c_char_p),
        ("scope", c_int),
        ("min_size", c_size_t),
        ("group_version", c_uint),
    ]


class jszb_request_group_v2(Structure):
    # The layout jszb_group_options.group_version asks the library to fill in.
    LAYOUT_VERSION = 1
    _fields_ = [
        ("representative", c_uint64),
        ("size", c_size_t),
        ("cases", POINTER(c_uint64)),
        ("street_count", c_size_t),
        ("streets", POINTER(c_char_p)),
        ("category_count", c_size_t),
        ("categories", POINTER(c_char_p)),
    ]


class jszb_unit_orders_options(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("unit", c_uint32),
        ("from_ms", c_int64),
        ("until_ms", c_int64),
        ("figure", c_int),
    ]


class jszb_unit_order(Structure):
    _fields_ = [
        ("case_id", c_uint64),
        ("time_ms", c_int64),
    ]


class jszb_unit_score(Structure):
    _fields_ = [
        ("unit", c_uint32),
        ("visits", c_uint32),
        ("contacted", c_uint32),
        ("solved", c_uint32),
        ("satisfied", c_uint32),
        ("basically_satisfied", c_uint32),
        ("not_satisfied", c_uint32),
        ("response", c_double),
        ("resolution", c_double),
        ("satisfaction", c_double),
        ("composite", c_double),
        ("sign_outcomes", c_uint32),
        ("signed_on_time", c_uint32),
        ("replies", c_uint32),
        ("replied_on_time", c_uint32),
    ]


class jszb_store_options(Structure):
    LAYOUT_VERSION = 2
    _fields_ = [
        ("version", c_uint),
        ("synchronous", c_int),
        ("read_only", c_int),
        ("max_bytes", c_uint64),
        ("checkpoint_events", c_uint64),
        ("accept_lost_events", c_int),  # version 2
    ]


class jszb_policy(Structure):
    """Opaque handle."""


class jszb_unit(Structure):
    _fields_ = [
        ("code", c_uint32),
        ("name", c_char_p),
        ("unit_class", c_int),
        ("district", c_uint32),
        ("street", c_uint32),
        ("national_code", c_uint64),
    ]


class jszb_route(Structure):
    _fields_ = [
        ("outcome", c_int),
        ("lead", c_uint32),
        ("copy_to", POINTER(c_uint32)),
        ("copy_to_count", c_size_t),
        ("co_handlers", POINTER(c_uint32)),
        ("co_handlers_count", c_size_t),
        ("reason", c_int),
        ("note", c_char_p),
        ("rule", c_char_p),
        ("district", c_uint32),
        ("street", c_uint32),
        ("street_from_point", c_int),
    ]


class jszb_rule_verdict(Structure):
    _fields_ = [
        ("rule", c_char_p),
        ("priority", c_int),
        ("matched", c_int),
        ("chosen", c_int),
        ("why", c_char_p),
    ]


class jszb_routing(Structure):
    """Opaque handle."""


class jszb_deadline_status(Structure):
    _fields_ = [
        ("step", c_int),
        ("start_ms", c_int64),
        ("due_ms", c_int64),
        ("used_ms", c_int64),
        ("left_ms", c_int64),
        ("overdue", c_int),
        ("paused", c_int),
        ("working", c_int),
        ("fired", c_int),
        ("estimated", c_int),
    ]


# typedef int (*jszb_progress_fn)(void *payload, const char *stage, uint64_t done,
#                                 uint64_t total);
jszb_progress_fn = CFUNCTYPE(c_int, c_void_p, c_char_p, c_uint64, c_uint64)


class jszb_verify_options(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("progress", jszb_progress_fn),
        ("progress_payload", c_void_p),
    ]


# what-if replay


class jszb_what_if_options(Structure):
    LAYOUT_VERSION = 1
    _fields_ = [
        ("version", c_uint),
        ("from_ms", c_int64),
        ("until_ms", c_int64),
        ("progress", jszb_progress_fn),
        ("progress_payload", c_void_p),
        ("progress_every", c_uint64),
        ("max_listed", c_size_t),
        ("engine_options", POINTER(jszb_engine_options)),
    ]


class jszb_what_if_counts(Structure):
    _fields_ = [
        ("events_read", c_uint64),
        ("submissions", c_uint64),
        ("commands_replayed", c_uint64),
        ("commands_rerouted", c_uint64),
        ("engine_events", c_uint64),
        ("outside_window", c_uint64),
        ("commands_skipped", c_uint64),
        ("memory_bounded", c_int),
    ]


class jszb_what_if_skipped(Structure):
    _fields_ = [
        ("case_id", c_uint64),
        ("seq", c_uint32),
        ("command", c_int),
        ("time_ms", c_int64),
        ("code", c_int),
        ("refusal", c_int),
        ("message", c_char_p),
    ]


class jszb_what_if_result(Structure):
    """Opaque handle: what a what-if replay did."""


# typedef void (*jszb_listener_fn)(void *payload, const jszb_event *event);
jszb_listener_fn = CFUNCTYPE(None, c_void_p, POINTER(jszb_event))
# typedef int (*jszb_router_fn)(void *payload, const jszb_case_info *c, jszb_route *out);
jszb_router_fn = CFUNCTYPE(c_int, c_void_p, POINTER(jszb_case_info), POINTER(jszb_route))

# ---------------------------------------------------------------- prototypes

# name: (restype, argtypes)
_PROTOTYPES = {
    "jszb_version": (c_char_p, []),
    "jszb_version_number": (c_int, []),
    "jszb_error_last": (POINTER(jszb_error), []),
    "jszb_error_clear": (None, []),
    "jszb_free": (None, [c_void_p]),
    "jszb_code_name": (c_char_p, [c_int]),
    "jszb_refusal_name": (c_char_p, [c_int]),
    "jszb_kind_name": (c_char_p, [c_int]),
    "jszb_channel_name": (c_char_p, [c_int]),
    "jszb_urgency_name": (c_char_p, [c_int]),
    "jszb_role_name": (c_char_p, [c_int]),
    "jszb_state_name": (c_char_p, [c_int]),
    "jszb_command_name": (c_char_p, [c_int]),
    "jszb_event_type_name": (c_char_p, [c_int]),
    "jszb_not_dispatched_reason_name": (c_char_p, [c_int]),
    "jszb_dispatch_mode_name": (c_char_p, [c_int]),
    "jszb_satisfaction_name": (c_char_p, [c_int]),
    "jszb_visit_method_name": (c_char_p, [c_int]),
    "jszb_supervision_level_name": (c_char_p, [c_int]),
    "jszb_step_name": (c_char_p, [c_int]),
    "jszb_escalation_action_name": (c_char_p, [c_int]),
    # the INIT macros as functions (jszb_<struct>_init)
    "jszb_engine_options_init": (c_int, [POINTER(jszb_engine_options), c_uint]),
    "jszb_intake_init": (c_int, [POINTER(jszb_intake), c_uint]),
    "jszb_command_init": (c_int, [POINTER(jszb_command), c_uint]),
    "jszb_case_filter_init": (c_int, [POINTER(jszb_case_filter), c_uint]),
    "jszb_store_options_init": (c_int, [POINTER(jszb_store_options), c_uint]),
    "jszb_rate_weights_init": (c_int, [POINTER(jszb_rate_weights), c_uint]),
    "jszb_report_options_init": (c_int, [POINTER(jszb_report_options), c_uint]),
    "jszb_unit_orders_options_init": (c_int, [POINTER(jszb_unit_orders_options), c_uint]),
    "jszb_group_options_init": (c_int, [POINTER(jszb_group_options), c_uint]),
    "jszb_theme_init": (c_int, [POINTER(jszb_theme), c_uint]),
    "jszb_theme_task_init": (c_int, [POINTER(jszb_theme_task), c_uint]),
    "jszb_theme_trend_options_init": (c_int, [POINTER(jszb_theme_trend_options), c_uint]),
    "jszb_engine_open": (
        c_int,
        [POINTER(jszb_engine_options), POINTER(POINTER(jszb_engine))],
    ),
    # durable stores
    "jszb_engine_open_store": (
        c_int,
        [
            c_char_p,
            POINTER(jszb_engine_options),
            POINTER(jszb_store_options),
            POINTER(POINTER(jszb_engine)),
        ],
    ),
    "jszb_engine_begin": (c_int, [POINTER(jszb_engine)]),
    "jszb_engine_commit": (c_int, [POINTER(jszb_engine)]),
    "jszb_engine_rollback": (c_int, [POINTER(jszb_engine)]),
    "jszb_engine_commit_async": (c_int, [POINTER(jszb_engine), POINTER(c_uint64)]),
    "jszb_engine_wait": (c_int, [POINTER(jszb_engine), c_uint64]),
    "jszb_engine_poll": (c_int, [POINTER(jszb_engine), POINTER(c_uint64)]),
    "jszb_engine_checkpoint": (c_int, [POINTER(jszb_engine)]),
    "jszb_engine_verify": (
        c_int,
        [
            POINTER(jszb_engine),
            POINTER(c_uint64),
            POINTER(c_uint64),
            POINTER(c_uint64),
            POINTER(c_void_p),
        ],
    ),
    "jszb_verify_options_init": (c_int, [POINTER(jszb_verify_options), c_uint]),
    "jszb_engine_verify_v2": (
        c_int,
        [
            POINTER(jszb_engine),
            POINTER(jszb_verify_options),
            POINTER(c_uint64),
            POINTER(c_uint64),
            POINTER(c_uint64),
            POINTER(c_void_p),
        ],
    ),
    "jszb_engine_erase_personal": (c_int, [POINTER(jszb_engine), c_uint64, c_int64]),
    "jszb_engine_purge": (c_int, [POINTER(jszb_engine), c_int64, POINTER(c_uint64)]),
    # assessment
    "jszb_assessment_month": (c_int, [c_int, c_int, POINTER(c_int64), POINTER(c_int64)]),
    "jszb_bulletin_day": (c_int, [c_int, c_int, c_int, POINTER(c_int64), POINTER(c_int64)]),
    "jszb_engine_assess": (
        c_int,
        [
            POINTER(jszb_engine),
            c_int64,
            c_int64,
            POINTER(jszb_rate_weights),
            POINTER(POINTER(jszb_unit_score)),
            POINTER(c_size_t),
        ],
    ),
    "jszb_engine_report": (
        c_int,
        [POINTER(jszb_engine), POINTER(jszb_report_options), c_int, POINTER(c_void_p)],
    ),
    "jszb_report_render": (
        c_int,
        [c_char_p, c_size_t, c_int, POINTER(c_void_p)],
    ),
    "jszb_engine_request_groups": (
        c_int,
        [
            POINTER(jszb_engine),
            c_int64,
            c_int64,
            c_char_p,
            POINTER(POINTER(jszb_request_group)),
            POINTER(c_size_t),
        ],
    ),
    "jszb_engine_request_groups_v2": (
        c_int,
        [
            POINTER(jszb_engine),
            POINTER(jszb_group_options),
            POINTER(POINTER(jszb_request_group_v2)),
            POINTER(c_size_t),
        ],
    ),
    "jszb_engine_unit_orders": (
        c_int,
        [
            POINTER(jszb_engine),
            POINTER(jszb_unit_orders_options),
            POINTER(POINTER(jszb_unit_order)),
            POINTER(c_size_t),
        ],
    ),
    "jszb_engine_close": (None, [POINTER(jszb_engine)]),
    "jszb_engine_submit": (
        c_int,
        [POINTER(jszb_engine), POINTER(jszb_intake), POINTER(c_uint64), POINTER(c_int)],
    ),
    "jszb_engine_apply": (c_int, [POINTER(jszb_engine), POINTER(jszb_command)]),
    "jszb_engine_apply_many": (
        c_int,
        [POINTER(jszb_engine), POINTER(jszb_command), c_size_t, POINTER(c_int)],
    ),
    "jszb_engine_submit_many": (
        c_int,
        [POINTER(jszb_engine), POINTER(jszb_intake), c_size_t, POINTER(c_uint64), POINTER(c_int)],
    ),
    # Out-pointers are typed as raw pointers (not c_char_p) so that the
    # address survives for jszb_free().
    "jszb_event_to_proto": (
        c_int,
        [POINTER(jszb_event), POINTER(c_void_p), POINTER(c_size_t)],
    ),
    "jszb_event_to_json": (c_int, [POINTER(jszb_event), POINTER(POINTER(c_char))]),
    "jszb_engine_replay_proto": (c_int, [POINTER(jszb_engine), c_void_p, c_size_t]),
    "jszb_engine_replay_json": (c_int, [POINTER(jszb_engine), c_char_p]),
    "jszb_engine_add_listener": (
        c_int,
        [POINTER(jszb_engine), jszb_listener_fn, c_void_p, POINTER(c_uint64)],
    ),
    "jszb_engine_remove_listener": (c_int, [POINTER(jszb_engine), c_uint64]),
    "jszb_engine_get_case": (
        c_int,
        [POINTER(jszb_engine), c_uint64, POINTER(POINTER(jszb_case))],
    ),
    "jszb_case_free": (None, [POINTER(jszb_case)]),
    "jszb_case_get_info": (POINTER(jszb_case_info), [POINTER(jszb_case)]),
    "jszb_case_get_event": (POINTER(jszb_event), [POINTER(jszb_case), c_size_t]),
    "jszb_case_to_proto": (
        c_int,
        [POINTER(jszb_case), POINTER(c_void_p), POINTER(c_size_t)],
    ),
    "jszb_case_to_json": (c_int, [POINTER(jszb_case), POINTER(POINTER(c_char))]),
    "jszb_engine_list_cases": (
        c_int,
        [
            POINTER(jszb_engine),
            POINTER(jszb_case_filter),
            POINTER(POINTER(c_uint64)),
            POINTER(c_size_t),
        ],
    ),
    "jszb_engine_case_count": (c_int, [POINTER(jszb_engine), POINTER(c_uint64)]),
    "jszb_engine_stored_case_count": (c_int, [POINTER(jszb_engine), POINTER(c_uint64)]),
    # policies
    "jszb_policy_default": (c_int, [POINTER(POINTER(jszb_policy))]),
    "jszb_policy_load": (
        c_int,
        [c_char_p, c_char_p, c_char_p, POINTER(POINTER(jszb_policy))],
    ),
    "jszb_policy_load_file": (c_int, [c_char_p, POINTER(POINTER(jszb_policy))]),
    "jszb_policy_free": (None, [POINTER(jszb_policy)]),
    "jszb_policy_name": (c_char_p, [POINTER(jszb_policy)]),
    "jszb_policy_version": (c_uint32, [POINTER(jszb_policy)]),
    "jszb_policy_unit_count": (c_size_t, [POINTER(jszb_policy)]),
    "jszb_policy_unit": (POINTER(jszb_unit), [POINTER(jszb_policy), c_size_t]),
    "jszb_policy_find_unit": (POINTER(jszb_unit), [POINTER(jszb_policy), c_uint32]),
    "jszb_engine_set_policy": (c_int, [POINTER(jszb_engine), POINTER(jszb_policy)]),
    "jszb_engine_adopt_schedule": (
        c_int,
        [POINTER(jszb_engine), c_uint32, c_int64, POINTER(c_size_t)],
    ),
    # work calendar
    "jszb_calendar_is_working_day": (
        c_int,
        [POINTER(jszb_policy), c_int, c_int, c_int, POINTER(c_int)],
    ),
    "jszb_calendar_next_working_instant": (
        c_int,
        [POINTER(jszb_policy), c_int64, POINTER(c_int64)],
    ),
    "jszb_calendar_add_working_days": (
        c_int,
        [POINTER(jszb_policy), c_int64, c_int64, POINTER(c_int64)],
    ),
    "jszb_calendar_add_working_time": (
        c_int,
        [POINTER(jszb_policy), c_int64, c_int64, POINTER(c_int64)],
    ),
    "jszb_calendar_working_time_between": (
        c_int,
        [POINTER(jszb_policy), c_int64, c_int64, POINTER(c_int64)],
    ),
    # routing
    "jszb_engine_route": (
        c_int,
        [POINTER(jszb_engine), c_uint64, POINTER(POINTER(jszb_routing))],
    ),
    "jszb_engine_explain": (
        c_int,
        [POINTER(jszb_engine), c_uint64, POINTER(POINTER(jszb_routing))],
    ),
    "jszb_routing_free": (None, [POINTER(jszb_routing)]),
    "jszb_routing_decision": (POINTER(jszb_route), [POINTER(jszb_routing)]),
    "jszb_routing_verdict_count": (c_size_t, [POINTER(jszb_routing)]),
    "jszb_routing_verdict": (POINTER(jszb_rule_verdict), [POINTER(jszb_routing), c_size_t]),
    "jszb_engine_dispatch_routed": (
        c_int,
        [POINTER(jszb_engine), c_uint64, c_int64, jszb_actor],
    ),
    "jszb_engine_set_router": (c_int, [POINTER(jszb_engine), jszb_router_fn, c_void_p]),
    # deadlines and timers
    "jszb_engine_case_deadlines": (
        c_int,
        [
            POINTER(jszb_engine),
            c_uint64,
            c_int64,
            POINTER(POINTER(jszb_deadline_status)),
            POINTER(c_size_t),
        ],
    ),
    "jszb_engine_advance": (c_int, [POINTER(jszb_engine), c_int64]),
    "jszb_engine_timers_pending": (c_int, [POINTER(jszb_engine), POINTER(c_uint64)]),
    # themes (每月一题)
    "jszb_engine_theme_define": (
        c_int,
        [POINTER(jszb_engine), POINTER(jszb_theme), c_int64, POINTER(c_uint64)],
    ),
    "jszb_engine_theme_remove": (c_int, [POINTER(jszb_engine), c_uint64, c_int64]),
    "jszb_engine_theme_task_set": (
        c_int,
        [POINTER(jszb_engine), c_uint64, POINTER(jszb_theme_task), c_int64, POINTER(c_uint32)],
    ),
    "jszb_engine_themes": (
        c_int,
        [POINTER(jszb_engine), c_uint64, POINTER(POINTER(jszb_themes))],
    ),
    "jszb_themes_free": (None, [POINTER(jszb_themes)]),
    "jszb_themes_count": (c_size_t, [POINTER(jszb_themes)]),
    "jszb_themes_get": (POINTER(jszb_theme), [POINTER(jszb_themes), c_size_t]),
    "jszb_themes_task_count": (c_size_t, [POINTER(jszb_themes), c_size_t]),
    "jszb_themes_task": (POINTER(jszb_theme_task), [POINTER(jszb_themes), c_size_t, c_size_t]),
    "jszb_engine_theme_trend": (
        c_int,
        [
            POINTER(jszb_engine),
            POINTER(jszb_theme_trend_options),
            POINTER(POINTER(jszb_theme_count)),
            POINTER(c_size_t),
        ],
    ),
    "jszb_engine_theme_cases": (
        c_int,
        [
            POINTER(jszb_engine),
            c_uint64,
            c_int64,
            c_int64,
            c_char_p,
            POINTER(POINTER(c_uint64)),
            POINTER(c_size_t),
        ],
    ),
    "jszb_engine_theme_candidates": (
        c_int,
        [
            POINTER(jszb_engine),
            POINTER(jszb_report_options),
            POINTER(POINTER(jszb_theme_candidate)),
            POINTER(c_size_t),
        ],
    ),
    # what-if replay
    "jszb_what_if_options_init": (c_int, [POINTER(jszb_what_if_options), c_uint]),
    "jszb_what_if_run": (
        c_int,
        [
            c_char_p,
            POINTER(jszb_policy),
            POINTER(jszb_what_if_options),
            POINTER(POINTER(jszb_engine)),
            POINTER(POINTER(jszb_what_if_result)),
        ],
    ),
    "jszb_what_if_result_free": (None, [POINTER(jszb_what_if_result)]),
    "jszb_what_if_result_counts": (
        POINTER(jszb_what_if_counts),
        [POINTER(jszb_what_if_result)],
    ),
    "jszb_what_if_result_skipped_of": (c_uint64, [POINTER(jszb_what_if_result), c_int]),
    "jszb_what_if_result_skipped_count": (c_size_t, [POINTER(jszb_what_if_result)]),
    "jszb_what_if_result_skipped": (
        POINTER(jszb_what_if_skipped),
        [POINTER(jszb_what_if_result), c_size_t],
    ),
}

# ------------------------------------------------------------------- loading


# The "operations" section of jszb.h (_ffi_ops.py).
_PROTOTYPES.update(_ops_prototypes(jszb_engine))
_PROTOTYPES.update(_open311_prototypes(jszb_engine, jszb_policy))


def _bind(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in _PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError as exc:
            raise ImportError(f"jszb: the loaded library has no {name}: {exc}") from exc
        fn.restype = restype
        fn.argtypes = argtypes


# jszb.h's interchange section, mirrored in a module of its own.
from ._ffi_interchange import PROTOTYPES as _INTERCHANGE  # noqa: E402
from ._ffi_interchange import jszb_export_options, jszb_import_options  # noqa: E402,F401
from ._ffi_interchange import jszb_import_result, jszb_write_fn  # noqa: E402,F401

_PROTOTYPES.update(_INTERCHANGE)

lib, LIBRARY_PATH = load_library(SONAME)
_bind(lib)

VERSION_NUMBER: int = lib.jszb_version_number()
VERSION: str = (lib.jszb_version() or b"").decode("utf-8")
if VERSION_NUMBER // 10000 != EXPECTED_MAJOR:
    raise ImportError(
        f"jszb: {LIBRARY_PATH} is version {VERSION} (ABI major {VERSION_NUMBER // 10000}), "
        f"but this package speaks ABI major {EXPECTED_MAJOR}"
    )


def take_string(ptr: "ctypes._Pointer[c_char]") -> str:
    """Copies a library-allocated NUL-terminated UTF-8 string and frees it."""
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        lib.jszb_free(ctypes.cast(ptr, c_void_p))


def take_bytes(ptr: c_void_p, size: int) -> bytes:
    """Copies a library-allocated buffer of size bytes and frees it."""
    try:
        return ctypes.string_at(ptr, size) if size else b""
    finally:
        lib.jszb_free(ptr)


def name_of(function: str, value: int) -> Optional[str]:
    """Calls one of the jszb_*_name functions; None if the library does not know it."""
    raw = getattr(lib, function)(value)
    return None if raw is None else raw.decode("utf-8")


S = TypeVar("S", bound=Structure)


def new_struct(struct: Type[S]) -> S:
    """A caller-filled struct holding the library's defaults (its JSZB_..._INIT
    values) for the layout version mirrored here, struct.LAYOUT_VERSION:
    jszb_<struct>_init writes them. Raises jszb.InvalidArgument if the loaded
    library does not know that version."""
    s = struct()
    rc = getattr(lib, struct.__name__ + "_init")(ctypes.byref(s), struct.LAYOUT_VERSION)
    if rc != 0:
        from .errors import check  # errors imports this module

        check(rc)
    return s

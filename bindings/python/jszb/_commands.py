"""Engine's commands: the methods that change the engine.

Intake (submit), the lifecycle commands (apply, and one method per command),
routed dispatch, merging request groups, replaying recorded events, firing
due timers, and what the engine runs under: its policy, router and listeners.
None of them may be called from a router (jszb.Busy): see _core._call.
"""
from __future__ import annotations

import ctypes
import json
from ctypes import POINTER, byref, c_int, c_size_t, c_uint32, c_uint64
from typing import (
    TYPE_CHECKING,
    Any,
    ContextManager,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from . import _ffi
from ._arguments import (
    _actor,
    _category,
    _encode,
    _enum_arg,
    _flag,
    _point,
    _uint64,
    _unit_array,
)
from ._core import Listener, Router, _EngineCore, _router_trampoline, _trampoline
from ._ffi import lib
from .enums import (
    Channel,
    CommandKind,
    DispatchMode,
    Kind,
    NotDispatchedReason,
    Satisfaction,
    SupervisionLevel,
    Urgency,
    VisitMethod,
)
from .model import Actor, Time, check_uint32, to_ms
from .policy import Policy
from .results import RequestGroup

__all__ = ["PAYLOAD_FIELDS", "_Commands"]

# Payload fields a command may carry (jszb_payload), as apply() accepts them.
# `until` takes int ms or an aware datetime; `until_ms` is the same field under
# its C name.
PAYLOAD_FIELDS = frozenset(
    {
        "unit",
        "mode",
        "copy_to",
        "units",
        "reason",
        "level",
        "contacted",
        "solved",
        "valid_visit",
        "satisfaction",
        "visit_method",
        "until",
        "until_ms",
        "other_case",
        "text",
        "request_id",
    }
)


class _Commands(_EngineCore):
    """The part of Engine that changes it (see engine.py)."""

    if TYPE_CHECKING:
        # Engine.batch (engine.py), which merge_group uses.
        def batch(self) -> ContextManager[Any]: ...

    # ---------------------------------------------------------------- intake

    def submit_ex(
        self,
        *,
        time: Time,
        actor: Actor,
        channel: Union[Channel, int],
        channel_ref: str,
        kind: Union[Kind, int],
        category: Union[Sequence[str], str],
        content: str,
        urgency: Union[Urgency, int, None] = None,
        district: Optional[str] = None,
        street: Optional[str] = None,
        community: Optional[str] = None,
        address: Optional[str] = None,
        point: Optional[Tuple[float, float]] = None,
        contact_name: Optional[str] = None,
        contact_phone: Optional[str] = None,
    ) -> Tuple[int, bool]:
        """Records a request (jszb_engine_submit). Returns (case id, created):
        created is False when (channel, channel_ref) was known already, and
        then nothing changed."""
        intake = _ffi.new_struct(_ffi.jszb_intake)
        intake.time_ms = to_ms(time, "time")
        intake.actor = _actor("actor", actor)
        intake.channel = _enum_arg("channel", Channel, channel)
        intake.kind = _enum_arg("kind", Kind, kind)
        intake.urgency = _enum_arg("urgency", Urgency, urgency, optional=True)
        # The struct keeps references to these, but hold them here as well so
        # their lifetime is plain to see: they must outlive the call.
        keep = {
            "channel_ref": _encode("channel_ref", channel_ref, required=True),
            "district": _encode("district", district),
            "street": _encode("street", street),
            "community": _encode("community", community),
            "address": _encode("address", address),
            "content": _encode("content", content, required=True),
            "contact_name": _encode("contact_name", contact_name),
            "contact_phone": _encode("contact_phone", contact_phone),
        }
        for name, value in keep.items():
            setattr(intake, name, value)
        levels = _category(category)
        for i, level in enumerate(levels):
            intake.category[i] = level
        intake.has_point, intake.lat, intake.lon = _point(point)

        case_id = c_uint64()
        created = c_int()
        self._call(lib.jszb_engine_submit, byref(intake), byref(case_id), byref(created))
        del keep, levels
        return case_id.value, bool(created.value)

    def submit(self, **intake: Any) -> int:
        """Records a request and returns its case id (see submit_ex)."""
        return self.submit_ex(**intake)[0]

    # -------------------------------------------------------------- commands

    def apply(
        self,
        kind: Union[CommandKind, int],
        case_id: int,
        time: Time,
        actor: Actor,
        **payload: Any,
    ) -> None:
        """Applies one command (jszb_engine_apply). payload: the jszb_payload
        fields the command uses (unit, mode, copy_to, units, reason, level,
        contacted, solved, valid_visit, satisfaction, visit_method, until,
        other_case, text); the others must be left out. request_id: the
        client's id for this command; a retry with an id already committed is
        accepted and not applied again."""
        unknown = set(payload) - PAYLOAD_FIELDS
        if unknown:
            raise TypeError(f"unknown payload field(s): {', '.join(sorted(unknown))}")
        if "until" in payload and "until_ms" in payload:
            raise TypeError("give until or until_ms, not both")

        cmd = _ffi.new_struct(_ffi.jszb_command)
        cmd.kind = _enum_arg("kind", CommandKind, kind)
        cmd.case_id = _uint64("case_id", case_id)
        cmd.time_ms = to_ms(time, "time")
        cmd.actor = _actor("actor", actor)

        p = cmd.payload
        p.unit = check_uint32("unit", payload.get("unit", 0))
        p.mode = _enum_arg("mode", DispatchMode, payload.get("mode"), optional=True)
        copy_to, p.copy_to_count = _unit_array("copy_to", payload.get("copy_to"))
        units, p.units_count = _unit_array("units", payload.get("units"))
        p.copy_to = ctypes.cast(copy_to, POINTER(c_uint32)) if copy_to is not None else None
        p.units = ctypes.cast(units, POINTER(c_uint32)) if units is not None else None
        p.reason = _enum_arg("reason", NotDispatchedReason, payload.get("reason"), optional=True)
        p.level = _enum_arg("level", SupervisionLevel, payload.get("level"), optional=True)
        p.contacted = _flag("contacted", payload.get("contacted", False))
        p.solved = _flag("solved", payload.get("solved", False))
        p.valid_visit = _flag("valid_visit", payload.get("valid_visit", False))
        p.satisfaction = _enum_arg(
            "satisfaction", Satisfaction, payload.get("satisfaction"), optional=True
        )
        p.visit_method = _enum_arg(
            "visit_method", VisitMethod, payload.get("visit_method"), optional=True
        )
        until = payload.get("until", payload.get("until_ms"))
        p.until_ms = 0 if until is None else to_ms(until, "until")
        p.other_case = _uint64("other_case", payload.get("other_case", 0))
        text = _encode("text", payload.get("text"))
        p.text = text
        request_id = _encode("request_id", payload.get("request_id"))
        p.request_id = request_id

        self._call(lib.jszb_engine_apply, byref(cmd))
        del copy_to, units, text, request_id  # alive until here: the library reads them during the call

    # One method per command. Each takes (case_id, time, actor) and, as keywords,
    # the payload fields that command uses.

    def answer_on_spot(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Centre: answered during the call (直接办结)."""
        self.apply(CommandKind.ANSWER_ON_SPOT, case_id, time, actor, text=text)

    def not_dispatch(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        reason: Union[NotDispatchedReason, int],
        other_case: int = 0,
        text: Optional[str] = None,
    ) -> None:
        """Centre: not dispatched, with an Art. 11 reason (other_case: the
        original, for a duplicate)."""
        self.apply(
            CommandKind.NOT_DISPATCH, case_id, time, actor,
            reason=reason, other_case=other_case, text=text,
        )

    def dispatch(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        unit: int,
        copy_to: Iterable[int] = (),
        units: Iterable[int] = (),
        mode: Union[DispatchMode, int, None] = None,
        text: Optional[str] = None,
    ) -> None:
        """Centre: send to the lead unit (派单), copying copy_to, with co-handling units."""
        self.apply(
            CommandKind.DISPATCH, case_id, time, actor,
            unit=unit, copy_to=copy_to, units=units, mode=mode, text=text,
        )

    def request_return(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Owner: dispute the dispatch (退单), with the reason."""
        self.apply(CommandKind.REQUEST_RETURN, case_id, time, actor, text=text)

    def approve_return(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        unit: int,
        copy_to: Iterable[int] = (),
        units: Iterable[int] = (),
        mode: Union[DispatchMode, int, None] = None,
        text: Optional[str] = None,
    ) -> None:
        """Reviewer: re-dispatch (改派) to another unit; the owner is then fixed."""
        self.apply(
            CommandKind.APPROVE_RETURN, case_id, time, actor,
            unit=unit, copy_to=copy_to, units=units, mode=mode, text=text,
        )

    def refuse_return(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Reviewer: the owner stays, and is fixed."""
        self.apply(CommandKind.REFUSE_RETURN, case_id, time, actor, text=text)

    def sign(self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None) -> None:
        """Owner: sign for the order (签收)."""
        self.apply(CommandKind.SIGN, case_id, time, actor, text=text)

    def contact_citizen(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Owner: contacted the citizen."""
        self.apply(CommandKind.CONTACT_CITIZEN, case_id, time, actor, text=text)

    def add_co_handlers(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        units: Iterable[int],
        text: Optional[str] = None,
    ) -> None:
        """Owner (吹哨) or centre (加派): units join as co-handlers."""
        self.apply(CommandKind.ADD_CO_HANDLERS, case_id, time, actor, units=units, text=text)

    def report_to_lead(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Co-handler: report back to the lead unit (报到)."""
        self.apply(CommandKind.REPORT_TO_LEAD, case_id, time, actor, text=text)

    def request_extension(
        self, case_id: int, time: Time, actor: Actor, *, until: Time, text: str
    ) -> None:
        """Owner: ask for a new reply deadline (延期)."""
        self.apply(CommandKind.REQUEST_EXTENSION, case_id, time, actor, until=until, text=text)

    def approve_extension(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        until: Optional[Time] = None,
        text: Optional[str] = None,
    ) -> None:
        """Reviewer: grant the extension (until=None: as requested)."""
        self.apply(CommandKind.APPROVE_EXTENSION, case_id, time, actor, until=until, text=text)

    def refuse_extension(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Reviewer: refuse the extension."""
        self.apply(CommandKind.REFUSE_EXTENSION, case_id, time, actor, text=text)

    def suspend(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Reviewer: suspend (挂起); the clock stops."""
        self.apply(CommandKind.SUSPEND, case_id, time, actor, text=text)

    def resume(self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None) -> None:
        """Owner or centre: resume a suspended case."""
        self.apply(CommandKind.RESUME, case_id, time, actor, text=text)

    def request_suspension(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Owner: ask for a suspension (挂起申请), giving the reason; the clock runs on."""
        self.apply(CommandKind.REQUEST_SUSPENSION, case_id, time, actor, text=text)

    def approve_suspension(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Reviewer: approve a suspension request; the clock stops from now."""
        self.apply(CommandKind.APPROVE_SUSPENSION, case_id, time, actor, text=text)

    def refuse_suspension(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Reviewer: refuse a suspension request; the order is back in hand."""
        self.apply(CommandKind.REFUSE_SUSPENSION, case_id, time, actor, text=text)

    def hold_long_term(
        self, case_id: int, time: Time, actor: Actor, *, until: Time, text: str
    ) -> None:
        """Reviewer: put a replied or visited order on the long-term pending list
        (挂账) until its review date, with the reason. The review: redo (back to
        handling) or close."""
        self.apply(CommandKind.HOLD_LONG_TERM, case_id, time, actor, until=until, text=text)

    def forward_to_community(
        self, case_id: int, time: Time, actor: Actor, *, unit: int, text: Optional[str] = None
    ) -> None:
        """Lead street: forward the order to one of its communities (居委会/村委会);
        the street stays responsible."""
        self.apply(CommandKind.FORWARD_TO_COMMUNITY, case_id, time, actor, unit=unit, text=text)

    def community_sign(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """The community the order was forwarded to: sign for it."""
        self.apply(CommandKind.COMMUNITY_SIGN, case_id, time, actor, text=text)

    def community_reply(
        self, case_id: int, time: Time, actor: Actor, *, text: str, solved: bool = False
    ) -> None:
        """The community: report its result back to the street."""
        self.apply(CommandKind.COMMUNITY_REPLY, case_id, time, actor, text=text, solved=solved)

    def supervise(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        level: Union[SupervisionLevel, int],
        unit: int = 0,
        text: Optional[str] = None,
    ) -> None:
        """Centre or system: supervision (督办) at a level, by an optional unit."""
        self.apply(CommandKind.SUPERVISE, case_id, time, actor, level=level, unit=unit, text=text)

    def reply(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        text: str,
        contacted: bool = False,
        solved: bool = False,
    ) -> None:
        """Owner: reply (反馈): was the citizen contacted, is it solved, public text."""
        self.apply(
            CommandKind.REPLY, case_id, time, actor, text=text, contacted=contacted, solved=solved
        )

    def visit(
        self,
        case_id: int,
        time: Time,
        actor: Actor,
        *,
        valid_visit: bool = True,
        contacted: bool = False,
        solved: bool = False,
        satisfaction: Union[Satisfaction, int, None] = None,
        visit_method: Union[VisitMethod, int, None] = None,
        text: Optional[str] = None,
    ) -> None:
        """Centre: the return visit (回访). A valid visit needs a satisfaction;
        valid_visit=False records that no valid visit was possible."""
        self.apply(
            CommandKind.VISIT, case_id, time, actor,
            valid_visit=valid_visit, contacted=contacted, solved=solved,
            satisfaction=satisfaction, visit_method=visit_method, text=text,
        )

    def redo(self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None) -> None:
        """Centre: send back to handling (重办) after an unsolved/unsatisfied visit."""
        self.apply(CommandKind.REDO, case_id, time, actor, text=text)

    def terminate(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Reviewer: terminate (终止), with the reason."""
        self.apply(CommandKind.TERMINATE, case_id, time, actor, text=text)

    def close_case(
        self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None
    ) -> None:
        """Centre: close the case (办结). Named close_case because close()
        closes the engine."""
        self.apply(CommandKind.CLOSE, case_id, time, actor, text=text)

    def appeal(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """A unit the visit result is scored for disputes it (申诉), once; the
        centre must decide within the policy's appeal-review deadline."""
        self.apply(CommandKind.APPEAL, case_id, time, actor, text=text)

    def uphold_appeal(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Reviewer: the appeal holds; the visit result leaves scoring."""
        self.apply(CommandKind.UPHOLD_APPEAL, case_id, time, actor, text=text)

    def reject_appeal(self, case_id: int, time: Time, actor: Actor, *, text: str) -> None:
        """Reviewer: the visit result stands."""
        self.apply(CommandKind.REJECT_APPEAL, case_id, time, actor, text=text)

    def reopen(self, case_id: int, time: Time, actor: Actor, *, text: Optional[str] = None) -> None:
        """Centre: reopen a closed or answered case (back to received)."""
        self.apply(CommandKind.REOPEN, case_id, time, actor, text=text)

    def merge(
        self, case_id: int, time: Time, actor: Actor, *, other_case: int, text: Optional[str] = None
    ) -> None:
        """Centre: merge this case into other_case."""
        self.apply(CommandKind.MERGE, case_id, time, actor, other_case=other_case, text=text)

    def merge_group(self, group: RequestGroup, time: Time, actor: Actor) -> List[int]:
        """Merges every case of the group into its representative, in one
        batch (all or none); returns the cases merged."""
        merged = [c for c in group.cases if c != group.representative]
        with self.batch():
            for case_id in merged:
                self.merge(case_id, time, actor, other_case=group.representative,
                           text="群体诉求合并")
        return merged

    def dispatch_routed(self, case_id: int, time: Time, actor: Actor) -> None:
        """Routes the case and applies the decision as actor's command:
        dispatch, dispatch to the district to coordinate, or not dispatched.
        The event's payload.rule names the rule (or router) that decided."""
        self._call(
            lib.jszb_engine_dispatch_routed,
            _uint64("case_id", case_id),
            to_ms(time, "time"),
            _actor("actor", actor),
        )

    # ---------------------------------------------------------------- replay

    def replay_json(self, event: Union[str, Mapping[str, Any]]) -> None:
        """Applies a recorded jszb.v1.Event given as JSON text or as a dict."""
        if isinstance(event, Mapping):
            text = json.dumps(event, ensure_ascii=False)
        elif isinstance(event, str):
            text = event
        else:
            raise TypeError(f"event must be str or dict, not {type(event).__name__}")
        data = _encode("event", text)
        self._call(lib.jszb_engine_replay_json, data)

    def replay_proto(self, event: Union[bytes, bytearray, memoryview]) -> None:
        """Applies a recorded jszb.v1.Event given as protobuf bytes."""
        if not isinstance(event, (bytes, bytearray, memoryview)):
            raise TypeError(f"event must be bytes, not {type(event).__name__}")
        data = bytes(event)
        buf = ctypes.create_string_buffer(data, len(data))
        self._call(lib.jszb_engine_replay_proto, buf, len(data))

    # ---------------------------------------------------------------- timers

    def advance(self, now: Time) -> None:
        """Fires every escalation mark due at or before now, in time order:
        deadline warnings, breaches, ladder levels (supervision), automatic
        returns, each an event to listeners. (A case's marks also fire before
        any command on it.)"""
        self._call(lib.jszb_engine_advance, to_ms(now, "now"))

    # ------------------------------------------- policy, router, listeners

    def set_policy(self, policy: Policy) -> None:
        """Makes policy the current one: new cases run under it (it times and
        routes them); cases keep the version they were received under. The
        engine keeps its own reference, so policy may be closed afterwards. A
        different policy under a version already loaded is jszb.InvalidArgument."""
        if not isinstance(policy, Policy):
            raise TypeError(f"policy must be a jszb.Policy, not {type(policy).__name__}")
        # Engine lock first, then the policy's: the order every path takes.
        with self._lock, policy._lock:
            self._call(lib.jszb_engine_set_policy, policy._live())
            self._policy = policy

    def adopt_schedule(self, version: int, now: Time) -> int:
        """Moves open cases to policy `version` (given to set_policy already),
        which carries the official schedule of a year their deadlines were
        estimated on: each case not finished, under another version, with a
        running estimated deadline gets an EventType.REPLANNED event at now
        that counts those deadlines again under `version` (nothing fires
        early). Other cases keep their version. All or none; returns how many
        cases moved."""
        moved = c_size_t()
        version = check_uint32("version", version)
        self._call(lib.jszb_engine_adopt_schedule, version, to_ms(now, "now"), byref(moved))
        return moved.value

    @property
    def policy(self) -> Optional[Policy]:
        """The Policy last given to set_policy() (None before): new cases run under it."""
        return self._policy

    def set_router(self, router: Optional[Router]) -> None:
        """Routes with router(case) instead of the policy's catalogue; None:
        back to the catalogue. The router gets the Case (without events) and
        returns a jszb.RouteDecision, a jszb.Route or a dict of
        RouteDecision's fields; to refuse, it raises. The engine call that
        routed then raises jszb.RouterError from the router's exception, and
        nothing is applied. A router may read the engine (case(), list_cases())
        but not change it: that raises jszb.Busy."""
        if router is not None and not callable(router):
            raise TypeError(f"router must be callable or None, not {type(router).__name__}")
        # jszb_router_fn() is the NULL function pointer: ctypes refuses None here.
        if router is None:
            cfn = _ffi.jszb_router_fn()
        else:
            cfn = _router_trampoline(router, self._failures)
        self._call(lib.jszb_engine_set_router, cfn, None)
        self._router = None if router is None else cfn  # the library holds only the C pointer

    def add_listener(self, fn: Listener) -> int:
        """Calls fn(event) for every event from now on, in order, right after
        it is applied. fn must not change this engine (that raises jszb.Busy).
        If fn raises, the engine call that produced the event raises
        jszb.ListenerError from it (the event stays applied)."""
        if not callable(fn):
            raise TypeError(f"listener must be callable, not {type(fn).__name__}")
        listener_id = [0]
        cfn = _trampoline(fn, self._failures, listener_id)
        out = c_uint64()
        self._call(lib.jszb_engine_add_listener, cfn, None, byref(out))
        listener_id[0] = out.value
        self._listeners[out.value] = cfn  # the library holds only the C pointer
        return out.value

    def remove_listener(self, listener_id: int) -> None:
        """Stops a listener; jszb.NotFound if there is no such listener."""
        self._call(lib.jszb_engine_remove_listener, _uint64("listener_id", listener_id))
        self._listeners.pop(listener_id, None)

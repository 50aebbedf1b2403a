"""Engine's queries: the methods that read the engine and change nothing.

Cases and their events (as jszb.Case, or exported as jszb.v1 JSON and
protobuf), listings, routing previews, running deadlines, the units'
assessment and the orders behind its figures, the report and request groups.
Each goes through _call with reads=True, so a router may call it while it
decides.
"""
from __future__ import annotations

import ctypes
import json
from ctypes import POINTER, byref, c_char, c_size_t, c_uint64, c_void_p
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Literal,
    Optional,
    Sequence,
    Tuple,
    Union,
    cast,
    overload,
)

from . import _ffi
from ._arguments import UINT64_MAX, _category, _encode, _enum_arg, _flag, _int32, _uint64
from ._core import _EngineCore
from ._progress import Progress, ProgressCallback, checked
from ._ffi import lib
from .enums import Code, Figure, GroupScope, ReportFormat, State
from .errors import Error, NotFound, check
from .model import Case, DeadlineStatus, Event, Route, RuleVerdict, Time, check_uint32, to_ms
from .report import ReportDict, typed_report
from .results import RequestGroup, UnitOrder, UnitScore

__all__ = ["_Queries"]

def _events(snap: Any) -> Iterable["ctypes._Pointer[_ffi.jszb_event]"]:
    """The snapshot's events, as library pointers valid while snap is."""
    i = 0
    while True:
        event = lib.jszb_case_get_event(snap, i)
        if not event:
            return
        yield event
        i += 1


def _case_of(snap: Any, with_events: bool) -> Case:
    info = lib.jszb_case_get_info(snap)
    if not info:
        raise Error("jszb_case_get_info returned NULL", code=Code.INTERNAL)
    events = tuple(Event.from_c(e.contents) for e in _events(snap)) if with_events else ()
    return Case.from_c(info.contents, events)


class _Queries(_EngineCore):
    """The read-only part of Engine (see engine.py)."""

    # ----------------------------------------------------------------- cases

    @property
    def case_count(self) -> int:
        """Cases held in memory. With a durable store: the open cases and
        those read or changed since it was opened, not the finished cases left
        in the store (stored_case_count counts those too)."""
        out = c_uint64()
        self._call(lib.jszb_engine_case_count, byref(out), reads=True)
        return out.value

    @property
    def stored_case_count(self) -> int:
        """Every case the engine answers for, in memory or not: with a durable
        store the cases it holds (committed: a batch's new cases count once it
        commits), as many as list_cases() lists; in memory, case_count."""
        out = c_uint64()
        self._call(lib.jszb_engine_stored_case_count, byref(out), reads=True)
        return out.value

    def __len__(self) -> int:
        """stored_case_count: as many as list_cases() and iter_cases() give."""
        return self.stored_case_count

    def _with_case(self, case_id: int, read: Callable[[Any], Any]) -> Any:
        """Takes a snapshot of the case, calls read(snapshot), frees it."""
        case_id = _uint64("case_id", case_id)
        with self._lock:
            snap = POINTER(_ffi.jszb_case)()
            self._call(lib.jszb_engine_get_case, case_id, byref(snap), reads=True)
            try:
                return read(snap)
            finally:
                lib.jszb_case_free(snap)

    def case(self, case_id: int) -> Case:
        """The case as it stands now, with its events (jszb.NotFound if none)."""
        return self._with_case(case_id, lambda snap: _case_of(snap, True))

    def _case_info(self, case_id: int) -> Case:
        """The case as it stands now, without its events."""
        return self._with_case(case_id, lambda snap: _case_of(snap, False))

    def __contains__(self, case_id: object) -> bool:
        if isinstance(case_id, bool) or not isinstance(case_id, int):
            return False
        if not 1 <= case_id <= UINT64_MAX:
            return False
        # The first id above case_id - 1 is case_id exactly when it exists.
        return self.list_cases(after=case_id - 1, limit=1) == [case_id]

    def case_json(self, case_id: int) -> Dict[str, Any]:
        """The case as a jszb.v1.Case in JSON (with its events), parsed."""

        def read(snap: Any) -> Dict[str, Any]:
            out = POINTER(c_char)()
            check(lib.jszb_case_to_json(snap, byref(out)))
            return json.loads(_ffi.take_string(out))

        return self._with_case(case_id, read)

    def case_proto(self, case_id: int) -> bytes:
        """The case as jszb.v1.Case protobuf bytes (with its events)."""

        def read(snap: Any) -> bytes:
            out, size = c_void_p(), c_size_t()
            check(lib.jszb_case_to_proto(snap, byref(out), byref(size)))
            return _ffi.take_bytes(out, size.value)

        return self._with_case(case_id, read)

    def events_json(self, case_id: int) -> List[Dict[str, Any]]:
        """Every event of the case as a jszb.v1.Event in JSON, parsed: what
        replay_json() takes."""

        def read(snap: Any) -> List[Dict[str, Any]]:
            result = []
            for event in _events(snap):
                out = POINTER(c_char)()
                check(lib.jszb_event_to_json(event, byref(out)))
                result.append(json.loads(_ffi.take_string(out)))
            return result

        return self._with_case(case_id, read)

    def events_proto(self, case_id: int) -> List[bytes]:
        """Every event of the case as jszb.v1.Event protobuf bytes: what
        replay_proto() takes."""

        def read(snap: Any) -> List[bytes]:
            result = []
            for event in _events(snap):
                out, size = c_void_p(), c_size_t()
                check(lib.jszb_event_to_proto(event, byref(out), byref(size)))
                result.append(_ffi.take_bytes(out, size.value))
            return result

        return self._with_case(case_id, read)

    def list_cases(
        self,
        state: Union[State, int, None] = None,
        unit: Optional[int] = None,
        after: int = 0,
        limit: int = 0,
        *,
        district: Optional[str] = None,
        street: Optional[str] = None,
        community: Optional[str] = None,
        category: Union[str, Sequence[str], None] = None,
        received_from: Optional[Time] = None,
        received_until: Optional[Time] = None,
        due_from: Optional[Time] = None,
        due_until: Optional[Time] = None,
    ) -> List[int]:
        """Ids of matching cases in ascending order; every criterion given must
        match. unit matches the lead, a copied or a co-handling unit; district,
        street and community the area as the intake named it; category a path
        prefix; received_* the time received and due_* the running reply
        deadline, each as [from, until). after and limit page through the
        result (limit 0: no limit)."""
        filt = _ffi.new_struct(_ffi.jszb_case_filter)
        filt.state = _enum_arg("state", State, state, optional=True)
        filt.unit = check_uint32("unit", 0 if unit is None else unit)
        filt.after_id = _uint64("after", after)
        filt.limit = _uint64("limit", limit)
        filt.district = _encode("district", district)
        filt.street = _encode("street", street)
        filt.community = _encode("community", community)
        if category is not None:
            for i, level in enumerate(_category(category)):
                filt.category[i] = level
        filt.received_from_ms = 0 if received_from is None else to_ms(received_from, "received_from")
        filt.received_until_ms = (
            0 if received_until is None else to_ms(received_until, "received_until")
        )
        filt.due_from_ms = 0 if due_from is None else to_ms(due_from, "due_from")
        filt.due_until_ms = 0 if due_until is None else to_ms(due_until, "due_until")
        ids = POINTER(c_uint64)()
        count = c_size_t()
        self._call(lib.jszb_engine_list_cases, byref(filt), byref(ids), byref(count), reads=True)
        try:
            return [ids[i] for i in range(count.value)]
        finally:
            if ids:
                lib.jszb_free(ctypes.cast(ids, c_void_p))

    def iter_cases(
        self,
        state: Union[State, int, None] = None,
        unit: Optional[int] = None,
        *,
        page_size: int = 1000,
        with_events: bool = True,
        progress: Optional[ProgressCallback] = None,
        **criteria: Any,
    ) -> Iterator[Case]:
        """The matching cases (list_cases' criteria) as jszb.Case, in
        ascending id order, read page_size ids at a time: a lazy walk over a
        store of any size, holding one page of ids and one case at a time.
        Each case is read when the iteration reaches it, so changes made
        meanwhile show in the cases not yet given (a case purged meanwhile is
        left out). with_events=False leaves Case.events empty (cheaper).
        progress gets a jszb.Progress("cases", given so far, total) after
        each page (total: stored_case_count without criteria, else None)."""
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise TypeError(f"page_size must be an int, not {type(page_size).__name__}")
        if page_size < 1:
            raise ValueError(f"page_size is {page_size}: expected 1 or more")
        if "after" in criteria or "limit" in criteria:
            raise TypeError("iter_cases pages by itself: after and limit are list_cases' own")
        progress = checked(progress)
        _flag("with_events", with_events)
        total = None
        if progress is not None and state is None and unit is None and not criteria:
            total = self.stored_case_count
        # Checks the criteria now, not at the first next().
        ids = self.list_cases(state, unit, 0, page_size, **criteria)
        return self._walk(ids, (state, unit, page_size, criteria), with_events, progress, total)

    def _walk(
        self,
        ids: List[int],
        listing: Tuple[Any, Any, int, Dict[str, Any]],
        with_events: bool,
        progress: Optional[ProgressCallback],
        total: Optional[int],
    ) -> Iterator[Case]:
        state, unit, page_size, criteria = listing
        done = 0
        while ids:
            for case_id in ids:
                try:
                    case = self.case(case_id) if with_events else self._case_info(case_id)
                except NotFound:
                    continue  # purged since it was listed
                done += 1
                yield case
            if progress is not None:
                progress(Progress("cases", done, total))
            if len(ids) < page_size:
                return
            ids = self.list_cases(state, unit, ids[-1], page_size, **criteria)

    # --------------------------------------------------------------- routing

    def _routing(
        self, fn: Callable[..., int], case_id: int
    ) -> Tuple[Optional[Route], Tuple[RuleVerdict, ...]]:
        out = POINTER(_ffi.jszb_routing)()
        with self._lock:
            self._call(fn, _uint64("case_id", case_id), byref(out))
            try:
                verdicts = tuple(
                    RuleVerdict.from_c(lib.jszb_routing_verdict(out, i).contents)
                    for i in range(lib.jszb_routing_verdict_count(out))
                )
                decision = lib.jszb_routing_decision(out)
                route = Route.from_c(decision.contents, verdicts) if decision else None
                return route, verdicts
            finally:
                lib.jszb_routing_free(out)

    def route(self, case_id: int) -> Route:
        """How the case would be routed (nothing changes): by the router if
        one is set, else by its policy's dispatch catalogue. Route.verdicts
        holds the catalogue's verdict on every rule whenever the case runs
        under a policy (also when a router decided). No rule applies (no
        area, say): jszb.StateError naming the case."""
        route, _ = self._routing(lib.jszb_engine_route, case_id)
        if route is None:  # jszb.h: route fails rather than decide nothing
            raise Error("jszb_engine_route succeeded without a decision", code=Code.INTERNAL)
        return route

    def explain(self, case_id: int) -> Tuple[Optional[Route], Tuple[RuleVerdict, ...]]:
        """The catalogue's verdict on every rule, and the decision (None when
        no rule applies). Needs a policy: jszb.StateError for a case without.
        Note: the library also asks the router, if one is set, for the
        decision (so a router that raises makes this raise jszb.RouterError)."""
        return self._routing(lib.jszb_engine_explain, case_id)

    # ------------------------------------------------------------- deadlines

    def deadlines(self, case_id: int, now: Time) -> List[DeadlineStatus]:
        """The case's running deadlines measured at now."""
        out = POINTER(_ffi.jszb_deadline_status)()
        count = c_size_t()
        self._call(
            lib.jszb_engine_case_deadlines,
            _uint64("case_id", case_id),
            to_ms(now, "now"),
            byref(out),
            byref(count),
            reads=True,
        )
        try:
            return [DeadlineStatus.from_c(out[i]) for i in range(count.value)]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

    @property
    def timers_pending(self) -> int:
        """Cases with an escalation pending."""
        out = c_uint64()
        self._call(lib.jszb_engine_timers_pending, byref(out), reads=True)
        return out.value

    # ------------------------------------------------ assessment and reports

    def assess(
        self,
        start: Time,
        until: Time,
        *,
        weights: Optional[Tuple[float, float, float]] = None,
    ) -> List[UnitScore]:
        """The three rates per handling unit for [start, until) (see
        jszb.assessment_month and jszb.bulletin_day), recomputed from the log:
        each order counts once, with the visit that stands, for its lead and
        its co-handlers (a re-dispatch after a redo, 改派, leaves the first
        unit's result counted for it). weights: (response, resolution, satisfaction) for the
        composite, default (0.1, 0.5, 0.4)."""
        w = None
        if weights is not None:
            if len(weights) != 3:
                raise ValueError("weights must be (response, resolution, satisfaction)")
            for name, value in zip(("response", "resolution", "satisfaction"), weights):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise TypeError(f"weights: {name} must be a number, not {value!r}")
            w = _ffi.new_struct(_ffi.jszb_rate_weights)
            w.response, w.resolution, w.satisfaction = map(float, weights)
        out = POINTER(_ffi.jszb_unit_score)()
        count = c_size_t()
        self._call(
            lib.jszb_engine_assess,
            to_ms(start, "start"),
            to_ms(until, "until"),
            byref(w) if w is not None else None,
            byref(out),
            byref(count),
            reads=True,
        )
        try:
            return [
                UnitScore(**{name: getattr(out[i], name) for name, _ in _ffi.jszb_unit_score._fields_})
                for i in range(count.value)
            ]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

    @overload
    def report(
        self,
        start: Time,
        until: Time,
        *,
        district: Optional[str] = None,
        top: int = 20,
        baseline_periods: int = 4,
        min_visits: int = 10,
        with_orders: bool = False,
        format: Literal["dict"] = "dict",
    ) -> ReportDict: ...

    @overload
    def report(
        self,
        start: Time,
        until: Time,
        *,
        district: Optional[str] = None,
        top: int = 20,
        baseline_periods: int = 4,
        min_visits: int = 10,
        with_orders: bool = False,
        format: Literal["json", "csv", "html"],
    ) -> str: ...

    def report(
        self,
        start: Time,
        until: Time,
        *,
        district: Optional[str] = None,
        top: int = 20,
        baseline_periods: int = 4,
        min_visits: int = 10,
        with_orders: bool = False,
        format: str = "dict",
    ) -> Union[ReportDict, str]:
        """The report for [start, until) (both on half-day edges in China time:
        jszb.assessment_month, jszb.bulletin_day, whole days) for the city or
        one district: volumes, hot spots, rising problems, request groups and
        the units' rates and rankings (see jszb_engine_report); units with
        fewer than min_visits valid visits are listed with rank 0. A period in
        which nothing happened gives a report marked "empty": True. With
        with_orders, each unit row's figures come with the orders behind them
        ("unit_orders"; the page links each row to its lists): this reads the
        whole log.

        Raises InvalidArgument naming the argument for a period that is
        empty, reversed, off half-day edges or outside JSZB_TIME_MIN_MS..JSZB_TIME_MAX_MS, top
        outside 0..10000, baseline_periods outside 1..52 or min_visits outside
        1..1000000; NotFound for a
        district the current policy does not name; TypeError or ValueError
        for arguments of the wrong type or format.

        format "dict": the report as a jszb.report.Report, a dict typed as
        jszb.report.ReportDict (every field there, counts int, rates float;
        jszb.frames turns it into pandas DataFrames; a notebook shows it as
        tables); "json", "csv" or "html": the text."""
        formats = {"json": ReportFormat.JSON, "csv": ReportFormat.CSV, "html": ReportFormat.HTML}
        if not isinstance(format, str) or format not in ("dict", *formats):
            raise ValueError(f"format is {format!r}: expected 'dict', 'json', 'csv' or 'html'")
        options = _ffi.new_struct(_ffi.jszb_report_options)
        options.from_ms = to_ms(start, "start")
        options.until_ms = to_ms(until, "until")
        options.district = _encode("district", None if district == "" else district)
        options.top = _int32("top", top)
        options.baseline_periods = _int32("baseline_periods", baseline_periods)
        options.min_visits = _int32("min_visits", min_visits)
        options.with_orders = _flag("with_orders", with_orders)
        out = c_void_p()
        code = int(formats["json" if format == "dict" else format])
        self._call(lib.jszb_engine_report, byref(options), code, byref(out), reads=True)
        try:
            text = ctypes.string_at(out.value).decode("utf-8")
        finally:
            lib.jszb_free(out)
        if format != "dict":
            return text
        return cast(ReportDict, typed_report(json.loads(text)))

    def request_groups(
        self,
        start: Time,
        until: Time,
        *,
        district: Optional[str] = None,
        scope: GroupScope = GroupScope.DISTRICT,
        min_size: int = 10,
    ) -> List[RequestGroup]:
        """Matters reported min_size times or more among the requests received
        in [start, until) and placed in the district (None: the city), each
        group within one scope, across streets and categories; largest first
        (see jszb_engine_request_groups_v2). InvalidArgument for a bad period,
        scope or min_size (2..1000000); NotFound for a district the current
        policy does not name."""
        def _size(what: str, value: Any) -> int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{what} must be an int, not {type(value).__name__}")
            if not 0 <= value <= 2**63 - 1:
                raise ValueError(f"{what} is {value}: expected 2..1000000 requests")
            return value

        options = _ffi.new_struct(_ffi.jszb_group_options)
        options.from_ms = to_ms(start, "start")
        options.until_ms = to_ms(until, "until")
        options.district = _encode("district", None if district == "" else district)
        options.scope = _enum_arg("scope", GroupScope, scope)
        options.min_size = _size("min_size", min_size)
        # The layout of the groups this package reads, whatever the library's newest.
        options.group_version = _ffi.jszb_request_group_v2.LAYOUT_VERSION
        out = POINTER(_ffi.jszb_request_group_v2)()
        count = c_size_t()
        self._call(
            lib.jszb_engine_request_groups_v2, byref(options), byref(out), byref(count), reads=True
        )

        def strings(array: Any, n: int) -> Tuple[str, ...]:
            return tuple(array[k].decode("utf-8") for k in range(n))

        try:
            return [
                RequestGroup(
                    out[i].representative,
                    tuple(out[i].cases[k] for k in range(out[i].size)),
                    strings(out[i].streets, out[i].street_count),
                    strings(out[i].categories, out[i].category_count),
                )
                for i in range(count.value)
            ]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

    def unit_orders(self, unit: int, start: Time, until: Time, figure: Figure) -> List[UnitOrder]:
        """The orders behind one figure of a unit's row for [start, until),
        sorted by case id, then time: one UnitOrder(case_id, time_ms) per count
        the recount makes, so the list's length is the figure assess() and
        report() give for the unit (an order breached twice is there twice).
        Any period: the log is read (see jszb_engine_unit_orders). Unit 0 or
        one the current policy does not know, an unknown figure, or until <=
        start raise InvalidArgument."""
        options = _ffi.new_struct(_ffi.jszb_unit_orders_options)
        options.unit = check_uint32("unit", unit)
        options.from_ms = to_ms(start, "start")
        options.until_ms = to_ms(until, "until")
        options.figure = _enum_arg("figure", Figure, figure)
        out = POINTER(_ffi.jszb_unit_order)()
        count = c_size_t()
        self._call(lib.jszb_engine_unit_orders, byref(options), byref(out), byref(count), reads=True)
        try:
            return [UnitOrder(out[i].case_id, out[i].time_ms) for i in range(count.value)]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

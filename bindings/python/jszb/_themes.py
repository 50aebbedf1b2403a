"""Engine's themes (每月一题 "one problem a month", 未诉先办 "handle before
anyone complains"): defining them and their tasks, reading them back, counting
their requests around their start, listing their cases and the rising
problems no theme covers yet. See "themes" in jszb.h for which requests
belong to a theme and what is refused.

A change is committed to the store before the method returns; it cannot join
a batch (StateError inside ``with eng.batch():``).
"""
from __future__ import annotations

import ctypes
from ctypes import POINTER, byref, c_char_p, c_size_t, c_uint32, c_uint64, c_void_p
from typing import Any, List, Optional, Sequence, Tuple

from . import _ffi
from ._arguments import _encode, _enum_arg, _int32, _uint64
from ._core import _EngineCore
from ._ffi import lib
from .enums import TaskState, ThemePeriod
from .model import Time, check_uint32, to_ms
from .results import Theme, ThemeCandidate, ThemeCount, ThemeTask

__all__ = ["_Themes"]


def _text(raw: Optional[bytes]) -> str:
    return "" if raw is None else raw.decode("utf-8")


def _strings(what: str, values: Any) -> Tuple[Any, int, List[bytes]]:
    """A C array of UTF-8 strings (and the bytes it points to, to keep alive)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{what} must be a sequence of str, not {type(values).__name__}")
    encoded = [_encode(f"{what}[{i}]", v, required=True) for i, v in enumerate(values)]
    array = (c_char_p * len(encoded))(*encoded)
    return array, len(encoded), encoded  # type: ignore[return-value]


def _theme(c: Any, raw: Any, index: int) -> Theme:
    tasks = []
    for k in range(lib.jszb_themes_task_count(raw, index)):
        t = lib.jszb_themes_task(raw, index, k).contents
        tasks.append(
            ThemeTask(t.id, t.owner_unit, _text(t.title), t.due_ms, TaskState(t.state), t.done_ms)
        )

    def strings(items: Any, n: int) -> Tuple[str, ...]:
        return tuple(_text(items[i]) for i in range(n))

    return Theme(
        c.id,
        _text(c.name),
        c.start_ms,
        c.lead_unit,
        strings(c.categories, c.categories_count),
        strings(c.keywords, c.keywords_count),
        strings(c.areas, c.areas_count),
        tuple(tasks),
    )


class _Themes(_EngineCore):
    """The themes part of Engine (see engine.py)."""

    def define_theme(
        self,
        name: str,
        start: Time,
        *,
        lead_unit: int,
        categories: Sequence[str] = (),
        keywords: Sequence[str] = (),
        areas: Sequence[str] = (),
        time: Time,
        theme_id: int = 0,
    ) -> int:
        """Defines a theme and returns its id: name (unique), start (when it
        was chosen), the unit leading it, and what it covers: category path
        prefixes ("市场管理/预付式消费"), keywords found in a request's
        content, and areas ("朝阳区" or "朝阳区/望京街道"; none: the city).
        theme_id: redefine that theme (its tasks stay). InvalidArgument or
        NotFound name what is wrong; nothing is written then."""
        cats = _strings("categories", categories)
        words = _strings("keywords", keywords)
        places = _strings("areas", areas)
        c = _ffi.new_struct(_ffi.jszb_theme)
        c.id = _uint64("theme_id", theme_id)
        c.name = _encode("name", name, required=True)
        c.start_ms = to_ms(start, "start")
        c.lead_unit = check_uint32("lead_unit", lead_unit)
        c.categories, c.categories_count = cats[0], cats[1]
        c.keywords, c.keywords_count = words[0], words[1]
        c.areas, c.areas_count = places[0], places[1]
        out = c_uint64()
        self._call(lib.jszb_engine_theme_define, byref(c), to_ms(time, "time"), byref(out))
        return out.value

    def remove_theme(self, theme_id: int, *, time: Time) -> None:
        """Removes a theme and its tasks (NotFound if there is none)."""
        self._call(lib.jszb_engine_theme_remove, _uint64("theme_id", theme_id), to_ms(time, "time"))

    def set_theme_task(
        self,
        theme_id: int,
        *,
        owner_unit: int,
        title: str,
        due: Time,
        state: TaskState = TaskState.OPEN,
        task_id: int = 0,
        time: Time,
    ) -> int:
        """Adds a task to a theme (task_id 0) or changes one (owner, title,
        due, state), returning its id. Marked DONE, the task records `time`
        as when. A due time before the theme's start, an unknown unit or
        theme or task are refused (InvalidArgument, NotFound)."""
        c = _ffi.new_struct(_ffi.jszb_theme_task)
        c.id = check_uint32("task_id", task_id)
        c.owner_unit = check_uint32("owner_unit", owner_unit)
        c.title = _encode("title", title, required=True)
        c.due_ms = to_ms(due, "due")
        c.state = _enum_arg("state", TaskState, state)
        out = c_uint32()
        self._call(
            lib.jszb_engine_theme_task_set,
            _uint64("theme_id", theme_id),
            byref(c),
            to_ms(time, "time"),
            byref(out),
        )
        return out.value

    def _themes(self, theme_id: int) -> List[Theme]:
        raw = POINTER(_ffi.jszb_themes)()
        self._call(lib.jszb_engine_themes, _uint64("theme_id", theme_id), byref(raw), reads=True)
        try:
            return [
                _theme(lib.jszb_themes_get(raw, i).contents, raw, i)
                for i in range(lib.jszb_themes_count(raw))
            ]
        finally:
            lib.jszb_themes_free(raw)

    def themes(self) -> List[Theme]:
        """Every theme, by id, with its tasks."""
        return self._themes(0)

    def theme(self, theme_id: int) -> Theme:
        """One theme (NotFound if there is none)."""
        if _uint64("theme_id", theme_id) == 0:
            raise ValueError("theme_id is 0: themes are numbered from 1")
        return self._themes(theme_id)[0]

    def theme_trend(
        self,
        theme_id: int,
        *,
        period: ThemePeriod = ThemePeriod.MONTH,
        before: int = 3,
        after: int = 3,
        district: Optional[str] = None,
    ) -> List[ThemeCount]:
        """The theme's requests per period (China time), oldest first: `before`
        periods before the one holding its start, then `after` from it on
        (offset 0). district: only its requests there."""
        o = _ffi.new_struct(_ffi.jszb_theme_trend_options)
        o.theme_id = _uint64("theme_id", theme_id)
        o.period = _enum_arg("period", ThemePeriod, period)
        o.before = _int32("before", before)
        o.after = _int32("after", after)
        o.district = _encode("district", None if district == "" else district)
        out = POINTER(_ffi.jszb_theme_count)()
        count = c_size_t()
        self._call(lib.jszb_engine_theme_trend, byref(o), byref(out), byref(count), reads=True)
        try:
            return [
                ThemeCount(out[i].from_ms, out[i].until_ms, out[i].offset, out[i].received)
                for i in range(count.value)
            ]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

    def theme_cases(
        self,
        theme_id: int,
        start: Optional[Time] = None,
        until: Optional[Time] = None,
        *,
        district: Optional[str] = None,
    ) -> List[int]:
        """Ids of the theme's cases received in [start, until) (both None: any
        time), in any state and of any unit, ascending."""
        if (start is None) != (until is None):
            raise ValueError("give both start and until, or neither")
        out = POINTER(c_uint64)()
        count = c_size_t()
        self._call(
            lib.jszb_engine_theme_cases,
            _uint64("theme_id", theme_id),
            0 if start is None else to_ms(start, "start"),
            0 if until is None else to_ms(until, "until"),
            _encode("district", None if district == "" else district),
            byref(out),
            byref(count),
            reads=True,
        )
        try:
            return [out[i] for i in range(count.value)]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

    def theme_candidates(
        self,
        start: Time,
        until: Time,
        *,
        district: Optional[str] = None,
        baseline_periods: int = 4,
    ) -> List[ThemeCandidate]:
        """The rising problems of [start, until) (the report's test; half-day
        edges) that no theme covers: candidates for the next theme."""
        # top and min_visits keep the library's defaults: candidates do not use them.
        options = _ffi.new_struct(_ffi.jszb_report_options)
        options.from_ms = to_ms(start, "start")
        options.until_ms = to_ms(until, "until")
        options.district = _encode("district", None if district == "" else district)
        options.baseline_periods = _int32("baseline_periods", baseline_periods)
        out = POINTER(_ffi.jszb_theme_candidate)()
        count = c_size_t()
        self._call(
            lib.jszb_engine_theme_candidates, byref(options), byref(out), byref(count), reads=True
        )
        try:
            return [
                ThemeCandidate(
                    _text(out[i].district), _text(out[i].category), out[i].count,
                    out[i].baseline, out[i].z,
                )
                for i in range(count.value)
            ]
        finally:
            if out:
                lib.jszb_free(ctypes.cast(out, c_void_p))

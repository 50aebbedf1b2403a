"""Engine's import and export (jszb.h, "interchange"): cases and their events
as JSON Lines, requests and their outcomes as CSV (docs/interchange.md).

Exports stream: the library hands the bytes over a piece at a time and they
go straight to the file, so a year of a city's cases never sits in memory.
"""
from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, byref
from dataclasses import dataclass
from typing import IO, Any, List, Optional, Tuple, Union

from . import _ffi
from ._core import _EngineCore
from ._ffi import lib
from ._progress import ProgressCallback, progress_callback
from .enums import ExportFormat
from .errors import Code, InvalidArgument
from .model import Time, to_ms

__all__ = ["_Interchange", "ImportResult", "ImportRefused"]

Destination = Union[str, "os.PathLike[str]", IO[bytes]]
Source = Union[str, "os.PathLike[str]", bytes, IO[bytes]]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: cases imported, cases left out for bad rows
    (skip_bad), and every bad row as (line, message), in file order."""

    imported: int
    skipped: int
    bad_rows: Tuple[Tuple[int, str], ...]


class ImportRefused(InvalidArgument):
    """A bad row without skip_bad: nothing was imported. bad_rows lists every
    bad row as (line, message)."""

    def __init__(self, message: str, bad_rows: Tuple[Tuple[int, str], ...]) -> None:
        super().__init__(message, code=Code.INVALID)
        self.bad_rows = bad_rows


def _format(value: Union[str, int, ExportFormat]) -> int:
    if isinstance(value, str):
        try:
            return int(ExportFormat[value.upper()])
        except KeyError:
            raise ValueError(f"format must be 'jsonl' or 'csv', not {value!r}") from None
    return int(ExportFormat(value))


def _take_result(raw: Any) -> ImportResult:
    try:
        bad: List[Tuple[int, str]] = []
        for i in range(lib.jszb_import_result_bad_count(raw)):
            message = lib.jszb_import_result_bad_message(raw, i) or b""
            bad.append((lib.jszb_import_result_bad_line(raw, i), message.decode("utf-8")))
        return ImportResult(
            lib.jszb_import_result_imported(raw), lib.jszb_import_result_skipped(raw), tuple(bad)
        )
    finally:
        lib.jszb_import_result_free(raw)


class _Interchange(_EngineCore):
    """export_cases and import_cases (see engine.py)."""

    def export_cases(
        self,
        destination: Destination,
        *,
        format: Union[str, ExportFormat] = "jsonl",
        since: Optional[Time] = None,
        until: Optional[Time] = None,
        district: Optional[str] = None,
        with_personal: bool = False,
        progress: Optional[ProgressCallback] = None,
    ) -> int:
        """Writes the cases received in [since, until) (of `district`, if
        given) to `destination`, a path or a binary file, as "jsonl" (cases
        and their events) or "csv" (one row per case). The citizen's contact
        and exact address go out only with with_personal=True; erased data
        never does. progress hears of the stage "export" (cases). Returns the
        number of bytes written."""
        options = _ffi.new_struct(_ffi.jszb_export_options)
        options.format = _format(format)
        options.from_ms = 0 if since is None else to_ms(since, "since")
        options.until_ms = 0 if until is None else to_ms(until, "until")
        district_bytes = None if district is None else district.encode("utf-8")
        options.district = district_bytes
        options.with_personal = 1 if with_personal else 0
        if isinstance(destination, (str, os.PathLike)):
            with open(destination, "wb") as f:
                return self._export_to(f, options, progress)
        return self._export_to(destination, options, progress)

    def _export_to(self, f: IO[bytes], options: Any, progress: Optional[ProgressCallback]) -> int:
        written = [0]
        failure: List[BaseException] = []

        def write(_payload: Optional[int], data: int, size: int) -> int:
            try:
                f.write(ctypes.string_at(data, size))
                written[0] += size
                return 0
            except BaseException as exc:  # noqa: B036 - re-raised after the C call
                failure.append(exc)
                return 1

        c_write = _ffi.jszb_write_fn(write)
        with progress_callback(progress) as (c_progress, reraise):
            if c_progress is not None:
                options.progress = c_progress
            try:
                self._call(lib.jszb_engine_export, byref(options), c_write, None, reads=True)
            except Exception:
                if failure:
                    raise failure[0] from None
                raise
            finally:
                reraise()
        return written[0]

    def import_cases(
        self,
        source: Source,
        *,
        format: Union[str, ExportFormat] = "jsonl",
        skip_bad: bool = False,
        progress: Optional[ProgressCallback] = None,
    ) -> ImportResult:
        """Imports `source` (a path, bytes or a binary file) as "jsonl" (the
        events are replayed: export, import into a fresh store and export
        again gives the same bytes) or "csv" (each row becomes a request and
        the commands that bring it to its outcome). All or nothing: a bad row
        raises ImportRefused (its bad_rows list them all) and nothing is
        imported; with skip_bad=True the cases with a bad row are left out
        whole and listed in the result. progress hears of the stage "import"."""
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as f:
                data = f.read()
        elif isinstance(source, (bytes, bytearray)):
            data = bytes(source)
        else:
            data = source.read()
        options = _ffi.new_struct(_ffi.jszb_import_options)
        options.format = _format(format)
        options.skip_bad = 1 if skip_bad else 0
        raw = POINTER(_ffi.jszb_import_result)()
        with progress_callback(progress) as (c_progress, reraise):
            if c_progress is not None:
                options.progress = c_progress
            try:
                self._call(lib.jszb_engine_import, byref(options), data, len(data), byref(raw))
            except InvalidArgument as exc:
                if not raw:
                    raise
                result = _take_result(raw)
                raise ImportRefused(str(exc), result.bad_rows) from None
            finally:
                reraise()
        return _take_result(raw)

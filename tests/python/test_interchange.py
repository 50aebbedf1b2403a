"""Import and export (Engine.export_cases / import_cases, jszb.h's interchange
section): JSON Lines of cases and events that round-trip byte for byte, CSV
of requests and their outcomes, personal data left out unless asked for and
never once erased, and bad rows that refuse the whole import (or are left out
whole with skip_bad)."""
from __future__ import annotations

import ctypes
import io
import json
import re
from pathlib import Path
from typing import Iterator, List

import pytest

import jszb
from jszb import Actor
from jszb.errors import _last_error_fields

from conftest import CHAOWAI, DAY, HOUR, MINUTE, OPERATOR, T0, handling, submit

RFC3339_CHINA = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+08:00$")


def fill(eng: jszb.Engine) -> List[int]:
    """Three cases: closed (with contact and address), answered on the spot,
    and one left in handling long enough for its timers to fire."""
    closed = handling(eng, "x-1")
    eng.reply(closed, T0 + DAY, Actor.unit(CHAOWAI), contacted=True, solved=True, text='已处理,"好"')
    eng.visit(closed, T0 + 2 * DAY, OPERATOR, valid_visit=True, contacted=True, solved=True,
              satisfaction=jszb.Satisfaction.SATISFIED)
    eng.close_case(closed, T0 + 2 * DAY + MINUTE, OPERATOR)
    spot = submit(eng, "x-2", time=T0 + HOUR, kind=jszb.Kind.CONSULTATION, district="海淀区",
                  street="", contact_name="王某", contact_phone="13800000000",
                  address="某小区3号楼2单元", point=(39.9591234567, 116.3101234567))
    eng.answer_on_spot(spot, T0 + HOUR + MINUTE, OPERATOR)
    open_case = handling(eng, "x-3")
    eng.advance(T0 + 20 * DAY)
    return [closed, spot, open_case]


@pytest.fixture
def store(tmp_path: Path, default_policy: jszb.Policy) -> Iterator[jszb.Engine]:
    with jszb.Engine.open(str(tmp_path / "a.jszb")) as eng:
        eng.set_policy(default_policy)
        fill(eng)
        yield eng


def fresh(tmp_path: Path, policy: jszb.Policy, name: str) -> jszb.Engine:
    eng = jszb.Engine.open(str(tmp_path / name))
    eng.set_policy(policy)
    return eng


def exported(eng: jszb.Engine, **kw) -> bytes:
    out = io.BytesIO()
    n = eng.export_cases(out, **kw)
    assert n == len(out.getvalue())
    return out.getvalue()


def test_jsonl_lines_are_records_with_china_times_and_lowercase_enums(store: jszb.Engine) -> None:
    lines = exported(store).decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["record"] for r in records].count("case") == 3
    assert all(line.startswith('{"record":"') for line in lines)
    first = records[0]
    assert first["id"] == 1 and first["state"] == "closed"
    assert RFC3339_CHINA.match(first["intake"]["time"]), first["intake"]["time"]
    assert first["intake"]["channel"] == "phone"
    events = [r for r in records if r["record"] == "event" and r["case_id"] == 1]
    assert [e["type"] for e in events][:3] == ["submitted", "dispatched", "signed"]
    assert events[0]["time"] == "2024-03-01T09:00:00+08:00"
    assert any(r.get("type") == "deadline_warning" for r in records)  # timers fired too
    assert "time_ms" not in lines[1]


def test_jsonl_export_import_export_is_byte_identical(store: jszb.Engine, tmp_path: Path,
                                                     default_policy: jszb.Policy) -> None:
    for personal in (True, False):
        before = exported(store, with_personal=personal)
        with fresh(tmp_path, default_policy, f"b{personal}.jszb") as target:
            result = target.import_cases(before, format="jsonl")
            assert (result.imported, result.skipped, result.bad_rows) == (3, 0, ())
            assert exported(target, with_personal=personal) == before


def test_personal_data_leaves_only_when_asked_and_never_once_erased(store: jszb.Engine) -> None:
    for fmt in ("jsonl", "csv"):
        public = exported(store, format=fmt).decode("utf-8")
        assert "13800000000" not in public and "某小区" not in public and "王某" not in public
        personal = exported(store, format=fmt, with_personal=True).decode("utf-8")
        assert "13800000000" in personal and "某小区" in personal and "王某" in personal
    store.erase_personal(2, T0 + 30 * DAY)
    for fmt in ("jsonl", "csv"):
        after = exported(store, format=fmt, with_personal=True).decode("utf-8")
        assert "13800000000" not in after and "某小区" not in after and "王某" not in after


def test_filters_by_received_time_and_district(store: jszb.Engine) -> None:
    def ids(**kw) -> List[int]:
        return [json.loads(l)["id"] for l in exported(store, **kw).decode().splitlines()
                if l.startswith('{"record":"case"')]

    assert ids() == [1, 2, 3]
    assert ids(district="海淀区") == [2]
    assert ids(since=T0 + 1, until=T0 + 2 * HOUR) == [2]


def test_a_bad_jsonl_line_refuses_everything_or_is_left_out_whole(
        store: jszb.Engine, tmp_path: Path, default_policy: jszb.Policy) -> None:
    lines = exported(store).decode("utf-8").splitlines()
    # The second case's answer on the spot, made to claim another state.
    bad = next(i for i, l in enumerate(lines) if '"type":"answered_on_spot"' in l)
    lines[bad] = lines[bad].replace('"state":"answered_on_spot"', '"state":"closed"')
    lines.insert(1, "not json")
    data = ("\n".join(lines) + "\n").encode()
    with fresh(tmp_path, default_policy, "c.jszb") as target:
        with pytest.raises(jszb.ImportRefused) as refused:
            target.import_cases(data)
        assert [line for line, _ in refused.value.bad_rows] == [2, bad + 2]
        assert target.stored_case_count == 0  # nothing imported
        # The line that does not parse sits among case 1's lines: case 1 is
        # left out with it, and case 2 for its refused event.
        result = target.import_cases(data, skip_bad=True)
        assert (result.imported, result.skipped) == (1, 2)
        assert target.list_cases() == [3]


def test_csv_round_trips_and_reaches_each_outcome(store: jszb.Engine, tmp_path: Path,
                                                  default_policy: jszb.Policy) -> None:
    before = exported(store, format="csv", with_personal=True)
    text = before.decode("utf-8")
    assert text.startswith("id,received,channel,channel_ref,kind,")
    assert '"已处理,""好"""' in text  # RFC 4180 quoting
    with fresh(tmp_path, default_policy, "d.jszb") as target:
        result = target.import_cases(before, format="csv")
        assert result.imported == 3
        assert exported(target, format="csv", with_personal=True) == before
        assert target.case(1).state == jszb.State.CLOSED
        assert target.case(2).state == jszb.State.ANSWERED_ON_SPOT
        assert "39.9591234567,116.3101234567" in text  # the point's every digit


def test_bad_csv_rows_are_reported_with_their_lines(tmp_path: Path,
                                                   default_policy: jszb.Policy) -> None:
    header = "received,channel,channel_ref,kind,category_1,content,district,state,lead_unit\n"
    rows = [
        "2024-03-01T09:00:00+08:00,phone,r1,complaint,城乡建设,噪音,朝阳区,received,\n",
        "2024-03-01T09:00:00+08:00,phone,r2,complaint,城乡建设,噪音,朝阳区,co_handling,110105001\n",
        "yesterday,phone,r3,complaint,城乡建设,噪音,朝阳区,received,\n",
        "2024-03-01T09:00:00+08:00,phone,r4,complaint,城乡建设,噪音,朝阳区,dispatched,\n",
        '2024-03-01T10:00:00+08:00,phone,r5,complaint,城乡建设,"多行\n内容",朝阳区,received,\n',
    ]
    data = (header + "".join(rows)).encode()
    with fresh(tmp_path, default_policy, "e.jszb") as target:
        with pytest.raises(jszb.ImportRefused) as refused:
            target.import_cases(data, format="csv")
        bad = dict(refused.value.bad_rows)
        assert sorted(bad) == [3, 4, 5]
        assert "co_handling" in bad[3] and "received" in bad[4] and "lead_unit" in bad[5]
        assert target.stored_case_count == 0
        seen: List[jszb.Progress] = []
        result = target.import_cases(data, format="csv", skip_bad=True, progress=seen.append)
        assert (result.imported, result.skipped) == (2, 3)
        assert target.case(2).intake.content == "多行\n内容"
        assert seen and seen[-1].stage == "import" and seen[-1].done == 5
    with pytest.raises(jszb.ImportRefused, match="unknown column"):
        with fresh(tmp_path, default_policy, "f.jszb") as target:
            target.import_cases(b"received,colour\n", format="csv")


def test_export_progress_and_a_failing_writer(store: jszb.Engine) -> None:
    seen: List[jszb.Progress] = []
    exported(store, progress=seen.append)
    assert seen[-1] == jszb.Progress("export", 3, 3)

    class Full(io.RawIOBase):
        def write(self, b) -> int:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        store.export_cases(Full())
    with pytest.raises(ValueError, match="format"):
        store.export_cases(io.BytesIO(), format="xml")


def last_error() -> str:
    return _last_error_fields()[1]


def test_the_c_calls_refuse_bad_arguments_and_change_nothing(store: jszb.Engine) -> None:
    lib, ffi = jszb._ffi.lib, jszb._ffi
    handle = store._live()
    options = ffi.new_struct(ffi.jszb_export_options)
    write = ffi.jszb_write_fn(lambda _p, _d, _n: 0)
    for fmt, says in [(0, "format is 0"), (3, "format is 3")]:
        options.format = fmt
        assert lib.jszb_engine_export(handle, ctypes.byref(options), write, None) == -1
        assert says in last_error()
    options.format = 1
    assert lib.jszb_engine_export(handle, ctypes.byref(options), ffi.jszb_write_fn(), None) == -1
    assert "write is NULL" in last_error()
    assert lib.jszb_engine_export(handle, None, write, None) == -1
    imp = ffi.new_struct(ffi.jszb_import_options)
    imp.format = 2
    out = ctypes.POINTER(ffi.jszb_import_result)()
    assert lib.jszb_engine_import(handle, ctypes.byref(imp), None, 5, ctypes.byref(out)) == -1
    assert "data is NULL" in last_error() and not out
    imp.skip_bad = 2
    assert lib.jszb_engine_import(handle, ctypes.byref(imp), b"", 0, ctypes.byref(out)) == -1
    assert "skip_bad" in last_error() and not out
    # The accessors take NULL (and an index out of range) as nothing.
    assert lib.jszb_import_result_bad_count(None) == 0
    assert lib.jszb_import_result_bad_message(None, 0) is None
    lib.jszb_import_result_free(None)
    assert store.stored_case_count == 3


def test_a_refused_import_leaves_nothing_in_the_file(tmp_path: Path,
                                                     default_policy: jszb.Policy) -> None:
    path = tmp_path / "g.jszb"
    good = "received,channel,channel_ref,kind,category_1,content\n" \
           "2024-03-01T09:00:00+08:00,phone,g1,complaint,城乡建设,噪音\n"
    with fresh(tmp_path, default_policy, "g.jszb") as target:
        with pytest.raises(jszb.ImportRefused):
            target.import_cases((good + "x,phone,g2,complaint,城乡建设,噪音\n").encode(),
                                format="csv")
    with jszb.Engine.open(str(path)) as reopened:
        assert reopened.stored_case_count == 0
        assert reopened.import_cases(good.encode(), format="csv").imported == 1

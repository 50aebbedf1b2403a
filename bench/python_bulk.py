#!/usr/bin/python3
"""The lifecycle mix of BM_EngineLifecycleMixCApi (bench/capi_bench.cc, mix in
bench/lifecycle_mix.h) from Python, three ways, in commands per second
(submissions included, as the C benchmark counts them):

  per-command  the existing API: submit(), then dispatch(), sign(), ... per case
  tuples       submit_many() then apply_many() of (kind, case_id, time, actor,
               payload) tuples, built per case in Python
  dataframe    submit_many() and apply_many() of pandas DataFrames, the
               commands' frame built with numpy from a per-case template

Each is the median of --repetitions runs on a fresh in-memory engine, in
commands per second of CPU time (as the C benchmark's figure is). Given
--capi-bench (build/default/bench/jszb_bench_capi) it also runs the C figure
(--benchmark_repetitions=5) and prints each Python figure as a share of it.
No pytest: PYTHONPATH=build/default/python /usr/bin/python3 bench/python_bulk.py
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
from typing import Any, Callable, Dict, List, Tuple

import jszb
from jszb import Actor, Channel, CommandKind, Kind, Satisfaction

T0 = 1632009600000
MINUTE = 60000
STREET, STREET2, DISTRICT = 110105007, 110105026, 110105
CENTRE = Actor.dispatcher(2001)
OPERATOR = Actor.operator(1001)
OWNERS = {STREET: Actor.unit(STREET), STREET2: Actor.unit(STREET2)}
REPLY_TEXT = "已协调施工方调整作业时间，夜间不再施工"

# Payloads shared by every case (apply_many converts each once per chunk).
DISPATCH = {"unit": STREET, "copy_to": (DISTRICT,)}
REQUEST_RETURN = {"text": "不属于本街道管辖"}
APPROVE_RETURN = {"unit": STREET2, "copy_to": (DISTRICT,)}
REPLY = {"contacted": True, "solved": True, "text": REPLY_TEXT}
VISIT_UNSATISFIED = {"valid_visit": True, "contacted": True, "solved": False,
                     "satisfaction": Satisfaction.NOT_SATISFIED}  # fmt: skip
VISIT_SATISFIED = {"valid_visit": True, "contacted": True, "solved": True,
                   "satisfaction": Satisfaction.SATISFIED}  # fmt: skip


def shape(index: int) -> Tuple[bool, bool, bool]:
    """returned, extended, unsatisfied: lifecycle_mix.h's mix_shape."""
    return index % 5 == 0, index % 7 == 0, index % 10 == 0


def intake(index: int) -> Dict[str, Any]:
    return {
        "time": T0 + index,
        "actor": OPERATOR,
        "channel": Channel.PHONE,
        "channel_ref": str(index),
        "kind": Kind.COMPLAINT,
        "category": ("城乡建设", "施工管理", "夜间施工扰民"),
        "district": "朝阳区",
        "street": "和平街街道",
        "content": "小区南侧工地夜间施工，噪音扰民，希望尽快处理。",
        "contact_phone": "13800000000",
    }


def case_commands(index: int, case_id: int) -> List[Tuple[Any, ...]]:
    """One case's commands after its submission, as apply_many tuples."""
    returned, extended, unsatisfied = shape(index)
    t = T0 + index
    out: List[Tuple[Any, ...]] = []

    def add(kind: CommandKind, actor: Actor, payload: Any = None) -> None:
        nonlocal t
        t += MINUTE
        out.append((kind, case_id, t, actor, payload))

    owner = OWNERS[STREET]
    add(CommandKind.DISPATCH, CENTRE, DISPATCH)
    if returned:
        add(CommandKind.REQUEST_RETURN, owner, REQUEST_RETURN)
        add(CommandKind.APPROVE_RETURN, CENTRE, APPROVE_RETURN)
        owner = OWNERS[STREET2]
    add(CommandKind.SIGN, owner)
    if extended:
        until = t + MINUTE + 30 * 24 * 60 * MINUTE
        add(CommandKind.REQUEST_EXTENSION, owner, {"until": until, "text": "需协调产权单位"})
        add(CommandKind.APPROVE_EXTENSION, CENTRE)
    add(CommandKind.REPLY, owner, REPLY)
    if unsatisfied:
        add(CommandKind.VISIT, OPERATOR, VISIT_UNSATISFIED)
        add(CommandKind.REDO, OPERATOR)
        add(CommandKind.REPLY, owner, REPLY)
    add(CommandKind.VISIT, OPERATOR, VISIT_SATISFIED)
    add(CommandKind.CLOSE, OPERATOR)
    return out


def run_per_command(cases: int) -> int:
    """The existing API, one call per command (the named methods)."""
    commands = 0
    with jszb.Engine() as eng:
        for index in range(cases):
            case_id = eng.submit(**intake(index))
            commands += 1
            for kind, cid, t, actor, payload in case_commands(index, case_id):
                eng.apply(kind, cid, t, actor, **(payload or {}))
                commands += 1
    return commands


def run_tuples(cases: int, per_call: int = 4096) -> int:
    commands = 0
    with jszb.Engine() as eng:
        for start in range(0, cases, per_call):
            indices = range(start, min(cases, start + per_call))
            submitted = eng.submit_many([intake(i) for i in indices], raise_on_error=True)
            batch: List[Tuple[Any, ...]] = []
            for index, case_id in zip(indices, submitted.case_ids or []):
                batch += case_commands(index, case_id)
            eng.apply_many(batch, raise_on_error=True)
            commands += len(indices) + len(batch)
    return commands


def frame_template(cases: int) -> Any:
    """The mix's commands for every case as one DataFrame, with a case_index
    column in place of case_id (ids are known only once submitted)."""
    import pandas as pd

    rows = []
    for index in range(cases):
        for kind, _, t, actor, payload in case_commands(index, 0):
            row = {"case_index": index, "kind": int(kind), "time": t,
                   "actor_role": int(actor.role), "actor_unit": actor.unit,
                   "actor_staff": actor.staff}  # fmt: skip
            for name, value in (payload or {}).items():
                row[name] = value
            rows.append(row)
    frame = pd.DataFrame(rows)
    for name in ("unit", "contacted", "solved", "valid_visit", "satisfaction", "until"):
        frame[name] = frame[name].fillna(0).astype("int64")
    return frame


def intake_frame(cases: int) -> Any:
    import pandas as pd

    frame = pd.DataFrame([intake(i) for i in range(cases)])
    frame["actor_role"] = int(OPERATOR.role)
    frame["actor_unit"] = OPERATOR.unit
    frame["actor_staff"] = OPERATOR.staff
    return frame.drop(columns=["actor"])


def run_frame(cases: int, intakes: Any, template: Any) -> int:
    import numpy as np

    with jszb.Engine() as eng:
        ids = np.asarray(eng.submit_many(intakes, raise_on_error=True).case_ids, dtype="u8")
        frame = template.drop(columns=["case_index"])
        frame.insert(0, "case_id", ids[template["case_index"].to_numpy()])
        eng.apply_many(frame, raise_on_error=True)
        return cases + len(frame)


def measure(what: str, run: Callable[[], int], repetitions: int) -> float:
    rates = []
    for _ in range(repetitions):
        # CPU time, as Google Benchmark's items_per_second counts it: on a
        # shared machine, wall time would count the other processes too.
        begin = time.process_time()
        commands = run()
        rates.append(commands / (time.process_time() - begin))
    rate = statistics.median(rates)
    print(f"{what:<14} {rate / 1e3:9.1f} k commands/s  (median of {repetitions}, "
          f"{commands} commands per run)")  # fmt: skip
    return rate


def c_figure(binary: str) -> float:
    out = subprocess.run(
        [binary, "--benchmark_filter=BM_EngineLifecycleMixCApi", "--benchmark_repetitions=5",
         "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            return float(b["items_per_second"])
    raise RuntimeError("no median in the C benchmark's output")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--capi-bench", help="path of jszb_bench_capi, for the C figure")
    args = parser.parse_args()
    print(f"libjszb {jszb.library_version} at {jszb.library_path}; {args.cases} cases per run")
    print("load average (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg())
    # The C figure before and after the Python runs: the machine's load moves.
    c_rates = [c_figure(args.capi_bench)] if args.capi_bench else []
    rates = {
        "per-command": measure("per-command", lambda: run_per_command(args.cases), args.repetitions),
        "tuples": measure("tuples", lambda: run_tuples(args.cases), args.repetitions),
    }
    try:
        intakes, template = intake_frame(args.cases), frame_template(args.cases)
    except ImportError:
        print("dataframe: skipped (no pandas)")
    else:
        rates["dataframe"] = measure(
            "dataframe", lambda: run_frame(args.cases, intakes, template), args.repetitions
        )
    if c_rates:
        c_rates.append(c_figure(args.capi_bench))
        c_rate = statistics.mean(c_rates)
        print(f"{'C ABI':<14} {c_rate / 1e3:9.1f} k commands/s  (BM_EngineLifecycleMixCApi: median "
              f"of 5 before, {c_rates[0] / 1e3:.1f} k, and after, {c_rates[1] / 1e3:.1f} k)")
        for what, rate in rates.items():
            print(f"{what:<14} {100 * rate / c_rate:5.1f} % of the C ABI")
    print("load average (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()

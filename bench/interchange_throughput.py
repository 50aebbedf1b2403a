#!/usr/bin/python3
"""Import and export throughput (docs/interchange.md): a durable store of
--cases closed cases (submit, dispatch, sign, reply, visit, close: 6 events
each, and the timers' events), exported as JSON Lines and as CSV, and each
export imported into a fresh store. Prints cases per second and MB/s of
wall time, the median of --repetitions runs each.

No pytest: PYTHONPATH=build/default/python /usr/bin/python3 bench/interchange_throughput.py
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from typing import Callable, List

import jszb
from jszb import Actor, Channel, Kind, Satisfaction

T0 = 1632009600000
MINUTE = 60000
STREET = 110105007
CENTRE = Actor.dispatcher(2001)
OPERATOR = Actor.operator(1001)
OWNER = Actor.unit(STREET)


def fill(eng: jszb.Engine, cases: int) -> None:
    with eng.batch():
        for i in range(cases):
            t = T0 + i * MINUTE
            case = eng.submit(time=t, actor=OPERATOR, channel=Channel.PHONE, channel_ref=f"b-{i}",
                              kind=Kind.COMPLAINT, category=("城乡建设", "施工管理", "夜间施工扰民"),
                              content="工地夜间施工噪音扰民，请相关部门处理", district="朝阳区",
                              street="和平街街道", contact_phone="13800000000")
            eng.dispatch(case, t + 10 * MINUTE, CENTRE, unit=STREET)
            eng.sign(case, t + 30 * MINUTE, OWNER)
            eng.reply(case, t + 600 * MINUTE, OWNER, contacted=True, solved=True,
                      text="已协调施工方调整作业时间")
            eng.visit(case, t + 700 * MINUTE, OPERATOR, valid_visit=True, contacted=True,
                      solved=True, satisfaction=Satisfaction.SATISFIED)
            eng.close_case(case, t + 701 * MINUTE, OPERATOR)


def median_seconds(run: Callable[[], None], repetitions: int) -> float:
    times: List[float] = []
    for _ in range(repetitions):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="jszb-interchange-")
    with jszb.Policy.default() as policy:
        with jszb.Engine.open(os.path.join(scratch, "source.jszb")) as source:
            source.set_policy(policy)
            fill(source, args.cases)
            source.checkpoint()
            for fmt in ("jsonl", "csv"):
                out = io.BytesIO()
                source.export_cases(out, format=fmt)
                data = out.getvalue()

                def export() -> None:
                    source.export_cases(io.BytesIO(), format=fmt)

                counter = [0]

                def import_() -> None:
                    counter[0] += 1
                    path = os.path.join(scratch, f"target-{fmt}-{counter[0]}.jszb")
                    with jszb.Engine.open(path) as target:
                        target.set_policy(policy)
                        result = target.import_cases(data, format=fmt)
                        assert result.imported == args.cases, result

                mb = len(data) / 1e6
                for what, run in (("export", export), ("import", import_)):
                    s = median_seconds(run, args.repetitions)
                    print(f"{fmt:5} {what}: {args.cases / s:9.0f} cases/s  {mb / s:6.1f} MB/s  "
                          f"({mb:.1f} MB, median of {args.repetitions}: {s:.2f} s)")


if __name__ == "__main__":
    main()

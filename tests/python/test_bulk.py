"""Engine.apply_many and submit_many: the same outcome as the single calls,
a code per item, going on past refusals, malformed input applying nothing,
batches deciding for all; from tuples, mappings and DataFrames."""
from __future__ import annotations

import importlib.util
from datetime import datetime
from typing import Any, List, Tuple

import pytest

import jszb
import jszb._bulk_calls
from jszb import Actor, Channel, Code, CommandKind, Kind, Refusal, Satisfaction, State
from conftest import BJT, CHAOWAI, CHAOYANG, DISPATCHER, JIANWAI, MINUTE, OPERATOR, ROOT, T0, submit

OWNER = Actor.unit(CHAOWAI)
REPLY = {"contacted": True, "solved": True, "text": "已协调施工方停止夜间施工"}


def commands(a: int, b: int) -> List[Tuple[Any, ...]]:
    """Good and bad commands on cases a and b, mixed."""
    return [
        (CommandKind.DISPATCH, a, T0 + MINUTE, DISPATCHER, {"unit": CHAOWAI, "copy_to": [CHAOYANG]}),
        (CommandKind.SIGN, a, T0 + 2 * MINUTE, Actor.unit(JIANWAI)),  # not the owner
        (CommandKind.SIGN, a, T0 + 3 * MINUTE, OWNER, None),
        (CommandKind.REPLY, b, T0 + 3 * MINUTE, OWNER, REPLY),  # not dispatched
        (CommandKind.DISPATCH, b, datetime(2024, 3, 1, 9, 4, tzinfo=BJT), DISPATCHER,
         {"unit": CHAOWAI, "units": (JIANWAI,), "text": "请两街道协同处理"}),
        (CommandKind.REPLY, a, T0 + 5 * MINUTE, OWNER, REPLY),
        (CommandKind.VISIT, a, T0 + 6 * MINUTE, OPERATOR,
         {"valid_visit": True, "contacted": True, "solved": True,
          "satisfaction": Satisfaction.SATISFIED}),
        (CommandKind.CLOSE, a, T0 + 5 * MINUTE, OPERATOR),  # earlier than the visit
    ]  # fmt: skip


def one_by_one(eng: jszb.Engine, cmds: List[Tuple[Any, ...]]) -> List[int]:
    codes = []
    for kind, case_id, t, actor, *payload in cmds:
        try:
            eng.apply(kind, case_id, t, actor, **(payload[0] or {} if payload else {}))
            codes.append(0)
        except jszb.Error as exc:
            codes.append(int(exc.code))
    return codes


def histories(eng: jszb.Engine) -> List[Any]:
    return [eng.events_json(case_id) for case_id in eng.list_cases()]


def two_cases(eng: jszb.Engine) -> Tuple[int, int]:
    return submit(eng, "bulk-1"), submit(eng, "bulk-2")


def test_apply_many_does_what_apply_does_one_by_one(eng: jszb.Engine) -> None:
    with jszb.Engine() as single:
        expected = one_by_one(single, commands(*two_cases(single)))
        result = eng.apply_many(commands(*two_cases(eng)))
        assert result.codes == expected
        assert histories(eng) == histories(single)
    assert expected == [0, Code.DENIED, 0, Code.STATE, 0, 0, 0, Code.INVALID]
    assert (result.accepted, result.refused, result.ok, len(result)) == (5, 3, False, 8)
    assert [i for i, _ in result.errors] == [1, 3, 7]


def test_the_first_refusal_is_described_in_full(eng: jszb.Engine) -> None:
    result = eng.apply_many(commands(*two_cases(eng)))
    index, first = result.errors[0]
    assert index == 1 and isinstance(first, jszb.Denied)
    assert first.message.startswith("commands[1]: ")
    assert (first.state, first.command, first.refusal) == (
        State.DISPATCHED, CommandKind.SIGN, Refusal.NOT_OWNER,
    )
    index, later = result.errors[1]
    assert isinstance(later, jszb.StateError) and "commands[3]" in later.message


def test_chunks_keep_their_indices(eng: jszb.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jszb._bulk_calls, "CHUNK", 3)
    result = eng.apply_many(iter(commands(*two_cases(eng))))  # a generator works too
    assert [i for i, _ in result.errors] == [1, 3, 7]
    # Each call's first refusal is described: commands[1] and [3] (2nd chunk), [7] (3rd).
    assert all(e.message.startswith(f"commands[{i}]: ") for i, e in result.errors)
    assert eng.case(1).state == State.VISITED  # the close came too early


@pytest.mark.parametrize(
    "bad, message",
    [
        ((CommandKind.SIGN, 1, T0), r"commands\[2\] is .*expected a tuple"),
        ((CommandKind.SIGN, "1", T0, OWNER), r"commands\[2\]\.case_id must be an int"),
        ((CommandKind.SIGN, 1, T0, "unit"), r"commands\[2\]\.actor must be a jszb.Actor"),
        ((Kind.HELP, 1, T0, OWNER), r"commands\[2\]\.kind must be a CommandKind"),
        ((CommandKind.SIGN, 1, datetime(2024, 3, 1), OWNER), r"commands\[2\]\.time is a naive"),
        ((CommandKind.SIGN, 1, T0, OWNER, {"colour": 1}), r"commands\[2\]\.payload: unknown field\(s\) colour"),
        ((CommandKind.SIGN, 1, T0, OWNER, {"unit": -1}), r"commands\[2\]\.unit"),
        ((CommandKind.SIGN, 1, T0, OWNER, {"text": "a\0b"}), r"commands\[2\]\.text contains a NUL"),
        ((CommandKind.SIGN, 1, T0, OWNER, "text"), r"commands\[2\]\.payload must be a mapping"),
        ((CommandKind.SIGN, 2**64, T0, OWNER), r"commands\[2\]\.case_id is .*out of range"),
    ],
)
def test_malformed_input_applies_nothing(
    eng: jszb.Engine, monkeypatch: pytest.MonkeyPatch, bad: Tuple[Any, ...], message: str
) -> None:
    monkeypatch.setattr(jszb._bulk_calls, "CHUNK", 2)  # the good ones are a chunk before
    a, b = two_cases(eng)
    good = commands(a, b)[:2]
    with pytest.raises((TypeError, ValueError), match=message):
        eng.apply_many(good + [bad])
    assert [len(h) for h in histories(eng)] == [1, 1]


def test_raise_on_error_in_a_batch_is_all_or_nothing(eng: jszb.Engine) -> None:
    a, b = two_cases(eng)
    with pytest.raises(jszb.Denied) as info:
        with eng.batch():
            eng.apply_many(commands(a, b), raise_on_error=True)
    assert info.value.index == 1
    assert info.value.result.codes[0] == 0  # tried, then rolled back with the batch
    assert [len(h) for h in histories(eng)] == [1, 1]
    with eng.batch():
        assert eng.apply_many(commands(a, b)).refused == 3
    assert eng.case(a).state == State.VISITED


def test_dataframe_gives_what_tuples_give(eng: jszb.Engine) -> None:
    pd = pytest.importorskip("pandas")
    cmds = commands(*two_cases(eng))
    rows = []
    for kind, case_id, t, actor, *payload in cmds:
        if isinstance(t, datetime):
            t = int(t.timestamp() * 1000)
        rows.append(dict(kind=int(kind), case_id=case_id,
                         time=pd.Timestamp(t, unit="ms", tz="Asia/Shanghai"),
                         actor_role=int(actor.role), actor_unit=actor.unit,
                         actor_staff=actor.staff, **(payload[0] or {} if payload else {})))  # fmt: skip
    frame = pd.DataFrame(rows)
    for name in ("unit", "contacted", "solved", "valid_visit", "satisfaction"):
        frame[name] = frame[name].fillna(0).astype("int64")
    with jszb.Engine() as tuples:
        expected = tuples.apply_many(commands(*two_cases(tuples)))
        result = eng.apply_many(frame)
        assert result.codes == expected.codes
        assert histories(eng) == histories(tuples)


def test_dataframe_columns_are_checked(eng: jszb.Engine) -> None:
    pd = pytest.importorskip("pandas")
    a, _ = two_cases(eng)
    frame = pd.DataFrame({"kind": [int(CommandKind.DISPATCH)] * 2, "case_id": [a, a],
                          "time": [T0, T0 + MINUTE], "actor": [DISPATCHER, DISPATCHER],
                          "unit": [CHAOWAI, None]})  # fmt: skip
    with pytest.raises(TypeError, match=r"commands\[0\]\.unit: a column of float64"):
        eng.apply_many(frame)
    with pytest.raises(TypeError, match="unknown column.*colour"):
        eng.apply_many(frame.assign(colour=1))
    with pytest.raises(ValueError, match="naive datetimes"):
        eng.apply_many(frame.assign(time=pd.to_datetime([T0, T0], unit="ms"), unit=CHAOWAI))
    assert eng.apply_many(frame.assign(unit=CHAOWAI)).codes == [0, Code.STATE]


def test_submit_many_from_mappings_and_frames(eng: jszb.Engine) -> None:
    def request(ref: str, **more: Any) -> dict:
        r = dict(time=T0, actor=OPERATOR, channel=Channel.PHONE, channel_ref=ref,
                 kind=Kind.COMPLAINT, category=("城乡建设", "施工管理"),
                 content="工地夜间施工噪音扰民", district="朝阳区")  # fmt: skip
        r.update(more)
        return r

    requests = [request("s-1", point=(39.9, 116.4)), request("s-2", content=None),
                request("s-1"), request("s-3", category="城乡建设", urgency=None)]  # fmt: skip
    result = eng.submit_many(requests)
    assert result.codes == [0, Code.INVALID, 0, 0]
    assert result.errors[0][1].message.startswith("intakes[1]: ")
    ids = result.case_ids
    assert ids is not None and ids[1] == 0 and ids[2] == ids[0] and ids[3] not in (0, ids[0])
    case = eng.case(ids[0])
    assert case.intake.category == ("城乡建设", "施工管理") and case.intake.point == (39.9, 116.4)
    assert eng.case(ids[3]).intake.category == ("城乡建设",)
    with pytest.raises(ValueError, match=r"intakes\[0\]\.category: category has 4 levels"):
        eng.submit_many([request("s-4", category=["a", "b", "c", "d"])])
    with pytest.raises(TypeError, match="unknown field.*colour"):
        eng.submit_many([request("s-4", colour=1)])
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([request(f"f-{i}") for i in range(3)]).drop(columns=["actor"])
    frame["actor_role"] = int(OPERATOR.role)
    frame["actor_staff"] = OPERATOR.staff
    frame.loc[1, "content"] = None
    framed = eng.submit_many(frame)
    assert framed.codes == [0, Code.INVALID, 0]
    assert eng.case(framed.case_ids[2]).intake.channel_ref == "f-2"


def test_empty_input_and_closed_engine(eng: jszb.Engine) -> None:
    assert eng.apply_many([]).codes == []
    assert eng.submit_many([]).case_ids == []
    eng.close()
    with pytest.raises(jszb.EngineClosed):
        eng.apply_many([(CommandKind.SIGN, 1, T0, OWNER)])


def test_the_bench_mix_closes_every_case_three_ways() -> None:
    """bench/python_bulk.py's three ways run the same mix to the end (it raises
    on any refusal), so its figures compare like with like."""
    pytest.importorskip("pandas")
    spec = importlib.util.spec_from_file_location("python_bulk", ROOT / "bench" / "python_bulk.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cases = 70  # every shape: returned, extended, unsatisfied, and their mixes
    counts = {
        bench.run_per_command(cases),
        bench.run_tuples(cases, per_call=16),
        bench.run_frame(cases, bench.intake_frame(cases), bench.frame_template(cases)),
    }
    # Submit, dispatch, sign, reply, visit, close; 2 more when returned, 2 when
    # extended, 3 when unsatisfied.
    assert counts == {sum(6 + 2 * (i % 5 == 0) + 2 * (i % 7 == 0) + 3 * (i % 10 == 0)
                          for i in range(cases))}  # fmt: skip

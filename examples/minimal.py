"""One 12345 request from intake to close, through the jszb Python package.

Run after building:  PYTHONPATH=<build>/python /usr/bin/python3 examples/minimal.py
Exits nonzero unless the case ends CLOSED.
"""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

import jszb
from jszb import Actor, Channel, Kind, Satisfaction, State, VisitMethod

BEIJING = timezone(timedelta(hours=8))
CHAOWAI_STREET = 110105001  # 朝外街道, Chaoyang district


def main() -> int:
    t = datetime(2024, 3, 1, 22, 15, tzinfo=BEIJING)  # a night-time call
    operator = Actor.operator(staff=1201)
    street = Actor.unit(CHAOWAI_STREET)

    with jszb.Engine() as eng:
        eng.add_listener(lambda e: print(f"  event {e.seq}: {e.type.name.lower()}"))

        def show(step: str) -> State:
            state = eng.case(case_id).state
            print(f"{step:<9} {state.name}")
            return state

        case_id = eng.submit(
            time=t,
            actor=operator,
            channel=Channel.PHONE,
            channel_ref="20240301-221500-0042",
            kind=Kind.COMPLAINT,
            category=("城乡建设", "施工管理", "施工扰民"),
            district="朝阳区",
            street="朝外街道",
            content="工地夜间施工，噪音扰民",
        )
        show("intake")
        eng.dispatch(case_id, t + timedelta(minutes=10), Actor.dispatcher(), unit=CHAOWAI_STREET)
        show("dispatch")
        eng.sign(case_id, t + timedelta(minutes=40), street)
        show("sign")
        eng.reply(case_id, t + timedelta(hours=20), street, contacted=True, solved=True,
                  text="已责令工地夜间停工并罚款")
        show("reply")
        eng.visit(case_id, t + timedelta(days=1), operator, contacted=True, solved=True,
                  satisfaction=Satisfaction.SATISFIED, visit_method=VisitMethod.PHONE)
        show("visit")
        eng.close_case(case_id, t + timedelta(days=1, minutes=5), operator)
        final = show("close")

    return 0 if final is State.CLOSED else 1


if __name__ == "__main__":
    sys.exit(main())

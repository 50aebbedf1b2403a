"""Routing and timing by policy, through the jszb Python package.

A night-construction complaint in 朝阳区/和平街街道 is routed by the built-in
Beijing policy (with the catalogue's explanation), dispatched as the policy
says, signed for and then left alone for two weeks: the engine's timers warn,
breach and escalate it to the district's supervision.

Run after building:  PYTHONPATH=<build>/python /usr/bin/python3 examples/routing.py
Exits nonzero unless the case ends supervised by the district.
"""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

import jszb
from jszb import Actor, Channel, EventType, Kind, SupervisionLevel

BEIJING = timezone(timedelta(hours=8))
TIMER_EVENTS = {
    EventType.DEADLINE_WARNING,
    EventType.DEADLINE_BREACHED,
    EventType.DEADLINE_ESCALATED,
    EventType.AUTO_RETURNED,
}


def on_event(event: jszb.Event) -> None:
    if event.type not in TIMER_EVENTS:
        return
    p = event.payload
    step = p.step.name.lower() if p.step else "-"
    action = p.action.name.lower() if p.action else "-"
    when = jszb.to_datetime(event.time_ms, BEIJING).strftime("%Y-%m-%d %H:%M")
    print(f"  {when}  {event.type.name.lower():<19} step={step:<14} action={action}")


def main() -> int:
    t = datetime(2024, 3, 4, 9, 30, tzinfo=BEIJING)  # a Monday morning
    with jszb.Engine() as eng, jszb.Policy.default() as policy:
        eng.set_policy(policy)  # the engine keeps its own reference
        eng.add_listener(on_event)
        case_id = eng.submit(
            time=t,
            actor=Actor.operator(staff=1201),
            channel=Channel.PHONE,
            channel_ref="20240304-093000-0007",
            kind=Kind.COMPLAINT,
            category=("城乡建设", "施工管理", "夜间施工扰民"),
            district="朝阳区",
            street="和平街街道",
            content="工地夜间施工，噪音扰民",
        )

        route = eng.route(case_id)
        print(f"route: {route.outcome.name.lower()} to {route.lead}, copied to "
              f"{list(route.copy_to)}, by rule {route.rule!r}")
        for v in route.verdicts:
            if v.matched or v.chosen or v.rule == "emergency":
                mark = "*" if v.chosen else " "
                print(f"  {mark} {v.rule:<22} priority {v.priority:>4}: {v.why}")
        print(f"  ({len(route.verdicts)} rules considered)")

        eng.dispatch_routed(case_id, t + timedelta(minutes=10), Actor.dispatcher(staff=3301))
        eng.sign(case_id, t + timedelta(minutes=40), Actor.unit(route.lead))
        for d in eng.deadlines(case_id, t + timedelta(hours=1)):
            print(f"deadline {d.step.name.lower():<14} due "
                  f"{jszb.to_datetime(d.due_ms, BEIJING):%Y-%m-%d %H:%M}")

        print("two weeks pass:")
        eng.advance(t + timedelta(weeks=2))
        case = eng.case(case_id)
        level = case.supervision_level
        print(f"state {case.state.name}, supervised by "
              f"{level.name.lower() if level else 'nobody'}")
    return 0 if level is SupervisionLevel.DISTRICT else 1


if __name__ == "__main__":
    sys.exit(main())

"""Open311 GeoReport v2 through the bindings: services from the policy,
requests from cases (personal data only when asked, erased data never), and
a POST body submitted."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import pytest

import jszb
from jszb import Actor

from conftest import DAY, HEPINGJIE, MINUTE, T0, request

WATER = "公共服务/供水"
PERSONAL = ("王女士", "13800000000", "和平东街12号楼3单元")


def personal_request(eng: jszb.Engine, ref: str) -> int:
    return request(
        eng, ref, contact_name=PERSONAL[0], contact_phone=PERSONAL[1], address=PERSONAL[2],
        point=(39.961234, 116.421234),
    )


def test_services_name_the_catalogue_categories(default_policy: jszb.Policy) -> None:
    services = json.loads(jszb.open311_services(default_policy, "json"))
    water = next(s for s in services if s["service_code"] == WATER)
    assert water["service_name"] == "供水" and water["group"] == "公共服务"
    assert water["metadata"] is False and water["type"] == "realtime"
    codes = [s["service_code"] for s in services]
    assert codes == sorted(set(codes))
    root = ET.fromstring(jszb.open311_services(default_policy, jszb.Open311Format.XML))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root] == codes
    with pytest.raises(ValueError, match="fmt"):
        jszb.open311_services(default_policy, "yaml")


def test_requests_follow_the_case(peng: jszb.Engine) -> None:
    case_id = personal_request(peng, "o-1")
    peng.dispatch_routed(case_id, T0 + 10 * MINUTE, Actor.dispatcher())
    [r] = json.loads(peng.open311_requests(case_id=case_id))
    assert r["service_request_id"] == str(case_id)
    assert r["status"] == "open" and r["jszb_state"] == "dispatched"
    assert r["fixmystreet_state"] == "investigating"
    assert r["agency_responsible"] == "和平街街道"
    assert r["service_code"] == "城乡建设/施工管理/夜间施工扰民"
    assert r["requested_datetime"] == "2024-03-01T09:00:00+08:00"
    assert r["updated_datetime"] == "2024-03-01T09:10:00+08:00"
    assert r["expected_datetime"].endswith("+08:00")
    peng.sign(case_id, T0 + 20 * MINUTE, Actor.unit(HEPINGJIE))
    peng.reply(case_id, T0 + DAY, Actor.unit(HEPINGJIE), contacted=True, solved=True,
               text="已协调施工单位停止夜间施工")
    [r] = json.loads(peng.open311_requests(case_id=case_id))
    assert r["status_notes"] == "已协调施工单位停止夜间施工"
    assert json.loads(peng.open311_requests(status="closed")) == []
    assert len(json.loads(peng.open311_requests(status="open", service_code="城乡建设"))) == 1
    assert json.loads(peng.open311_requests(service_code=WATER)) == []
    assert json.loads(peng.open311_requests(start=T0 + 1)) == []
    with pytest.raises(jszb.NotFound, match="service_request_id"):
        peng.open311_requests(case_id=case_id + 100)
    with pytest.raises(ValueError, match="status"):
        peng.open311_requests(status="pending")


def test_personal_data_only_when_asked(peng: jszb.Engine) -> None:
    personal_request(peng, "o-2")
    public = peng.open311_requests("json") + peng.open311_requests("xml")
    for value in PERSONAL + ("39.961234", "116.421234"):
        assert value not in public
    [r] = json.loads(peng.open311_requests())
    assert (r["lat"], r["long"]) == (39.961, 116.421)
    assert r["address"] == "朝阳区和平街街道"
    private = peng.open311_requests(with_personal=True)
    for value in PERSONAL + ("39.961234", "116.421234"):
        assert value in private


def test_erased_data_never_comes_back(tmp_path: Path, default_policy: jszb.Policy) -> None:
    with jszb.Engine.open(str(tmp_path / "o.jszb")) as eng:
        eng.set_policy(default_policy)
        case_id = personal_request(eng, "o-3")
        eng.erase_personal(case_id, T0 + DAY)
        for fmt in ("json", "xml"):
            text = eng.open311_requests(fmt, with_personal=True)
            for value in PERSONAL + ("39.96", "116.42"):
                assert value not in text


def test_submit_a_form_and_a_json_body(peng: jszb.Engine) -> None:
    form = urlencode({"api_key": "k", "service_code": WATER, "lat": "39.9216", "long": "116.4431",
                      "description": "整栋楼停水", "first_name": "三", "last_name": "张",
                      "phone": "13900000000"})
    case_id = peng.open311_submit(form, "form", T0)
    case = peng.case(case_id)
    assert case.intake.category[:2] == ("公共服务", "供水")
    assert case.intake.contact_name == "张三" and case.intake.channel == jszb.Channel.WEB
    again = peng.open311_submit(form, jszb.Open311Content.FORM, T0)
    assert again == case_id  # the same body at the same time: the same request
    body = json.dumps({"service_code": WATER, "address_string": "望京西园三区", "description": "停水"})
    other = peng.open311_submit(body.encode(), "json", T0 + MINUTE)
    assert other != case_id
    [r] = json.loads(peng.open311_requests(case_id=other))
    assert r["description"] == "停水" and r["service_code"] == WATER


@pytest.mark.parametrize(
    "body, says",
    [
        ("description=x&lat=1&long=2", "service_code is required"),
        ("service_code=nope&description=x&lat=1&long=2", "is not a service"),
        (f"service_code={WATER}&description=x", "a location is required"),
        (f"service_code={WATER}&lat=1&long=2", "description is required"),
        (f"service_code={WATER}&description=x&lat=abc&long=2", "lat is"),
        (f"service_code={WATER}&description=x&lat=1&long=2&colour=red", "colour"),
    ],
)
def test_bad_submissions_name_the_field_and_change_nothing(
    peng: jszb.Engine, body: str, says: str
) -> None:
    with pytest.raises(jszb.InvalidArgument, match=says):
        peng.open311_submit(body, "form", T0)
    assert peng.case_count == 0


def test_submit_needs_a_policy(eng: jszb.Engine) -> None:
    with pytest.raises(jszb.StateError, match="policy"):
        eng.open311_submit(f"service_code={WATER}&description=x&lat=1&long=2", "form", T0)


def test_import_what_requests_export(peng: jszb.Engine, default_policy: jszb.Policy) -> None:
    open_case = request(peng, "i-1")
    done = request(peng, "i-2")
    peng.answer_on_spot(done, T0 + 5 * MINUTE, jszb.Actor.operator(staff=7), text="已解答")
    for fmt in ("json", "xml"):
        exported = peng.open311_requests(fmt)
        with jszb.Engine() as other:
            other.set_policy(default_policy)
            result = other.open311_import(exported, fmt)
            assert (result.imported, result.known, result.bad) == (2, 0, ())
            back = json.loads(other.open311_requests())
            assert [r["status"] for r in back] == ["open", "closed"]
            assert back[1]["status_notes"] == "已解答"
            assert [r["requested_datetime"] for r in back] == [
                r["requested_datetime"] for r in json.loads(peng.open311_requests())
            ]
            again = other.open311_import(exported, fmt)
            assert (again.imported, again.known) == (0, 2)
    assert open_case < done


def test_import_refuses_or_skips_bad_requests(eng: jszb.Engine) -> None:
    good = {"service_request_id": "a1", "service_code": "市容环境/垃圾", "status": "open",
            "requested_datetime": "2024-03-01T09:00:00+08:00", "description": "垃圾未清运"}
    rows = [good, dict(good, service_request_id="a2", requested_datetime="yesterday"),
            dict(good, service_request_id="a3", status="closed",
                 updated_datetime="2024-03-01T08:00:00+08:00")]
    data = json.dumps(rows)
    with pytest.raises(jszb.InvalidArgument, match=r"2 bad request\(s\), nothing imported: "
                                                   r"request 2: requested_datetime"):
        eng.open311_import(data)
    assert eng.case_count == 0
    result = eng.open311_import(data, skip_bad=True)
    assert result.imported == 1 and [p for p, _ in result.bad] == [2, 3]
    assert "updated_datetime is before" in result.bad[1][1]
    xml = ("<?xml version=\"1.0\"?>\n<service_requests>\n<request>\n"
           "<service_request_id>x1</service_request_id>\n<status>open</status>\n"
           "</request>\n</service_requests>\n")
    with pytest.raises(jszb.InvalidArgument, match=r"request 1 \(line 3\): service_code"):
        eng.open311_import(xml, "xml")
    with pytest.raises(jszb.InvalidArgument, match="line 2"):
        eng.open311_import("<service_requests>\n<request><a b='1'/></request>", "xml")
    with pytest.raises(jszb.InvalidArgument, match="not a JSON array"):
        eng.open311_import("{}", "json")
    assert eng.case_count == 1

"""examples/open311_gateway.py answering a real HTTP client on 127.0.0.1:
services, POST with and without the key, the new request read back, bad and
oversized bodies, XML that parses, and no personal data in what it serves."""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple
from urllib.parse import urlencode

import pytest

import jszb

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = ROOT / "examples" / "open311_gateway.py"
KEY = "s3cret-key"
WATER = "公共服务/供水"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[str]:
    """The gateway on a fresh store; yields its base URL."""
    env = dict(os.environ)
    # The same package (and so the same library) as this test run.
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(jszb.__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
    )
    proc = subprocess.Popen(
        [sys.executable, str(GATEWAY), str(tmp_path / "g.jszb"), "--port", "0",
         "--api-key", KEY, "--max-body", "4096"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("listening on http://127.0.0.1:"), (line, proc.stderr.read())
        yield line.split()[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode == 0


def call(url: str, body: Optional[bytes] = None,
         content_type: str = FORM) -> Tuple[int, Dict[str, str], str]:
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if body is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def form(**fields: str) -> bytes:
    return urlencode(fields).encode("utf-8")


NEW = dict(service_code=WATER, lat="39.961234", long="116.421234", description="整栋楼停水",
           first_name="三", last_name="张", phone="13900000000", address_string="和平东街12号楼")


def test_help_says_how_to_run_it() -> None:
    out = subprocess.run([sys.executable, str(GATEWAY), "--help"], capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONPATH": str(
                             Path(jszb.__file__).resolve().parents[1])}).stdout
    assert "--api-key" in out and "STORE" in out and "--port" in out


def test_services_in_json_and_xml(gateway: str) -> None:
    status, headers, text = call(gateway + "/services.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert WATER in [s["service_code"] for s in json.loads(text)]
    status, headers, text = call(gateway + "/services.xml")
    assert status == 200 and headers["Content-Type"].startswith("text/xml")
    assert WATER in [s.findtext("service_code") for s in ET.fromstring(text)]


def test_post_needs_the_key_and_then_the_request_is_there(gateway: str) -> None:
    for fields in (NEW, dict(NEW, api_key="wrong")):
        status, _, text = call(gateway + "/requests.json", form(**fields))
        assert status == 403
        assert json.loads(text) == [{"code": 403, "description": "api_key is missing or wrong"}]
    assert json.loads(call(gateway + "/requests.json")[2]) == []

    status, _, text = call(gateway + "/requests.json", form(api_key=KEY, **NEW))
    assert status == 200
    [made] = json.loads(text)
    case_id = made["service_request_id"]
    assert made["account_id"] is None

    status, _, text = call(f"{gateway}/requests/{case_id}.json")
    assert status == 200
    [r] = json.loads(text)
    assert (r["service_request_id"], r["status"], r["service_code"]) == (case_id, "open", WATER)
    assert r["requested_datetime"].endswith("+08:00")
    served = text + call(f"{gateway}/requests/{case_id}.xml")[2] + call(gateway + "/requests.json")[2]
    for personal in ("张三", "13900000000", "和平东街12号楼", "39.961234", "116.421234"):
        assert personal not in served

    body = json.dumps(dict(NEW, api_key=KEY, description="又停水了")).encode()
    status, _, text = call(gateway + "/requests.xml", body, "application/json")
    assert status == 200
    other = ET.fromstring(text).findtext("request/service_request_id")
    status, _, text = call(gateway + f"/requests.xml?service_request_id={case_id},{other}")
    root = ET.fromstring(text)
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root] == [case_id, other]
    assert len(json.loads(call(gateway + "/requests.json?status=open")[2])) == 2
    assert json.loads(call(gateway + "/requests.json?status=closed")[2]) == []
    assert json.loads(
        call(gateway + "/requests.json?start_date=2001-01-01T00:00:00%2B08:00"
             "&end_date=2002-01-01T00:00:00Z")[2]) == []


@pytest.mark.parametrize(
    "body, content_type, says",
    [
        (form(api_key=KEY, service_code="nope", description="x", lat="1", long="2"), FORM,
         "is not a service"),
        (form(api_key=KEY, service_code=WATER, lat="1", long="2"), FORM,
         "description is required"),
        (b'{"api_key": "' + KEY.encode() + b'", "service_code": ', "application/json",
         "not JSON"),
        (b"[1, 2]", "application/json", "JSON object"),
        (form(api_key=KEY, **NEW), "text/plain", "Content-Type"),
        (form(api_key=KEY, **dict(NEW, lat="north")), FORM, "lat is"),
    ],
)
def test_bad_posts_get_400_with_the_reason(gateway: str, body: bytes, content_type: str,
                                           says: str) -> None:
    status, _, text = call(gateway + "/requests.json", body, content_type)
    assert status == 400
    [error] = json.loads(text)
    assert error["code"] == 400 and says in error["description"]
    assert json.loads(call(gateway + "/requests.json")[2]) == []


def test_oversized_and_odd_requests_never_crash_it(gateway: str) -> None:
    status, _, text = call(gateway + "/requests.json",
                           form(api_key=KEY, **dict(NEW, description="x" * 10000)))
    assert status == 413 and "at most 4096" in json.loads(text)[0]["description"]
    host, port = gateway.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest("POST", "/requests.json")
    conn.putheader("Content-Type", FORM)
    conn.putheader("Content-Length", "not-a-number")
    conn.endheaders()
    assert conn.getresponse().status == 400
    conn.close()
    status, _, text = call(gateway + "/requests/424242.xml")
    assert status == 404 and ET.fromstring(text).findtext("error/code") == "404"
    assert call(gateway + "/nothing.json")[0] == 404
    assert call(gateway + "/requests.json?start_date=yesterday")[0] == 400
    assert call(gateway + "/requests.json?status=pending")[0] == 400
    assert call(gateway + "/services.json")[0] == 200  # still serving

"""`jszb import` and `jszb export`: bad rows on stderr as FILE:LINE: message
with exit 2 and the store unchanged, --skip-bad importing the good ones,
export round trips, filters, and personal data only with --with-personal."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jszb

from conftest import DAY, T0, submit
from test_cli import run, store  # noqa: F401 - the fixture


def filled(store: Path) -> Path:
    """test_cli's store (a closed case, a received one with a phone) and a
    request in 海淀区 a day later."""
    with jszb.Engine.open(str(store)) as eng:
        submit(eng, "cli-3", time=T0 + DAY, district="海淀区", street="")
    return store


def test_export_import_export_round_trips(store: Path, tmp_path: Path) -> None:
    source = filled(store)
    for fmt in ("jsonl", "csv"):
        first = tmp_path / f"first.{fmt}"
        run("export", str(source), "--format", fmt, "--with-personal", "-o", str(first))
        target = tmp_path / f"b-{fmt}.jszb"
        run("init", str(target))
        done = run("import", str(target), str(first), "--format", fmt)
        assert "imported 3 cases" in done.stdout and done.stderr == ""  # no bar off a terminal
        again = tmp_path / f"again.{fmt}"
        run("export", str(target), "--format", fmt, "--with-personal", "-o", str(again))
        assert again.read_bytes() == first.read_bytes()


def test_export_filters_and_leaves_personal_data_out(store: Path) -> None:
    source = filled(store)
    public = run("export", str(source), "--format", "csv").stdout
    assert "13800000000" not in public and len(public.splitlines()) == 4
    assert "13800000000" in run("export", str(source), "--format", "csv", "--with-personal").stdout
    haidian = run("export", str(source), "--format", "csv", "--district", "海淀区").stdout
    assert len(haidian.splitlines()) == 2 and "cli-3" in haidian
    march_1 = run("export", str(source), "--format", "jsonl", "--from", "2024-03-01", "--to",
                  "2024-03-02").stdout
    assert '"channel_ref":"cli-1"' in march_1 and "cli-3" not in march_1
    assert run("export", str(source), "--format", "xml", check=2).stderr


def test_a_csv_with_bad_rows_is_refused_or_imported_without_them(tmp_path: Path) -> None:
    store = tmp_path / "c.jszb"
    run("init", str(store))
    csv = tmp_path / "old.csv"
    csv.write_text(
        "received,channel,channel_ref,kind,category_1,content,state\n"
        "2024-03-01T09:00:00+08:00,phone,r1,complaint,城乡建设,噪音,received\n"
        "2024-03-01T09:00:00+08:00,phone,r2,complaint,城乡建设,噪音,merged\n"
        "2024-13-01T09:00:00+08:00,phone,r3,complaint,城乡建设,噪音,received\n"
        "2024-03-01T09:30:00+08:00,web,r4,help,城乡建设,漏水,received\n",
        encoding="utf-8")
    done = run("import", str(store), str(csv), "--format", "csv", check=2)
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"{csv}:3: ") and "merged" in lines[0]
    assert lines[1].startswith(f"{csv}:4: received")
    assert "nothing imported" in done.stderr
    assert re.search(r"total +0\n", run("info", str(store)).stdout)
    done = run("import", str(store), str(csv), "--format", "csv", "--skip-bad")
    assert "imported 2 cases" in done.stdout and "left out 2" in done.stdout
    assert f"{csv}:3:" in done.stderr
    assert re.search(r"total +2\n", run("info", str(store)).stdout)


def test_open311_files_in_and_out(tmp_path: Path) -> None:
    """`--format open311`: a requests file with bad entries is refused whole
    (named FILE:N: request N ...) or imported without them; the store's
    requests go out as Open311 JSON and XML, without the contact."""
    store = tmp_path / "o.jszb"
    run("init", str(store))
    good = {"service_request_id": "a1", "service_code": "市容环境/垃圾", "status": "open",
            "requested_datetime": "2024-03-01T09:00:00+08:00", "description": "垃圾未清运"}
    rows = [good, dict(good, service_request_id="a2", requested_datetime="yesterday"),
            dict(good, service_request_id="a3", status="closed",
                 updated_datetime="2024-03-01T10:00:00+08:00")]
    requests = tmp_path / "requests.json"
    requests.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    refused = run("import", str(store), str(requests), "--format", "open311", check=2)
    assert "request 2: requested_datetime" in refused.stderr
    assert "nothing imported" in refused.stderr
    assert re.search(r"total +0\n", run("info", str(store)).stdout)
    done = run("import", str(store), str(requests), "--format", "open311", "--skip-bad")
    assert "imported 2 requests" in done.stdout and "left out 1 bad" in done.stdout
    assert refused.stderr.count("nothing imported") == 1
    assert done.stderr.startswith(f"{requests}:2: ")
    out = json.loads(run("export", str(store), "--format", "open311").stdout)
    assert [r["status"] for r in out] == ["open", "closed"]
    assert [r["description"] for r in out] == ["垃圾未清运", "垃圾未清运"]
    xml = run("export", str(store), "--format", "open311-xml").stdout
    assert len(ET.fromstring(xml).findall("request")) == 2
    assert run("export", str(store), "--format", "open311", "--district", "朝阳区",
               check=2).stderr

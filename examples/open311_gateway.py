#!/usr/bin/env python3
"""An Open311 GeoReport v2 gateway over one jszb store (docs/open311.md).

    python3 examples/open311_gateway.py STORE --api-key KEY [--port 0] [--host 127.0.0.1]
                                        [--policy FILE] [--max-body BYTES] [--limit N]

Serves, in JSON (.json) or XML (.xml):

    GET  /services.json              the policy's services (its category paths)
    GET  /requests.json              service requests; query: start_date, end_date
                                     (ISO 8601 with an offset), status (open|closed),
                                     service_code, service_request_id (ids, commas)
    GET  /requests/{id}.json         one service request
    POST /requests.json              a new request, form-urlencoded or JSON; it needs
                                     api_key (the one the gateway was started with)

Errors are the spec's body, [{"code": 400, "description": "..."}]: 400 for a
malformed or refused request (the reason named), 403 for a missing or wrong
api_key, 404 for an unknown path or request, 413 for a body over --max-body.
A refused request changes nothing. Personal data (contact, exact address and
point) never leaves through the gateway. One engine behind a lock serves every
thread; each accepted POST is committed before the answer. The gateway prints
"listening on http://HOST:PORT" once it is bound (--port 0: a free port).
"""
from __future__ import annotations

import argparse
import hmac
import json
import re
import signal
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import jszb

ROUTES = re.compile(r"^/(services|requests)(?:/([0-9]+))?\.(json|xml)$")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Refusal(Exception):
    """An answer other than 200: its HTTP code and the reason."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def error_body(status: int, description: str, fmt: str) -> str:
    if fmt == "xml":
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<errors><error>'
            f"<code>{status}</code><description>{escape(description)}</description>"
            "</error></errors>\n"
        )
    return json.dumps([{"code": status, "description": description}], ensure_ascii=False) + "\n"


def parse_time(params: Dict[str, List[str]], name: str) -> Optional[datetime]:
    if name not in params:
        return None
    text = params[name][-1]
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Refusal(400, f"{name} is {text!r}: expected ISO 8601, e.g. 2021-09-30T12:00:00+08:00")
    if when.tzinfo is None:
        raise Refusal(400, f"{name} is {text!r}: give its offset (+08:00 for Beijing time)")
    return when


class Gateway:
    """The engine and what the handlers share."""

    def __init__(self, engine: jszb.Engine, api_key: str, max_body: int, limit: int) -> None:
        self.engine = engine
        self.api_key = api_key.encode("utf-8")
        self.max_body = max_body
        self.limit = limit
        self.lock = threading.Lock()

    def services(self, fmt: str) -> str:
        with self.lock:
            policy = self.engine.policy
            assert policy is not None
            return jszb.open311_services(policy, fmt)

    def requests(self, fmt: str, params: Dict[str, List[str]], case_id: Optional[int]) -> str:
        status = params.get("status", ["any"])[-1]
        if status not in ("open", "closed", "any"):
            raise Refusal(400, f"status is {status!r}: expected open or closed")
        query = dict(
            start=parse_time(params, "start_date"),
            until=parse_time(params, "end_date"),
            status=status,
            service_code=params.get("service_code", [None])[-1],
        )
        if case_id is not None:
            return self.one(fmt, case_id)
        if "service_request_id" in params:
            ids = params["service_request_id"][-1].split(",")
            if not all(i.strip().isdigit() for i in ids):
                raise Refusal(400, "service_request_id: expected ids separated by commas")
            return self.several(fmt, [int(i) for i in ids])
        with self.lock:
            return self.engine.open311_requests(fmt, limit=self.limit, **query)

    def one(self, fmt: str, case_id: int) -> str:
        try:
            with self.lock:
                return self.engine.open311_requests(fmt, case_id=case_id)
        except jszb.NotFound:
            raise Refusal(404, f"service_request_id {case_id} does not exist")

    def several(self, fmt: str, ids: List[int]) -> str:
        """The requests that exist among ids (the spec ignores the others)."""
        parts = []
        for case_id in ids[: self.limit]:
            try:
                parts.append(self.one(fmt, case_id))
            except Refusal:
                continue
        if fmt == "json":
            return json.dumps([r for p in parts for r in json.loads(p)], ensure_ascii=False) + "\n"
        inner = "".join(p.split("<service_requests>", 1)[1].rsplit("</service_requests>", 1)[0]
                        for p in parts)
        return f'<?xml version="1.0" encoding="utf-8"?>\n<service_requests>{inner}</service_requests>\n'

    def submit(self, fmt: str, body: bytes, content_type: str, params: Dict[str, List[str]]) -> str:
        kind = content_type.split(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            content = "form"
            try:
                fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                raise Refusal(400, "the body is not UTF-8")
            key = fields.get("api_key", [""])[-1]
        elif kind == "application/json":
            content = "json"
            try:
                fields = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise Refusal(400, f"the body is not JSON: {exc}")
            if not isinstance(fields, dict):
                raise Refusal(400, "the body must be a JSON object of the request's fields")
            key = fields.get("api_key") or ""
        else:
            raise Refusal(
                400,
                f"Content-Type is {content_type!r}: expected application/x-www-form-urlencoded "
                "or application/json",
            )
        key = key or params.get("api_key", [""])[-1]
        if not isinstance(key, str) or not hmac.compare_digest(key.encode("utf-8"), self.api_key):
            raise Refusal(403, "api_key is missing or wrong")
        now = int(time.time() * 1000)
        try:
            with self.lock:
                case_id = self.engine.open311_submit(body, content, now)
        except (jszb.InvalidArgument, jszb.NotFound, jszb.StateError, jszb.Refused) as exc:
            raise Refusal(400, str(exc))
        reply = [{"service_request_id": str(case_id), "service_notice": "", "account_id": None}]
        if fmt == "json":
            return json.dumps(reply) + "\n"
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request>'
            f"<service_request_id>{case_id}</service_request_id><service_notice/>"
            "<account_id/></request></service_requests>\n"
        )


class Handler(BaseHTTPRequestHandler):
    gateway: Gateway  # set on the class by serve()
    timeout = 30  # a client that stalls lets its thread go
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))

    def answer(self, status: int, text: str, fmt: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPES[fmt])
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def handle_call(self, post: bool) -> None:
        path = urlsplit(self.path).path
        fmt = "xml" if path.endswith(".xml") else "json"
        try:
            m = ROUTES.match(path)
            if m is None:
                raise Refusal(404, f"no such resource: {path}")
            what, case_id, fmt = m.group(1), (int(m.group(2)) if m.group(2) else None), m.group(3)
            params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            if post:
                if what != "requests" or case_id is not None:
                    raise Refusal(405, f"POST is for /requests.{fmt} only")
                body = self.read_body()
                text = self.gateway.submit(fmt, body, self.headers.get("Content-Type", ""), params)
            elif what == "services":
                text = self.gateway.services(fmt)
            else:
                text = self.gateway.requests(fmt, params, case_id)
            self.answer(200, text, fmt)
        except Refusal as r:
            self.answer(r.status, error_body(r.status, r.description, fmt), fmt)
        except jszb.InvalidArgument as exc:
            self.answer(400, error_body(400, str(exc), fmt), fmt)
        except jszb.Error as exc:
            self.log_message("engine error: %s", exc)
            self.answer(500, error_body(500, f"the engine failed: {exc}", fmt), fmt)

    def read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True  # what follows on the connection is unknown
            raise Refusal(411 if length is None else 400, "a body with a Content-Length is required")
        if int(length) > self.gateway.max_body:
            self.close_connection = True  # the body is not read
            raise Refusal(413, f"the body is {length} bytes: at most {self.gateway.max_body}")
        body = self.rfile.read(int(length))
        if len(body) != int(length):
            self.close_connection = True
            raise Refusal(400, "the body ended before its Content-Length")
        return body

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.handle_call(post=False)

    def do_POST(self) -> None:  # noqa: N802
        self.handle_call(post=True)


def stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See docs/open311.md for the fields, the state mapping and what is implemented.",
    )
    parser.add_argument("store", metavar="STORE", help="the jszb store file (created if need be)")
    parser.add_argument("--api-key", required=True, help="the key a POST must carry")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default 0: a free one)")
    parser.add_argument("--policy", help="policy file (default: the built-in Beijing policy)")
    parser.add_argument(
        "--max-body", type=int, default=65536, help="largest POST body in bytes (default 65536)"
    )
    parser.add_argument(
        "--limit", type=int, default=1000, help="most requests one GET returns (default 1000)"
    )
    args = parser.parse_args(argv)
    if not args.api_key:
        parser.error("--api-key must not be empty")
    with jszb.Engine.open(args.store) as engine:
        policy = jszb.Policy.load_file(args.policy) if args.policy else jszb.Policy.default()
        engine.set_policy(policy)
        Handler.gateway = Gateway(engine, args.api_key, args.max_body, args.limit)
        server = ThreadingHTTPServer((args.host, args.port), Handler)
        server.daemon_threads = True
        host, port = server.server_address[:2]
        # SIGTERM closes the store as Ctrl-C does (every answered POST is committed anyway).
        signal.signal(signal.SIGTERM, stop)
        print(f"listening on http://{host}:{port}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

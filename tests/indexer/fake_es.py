"""A fake Elasticsearch: a local HTTP server that records requests and returns canned answers.

It is NOT Elasticsearch and checks nothing about search semantics. It lets the official client
build, serialise and send real requests (so a body the client would refuse fails the test) and
lets tests read those requests back as data. Handlers are `(method, path regex) -> callable`;
unmatched requests answer 200 `{"acknowledged": true}` and are recorded all the same.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

Reply = tuple[int, Any] | tuple[int, Any, dict[str, str]]


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    body: Any  # parsed JSON, a list of parsed NDJSON lines, or None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ndjson(self) -> list[dict[str, Any]]:
        return self.body if isinstance(self.body, list) else []


@dataclass
class FakeES:
    nori: bool = False
    requests: list[Request] = field(default_factory=list)
    routes: list[tuple[str, re.Pattern[str], Callable[[Request], Reply]]] = field(default_factory=list)
    product_header: bool = True
    existing: set[str] = field(default_factory=set)

    def route(self, method: str, pattern: str, handler: Callable[[Request], Reply]) -> None:
        """Newest route wins, so a test can override the defaults."""
        self.routes.insert(0, (method + "$", re.compile(pattern + r"$"), handler))

    def find(self, method: str, pattern: str) -> list[Request]:
        rx, mx = re.compile(pattern + r"$"), re.compile(method + r"$")
        return [r for r in self.requests if mx.match(r.method) and rx.match(r.path)]

    def answer(self, req: Request) -> Reply:
        self.requests.append(req)
        for method, rx, handler in self.routes:
            if re.match(method, req.method) and rx.match(req.path):
                return handler(req)
        return self.default(req)

    def default(self, req: Request) -> Reply:
        if req.path == "/" and req.method == "GET":
            return 200, {
                "name": "fake",
                "cluster_name": "fake",
                "version": {"number": "9.1.0"},
                "tagline": "fake",
            }
        if req.path.startswith("/_nodes"):
            plugins = [{"name": "analysis-nori"}] if self.nori else []
            return 200, {"nodes": {"n1": {"plugins": plugins}}}
        if req.method == "HEAD":
            return (200, None) if req.path.strip("/").split("/")[-1] in self.existing else (404, None)
        if req.path.endswith("/_search") and "scroll" not in req.params:
            return 200, search_response([])
        if req.path.endswith("/_count"):
            return 200, {"count": 0}
        if req.path == "/_bulk":
            return 200, bulk_response(req.ndjson)
        if "/_doc/" in req.path and req.method == "GET":
            return 404, {"found": False}
        if "/_doc/" in req.path and req.method == "PUT":
            return 201, {"result": "created", "_id": req.path.rsplit("/", 1)[-1]}
        return 200, {"acknowledged": True}


def search_response(sources: list[dict[str, Any]], index: str = "gs-mentions-000001", **extra: Any) -> dict:
    hits = [
        {
            "_index": index,
            "_id": s.get("id", str(i)),
            "_seq_no": 3,
            "_primary_term": 1,
            "_source": s,
            "sort": [i],
        }
        for i, s in enumerate(sources)
    ]
    shards = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}
    return {
        "took": 1,
        "timed_out": False,
        "_shards": shards,
        "hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits},
        **extra,
    }


def bulk_response(
    lines: list[dict[str, Any]], fail: Callable[[str, dict], tuple[int, dict] | None] | None = None
) -> dict:
    """One item per action line; `fail(op, meta)` may return (status, error) for an item."""
    items, errors = [], False
    i = 0
    while i < len(lines):
        op, meta = next(iter(lines[i].items()))
        i += 1 if op == "delete" else 2
        outcome = fail(op, meta) if fail else None
        item: dict[str, Any] = {"_index": meta.get("_index", "?"), "_id": meta.get("_id"), "status": 201}
        if outcome is not None:
            item["status"], item["error"] = outcome
            errors = True
        items.append({op: item})
    return {"took": 1, "errors": errors, "items": items}


def serve(fake: FakeES) -> tuple[ThreadingHTTPServer, str]:
    """Start the fake on 127.0.0.1 (a free port); returns the server and its URL."""

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            body: Any = None
            if raw:
                lines = [ln for ln in raw.split("\n") if ln.strip()]
                body = [json.loads(ln) for ln in lines] if url.path.endswith("/_bulk") else json.loads(raw)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            reply = fake.answer(
                Request(
                    self.command,
                    unquote(url.path),
                    params,
                    body,
                    {k.lower(): v for k, v in self.headers.items()},
                )
            )
            status, payload = reply[0], reply[1]
            headers = reply[2] if len(reply) > 2 else {}  # type: ignore[misc]
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.elasticsearch+json;compatible-with=9")
            if fake.product_header:
                self.send_header("X-Elastic-Product", "Elasticsearch")
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"

"""The fuzz harness fails on what it is there to catch: a 500, an undocumented status or content type,
and a body of the wrong shape (so a green run means the API conforms, not that nothing was checked)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import schemathesis

from tests.integration.api_fuzz import fuzz_run

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "probe", "version": "1"},
    "paths": {
        path: {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object", "required": ["id"]}}},
                    }
                }
            }
        }
        for path in ("/boom", "/teapot", "/csv", "/shape", "/fine")
    },
}
ANSWERS = {
    "/boom": (500, "application/problem+json", {"status": 500}),
    "/teapot": (418, "application/json", {}),
    "/csv": (200, "text/csv", "a,b"),
    "/shape": (200, "application/json", {"name": "no id"}),
    "/fine": (200, "application/json", {"id": 1}),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/openapi.json":
            status, media_type, body = 200, "application/json", DOCUMENT
        else:
            status, media_type, body = ANSWERS.get(self.path.split("?")[0], (404, "application/json", {}))
        payload = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def probe_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_harness_reports_each_kind_of_failure(probe_server: str) -> None:
    config = fuzz_run.config(seed=1, max_examples=2, coverage=True, headers={}, parameters={})
    report = fuzz_run.run(schemathesis.openapi.from_url(f"{probe_server}/openapi.json", config=config))
    found = {(finding.operation, finding.check) for finding in report.findings}
    assert ("GET /boom", "not_a_server_error") in found
    assert ("GET /teapot", "status_code_conformance") in found
    assert ("GET /csv", "content_type_conformance") in found
    assert ("GET /shape", "response_schema_conformance") in found
    assert not any(operation == "GET /fine" for operation, _ in found)
    assert len(report.operations) == 5
    assert report.cases >= 5

"""A fake Stripe API on 127.0.0.1, so the real SDK's HTTP stack (requests, retries, headers) is exercised.

It answers the endpoints Slivers uses with Stripe-shaped JSON, records every request with its
Idempotency-Key and form body, replays the stored response for a repeated key (as Stripe does), and
can stall its answer to one request so the client times out and retries.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

STALL_LIMIT_SECONDS = 10.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    idempotency_key: str | None
    form: dict[str, str]
    replayed: bool


@dataclass
class _Stored:
    method: str
    path: str
    form: dict[str, str]
    status: int
    body: dict[str, Any]


@dataclass
class FakeStripeState:
    requests: list[RecordedRequest] = field(default_factory=list)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[str, _Stored] = field(default_factory=dict)
    stall_paths: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self.ids):06d}"


def _error(status: int, kind: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"type": kind, "message": message}}


def _metadata(form: dict[str, str]) -> dict[str, str]:
    return {k[len("metadata[") : -1]: v for k, v in form.items() if k.startswith("metadata[")}


def _create_payment_intent(state: FakeStripeState, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
    intent_id = state.new_id("pi")
    confirmed = form.get("confirm") == "true"
    manual = form.get("capture_method") == "manual"
    amount = int(form["amount"])
    intent = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": amount if confirmed and manual else 0,
        "amount_received": amount if confirmed and not manual else 0,
        "currency": form["currency"],
        "customer": form.get("customer"),
        "capture_method": form.get("capture_method", "automatic"),
        "client_secret": f"{intent_id}_secret_x",
        "latest_charge": state.new_id("ch") if confirmed else None,
        "status": ("requires_capture" if manual else "succeeded") if confirmed else "requires_payment_method",
        "transfer_group": form.get("transfer_group"),
        "metadata": _metadata(form),
    }
    state.objects[intent_id] = intent
    return 200, intent


def _capture(state: FakeStripeState, intent_id: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
    intent = state.objects.get(intent_id)
    if intent is None:
        return _error(404, "invalid_request_error", f"No such payment_intent: '{intent_id}'")
    if intent["status"] != "requires_capture":
        return _error(400, "invalid_request_error", "This PaymentIntent could not be captured")
    amount = int(form.get("amount_to_capture", intent["amount_capturable"]))
    if amount > intent["amount_capturable"]:
        return _error(400, "invalid_request_error", "amount_to_capture is greater than amount_capturable")
    intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
    return 200, intent


def _cancel(state: FakeStripeState, intent_id: str) -> tuple[int, dict[str, Any]]:
    intent = state.objects.get(intent_id)
    if intent is None:
        return _error(404, "invalid_request_error", f"No such payment_intent: '{intent_id}'")
    intent.update(status="canceled", amount_capturable=0)
    return 200, intent


def _simple(
    state: FakeStripeState, prefix: str, kind: str, fields: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    obj = {"id": state.new_id(prefix), "object": kind, **fields}
    state.objects[obj["id"]] = obj
    return 200, obj


def _connect(
    state: FakeStripeState, method: str, path: str, form: dict[str, str]
) -> tuple[int, dict[str, Any]] | None:
    """Connect: Express accounts, Account Links, and transfers listed by transfer group."""
    url = urlsplit(path)
    if method == "GET" and url.path == "/v1/transfers":
        group = dict(parse_qsl(url.query)).get("transfer_group")
        found = [
            o
            for i, o in state.objects.items()
            if i.startswith("tr_") and (group is None or o["transfer_group"] == group)
        ]
        return 200, {"object": "list", "url": "/v1/transfers", "has_more": False, "data": found}
    if method == "GET" and (match := re.fullmatch(r"/v1/accounts/(\w+)", url.path)):
        found_account = state.objects.get(match[1])
        if found_account is None:
            return _error(404, "invalid_request_error", f"No such account: '{match[1]}'")
        return 200, found_account
    if path == "/v1/accounts":
        fields = {
            "type": form.get("type"),
            "country": form.get("country"),
            "capabilities": {"transfers": "inactive"}
            if form.get("capabilities[transfers][requested]")
            else {},
            "charges_enabled": False,
            "payouts_enabled": False,
            "details_submitted": False,
            "metadata": _metadata(form),
        }
        return _simple(state, "acct", "account", fields)
    if path == "/v1/account_links":
        if form.get("account") not in state.objects:
            return _error(400, "invalid_request_error", "No such account")
        link = {"object": "account_link", "created": 0, "expires_at": 300}
        return 200, {**link, "url": f"https://connect.stripe.invalid/setup/{state.new_id('link')}"}
    return None


def _route(
    state: FakeStripeState, method: str, path: str, form: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    if (answered := _connect(state, method, path, form)) is not None:
        return answered
    if method == "GET" and (match := re.fullmatch(r"/v1/payment_intents/([\w]+)", path)):
        found = state.objects.get(match[1])
        return (200, found) if found else _error(404, "invalid_request_error", "No such payment_intent")
    if method == "GET" and (match := re.fullmatch(r"/v1/setup_intents/([\w]+)", path)):
        found = state.objects.get(match[1])
        return (200, found) if found else _error(404, "invalid_request_error", "No such setupintent")
    if path == "/v1/customers":
        return _simple(state, "cus", "customer", {"metadata": _metadata(form)})
    if path == "/v1/payment_intents":
        return _create_payment_intent(state, form)
    if match := re.fullmatch(r"/v1/payment_intents/(\w+)/capture", path):
        return _capture(state, match[1], form)
    if match := re.fullmatch(r"/v1/payment_intents/(\w+)/cancel", path):
        return _cancel(state, match[1])
    fields: dict[str, Any]
    if path == "/v1/setup_intents":
        fields = {
            "status": "requires_payment_method",
            "usage": form.get("usage"),
            "customer": form.get("customer"),
            "payment_method": None,
        }
        status, obj = _simple(state, "seti", "setup_intent", fields)
        obj["client_secret"] = f"{obj['id']}_secret_x"
        obj["metadata"] = _metadata(form)
        return status, obj
    if path == "/v1/refunds":
        fields = {
            "amount": int(form["amount"]),
            "status": "succeeded",
            "payment_intent": form["payment_intent"],
        }
        return _simple(state, "re", "refund", fields)
    if path == "/v1/transfers":
        fields = {
            "amount": int(form["amount"]),
            "currency": form["currency"],
            "destination": form["destination"],
            "transfer_group": form.get("transfer_group"),
            "source_transaction": form.get("source_transaction"),
            "metadata": _metadata(form),
        }
        return _simple(state, "tr", "transfer", fields)
    return _error(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path})")


class _Handler(BaseHTTPRequestHandler):
    server: FakeStripeServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer("GET", {})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        self._answer("POST", form)

    def _answer(self, method: str, form: dict[str, str]) -> None:
        state = self.server.state
        key = self.headers.get("Idempotency-Key")
        with state.lock:
            state.release.set()  # any new request frees a stalled one: its client has given up by now
            stored = state.by_key.get(key) if key else None
            replayed = stored is not None
            if stored is None:
                status, body = _route(state, method, self.path, form)
                stored = _Stored(method, self.path, form, status, json.loads(json.dumps(body)))
                if key and method == "POST":
                    state.by_key[key] = stored
            elif (stored.method, stored.path, stored.form) != (method, self.path, form):
                status, body = _error(
                    400,
                    "idempotency_error",
                    "Keys for idempotent requests can only be "
                    "used with the same parameters they were first used with.",
                )
                stored = _Stored(method, self.path, form, status, body)
            state.requests.append(RecordedRequest(method, self.path, key, form, replayed))
            stall = any(self.path.startswith(p) for p in state.stall_paths) and not replayed
            if stall:
                state.stall_paths.remove(next(p for p in state.stall_paths if self.path.startswith(p)))
                state.release.clear()
        if stall:
            state.release.wait(STALL_LIMIT_SECONDS)
        payload = json.dumps(stored.body).encode()
        try:
            self.send_response(stored.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Request-Id", f"req_{len(state.requests)}")
            if replayed:
                self.send_header("Idempotent-Replayed", "true")
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client timed out and hung up; Stripe would have done the work all the same


class FakeStripeServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler, so nothing outlives a test

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = FakeStripeState()
        # A short poll interval only makes shutdown prompt; requests are answered as they arrive.
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-stripe", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeStripeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.state.release.set()
        self.server_close()
        self._thread.join()

    def stall_next(self, path_prefix: str) -> None:
        """Do the work of the next request to this path but hold back the answer until another arrives."""
        with self.state.lock:
            self.state.stall_paths.append(path_prefix)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self.state.lock:
            return list(self.state.requests)

    def forget_keys(self) -> None:
        """What Stripe does to idempotency keys after 24 hours: a repeat is a new request."""
        with self.state.lock:
            self.state.by_key.clear()

    def update(self, object_id: str, **fields: Any) -> None:
        """Change an object as Stripe would on its side (a card captured, an account verified)."""
        with self.state.lock:
            self.state.objects[object_id].update(fields)

    def posts_to(self, path_prefix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path.startswith(path_prefix)]

    def created(self, prefix: str) -> list[dict[str, Any]]:
        """Objects actually created (not replays), by id prefix: `pi`, `re`, `tr`, `seti`, `cus`, `acct`."""
        with self.state.lock:
            return [o for i, o in self.state.objects.items() if i.startswith(f"{prefix}_")]

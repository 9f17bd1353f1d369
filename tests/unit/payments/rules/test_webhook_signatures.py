"""Webhooks signed the way Stripe signs them: HMAC-SHA256 over "{timestamp}.{body}"."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime

import pytest

from slivers.payments.rules.webhook_signatures import WebhookRejected, verify_webhook, verify_with_any

SECRET = "whsec_test_secret"


def body(event_id: str = "evt_1", kind: str = "payment_intent.succeeded") -> bytes:
    event = {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": 1_780_000_000,
        "livemode": False,
        "data": {"object": {"id": "pi_123", "object": "payment_intent", "amount": 3813}},
    }
    return json.dumps(event).encode()


def sign(payload: bytes, timestamp: int, secret: str = SECRET) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def test_a_valid_signature_is_accepted() -> None:
    payload = body()
    event = verify_webhook(payload, sign(payload, int(time.time())), SECRET)
    assert (event.id, event.type, event.object_id) == ("evt_1", "payment_intent.succeeded", "pi_123")
    assert event.created == datetime.fromtimestamp(1_780_000_000, UTC)
    assert event.is_subscribed


def test_a_tampered_body_is_rejected() -> None:
    payload = body()
    header = sign(payload, int(time.time()))
    tampered = payload.replace(b"3813", b"9999")
    with pytest.raises(WebhookRejected, match="signature"):
        verify_webhook(tampered, header, SECRET)


def test_a_timestamp_older_than_the_tolerance_is_rejected() -> None:
    payload = body()
    with pytest.raises(WebhookRejected, match="signature"):
        verify_webhook(payload, sign(payload, int(time.time()) - 301), SECRET)


def test_just_inside_the_tolerance_is_accepted() -> None:
    payload = body()
    assert verify_webhook(payload, sign(payload, int(time.time()) - 240), SECRET).id == "evt_1"


@pytest.mark.parametrize("header", [None, "", "garbage", "t=abc,v1=00", "t=1,v0=00"])
def test_a_missing_or_malformed_header_is_rejected(header: str | None) -> None:
    with pytest.raises(WebhookRejected):
        verify_webhook(body(), header, SECRET)


def test_the_wrong_secret_is_rejected() -> None:
    payload = body()
    with pytest.raises(WebhookRejected):
        verify_webhook(payload, sign(payload, int(time.time()), "whsec_other"), SECRET)


def test_a_signed_body_that_is_not_json_is_rejected() -> None:
    payload = b"not json"
    with pytest.raises(WebhookRejected, match="not a Stripe event"):
        verify_webhook(payload, sign(payload, int(time.time())), SECRET)


def test_a_body_that_is_not_utf8_is_rejected() -> None:
    payload = b"\xff\xfe"
    with pytest.raises(WebhookRejected):
        verify_webhook(payload, sign(payload, int(time.time())), SECRET)


def test_a_signed_json_body_without_event_fields_is_rejected() -> None:
    payload = b'{"object": "event"}'
    with pytest.raises(WebhookRejected, match="not a Stripe event"):
        verify_webhook(payload, sign(payload, int(time.time())), SECRET)


def test_either_endpoints_secret_verifies_and_a_third_is_refused() -> None:
    payload = body(kind="account.updated")
    connect_signed = sign(payload, int(time.time()), "whsec_connect")
    assert verify_with_any(payload, connect_signed, [SECRET, "whsec_connect"]).type == "account.updated"
    with pytest.raises(WebhookRejected):
        verify_with_any(payload, sign(payload, int(time.time()), "whsec_other"), [SECRET, "whsec_connect"])

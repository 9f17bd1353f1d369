"""Redaction at any depth, text scrubbing, and every library's log lines rendered through ours."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import msgspec
import pytest

from slivers.logs import REDACTED, configure_logging, get_logger, scrub, scrub_text

TOKEN = "slv_" + "a1B2" * 10


class Person(msgspec.Struct):
    display_name: str
    needs: str


@dataclass
class Visit:
    id: str
    visit_notes: str


def test_sensitive_keys_are_redacted_at_any_depth() -> None:
    event = {
        "scope": {
            "path": "/api/v1/persons",
            "headers": [(b"authorization", b"Bearer " + TOKEN.encode()), (b"accept", b"*/*")],
            "state": {"person": Person(display_name="Mum", needs="insulin")},
        },
        "visits": [Visit(id="v1", visit_notes="fell in the bath")],
        "API_Token": TOKEN,
        "session_token": "abc",
        "user": {"Email": "a@b.org", "id": 7},
    }
    assert scrub(event) == {
        "scope": {
            "path": "/api/v1/persons",
            "headers": [("authorization", REDACTED), ("accept", "*/*")],
            "state": {"person": {"type": "Person", "display_name": "Mum", "needs": REDACTED}},
        },
        "visits": [{"type": "Visit", "id": "v1", "visit_notes": REDACTED}],
        "API_Token": REDACTED,
        "session_token": REDACTED,
        "user": {"Email": REDACTED, "id": 7},
    }


class Header:
    def __repr__(self) -> str:
        return f"Header(authorization='Bearer {TOKEN}', from='jo@example.org')"


def test_other_objects_are_logged_as_their_scrubbed_repr() -> None:
    assert scrub({"header": Header()}) == {
        "header": "Header(authorization='Bearer [redacted]', from='[email]')"
    }
    assert scrub([1, 2.5, True, None]) == [1, 2.5, True, None]


def test_nesting_is_cut_off_rather_than_followed_forever() -> None:
    deep: list[object] = []
    current = deep
    for _ in range(50):
        inner: list[object] = []
        current.append(inner)
        current = inner
    assert "[too deep]" in json.dumps(scrub(deep))


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        (f"Authorization: Bearer {TOKEN}", "Bearer [redacted]", TOKEN),
        (f"token {TOKEN} was refused", "slv_[redacted]", TOKEN[4:]),
        ("Cookie: slivers_session=s3cr3t; slivers_csrf=c5rf", "slivers_session=[redacted]", "s3cr3t"),
        ("Cookie: slivers_session=s3cr3t; slivers_csrf=c5rf", "slivers_csrf=[redacted]", "c5rf"),
        ("no account for jo.bloggs+care@example.co.uk", "no account for [email]", "jo.bloggs"),
        (
            '"GET /api/v1/workers/search?task_types=sit&postcode=SG1+2AB HTTP/1.1" 200',
            "task_types=sit&postcode=[redacted]",
            "SG1",
        ),
        ("DETAIL:  Key (email)=(jo@x.org) already exists.", "Key (email)=([redacted])", "jo@x.org"),
        ("Key (lower(email::text))=(jo@x.org) already exists", "Key (lower(email::text))=([redacted])", "jo"),
        (
            'Key (worker_id, during)=(w1, ["2026-03-29 10:00",)) conflicts with existing key (worker_id, '
            'during)=(w1, ["2026-03-29 09:00",)).',
            "existing key (worker_id, during)=([redacted]).",
            "2026-03-29",
        ),
    ],
)
def test_secrets_in_text_are_scrubbed(text: str, kept: str, gone: str) -> None:
    scrubbed = scrub_text(text)
    assert kept in scrubbed
    assert gone not in scrubbed


def test_ordinary_text_is_left_alone() -> None:
    text = "booking b1 accepted at 2026-03-29T01:30:00Z for 4500 pence (?page=2&sort=start)"
    assert scrub_text(text) == text


@pytest.fixture(params=["console", "json"])
def log_json(request: pytest.FixtureRequest) -> bool:
    return request.param == "json"


def _fails_with_a_secret_in_its_message_and_locals() -> None:
    needs = "takes insulin"  # noqa: F841 - a local a traceback could show
    raise ValueError(f"refused Bearer {TOKEN} for jo@example.org")


def test_our_errors_and_the_libraries_lines_are_scrubbed(
    log_json: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(json=log_json)
    try:
        _fails_with_a_secret_in_its_message_and_locals()
    except ValueError as error:
        get_logger("slivers.test").error("test.failed", error_type="ValueError", exc_info=error)
        logging.getLogger("uvicorn.error").error("Exception in ASGI application\n", exc_info=error)
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/invitations?token=abc123def", "1.1", 200
    )
    logging.getLogger("litestar").warning("headers %s", {"cookie": "slivers_session=zz9", "host": "x"})
    output = "".join(capsys.readouterr())
    for secret in (TOKEN, TOKEN[4:], "jo@example.org", "takes insulin", "abc123def", "zz9"):
        assert secret not in output
    assert "ValueError" in output
    assert "refused Bearer [redacted] for [email]" in output
    if log_json:
        lines = [json.loads(line) for line in output.splitlines()]
        assert [line["event"].split("\n")[0] for line in lines] == [
            "test.failed",
            "Exception in ASGI application",
            '127.0.0.1:5000 - "GET /invitations?token=[redacted] HTTP/1.1" 200',
            "headers {'cookie': 'slivers_session=[redacted]', 'host': 'x'}",
        ]
        assert [line["logger"] for line in lines] == [
            "slivers.test",
            "uvicorn.error",
            "uvicorn.access",
            "litestar",
        ]
        for line in lines[:2]:
            frames = line["exception"][0]["frames"]
            assert frames
            assert all("locals" not in frame for frame in frames)
    else:
        assert '"GET /invitations?token=[redacted] HTTP/1.1" 200' in output
        assert output.count("Traceback (most recent call last)") == 2

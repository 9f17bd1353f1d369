from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from slivers.clock import FrozenClock, ensure_utc, to_london
from slivers.config import Settings, normalise_database_url
from slivers.logs import redact_special_category


def test_naive_datetimes_are_refused_and_offsets_become_utc() -> None:
    with pytest.raises(ValueError, match="time zone"):
        ensure_utc(datetime(2026, 3, 29, 1, 30))
    assert ensure_utc(datetime(2026, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))) == datetime(
        2026, 6, 1, 9, 0, tzinfo=UTC
    )


def test_london_time_across_the_clock_changes() -> None:
    clock = FrozenClock(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))
    assert to_london(clock.now()).hour == 0  # GMT
    clock.advance(timedelta(minutes=2))
    assert to_london(clock.now()).hour == 2  # 01:01 UTC is 02:01 BST
    clock.set(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    assert to_london(clock.now()).utcoffset() == timedelta(hours=1)
    clock.advance(timedelta(hours=1))
    assert to_london(clock.now()).utcoffset() == timedelta(0)


def test_special_category_fields_never_reach_the_log() -> None:
    event = redact_special_category(
        None,
        "info",
        {
            "event": "x",
            "address": "1 Road",
            "needs": "insulin",
            "certificate_number": "001234",
            "booking_id": "b1",
        },
    )
    assert event == {
        "event": "x",
        "address": "[redacted]",
        "needs": "[redacted]",
        "certificate_number": "[redacted]",
        "booking_id": "b1",
    }


def test_database_urls_are_normalised_to_async_drivers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    assert normalise_database_url("postgres://u:p@h/db") == "postgresql+asyncpg://u:p@h/db"
    assert normalise_database_url("sqlite:////x/y.db") == "sqlite+aiosqlite:////x/y.db"
    monkeypatch.setenv("SLIVERS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SLIVERS_DATABASE_URL", raising=False)
    monkeypatch.delenv("SLIVERS_SECRET_KEY", raising=False)
    first, second = Settings.from_env(), Settings.from_env()
    assert first.database_url.endswith("/slivers.db")
    assert first.is_sqlite
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) > 40

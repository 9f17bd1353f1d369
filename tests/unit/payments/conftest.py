from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import stripe

from slivers.clock import FrozenClock
from slivers.payments.providers.stripe_gateway import StripeClientGateway, make_stripe_client

from .providers.fake_stripe import FakeStripeServer

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


class NoWaitRequestsClient(stripe.RequestsClient):
    """The SDK's own HTTP client, minus the back-off sleep between retries (tests never sleep)."""

    def _sleep_time_seconds(self, num_retries: int) -> float:
        return 0.0


@pytest.fixture
def fake_stripe(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStripeServer]:
    # Telemetry would write an id file under ~/.config; nothing here should touch the home folder.
    monkeypatch.setattr(stripe, "enable_telemetry", False)
    server = FakeStripeServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_gateway(fake_stripe: FakeStripeServer) -> Iterator[Callable[..., StripeClientGateway]]:
    clients: list[NoWaitRequestsClient] = []

    def build(*, read_timeout: float = 5.0, max_network_retries: int = 2) -> StripeClientGateway:
        http = NoWaitRequestsClient(timeout=(5.0, read_timeout))
        clients.append(http)
        client = make_stripe_client(
            "sk_test_fake",
            api_base=fake_stripe.url,
            max_network_retries=max_network_retries,
            http_client=http,
        )
        return StripeClientGateway(client)

    yield build
    for http in clients:
        http.close()  # type: ignore[no-untyped-call]


@pytest.fixture
def gateway(make_gateway: Callable[..., StripeClientGateway]) -> StripeClientGateway:
    return make_gateway()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)

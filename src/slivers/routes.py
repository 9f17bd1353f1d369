"""Controllers of the domains beyond accounts. Each domain lists its controllers in HANDLERS."""

from __future__ import annotations

from typing import Any

from slivers.market.controllers import HANDLERS as MARKET
from slivers.matching.controllers import HANDLERS as MATCHING
from slivers.payments.controllers import HANDLERS as PAYMENTS
from slivers.vetting.controllers import HANDLERS as VETTING

DOMAIN_HANDLERS: list[Any] = [*VETTING, *MARKET, *PAYMENTS, *MATCHING]

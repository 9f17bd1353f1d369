"""Page tests reuse the market's fixtures (vetted workers, carers with a funded person)."""

from tests.integration.market.conftest import market

__all__ = ["market"]

from tests.integration.market.conftest import Market, market

__all__ = ["Market", "market"]

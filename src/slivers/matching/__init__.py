"""Matching runs: the scheduling engine applied to the open requests in the database (design 6).

The engine (`slivers.scheduling`) is a pure library; this package is its database adapter: it builds an
instance from open seats and eligible candidates, runs the solve off the web event loop (in the
scheduler process), stores the result, and turns it into proposals through the market.
"""

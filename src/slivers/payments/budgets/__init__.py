"""Budgets: set up, topped up, read from the ledger, the money a booking holds and settles on them,
and their statements for a council's review."""

"""Budgets: set up, topped up, read from the ledger, and their statements for a council's review."""

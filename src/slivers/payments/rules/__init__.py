"""Payments rules, free of I/O: money in pence, the double-entry ledger and its in-memory store,
budget views, expense rules, statements, CSV safety and webhook signatures."""

"""Volunteer expenses: receipts, claims and a coordinator's decisions (the rules: rules/expenses.py)."""

"""Payouts under the ledger provider: what each paid worker earned, marked paid, and the CSV for
the bank run."""

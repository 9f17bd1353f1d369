"""The ledger in the database, and the money side of booking moves posted to it (the pure postings
are rules/ledger.py)."""

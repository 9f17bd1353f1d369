"""The ledger in the database, and the reads of a worker's payouts from it (the pure postings are
rules/ledger.py)."""

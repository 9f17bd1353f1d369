"""Candidate search: the SQL narrowing, set-based loading of workers, and the pure rules' verdicts."""

"""Credentials: submitted with evidence by a worker, decided by a coordinator, DBS status checks recorded."""

"""Requests for care (one slot or a weekly series): posting, reading, and their candidates over HTTP."""

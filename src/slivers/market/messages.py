"""Notification templates of this domain: name -> (subject, body), plain English, short."""

from __future__ import annotations

TEMPLATES: dict[str, tuple[str, str]] = {}

"""Slivers: a local labour market for short slots of care."""

"""Sweep jobs of this domain, registered in slivers.jobs.registry."""

from __future__ import annotations

from slivers.jobs.registry import SweepJob

JOBS: list[SweepJob] = []

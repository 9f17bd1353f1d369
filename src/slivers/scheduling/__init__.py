"""The scheduling engine (design 6): a pure library, plain typed data in, a solution out.

A database adapter builds an `Instance` (requests, workers, eligible `Candidate` pairs, fixed
bookings), calls `solve(instance, Settings(...))`, and reads the `Solution` (assignments, starts,
`unfilled` reasons, objective, bound and gap). `validate` checks any solution independently.
"""

from slivers.scheduling.model import Candidate, FixedBooking, Instance, InstanceError, Request, Worker
from slivers.scheduling.settings import Mode, Settings
from slivers.scheduling.solution import LevelResult, Solution, Status, Unfilled, UnfilledReason
from slivers.scheduling.solver import Solver, solve
from slivers.scheduling.travel import GeoTravel, MatrixTravel, Travel, ZeroTravel
from slivers.scheduling.validate import Violation, validate

__all__ = [
    "Candidate",
    "FixedBooking",
    "GeoTravel",
    "Instance",
    "InstanceError",
    "LevelResult",
    "MatrixTravel",
    "Mode",
    "Request",
    "Settings",
    "Solution",
    "Solver",
    "Status",
    "Travel",
    "Unfilled",
    "UnfilledReason",
    "Violation",
    "Worker",
    "ZeroTravel",
    "solve",
    "validate",
]

"""Bookings: the use case of every lifecycle transition, who may make it, confirmation and its effects."""

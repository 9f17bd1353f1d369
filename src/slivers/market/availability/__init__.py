"""A worker's availability rules in the database and over HTTP."""

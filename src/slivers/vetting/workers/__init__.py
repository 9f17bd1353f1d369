"""A worker's standing with their organisation: approval, suspension, supervision, overrides, and
eligibility in words."""

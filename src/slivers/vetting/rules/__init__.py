"""Vetting rules, free of I/O: the credential catalogue, eligibility for a visit, what the expiry
sweeps must do, and vetting in words."""

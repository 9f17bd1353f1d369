"""Workers' market profiles and reliability strikes."""

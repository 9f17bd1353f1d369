"""iCalendar feeds behind secret, revocable URLs."""

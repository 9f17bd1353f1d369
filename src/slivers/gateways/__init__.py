"""Outside systems behind small typed interfaces (mail and SMS, Stripe): below every domain, so the
wiring can hold one of each for the process without importing a domain."""

"""What every HTTP handler shares, API and pages alike: request dependencies (the session, clock,
actor), problem details and error pages, the one-transaction-per-request middleware, CSRF, flash
messages, page rendering and form helpers. It sits below the domains: it may import `accounts`
(who is signed in) and the foundation (`clock`, `config`, `errors`, `logs`, `wiring`), never a
domain's controllers or `slivers.web`."""

"""Payment providers: the ledger provider and Stripe (cards, Connect payouts, webhooks, reconciliation)."""

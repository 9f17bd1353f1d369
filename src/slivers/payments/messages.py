"""Notification templates of this domain: name -> (subject, body), plain English, short.

Message data carries references and amounts only: never card details, addresses or notes."""

from __future__ import annotations

TEMPLATES: dict[str, tuple[str, str]] = {
    "payments_provider_action_failed": (
        "A card payment needs attention",
        "We could not complete a card step ({action}) for the visit {booking_id} after {attempts} tries. "
        "The budget's record is right; the card payment is not. Last error: {error}. "
        "Check it in Stripe and in Slivers.",
    ),
}

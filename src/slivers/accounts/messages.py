"""The accounts' notification wording (`slivers.assembly` gives it to notifications)."""

TEMPLATES: dict[str, tuple[str, str]] = {
    "circle_invitation": (
        "You have been invited to help {person_name}",
        "{inviter_name} has invited you to join {person_name}'s circle of support on Slivers. "
        "Sign in and use this code to accept: {token}",
    ),
}

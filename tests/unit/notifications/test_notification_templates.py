"""Notifications word messages from the templates the domains hand them (through slivers.assembly);
they import no domain themselves."""

from __future__ import annotations

import pytest

from slivers.assembly import domain_hooks
from slivers.notifications.templates import merge_templates, render


def test_a_template_two_domains_define_is_refused() -> None:
    with pytest.raises(RuntimeError, match="defined twice: \\['reminder'\\]"):
        merge_templates({"reminder": ("A", "a")}, {"reminder": ("B", "b")})


def test_every_domains_wording_reaches_the_outbox_and_an_unknown_template_is_generic() -> None:
    templates = domain_hooks().notification_templates
    subject, body = render(templates, "circle_invitation", {"person_name": "Ann", "token": "t0k"})
    assert subject == "You have been invited to help Ann"
    assert body.endswith("Sign in and use this code to accept: t0k")
    assert {"vetting_credential_lapsed", "circle_invitation"} <= set(templates)
    assert render(templates, "no_such_template", {"subject": "Hi", "body": "there"}) == ("Hi", "there")

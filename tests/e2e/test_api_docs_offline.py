"""The API's documentation pages render in a browser with every request outside the server refused,
as on a laptop without internet (issue 13: the viewer used to load from a CDN, a blank page offline)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect


@pytest.fixture
def offline_page(browser: Browser, server: dict[str, str]) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(base_url=server["base_url"], locale="en-GB")
    context.set_default_timeout(15_000)
    own_host = urlsplit(server["base_url"]).netloc
    refused: list[str] = []

    def only_the_server(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in {"data", "blob"} or urlsplit(url).netloc == own_host:
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    context.route("**/*", only_the_server)
    yield context.new_page(), refused
    context.close()


def test_swagger_ui_renders_offline_and_offers_the_bearer_token(offline_page: tuple[Page, list[str]]) -> None:
    page, refused = offline_page
    page.goto("/schema")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Slivers API")
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/auth/tokens").first).to_be_visible()
    assert refused == []


def test_redoc_renders_offline(offline_page: tuple[Page, list[str]]) -> None:
    page, refused = offline_page
    page.goto("/schema/redoc")
    expect(page.get_by_role("heading", name="Slivers API", exact=False).first).to_be_visible()
    expect(page.get_by_text("Getting a token").first).to_be_visible()
    assert refused == []

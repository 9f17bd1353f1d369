"""The API documents itself offline: every documentation page loads only the package's own files
(Swagger UI and Redoc from npm, vendored), and the document declares how to authenticate."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from tests.integration.conftest import ApiClient

PAGES = ["/schema", "/schema/swagger", "/schema/redoc"]
CDN_WORDS = ["jsdelivr", "unpkg", "googleapis", "cdn.", "redoc.ly", "scalar.com"]


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in {"src", "href"} and value]


def _references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("page", PAGES)
async def test_each_documentation_page_loads_only_local_files(
    page: str, anonymous: Callable[[], ApiClient]
) -> None:
    client = anonymous()
    response = await client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    references = _references(response.text)
    scripts = [ref for ref in references if ref.endswith(".js")]
    assert scripts, "the page loads its viewer"
    for reference in references:
        assert reference.startswith("/"), reference
        assert not reference.startswith("//"), reference
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
        assert len(asset.content) > 10_000, f"{reference} is the real bundle"
        assert "cdn.redoc.ly" not in asset.text, (
            f"{reference} loads Redocly's logo (scripts/vendor_assets.py)"
        )
    for word in CDN_WORDS:
        assert word not in response.text, word


async def test_the_root_page_and_swagger_are_the_same_viewer(anonymous: Callable[[], ApiClient]) -> None:
    client = anonymous()
    root, swagger = (await client.get("/schema")).text, (await client.get("/schema/swagger")).text
    assert "SwaggerUIBundle" in root
    assert _references(root) == _references(swagger)


async def test_the_document_declares_bearer_tokens_and_which_operations_need_them(
    anonymous: Callable[[], ApiClient],
) -> None:
    document = (await anonymous().get("/schema/openapi.json")).json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerToken"]["type"] == "http"
    assert schemes["bearerToken"]["scheme"] == "bearer"
    assert schemes["sessionCookie"] == {**schemes["sessionCookie"], "type": "apiKey", "in": "cookie"}
    signed_in = [{"bearerToken": []}, {"sessionCookie": []}]
    paths = document["paths"]
    assert paths["/api/v1/me"]["get"]["security"] == signed_in
    assert paths["/api/v1/persons"]["post"]["security"] == signed_in
    # through a dependency: the matching service's provider is what needs the actor
    assert paths["/api/v1/matching/runs"]["post"]["security"] == signed_in
    # anyone may call these
    assert "security" not in paths["/api/v1/auth/login"]["post"]
    assert "security" not in paths["/health"]["get"]
    # a token can be had signed in or with email and password alone
    assert paths["/api/v1/auth/tokens"]["post"]["security"] == [{}, *signed_in]
    token_body = document["components"]["schemas"]["TokenCreate"]["properties"]
    assert {"name", "email", "password"} <= set(token_body)


async def test_the_description_says_how_to_get_a_token(anonymous: Callable[[], ApiClient]) -> None:
    description = (await anonymous().get("/schema/openapi.json")).json()["info"]["description"]
    assert "curl" in description
    assert "POST http://127.0.0.1:8000/api/v1/auth/tokens" in description.replace("-X ", "")
    assert "Authorization: Bearer" in description

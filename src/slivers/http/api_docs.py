"""The API's own documentation: the OpenAPI config, how a client signs in, and the pages that show it.

The pages load Swagger UI and Redoc from the package's static folder (copied from npm by
`scripts/vendor_assets.py`, versions pinned in package.json), never from a CDN: the documentation has to
work on a laptop without internet, and a page that pulls `@latest` from elsewhere changes under us.
"""

from __future__ import annotations

from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import RedocRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme

from slivers.identity import SESSION_COOKIE

VENDOR = "/static/vendor"
BEARER = "bearerToken"
SESSION = "sessionCookie"

# An operation that needs someone signed in takes either; one that serves anyone also takes none.
SIGNED_IN: list[SecurityRequirement] = [{BEARER: []}, {SESSION: []}]
ANYONE: list[SecurityRequirement] = [{}, *SIGNED_IN]

SECURITY_SCHEMES: dict[str, SecurityScheme] = {
    BEARER: SecurityScheme(
        type="http",
        scheme="bearer",
        bearer_format="personal access token",
        description="A personal access token from `POST /api/v1/auth/tokens`, sent as "
        "`Authorization: Bearer <token>`. Requests with it need no CSRF token.",
    ),
    SESSION: SecurityScheme(
        type="apiKey",
        name=SESSION_COOKIE,
        security_scheme_in="cookie",
        description="The browser's session cookie from signing in (`POST /api/v1/auth/login`). "
        "Requests that change something also send the `slivers_csrf` cookie's value as `x-csrf-token`.",
    ),
}

DESCRIPTION = """\
Book vetted care workers and volunteer sitters for short slots of time.

## Getting a token

Scripts and other programs authenticate with a personal access token, sent as
`Authorization: Bearer <token>`. Get one with your email address and password alone (no cookie,
no CSRF token):

```sh
curl -s -X POST http://127.0.0.1:8000/api/v1/auth/tokens \\
  -H 'content-type: application/json' \\
  -d '{"name": "my script", "email": "coordinator@stevenage.example.org",
       "password": "stevenage demo password", "expires_in_days": 30}'
```

The answer's `token` is shown only once; keep it secret. Use it on every call:

```sh
curl -s http://127.0.0.1:8000/api/v1/me -H "Authorization: Bearer $TOKEN"
```

Wrong credentials answer 401 (`rule: bad_credentials`); too many failed attempts answer 429 with
`Retry-After`, counted together with failed sign-ins. List your tokens with `GET /api/v1/auth/tokens`
and revoke one with `DELETE /api/v1/auth/tokens/{token_id}`.

A signed-in browser session (the `slivers_session` cookie) works too; then every request that changes
something also sends the `slivers_csrf` cookie's value in the `x-csrf-token` header.

Errors are `application/problem+json` (RFC 9457) naming the `field` and the `rule` it broke.
"""


def openapi_config() -> OpenAPIConfig:
    swagger = SwaggerRenderPlugin(
        path=["/", "/swagger"],
        js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
        standalone_preset_js_url=f"{VENDOR}/swagger-ui/swagger-ui-standalone-preset.js",
        favicon="",
    )
    redoc = RedocRenderPlugin(js_url=f"{VENDOR}/redoc/redoc.standalone.js", google_fonts=False, favicon="")
    return OpenAPIConfig(
        title="Slivers API",
        version="1",
        path="/schema",
        render_plugins=[swagger, redoc],
        description=DESCRIPTION,
        components=Components(security_schemes=dict(SECURITY_SCHEMES)),
    )

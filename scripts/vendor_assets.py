"""Copy front-end files installed by `npm ci` into the app's static folder.

Run after `npm ci`: `.venv/bin/python scripts/vendor_assets.py`. The copies are git-ignored; the pages
work without them (htmx only enhances forms that already work as plain HTML). The API's documentation
pages (/schema, /schema/swagger, /schema/redoc) load Swagger UI and Redoc from here, so they work offline;
their versions are pinned exactly in package.json.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "slivers" / "web" / "static" / "vendor"
NODE_MODULES = ROOT / "node_modules"
FILES = {
    NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js": VENDOR / "htmx.min.js",
    **{
        NODE_MODULES / "swagger-ui-dist" / name: VENDOR / "swagger-ui" / name
        for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css", "LICENSE")
    },
    NODE_MODULES / "redoc" / "bundles" / "redoc.standalone.js": VENDOR / "redoc" / "redoc.standalone.js",
    NODE_MODULES / "redoc" / "LICENSE": VENDOR / "redoc" / "LICENSE",
}


# Redoc's sidebar shows Redocly's logo from their CDN (it hides itself when that fails): offline it is a
# refused request, online a call to a third party from a page about our API. `data:,` fails at once,
# with no request. A Redoc upgrade that changes the string stops this script, to be looked at.
REWRITES = {
    VENDOR / "redoc" / "redoc.standalone.js": [
        ('src:"https://cdn.redoc.ly/redoc/logo-mini.svg"', 'src:"data:,"')
    ],
}


def _rewrite(target: Path) -> bool:
    text = target.read_text(encoding="utf-8")
    for old, new in REWRITES.get(target, []):
        if old not in text:
            print(
                f"{target.name} no longer holds {old!r}: check the new version for external requests.",
                file=sys.stderr,
            )
            return False
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    return True


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        if not source.exists():
            print(f"{source} is missing: run `npm ci` first.", file=sys.stderr)
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        if target in REWRITES and not _rewrite(target):
            return 1
        print(f"copied {source.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

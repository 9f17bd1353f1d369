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


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        if not source.exists():
            print(f"{source} is missing: run `npm ci` first.", file=sys.stderr)
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        print(f"copied {source.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

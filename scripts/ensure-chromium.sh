#!/bin/sh
# Make sure Debian's Chromium is installed for the browser tests (tests/e2e).
# Playwright drives it through `executable_path`; Playwright's own browser download is not used.
set -eu
CHROMIUM="${SLIVERS_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium is missing at $CHROMIUM. Install it as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
"$CHROMIUM" --version

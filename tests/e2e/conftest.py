"""Browser tests: Debian's Chromium driven by Playwright, against a real server on 127.0.0.1.

One server (uvicorn, a fresh migrated SQLite database) per session, one browser per test module, and
a new browser context per test. Set up once with `npm ci` (for axe-core) and `scripts/ensure-chromium.sh`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.e2e.browser import MODES, SCREENSHOTS, Ui
from tests.e2e.market import CLIENTS, Coordinator, make_coordinator
from tests.live_server import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SLIVERS_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` at the repository root.", pytrace=False)
    return AXE.read_text()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A real Slivers server on a free port, with its own freshly migrated SQLite database."""
    folder = tmp_path_factory.mktemp("e2e-server")
    database = folder / "slivers.db"
    url = f"sqlite+aiosqlite:///{database}"
    # In a child process: Playwright's sync API may already run an event loop in this thread.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from slivers.db.migrate import upgrade; upgrade(sys.argv[1])",
            url,
        ],
        check=True,
        cwd=ROOT,
    )
    port = free_port()
    env = {
        **os.environ,
        "SLIVERS_DATABASE_URL": url,
        "SLIVERS_DATA_DIR": str(folder / "data"),
        "SLIVERS_SECRET_KEY": "e2e-secret-key-" * 4,
        "SLIVERS_LOG_JSON": "1",
    }
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "tests.shifted_app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, folder / "server.log")
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield {"base_url": base, "database": str(database), "env": env}  # type: ignore[misc]
    process.terminate()
    process.wait(timeout=10)
    log.close()


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread while it
# is open, and the integration tests that run after these call asyncio.run().
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run scripts/ensure-chromium.sh (as root it installs "
            "Debian's chromium package).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def coordinator(server: dict[str, Any]) -> Iterator[Coordinator]:
    """One coordinator of one charity for the whole session (made with the CLI, as an operator would)."""
    made = make_coordinator(server)
    yield made
    made.client.close()


@pytest.fixture(scope="module", autouse=True)
def _close_api_clients() -> Iterator[None]:
    yield
    while CLIENTS:
        CLIENTS.pop().close()


@pytest.fixture(scope="session", autouse=True)
def _screenshot_folder(request: pytest.FixtureRequest) -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Browser, server: dict[str, str], mode: str) -> Iterator[Page]:
    """A fresh context (no cookies) per test: 320 px wide in the narrow mode."""
    viewport = {"width": 320, "height": 640} if mode == "narrow" else {"width": 1280, "height": 800}
    context = browser.new_context(base_url=server["base_url"], viewport=viewport, locale="en-GB")  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def ui(page: Page, mode: str, axe_source: str, request: pytest.FixtureRequest) -> Ui:
    return Ui(page, mode, axe_source, test_name=request.node.originalname)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SCREENSHOTS.exists() and any(SCREENSHOTS.rglob("*.png")):
        terminalreporter.write_line(f"e2e screenshots: {SCREENSHOTS}")

"""End-to-end fixtures: a real `streamlit run app.py` on a free port, and Debian's Chromium."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from gcm.config import ROOT
from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("GCM_CHROMIUM", "/usr/bin/chromium")
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Assertions on the page retry for as long as actions wait (Playwright's default is 5 s): with two test processes
# on two cores, a page can take longer than that to draw its form.
expect.set_options(timeout=30000)
ARTIFACTS = ROOT / "artifacts" / "e2e-failures"
PASSWORD = "una clave larga de prueba"
ACCOUNTS = [
    ("sec", "admin", None),
    ("cri", "delegate", "CRI"),
    ("cri2", "delegate", "CRI"),
    ("mex", "delegate", "MEX"),
    ("ana", "analyst", None),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, log: Path, database_url: str) -> None:
        self.url, self.log, self.database_url = url, log, database_url


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on a temporary SQLite database preloaded with the demo data."""
    folder = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "GCM_DATABASE_URL": f"sqlite:///{folder / 'e2e.sqlite'}",
        "PYTHONPATH": str(ROOT),
        # The browser reaches the app from 127.0.0.1, as nginx on the same host would: tests that send
        # X-Forwarded-For act as clients behind that proxy; the others are seen by the connection's address.
        "GCM_TRUSTED_PROXIES": "127.0.0.1",
    }
    subprocess.run(
        [sys.executable, "-m", "gcm", "demo"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=120
    )
    for name, role, country in ACCOUNTS:
        args = [sys.executable, "-m", "gcm", "user", "add", name, "--role", role] + (
            ["--country", country] if country else []
        )
        subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, timeout=120, input=PASSWORD, text=True)
    port = _free_port()
    log = folder / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"streamlit did not start:\n{log.read_text()}")
                time.sleep(0.3)
        yield Server(url, log, env["GCM_DATABASE_URL"])
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        skip_or_fail(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def requests_seen() -> list[str]:
    return []


@pytest.fixture
def new_page(browser, server: Server, requests_seen: list[str], request: pytest.FixtureRequest):
    """Open pages in fresh browser contexts; every request made is recorded and checked."""
    contexts = []

    def _new(locale: str = "es-ES"):
        context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1100})
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda req: requests_seen.append(req.url))
        page.set_default_timeout(30000)
        return page

    yield _new
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts):
        if failed:  # what the user saw, for the failure report
            for page in context.pages:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{number}.png"), full_page=True)
        context.close()
    outside = sorted(
        {
            u
            for u in requests_seen
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in LOCAL_HOSTS
        }
    )
    assert outside == [], f"requests to other hosts: {outside}"
    if failed:
        print(server.log.read_text()[-5000:])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'


# True once the app has been idle, with no element left stale (faded) from an earlier run, for `quiet` ms on end.
# A run may be followed by another (a widget or a frame may ask for one), and under load the second can start
# several hundred ms after the first ended: a single look at the idle state
# then let tests read a page whose elements were still fading or whose language script had not run.
_waits = itertools.count()
QUIET_FOR = """([quiet, wait]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app !== null && app.dataset.testScriptState === 'notRunning'
    && document.querySelector('[data-stale="true"]') === null;
  const now = performance.now();
  if (!idle || window.__gcmIdle === undefined || window.__gcmIdle.wait !== wait) {
    window.__gcmIdle = {wait, since: idle ? now : undefined};
    return false;
  }
  if (window.__gcmIdle.since === undefined) window.__gcmIdle.since = now;
  return now - window.__gcmIdle.since >= quiet;
}"""


def settle(page, quiet_ms: int = 400) -> None:
    """Wait until Streamlit has finished the run an action (or a page load) started, and no other has followed."""
    # The run may take a moment to start, longest after a page load; it may also be over already.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector(RUNNING, timeout=2500)
    page.wait_for_function(QUIET_FOR, arg=[quiet_ms, next(_waits)], polling=100, timeout=60000)


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the Streamlit select box labelled `label` (reopening the menu if a rerun closed it)."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).locator("input")
    for attempt in range(3):
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=3000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    settle(page)


def sign_in(
    page, server: Server, username: str, lang: str = "es", next_path: str = "/", password: str = PASSWORD
) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(f"{server.url}/auth/login?lang={lang}&next={next_path}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if password == PASSWORD:
        settle(page)

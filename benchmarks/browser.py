"""In the browser: navigation until every Plotly chart is drawn, WebSocket bytes per rerun, memory per session."""

from __future__ import annotations

import statistics
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.common import ADMIN, CHROMIUM, PASSWORD, Results, Server, ratio, streamlit_server

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
HEAVY_PAGES = ("regional_overview", "findings", "submissions", "presenter", "map", "explorer")
# The charts each page draws on opening (findings: the first round table's tab; presenter: the opening
# slide). The wait ends only once that many are drawn, so a page that is still loading is not timed as done.
CHARTS_ON_OPENING = {
    "baseline": 1,
    "regional_overview": 3,
    "findings": 3,
    "submissions": 0,
    "presenter": 1,
    "map": 1,
    "explorer": 1,
}
# True once the page's title is there, the script is idle and at least `least` charts have drawn their SVG
# (Plotly's afterplot has run), every chart present included.
DRAWN = """(least) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('h1, h2')) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (plots.length < least) return false;
  if (!plots.every(p => p.querySelector('.main-svg') && p._fullLayout)) return false;
  return {charts: plots.length};
}"""


@contextmanager
def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            yield browser
        finally:
            browser.close()


def _signed_in_state(browser, server: Server) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server.url}/auth/login?lang=es&next=/")
    page.fill("#username", ADMIN[0])
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.wait_for_selector(IDLE, timeout=120000)
    state = context.storage_state()
    context.close()
    return state


def _load(browser, url: str, state: dict | None, least: int) -> tuple[float, int, int, bool]:
    """One load: seconds from navigation to every chart drawn; charts seen; bytes a no-change rerun sends; whether
    that rerun sent a chart again."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, storage_state=state)
    page = context.new_page()
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_timeout(200)  # the first run starts after the WebSocket opens
    handle = page.wait_for_function(DRAWN, arg=least, timeout=300000, polling="raf")
    took = time.perf_counter() - started
    charts = int(handle.json_value()["charts"])
    page.wait_for_timeout(500)
    frames.clear()
    page.locator("body").press("r")  # Streamlit's rerun shortcut: a rerun that changes nothing
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=300000)
    page.wait_for_timeout(500)
    data = [f if isinstance(f, bytes) else f.encode() for f in frames]
    context.close()
    return took, charts, sum(len(f) for f in data), any(b'"layout"' in f for f in data)


def _side_by_side(browser, target: tuple, baseline: tuple, repeats: int) -> tuple[list[tuple], list[tuple]]:
    """`repeats` loads of the page and of the baseline page, taken in turn (the machine's speed drifts over a run;
    a ratio of loads taken side by side does not), after one load of each that warms the servers up."""
    _load(browser, *target)
    _load(browser, *baseline)
    runs: tuple[list[tuple], list[tuple]] = ([], [])
    for _ in range(repeats):
        runs[0].append(_load(browser, *target))
        runs[1].append(_load(browser, *baseline))
    return runs


def run_pages(results: Results, scale: str, database_url: str, folder: Path, repeats: int, pages=HEAVY_PAGES) -> None:
    baseline_script = str(Path(__file__).resolve().parent / "baseline_page.py")
    median = statistics.median
    with (
        _browser() as browser,
        streamlit_server(baseline_script, database_url, folder / "baseline.log") as base_server,
        streamlit_server("app.py", database_url, folder / f"app-{scale}.log") as server,
    ):
        baseline = (base_server.url, None, CHARTS_ON_OPENING["baseline"])
        state = _signed_in_state(browser, server)
        all_base: list[tuple] = []
        rows = []
        for page in pages:
            target = (f"{server.url}/{page}", state, CHARTS_ON_OPENING.get(page, 0))
            try:
                runs, base_runs = _side_by_side(browser, target, baseline, repeats)
            except Exception as exc:
                rows.append((page, None, None, f"failed: {exc.__class__.__name__}"[:120]))
                continue
            all_base += base_runs
            took, base = median(r[0] for r in runs), median(r[0] for r in base_runs)
            note = (
                f"{runs[-1][1]} charts; rerun sends {median(r[2] for r in runs):.0f} B; "
                f"chart resent: {any(r[3] for r in runs)}; baseline beside it {base * 1000:.0f} ms"
            )
            rows.append((f"{page}: navigation -> all charts drawn", took * 1000, ratio(took, base), note))
        if all_base:
            results.add(
                "browser",
                scale,
                "baseline: navigation -> chart drawn",
                median(r[0] for r in all_base) * 1000,
                1.0,
                f"rerun sends {median(r[2] for r in all_base):.0f} B; chart resent: {any(r[3] for r in all_base)}",
            )
        for row in rows:
            results.add("browser", scale, *row)


def run_memory(results: Results, scale: str, database_url: str, folder: Path, counts: tuple[int, int]) -> None:
    """Server RSS after `counts[0]` and `counts[1]` signed-in sessions have opened the home page and closed."""
    with _browser() as browser, streamlit_server("app.py", database_url, folder / f"memory-{scale}.log") as server:
        state = _signed_in_state(browser, server)
        opened = 0

        def open_sessions(until: int) -> None:
            nonlocal opened
            context = browser.new_context(viewport={"width": 1200, "height": 900}, storage_state=state)
            while opened < until:
                page = context.new_page()
                page.goto(f"{server.url}/")
                page.wait_for_timeout(200)
                page.wait_for_selector(IDLE, timeout=300000)
                page.close()
                opened += 1
            context.close()
            time.sleep(2)  # let the server notice the closed WebSockets

        open_sessions(1)
        start = server.rss_mb()
        results.add("memory", scale, "server RSS after 1 session (MB)", None, None, f"{start:.0f} MB")
        open_sessions(counts[0])
        first = server.rss_mb()
        results.add(
            "memory", scale, f"RSS after {counts[0]} sessions", None, None, f"{first:.0f} MB (+{first - start:.0f} MB)"
        )
        open_sessions(counts[1])
        second = server.rss_mb()
        results.add(
            "memory",
            scale,
            f"RSS after {counts[1]} sessions",
            None,
            None,
            f"{second:.0f} MB (+{second - first:.0f} MB since {counts[0]})",
        )

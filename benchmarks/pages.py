"""Server-side page time with AppTest: every page, right after a save (caches cold) and warm."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from benchmarks.common import ADMIN, Results, median_ms, ratio
from gcm import services
from gcm.bootstrap import ready_engine
from gcm.config import ROOT, load_config
from gcm.db import write_session

BASELINE = Path(__file__).resolve().parent / "baseline_page.py"
PAGES = (
    "home",
    "country_report",
    "regional_overview",
    "findings",
    "presenter",
    "country_onepager",
    "submissions",
    "cycles",
    "users",
    "audit",
    "review_process",
    "declaration",
    "explorer",
    "search",
    "compare",
    "objective",
    "country_profile",
    "map",
    "open_data",
)


def _after_save() -> None:
    """What a save does to every cache: the data revision moves on."""
    with write_session(ready_engine(load_config())) as session:
        services.bump_revision(session)


def _time_runs(at: AppTest, repeats: int, cold: bool) -> list[float]:
    samples = []
    for _ in range(repeats):
        if cold:
            _after_save()
        started = time.perf_counter()
        at.run()
        samples.append(time.perf_counter() - started)
    return samples


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["lang"] = "es"
    at.user = {"is_logged_in": True, "email": ADMIN[1]}
    at.run()
    if page != "home":
        at.switch_page(f"pages/{page}.py").run()
    return at


def baseline(repeats: int) -> float:
    """The trivial page's warm median, in seconds."""
    at = AppTest.from_file(str(BASELINE), default_timeout=60)
    at.run()
    samples = _time_runs(at, repeats, cold=False)
    return median_ms(samples) / 1000


def run(results: Results, scale: str, repeats: int, pages: tuple[str, ...] = PAGES) -> None:
    st.cache_data.clear()
    base = baseline(repeats)
    results.add("pages", scale, "baseline: one px.bar of 10 points (warm)", base * 1000, 1.0)
    for page in pages:
        try:
            at = _open(page)
            errors = [e.value for e in at.exception]
            cold = median_ms(_time_runs(at, repeats, cold=True))
            warm = median_ms(_time_runs(at, repeats, cold=False))
        except Exception as exc:  # a page that fails is a finding, not a reason to stop measuring
            results.add("pages", scale, f"{page}", None, None, f"failed: {exc.__class__.__name__}: {exc}"[:120])
            continue
        note = f"exception on page: {errors[0][:80]}" if errors else ""
        results.add("pages", scale, f"{page}: after a save", cold, ratio(cold, base * 1000), note)
        results.add("pages", scale, f"{page}: warm", warm, ratio(warm, base * 1000))

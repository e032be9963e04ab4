"""Server-side page time with AppTest: every page, right after a save (caches cold) and warm."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import streamlit as st
from streamlit.testing.v1 import AppTest

from benchmarks.common import ADMIN, ANALYST, Results, delegate_of, median_ms, ratio
from gcm import queries, services
from gcm.bootstrap import ready_engine, reference_for
from gcm.config import ROOT, load_config
from gcm.db import read_session, write_session
from gcm.permissions import SYSTEM, ReadScope
from gcm.ui.context import LANG_WIDGET

BASELINE = Path(__file__).resolve().parent / "baseline_page.py"
WIDGETS_FLOOR = Path(__file__).resolve().parent / "widgets_page.py"
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


# Pages an analyst may not open (the secretariat's).
SECRETARIAT_ONLY = {"submissions", "cycles", "users", "audit", "declaration"}
ROLES = {"admin": ADMIN, "analyst": ANALYST}


@contextmanager
def router_on_every_run() -> Iterator[None]:
    """Let AppTest run app.py's router on every rerun, as a server does (the app tests run under it too).

    A server forgets Streamlit's multipage v1 fallback (run every file of pages/ as a page) once app.py has
    switched it off, on the process's first run. AppTest switches it on again before every run, so every
    rerun of a page but the home page ran that page's file directly, without app.py: no sign-in check, no
    navigation, no sidebar (what a server runs every time). AppTest resets the flag through its own name for
    the class, which here is a subclass: the reset stays on the subclass, and the flag the script runner
    reads keeps the value app.py gave it.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class ServerPagesManager(PagesManager):
        """PagesManager under another name, so that AppTest's reset of the fallback flag lands on this name."""

    with mock.patch.object(app_test, "PagesManager", ServerPagesManager):
        yield


@contextmanager
def as_a_server() -> Iterator[None]:
    """Let AppTest run scripts as a server process does: compiled once, with the router on every rerun, and
    without a mocked browser context.

    - A Streamlit server's Runtime keeps one ScriptCache for all sessions, so app.py and each page are
      compiled (and their `st.write` magic applied) once per process. AppTest makes a new ScriptCache on
      every run and so recompiles app.py and the page each time: 12–15 ms of every rerun of this app that a
      server never spends.
    - The router runs on every rerun (`router_on_every_run`).
    - A server finds a session's browser context (its cookies, headers, locale) in a dictionary. AppTest's
      runtime is a MagicMock, which builds a chain of new mocks on every `st.context.cookies` read: about
      1.3 ms a read, and the router reads the session cookie twice a run. AppTest has no cookies to give, so
      here the context is simply absent, as for a session without a browser.

    The baseline page is measured the same way (it has no pages/ folder, so the fallback never applied to it).
    """
    from streamlit.runtime import context
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    with (
        mock.patch.object(app_test, "ScriptCache", lambda: shared),
        mock.patch.object(local_script_runner, "ScriptCache", lambda: shared),
        router_on_every_run(),
        mock.patch.object(context, "_get_client_context", lambda: None),
    ):
        yield


@contextmanager
def pages_draw_nothing() -> Iterator[None]:
    """app.py runs as always (sign-in check, data revisions, sidebar, navigation with every link) and the page it
    chooses draws nothing: what every page pays before drawing anything of its own."""
    from streamlit.navigation.page import StreamlitPage

    def run(page: StreamlitPage) -> None:
        page._can_be_called = False

    with mock.patch.object(StreamlitPage, "run", run):
        yield


def _after_published_change(country: str, cycle_id: str) -> Callable[[], None]:
    """What a change every reader sees (a submission, a validation, a save of a submitted report) of `country`'s
    report in the cycle does to every cache: every data revision but `setup` moves on, and so does the country's
    own in the cycle."""

    def change() -> None:
        with write_session(ready_engine(load_config())) as session:
            services.bump_published(session, country, cycle_id)

    return change


def _after_setup_change() -> None:
    """What a change of cycles (or of groupings, countries, settings or demo data) does to every cache: all four
    data revisions move on."""
    with write_session(ready_engine(load_config())) as session:
        services.bump_revision(session)


class DraftSaver:
    """A delegate saving its draft in the open cycle, through the real save service: a new text each time
    (what a delegate does most while writing), and with `statuses`, a new status too. With `in_group`, a delegate
    of a country of the group the pages show by default (the configuration's `default_group`)."""

    def __init__(self, statuses: bool = False, nth: int = 0, in_group: bool = False) -> None:
        self.statuses = statuses
        self.objective = 2 if statuses else 1  # each its own report: the text saver's keeps its status
        config = load_config()
        self.engine, self.ref, self.saves = ready_engine(config), reference_for(str(config.reference_dir)), 0
        with read_session(self.engine) as session:
            self.cycle = queries.current_cycle_id(session)
            table = queries.submissions(session, self.cycle)
            if in_group:
                table = table[table["country"].isin(queries.member_countries(session, config.default_members))]
        # the first country whose delegates may save (`nth`: the one after as many others)
        self.country = str(table.loc[table["state"].isin(("draft", "not_started", "returned")), "country"].iloc[nth])

    def __call__(self) -> None:
        self.saves += 1
        everything = ReadScope(states=None)
        with read_session(self.engine) as session:
            report = queries.get_report(session, self.country, self.cycle, self.objective, everything)
        with write_session(self.engine) as session:
            services.save_objective_report(
                session,
                self.ref,
                SYSTEM,
                country=self.country,
                cycle_id=self.cycle,
                objective=self.objective,
                data=services.ReportInput(status=self._status(), progress=f"Draft {self.saves}"),
                expected_version=report["version"] if report else None,
            )

    def _status(self) -> str:
        return ("planning", "initial")[self.saves % 2] if self.statuses else "planning"


def _states(draft_save: DraftSaver) -> dict[str, Callable[[], None] | None]:
    """What happens before each timed run of a page, by the name of the state it leaves the caches in (see `run`)."""
    states: dict[str, Callable[[], None] | None] = {
        "after a draft save": draft_save,
        "after a draft's status change": DraftSaver(statuses=True),
        "after another country's status change": DraftSaver(statuses=True, nth=1),
        # the delegate's own country
        "after a published change": _after_published_change(draft_save.country, draft_save.cycle),
    }
    if load_config().default_members is not None:  # where it is every country, the countries above are in it
        in_group = DraftSaver(statuses=True, in_group=True)
        states["after a status change in the group shown"] = in_group
        in_group_change = _after_published_change(in_group.country, in_group.cycle)
        states["after a published change in the group shown"] = in_group_change
    return states | {"after a change of cycles": _after_setup_change, "warm": None}


def _time_runs(at: AppTest, repeats: int, before: Callable[[], None] | None) -> list[float]:
    samples = []
    for _ in range(repeats):
        if before is not None:
            before()
        started = time.perf_counter()
        at.run()
        samples.append(time.perf_counter() - started)
    return samples


def _open(page: str, email: str = ADMIN[1], cycle: str | None = None) -> AppTest:
    """The page as `email` sees it, in Spanish; with `cycle`, showing that cycle where the page has a choice of one
    cycle (a select box keyed `…__cycle`: the overview, findings, map, presenter, declaration, cycles, Submissions
    and country report)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["lang"] = "es"
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    if page != "home":
        at.switch_page(f"pages/{page}.py").run()
    if cycle is None:
        return at
    chosen = [box for box in at.selectbox if str(box.key).endswith("__cycle") and _offers(box, cycle)]
    for box in chosen:
        box.set_value(cycle)
    return at.run() if chosen else at


def _offers(box: Any, value: str) -> bool:
    """Whether a select box of AppTest's has `value` among its options (it knows them by their shown names)."""
    try:
        return str(box.format_func(value)) in box.options
    except (KeyError, ValueError):
        return False


def _baseline_page() -> AppTest:
    at = AppTest.from_file(str(BASELINE), default_timeout=60)
    at.run()
    return at


def _beside_baseline(
    at: AppTest, base: AppTest, repeats: int, before: Callable[[], None] | None
) -> tuple[float, float]:
    """Medians (ms) of `repeats` runs of the page and of as many warm runs of the baseline page, taken in turn:
    the machine is shared, and its speed drifts over a run of every page by a third; a ratio of runs taken side
    by side does not."""
    page_samples, base_samples = [], []
    for _ in range(repeats):
        page_samples += _time_runs(at, 1, before)
        base_samples += _time_runs(base, 1, None)
    return median_ms(page_samples), median_ms(base_samples)


def run(
    results: Results,
    scale: str,
    repeats: int,
    pages: tuple[str, ...] = PAGES,
    roles: tuple[str, ...] = ("admin",),
    open_cycle: bool = False,
) -> None:
    """Each page for each role (admin, analyst, delegate): after a delegate's draft save of a text, after one that
    changes a status, after one of another country that changes a status, after a change every reader sees (a
    step of a report's workflow), after a change of cycles or countries (which every cache is keyed on), and warm.
    The delegate is the saving country's (the first with a draft), and so is the workflow step's country; the
    other country is the next with a draft. A page about one country (the one-pager, the country profile) shows
    its default, which for the secretariat and the analyst is not the saving country.

    Where the pages show one group by default rather than every country (`--group`), the saving countries may be
    outside it, and the group's pages then keep their reads through their saves (`queries.of_group`): two more
    states measure a status change and a workflow step of the first member of the group with a draft.

    The secretariat reads drafts on most pages: a draft save that changes a status empties the caches of its
    statuses and counts, one of a text alone only those of texts; an analyst's reads leave drafts out and are
    cached until a published change (see gcm.ui.context).

    Every save and workflow step is in the open cycle, and most pages show by default the latest cycle with reports
    handed in, which may be another (at global scale, a synthetic cycle after it; with the demo data, the previous
    IMRF): their reads of that cycle stay cached through them (`queries.of_cycle`). With `open_cycle`, every page
    with a choice of one cycle shows the open one, whose reports the saves change."""
    with as_a_server():
        _run(results, scale, repeats, pages, roles, open_cycle)


def _router_alone(results: Results, scale: str, base_page: AppTest, repeats: int) -> None:
    """What every page pays before drawing anything of its own (`pages_draw_nothing`), warm."""
    label = "the router alone: app.py for the secretariat, its page drawing nothing (warm)"
    try:
        # app.py's first run switches Streamlit's pages/ fallback off for the process, as on a server: before it,
        # the fallback stands in for app.py, and with pages drawing nothing, app.py itself would never run.
        _open("home")
        with pages_draw_nothing():
            at = _open("home")
            errors = [e.value for e in at.exception]
            if not any(radio.key == LANG_WIDGET for radio in at.sidebar.radio):
                raise RuntimeError("the router did not run (no language switch in the sidebar)")
            router_ms, base_ms = _beside_baseline(at, base_page, repeats, None)
    except Exception as exc:  # a finding, not a reason to stop measuring
        results.add("pages", scale, label, None, None, f"failed: {exc.__class__.__name__}: {exc}"[:120])
        return
    note = f"exception on page: {errors[0][:80]}; " if errors else ""
    results.add("pages", scale, label, router_ms, ratio(router_ms, base_ms), f"{note}baseline {base_ms:.1f} ms")


def _widgets_alone(results: Results, scale: str, base_page: AppTest, repeats: int) -> None:
    """What Streamlit alone spends on a delegate's country report's elements (`widgets_page.py`), warm: the floor
    under that page's warm time, with no read, no router and no app code."""
    label = "Streamlit alone: a delegate's country report's 28 buttons, 5 text areas and 8 more widgets (warm)"
    try:
        at = AppTest.from_file(str(WIDGETS_FLOOR), default_timeout=60)
        at.run()
        if at.exception or len(at.button) != 28:
            raise RuntimeError(f"the page drew {len(at.button)} buttons, exceptions {list(at.exception)}")
        page_ms, base_ms = _beside_baseline(at, base_page, repeats, None)
    except Exception as exc:  # a finding, not a reason to stop measuring
        results.add("pages", scale, label, None, None, f"failed: {exc.__class__.__name__}: {exc}"[:120])
        return
    results.add("pages", scale, label, page_ms, ratio(page_ms, base_ms), f"baseline {base_ms:.1f} ms")


def _run(
    results: Results, scale: str, repeats: int, pages: tuple[str, ...], roles: tuple[str, ...], open_cycle: bool
) -> None:
    st.cache_data.clear()
    base_page = _baseline_page()
    base = median_ms(_time_runs(base_page, repeats, None)) / 1000
    results.add("pages", scale, "baseline: one px.bar of 10 points (warm)", base * 1000, 1.0)
    _router_alone(results, scale, base_page, repeats)
    _widgets_alone(results, scale, base_page, repeats)
    draft_save = DraftSaver()
    befores = _states(draft_save)
    # The delegate is the saver's country's: "after a draft save" is then the delegate's own save.
    emails = {role: account[1] for role, account in ROLES.items()} | {"delegate": delegate_of(draft_save.country)[1]}
    for role in roles:
        for page in pages:
            if role != "admin" and page in SECRETARIAT_ONLY:
                continue
            label = f"{page} ({role}{', open cycle' if open_cycle else ''})"
            try:
                at = _open(page, emails[role], draft_save.cycle if open_cycle else None)
                errors = [e.value for e in at.exception]
                states = {state: _beside_baseline(at, base_page, repeats, before) for state, before in befores.items()}
            except Exception as exc:  # a page that fails is a finding, not a reason to stop measuring
                results.add("pages", scale, label, None, None, f"failed: {exc.__class__.__name__}: {exc}"[:120])
                continue
            note = f"exception on page: {errors[0][:80]}" if errors else ""
            for state, (page_ms, base_ms) in states.items():
                results.add(
                    "pages",
                    scale,
                    f"{label}: {state}",
                    page_ms,
                    ratio(page_ms, base_ms),
                    "; ".join(filter(None, [note, f"baseline {base_ms:.1f} ms"])),
                )
                note = ""

"""A delegate's pages stay cached through other countries' drafts, which a delegate cannot read.

A delegate reads other countries' reports once submitted and its own country's in every state
(`permissions.read_scope`). A read made with such a scope is keyed on what readers of published reports are keyed
on, plus the delegate's own country's counter (`gcm.ui.context._own_drafts_only`). That is right only if no save of
another country's draft changes such a read. This test records every such read the pages make for a delegate,
saves drafts of another country of the group they show (a new report and a change of status and text) and runs
each read again. It then shows that the check can fail: the delegate's own draft save changes them, and moves the
key of each one it changes.
"""

from collections.abc import Callable
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from gcm import queries, services, workflow
from gcm.bootstrap import ready_engine
from gcm.config import load_config
from gcm.db import read_session
from gcm.ui import context
from tests.app.conftest import DELEGATE
from tests.app.test_country_revision import DELEGATE_COUNTRY, OTHER, _keys
from tests.app.test_pages import _load_demo
from tests.app.test_published_revision import (
    CYCLE,
    _changed,
    _evaluate,
    _record_reads,
    _return_to_draft,
    _revisions,
    _same,
    _save_as_system,
)
from tests.app.test_setup_revision import _workflow

CURRENT = "imrf2026"  # the open cycle, which the home page shows


def _draft(country: str, status: str, text: str, cycle: str = CYCLE, objective: int = 23) -> None:
    """Save an objective of `country` in `cycle` (by default 23, not in the demo data: a real report) with this
    status and text."""
    with read_session(ready_engine(load_config())) as session:
        report = queries.get_report(session, country, cycle, objective, context.ReadScope(states=None))
    data = services.ReportInput(status=status, progress=text)
    _save_as_system(country, objective, data, report["version"] if report else None, cycle)


def _own_keyed(name: str, args: tuple) -> bool:
    """Whether `name(*args)` reads drafts, and only those of one delegate's country."""
    return context._own_drafts_only(name, args) is not None


def test_another_countrys_drafts_change_no_read_a_delegate_makes(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_demo()
    _draft(OTHER, "initial", "A first real report")  # a country's first real report moves `setup` (the demo count)
    for country in (OTHER, DELEGATE_COUNTRY):  # both reports are drafts in their delegates' hands
        _return_to_draft(country)
    # every read of drafts the pages make for the delegate: its own country's only, or (who is preparing a report)
    # every country's
    drafts = _record_reads(open_page, monkeypatch, users=(DELEGATE,), keep=lambda n, a: context._level(n, a) > 0)
    before = {key: value for key, value in drafts.items() if _own_keyed(*key)}
    names = {name for name, _ in before}
    # the group-wide reads of the overview, the explorer and the comparison, and the delegate's own report
    assert {"status_matrix", "status_by_section", "gcm.explore.compare.status_changes", "get_report"} <= names, names
    assert "headline" in {name for name, _ in drafts.keys() - before.keys()}  # counts every draft
    then = _snapshot(drafts)

    _draft(OTHER, "planning", "A draft's status and text changed, which the delegate cannot read")
    _draft(OTHER, "planning", "Its text alone changed")
    _draft(OTHER, "initial", "A first entry in the open cycle: the country is now preparing a report", CURRENT)
    assert _changed(before) == []
    moved = _keys(drafts)
    assert {key: moved[key] for key in before} == {key: then[key][1] for key in before}  # every one stays cached
    assert "headline" in _changed(drafts)  # of the open cycle (the home page's)
    assert _stale(then) == []  # what counts every draft is read again

    # The check can fail: the delegate's own draft changes its reads, and moves the key of every one it changes.
    setup, then = _revisions()[3], _snapshot(drafts)
    _draft(DELEGATE_COUNTRY, "full", "The delegate's own draft")
    assert _revisions()[3] == setup  # its keys move with its own counter alone
    changed = set(_changed(before))
    assert {"status_matrix", "status_by_section", "gcm.explore.compare.status_changes"} <= changed, changed
    assert _stale(then) == []
    _draft(DELEGATE_COUNTRY, "full", "Its report in the open cycle, which its report page shows", CURRENT, 1)
    then = _snapshot(drafts)
    _draft(DELEGATE_COUNTRY, "full", "Its text alone changed", CURRENT, 1)  # what reads texts: on every write
    texts = [key for key, (value, _) in then.items() if not _same(value, _evaluate(*key))]
    assert texts and {context._level(*key) for key in texts} == {context.EVERY_WRITE}, texts
    assert _stale(then) == []

    # Another country's workflow step shows its report to the delegate: its reads change, and their keys move.
    then = _snapshot(drafts)
    _workflow(workflow.submit_country_report, country=OTHER, cycle_id=CYCLE)
    assert {"status_matrix", "status_by_section"} <= set(_changed(before))
    assert _stale(then) == []


def _snapshot(reads: dict[tuple, Any]) -> dict[tuple, tuple[Any, context.Revision]]:
    """Each read's value and key now."""
    keys = _keys(reads)
    return {key: (_evaluate(*key), keys[key]) for key in reads}


def _stale(then: dict[tuple, tuple[Any, context.Revision]]) -> list[str]:
    """The reads whose value is no longer the one in `then` (`_snapshot`) though their key still is."""
    keys = _keys(then)
    return [
        key[0] for key, (value, key_then) in then.items() if keys[key] == key_then and not _same(value, _evaluate(*key))
    ]


@pytest.mark.parametrize("page", ["regional_overview", "explorer", "compare"])
def test_a_delegates_group_page_reads_nothing_again_after_another_countrys_draft(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    """A room of delegates saving drafts together: each one's group-wide page runs again on the reads it had
    (what counts drafts whatever the scope aside: who is preparing a report), and shows its own draft at once."""
    _load_demo()
    _draft(OTHER, "initial", "A first real report")
    for country in (OTHER, DELEGATE_COUNTRY):
        _return_to_draft(country)
    at = open_page(page, "en", user=DELEGATE)
    run: list[str] = []
    original = context._run_read

    def counting(session: Any, name: str, args: tuple) -> Any:
        if _own_keyed(name, args):
            run.append(name)
        return original(session, name, args)

    monkeypatch.setattr(context, "_run_read", counting)
    shown = _shown(at.run())
    _draft(OTHER, "planning", "A draft the delegate cannot read")
    assert _shown(at.run()) == shown and run == []
    _draft(DELEGATE_COUNTRY, "full", "The delegate's own draft")
    assert _shown(at.run()) != shown and run
    assert not at.exception
    st.cache_data.clear()
    st.cache_resource.clear()
    assert _shown(at) == _shown(open_page(page, "en", user=DELEGATE))  # what a new session shows


def _shown(at: AppTest) -> list:
    """What a page shows: its text and its charts' data."""
    return [m.value for m in at.markdown] + [chart.proto.spec for chart in at.get("plotly_chart")]

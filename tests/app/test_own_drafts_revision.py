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
from streamlit.testing.v1 import AppTest

from gcm import queries, services
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

CURRENT = "imrf2026"  # the open cycle, which the home page shows


def _draft(country: str, status: str, text: str, cycle: str = CYCLE) -> None:
    """Save objective 23 of `country` in `cycle` (not in the demo data: a real report) with this status and text."""
    with read_session(ready_engine(load_config())) as session:
        report = queries.get_report(session, country, cycle, 23, context.ReadScope(states=None))
    data = services.ReportInput(status=status, progress=text)
    _save_as_system(country, 23, data, report["version"] if report else None, cycle)


def _own_keyed(name: str, args: tuple) -> bool:
    """Whether `name(*args)` reads drafts, and only those of one delegate's country."""
    return context._level(name, args) > context.PUBLISHED and context._own_drafts_only(name, args) is not None


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
    keys = _keys(drafts)

    _draft(OTHER, "planning", "A draft's status and text changed, which the delegate cannot read")
    _draft(OTHER, "planning", "Its text alone changed")
    _draft(OTHER, "initial", "A first entry in the open cycle: the country is now preparing a report", CURRENT)
    assert _changed(before) == []
    moved = _keys(drafts)
    assert {key: moved[key] for key in before} == {key: keys[key] for key in before}  # every one stays cached
    assert "headline" in _changed(drafts)  # of the open cycle (the home page's)
    assert _stale(drafts, keys) == []  # what counts every draft is read again

    # The check can fail: the delegate's own draft changes its reads, and moves the key of every one it changes.
    setup, keys = _revisions()[3], moved
    _draft(DELEGATE_COUNTRY, "full", "The delegate's own draft")
    assert _revisions()[3] == setup  # its keys move with its own counter alone
    changed = set(_changed(before))
    assert {"status_matrix", "status_by_section", "gcm.explore.compare.status_changes"} <= changed, changed
    assert _stale(drafts, keys) == []


def _stale(reads: dict[tuple, Any], keys: dict[tuple, context.Revision]) -> list[str]:
    """The reads whose value is no longer the one recorded in `reads` though their key is still `keys`'."""
    moved = _keys(reads)
    return [key[0] for key, value in reads.items() if not _same(value, _evaluate(*key)) and moved[key] == keys[key]]


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


def _shown(at: AppTest) -> list:
    """What a page shows: its text and its charts' data."""
    return [m.value for m in at.markdown] + [chart.proto.spec for chart in at.get("plotly_chart")]

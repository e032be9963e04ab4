"""The reporting of one cycle leaves the cached reads of every other cycle in place.

Pages key a read marked `queries.of_cycle` on `setup` and on the counters of its cycle only
(`queries.country_revisions` given the cycle), which every save and workflow step in that cycle moves. That is
right only if no write in another cycle changes such a read: this test records every such read the pages make for
every role (they show the previous IMRF, the last one with reports handed in, while the open cycle is the next),
saves reports in the open cycle and takes one through its workflow, and runs each read again: each must keep its
value and its key. Then it shows that the same check fails for a save in the cycle the pages show.
"""

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from gcm import services
from gcm.explore import compare
from gcm.ui import context
from tests.app.conftest import ADMIN, ANALYST, DELEGATE
from tests.app.test_country_revision import DELEGATE_COUNTRY, _keys
from tests.app.test_pages import _load_demo
from tests.app.test_published_revision import CYCLE, _evaluate, _record_reads, _same, _save, _save_as_system
from tests.app.test_setup_revision import _through_the_workflow

OPEN = "imrf2026"  # the open cycle of the demo data; the pages show CYCLE (imrf2022)
WRITER = "GTM"  # a member of the CRM, the group the pages show


def _of_another_cycle(name: str, args: tuple) -> bool:
    """Whether `name(*args)` is a read keyed on the counters of a cycle or two, neither the open one."""
    cycles = context._cycles(name, args) if context._level(name, args) > context.SETUP else None
    return cycles is not None and OPEN not in cycles


def _comparison_of_two_other_cycles() -> dict[tuple, Any]:
    """The comparison's reads of two cycles neither of which is the open one (a reader chooses them), read as the
    secretariat reads them, with their values now."""
    everything, levels = context.ReadScope(states=None), compare.status_levels(context.reference())
    keys = [
        ("gcm.explore.compare.status_changes", ("lac2021", CYCLE, "CRM", everything, levels)),
        ("gcm.explore.compare.what_changed", (WRITER, 1, "lac2021", CYCLE, everything)),
    ]
    return {key: _evaluate(*key) for key in keys}


def _save_in_open_cycle(objective: int, status: str, text: str) -> None:
    everything = context.ReadScope(states=None)
    report = _evaluate("get_report", (WRITER, OPEN, objective, everything))
    data = services.ReportInput(status=status, progress=text, challenges=text, national_priority=True)
    _save_as_system(WRITER, objective, data, report["version"] if report else None, cycle=OPEN)


def test_the_open_cycles_reporting_changes_no_read_of_another_cycle(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_demo()
    _save_in_open_cycle(1, "initial", "A first draft in the open cycle")
    before: dict[tuple, Any] = _record_reads(
        open_page, monkeypatch, users=(None, ANALYST, DELEGATE, ADMIN), keep=_of_another_cycle
    )
    before |= _comparison_of_two_other_cycles()
    names = {name for name, _ in before}
    group_wide = {
        "status_matrix",
        "status_by_section",
        "objective_coverage",
        "awaiting_validation",
        "gcm.findings.round_table_counts",
        "reporting_figures",
        "gcm.explore.coverage.status_cells",
        "gcm.explore.completeness.completeness_by_country",
        "gcm.explore.profiles.objective_reporting",
        "gcm.explore.compare.status_changes",
    }
    assert group_wide <= names, group_wide - names
    assert CYCLE in frozenset().union(*(context._cycles(name, args) for name, args in before))
    keys = _keys(before)

    _save_in_open_cycle(1, "advanced", "Its status changes")  # a draft's new status
    _save_in_open_cycle(2, "full", "Another objective")  # a new report
    _through_the_workflow(WRITER, OPEN)  # submitted, returned, submitted, validated: every reader sees it
    _save_in_open_cycle(3, "full", "A change to a validated report, which every reader sees")
    changed = [name for (name, args), value in before.items() if not _same(value, _evaluate(name, args))]
    assert changed == []
    moved = _keys(before)
    assert [key[0] for key in before if moved[key] != keys[key]] == []  # kept: not read nor built again

    # The check can fail: a save in the cycle the pages show changes their reads, and moves the key of every read
    # whose value it changed.
    _save(DELEGATE_COUNTRY, "A new report in the cycle shown", new=True)
    changed = {name for (name, args), value in before.items() if not _same(value, _evaluate(name, args))}
    assert {"status_matrix", "status_by_section", "objective_coverage"} <= changed, changed
    moved = _keys(before)
    stale = [key[0] for key, value in before.items() if not _same(value, _evaluate(*key)) and moved[key] == keys[key]]
    assert stale == [], stale

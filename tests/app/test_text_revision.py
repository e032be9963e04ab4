"""A delegate rewriting a report's text leaves the cached statuses, priorities and counts in place.

Pages key a cached read on the `tallied` data revision when it is marked `queries.unchanged_by_text` (or is a
figure built only from such reads, `gcm.ui.context._text_free`); a save that changes only narrative text moves
the other revisions only. That is right only if every such read returns the same after such a save: this test
records every read the pages make on `tallied` for every role, rewrites every text field of a draft report,
and runs each read again.
"""

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from gcm import queries, services
from gcm.bootstrap import ready_engine
from gcm.config import load_config
from gcm.db import read_session
from gcm.explore.coverage import TAG_KIND
from gcm.ui import context
from tests.app.conftest import ADMIN, ANALYST, DELEGATE
from tests.app.test_pages import _load_demo
from tests.app.test_published_revision import (
    COUNTRY,
    CYCLE,
    _changed,
    _evaluate,
    _record_reads,
    _return_to_draft,
    _revisions,
    _save,
    _save_as_system,
)


def _rewrite(objective: int, **more: Any) -> None:
    """Save the report with every narrative field rewritten (and `more`), the rest as stored."""
    with read_session(ready_engine(load_config())) as session:
        report = queries.get_report(session, COUNTRY, CYCLE, objective, context.ReadScope(states=None))
    fields = {name: report[name] for name in services.SNAPSHOT_FIELDS}
    fields = {name: tuple(v) if isinstance(v, list) else v for name, v in fields.items()}
    texts = {name: f"Rewritten {name}" for name in services.TEXT_FIELDS - {"evidence_links"}}
    data = services.ReportInput(**(fields | texts | {"evidence_links": ("https://example.org/new",)} | more))
    _save_as_system(COUNTRY, objective, data, report["version"])


def _views_not_opened_by_default(objective: int) -> dict[tuple, Any]:
    """The marked reads behind views a reader has to choose (the explorer's tag modes and a counts cell, the map's
    status of one objective, the counts of every round table (presenter mode's discussion prompts), the
    objective page's countries reporting the rewritten objective in its cycle), read as the secretariat reads
    them, with their values now."""
    everything = context.ReadScope(states=None)
    keys = [
        *(("gcm.explore.coverage.tag_counts", (everything, CYCLE, None, mode)) for mode in TAG_KIND),
        ("gcm.explore.completeness.objective_status_by_country", (CYCLE, None, objective, everything)),
        ("gcm.explore.profiles.objective_reporting", (objective, CYCLE, None, everything)),  # the rewritten one
        ("gcm.findings.round_table_counts", (CYCLE, None, everything)),
    ]
    principles = _evaluate(*keys[0])
    for key in principles.loc[principles["country"] == COUNTRY, "key"].head(1):
        keys.append(("gcm.explore.coverage.tagged_reports", (everything, COUNTRY, CYCLE, "principles", key)))
    assert all(context._level(name, args) == context.TALLIED for name, args in keys)
    return {key: _evaluate(*key) for key in keys}


def test_a_save_of_text_alone_changes_no_read_keyed_on_the_tallied_revision(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_demo()
    _return_to_draft()
    _save(COUNTRY, "", new=True)  # a real report (not demo) in a draft, with its texts empty
    with read_session(ready_engine(load_config())) as session:
        reported = queries.status_matrix(session, CYCLE, None, context.ReadScope(states=None))
    own = reported.loc[reported["country"] == COUNTRY].sort_values("objective").iloc[0]
    objective, status = int(own["objective"]), str(own["status"])
    _rewrite(objective)  # texts empty or not: from here on, the report is one a delegate edits
    # DELEGATE: CRI's own, who reads its drafts
    before = _record_reads(open_page, monkeypatch, context.TALLIED, (None, ANALYST, DELEGATE, ADMIN))
    before |= _views_not_opened_by_default(objective)
    names = {name for name, _ in before}
    assert len(before) >= 20, names  # the secretariat's group-wide reads are among them
    assert {"status_matrix", "status_by_section", "headline", "submissions", "submission_state_counts"} <= names
    assert "objective_coverage" in names

    revisions = _revisions()
    _rewrite(objective, progress="Again")
    moved = _revisions()
    assert moved == (revisions[0] + 1, revisions[1], revisions[2], revisions[3])
    changed = _changed(before)
    assert changed == []

    # The check can fail: a new status moves `tallied` and changes these reads.
    _rewrite(objective, status="advanced" if status != "advanced" else "planning")
    assert _revisions() == (moved[0] + 1, moved[1], moved[2] + 1, moved[3])
    changed = set(_changed(before))
    assert {"status_matrix", "status_by_section"} <= changed

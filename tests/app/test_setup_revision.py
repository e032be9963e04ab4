"""The reporting itself leaves the cached cycles, groupings, countries and settings in place.

Pages key a cached read on the `setup` data revision when it is marked `queries.unchanged_by_reports`: a save of
a real report and a step of a report's workflow (submitted, returned, validated) move the other revisions only.
That is right only if every such read returns the same after them: this test records every read the pages make
on `setup` for every role, saves a draft and a validated report and takes a country report through its workflow,
and runs each read again.
"""

import datetime as dt
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from gcm import queries, workflow
from gcm.bootstrap import ready_engine
from gcm.config import load_config
from gcm.db import read_session, write_session
from gcm.permissions import SYSTEM
from gcm.ui import context
from tests.app.conftest import ADMIN, ANALYST, DELEGATE
from tests.app.test_pages import _load_demo
from tests.app.test_published_revision import (
    COUNTRY,
    CYCLE,
    _changed,
    _record_reads,
    _return_to_draft,
    _revisions,
    _save,
)


def _workflow(step: Callable[..., str], **more: object) -> None:
    """A workflow step as the system, which may take every step (it submits as a delegate and reviews as the
    secretariat)."""
    with write_session(ready_engine(load_config())) as session:
        step(session, SYSTEM, **more)


def _through_the_workflow(country: str, cycle: str = CYCLE) -> None:
    """Take the country's report (a draft or returned) through submitted, returned, submitted and validated."""
    target = {"country": country, "cycle_id": cycle}
    _workflow(workflow.submit_country_report, **target)
    _workflow(workflow.return_country_report, **target, comment="Please add the evidence", objectives=(1,))
    _workflow(workflow.submit_country_report, **target, confirm_unchanged=True)
    _workflow(workflow.validate_country_report, **target)


def test_reports_and_their_workflow_change_no_read_keyed_on_the_setup_revision(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_demo()
    _return_to_draft()
    _save(COUNTRY, "A first real report", new=True)  # demo reports saved by hand would change the demo count
    before = _record_reads(open_page, monkeypatch, context.SETUP, (None, ANALYST, DELEGATE, ADMIN))
    names = {name for name, _ in before}
    assert {"cycles", "current_cycle_id", "sections", "demo_report_count", "member_countries"} <= names, names
    assert all(context._level(name, args) == context.SETUP for name, args in before)

    revisions = _revisions()
    _save(COUNTRY, "Another draft", new=True)
    _through_the_workflow(COUNTRY)
    _save(COUNTRY, "A change to a validated report, which every reader sees", new=True)
    moved = _revisions()
    # six writes; five of them change what every reader sees (the first is a draft's save)
    assert (moved[0], moved[1], moved[3]) == (revisions[0] + 6, revisions[1] + 5, revisions[3]), (revisions, moved)
    changed = _changed(before)
    assert changed == []

    # The check can fail: a change of a cycle moves `setup` and changes these reads.
    with read_session(ready_engine(load_config())) as session:
        cycle = queries.cycles(session).set_index("id").loc[CYCLE]
    with write_session(ready_engine(load_config())) as session:
        workflow.update_cycle(
            session,
            SYSTEM,
            cycle_id=CYCLE,
            is_open=not bool(cycle["is_open"]),
            is_locked=bool(cycle["is_locked"]),
            deadline=dt.date(2030, 1, 31),
        )
    assert _revisions()[3] == moved[3] + 1
    changed = set(_changed(before))
    assert "cycles" in changed, changed

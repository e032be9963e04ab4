"""A delegate's draft save leaves the cached reads of readers who do not see drafts in place.

Pages key a cached read on the `published` data revision when its read scopes exclude drafts
(`gcm.ui.context._published_only`); a save of a draft moves only the other revision. That is right
only if every such read returns the same after a draft save: this test records every read the pages
make for the roles that do not see drafts, saves a draft, and runs each read again.
"""

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from gcm import models, queries, services
from gcm.bootstrap import ready_engine, reference_for
from gcm.config import load_config
from gcm.db import read_session, write_session
from gcm.permissions import SYSTEM
from gcm.ui import context
from tests.app.conftest import ADMIN, ANALYST
from tests.app.test_pages import ACCESS, _load_demo

CYCLE, COUNTRY = "imrf2022", "CRI"  # the cycle the pages open on with the demo data; CRI is sent back to draft


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame | pd.Series):
        return isinstance(b, type(a)) and a.equals(b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and not hasattr(a, "_fields"):
        return isinstance(b, list | tuple) and len(a) == len(b) and all(map(_same, a, b))
    if hasattr(a, "__dataclass_fields__"):
        return type(a) is type(b) and all(_same(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
    return a == b


def _evaluate(name: str, args: tuple) -> Any:
    with read_session(ready_engine(load_config())) as session:
        return context._run_read(session, name, args)


def _changed(before: dict[tuple, Any]) -> list[str]:
    """The names of the reads recorded in `before` (`_record_reads`) whose value is not the same now."""
    return [key[0] for key, value in before.items() if not _same(value, _evaluate(*key))]


def _return_to_draft(country: str = COUNTRY) -> None:
    with write_session(ready_engine(load_config())) as session:
        sub = models.Submission
        session.execute(update(sub).where(sub.country_iso3 == country, sub.cycle_id == CYCLE).values(state="returned"))
        services.bump_revision(session)


def _revisions() -> tuple[int, int, int, int]:
    with read_session(ready_engine(load_config())) as session:
        return queries.data_revisions(session)


def _save_as_system(
    country: str, objective: int, data: services.ReportInput, version: int | None, cycle: str = CYCLE
) -> None:
    """Save a report of the cycle through the save service, as the system (which may write any state)."""
    config = load_config()
    with write_session(ready_engine(config)) as session:
        services.save_objective_report(
            session,
            reference_for(str(config.reference_dir)),
            SYSTEM,
            country=country,
            cycle_id=cycle,
            objective=objective,
            data=data,
            expected_version=version,
        )


def _save(country: str, text: str, new: bool = False, among: Sequence[int] = range(1, 24)) -> None:
    """Save objective 1 of `country` (with `new`, an objective it has not reported: a demo report saved
    by hand would become a real one, which moves the demo count every reader sees)."""
    everything = context.ReadScope(states=None)
    with read_session(ready_engine(load_config())) as session:
        objective = next(
            n for n in among if (queries.get_report(session, country, CYCLE, n, everything) is None) == new
        )
        report = queries.get_report(session, country, CYCLE, objective, everything)
    data = services.ReportInput(status="full", progress=text, challenges=text, national_priority=True)
    _save_as_system(country, objective, data, report["version"] if report else None)


def _record_reads(
    open_page: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
    level: int = context.PUBLISHED,
    users: tuple[str | None, ...] = (None, ANALYST, ADMIN),
    keep: Callable[[str, tuple], bool] | None = None,
) -> dict[tuple, Any]:
    """Every read keyed on the revision of `level`, or on one that moves less often, that the pages make for
    `users` (by default the public, an analyst and the secretariat, whose findings and presenter leave drafts
    out), with its value now; with `keep`, every read `keep(name, args)` chooses instead."""
    seen: dict[tuple, None] = {}
    cached = context._cached
    chosen = keep or (lambda name, args: context._level(name, args) <= level)

    def recording(key: bytes, call: tuple[str, str, bytes, tuple]) -> Any:
        name, _, _, args = call
        if chosen(name, args):
            seen[(name, args)] = None
        return cached(key, call)

    monkeypatch.setattr(context, "_cached", recording)
    for user in users:
        for page in sorted(ACCESS[user] - {"sign_in"}):
            assert not open_page(page, "en", user=user).exception, (user, page)
    return {key: _evaluate(*key) for key in seen}


def test_a_draft_save_changes_no_read_keyed_on_the_published_revision(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_demo()
    _return_to_draft()
    before = _record_reads(open_page, monkeypatch)
    names = {name for name, _ in before}
    assert len(before) >= 30, names  # the pages' group-wide reads are among them
    assert {"gcm.findings.round_table_counts", "reporting_figures", "status_matrix"} <= names

    revisions = _revisions()
    _save(COUNTRY, "A draft nobody else reads yet", new=True)
    moved = _revisions()
    assert moved == (revisions[0] + 1, revisions[1], revisions[2] + 1, revisions[3])
    changed = _changed(before)
    assert changed == []

    # The check can fail: a save of a validated report moves both revisions and changes these reads (MEX's is a
    # demo report, which the save makes a real one: that moves `setup` too).
    _save("MEX", "A change every reader sees")
    assert _revisions() == (moved[0] + 1, moved[1] + 1, moved[2] + 1, moved[3] + 1)
    changed = set(_changed(before))
    assert {"status_by_section", "status_matrix"} <= changed  # a kept sum and a kept frame


def test_a_page_shows_a_published_change_on_its_next_run(open_page: Callable[..., AppTest]) -> None:
    _load_demo()
    at = open_page("findings", "en", user=ANALYST)
    assert not at.exception
    with read_session(ready_engine(load_config())) as session:
        grouping = queries.cycles(session).set_index("id").loc[CYCLE, "grouping"]
        sections = queries.sections(session, grouping)
    first_table = sections.loc[sections["section"] == sections["section"].min(), "objective"]
    # The longest text of a national priority is quoted first in its round table (the first, open one).
    _save("MEX", "Quoted once every reader can see it. " * 100, among=[int(n) for n in first_table])
    at.run()
    assert not at.exception
    assert any("Quoted once every reader can see it" in str(m.value) for m in at.markdown)

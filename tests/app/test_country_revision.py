"""One country's reporting leaves the cached reads of every other country in place.

Pages key a read marked `queries.of_one_country` on `setup` and on that country's own revision, which every save
and workflow step of that country moves (`models.CountryRevision`), and one marked `queries.of_countries` on the
sum of its countries' revisions. That is right only if no write of another country's reports changes such a read:
this test records every such read the pages make for every role, saves reports of a country none of them reads
and takes its report through its workflow, and runs each read again; then shows that the same check fails for a
country the pages do read.
"""

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from gcm.explore.coverage import TAG_KIND
from gcm.ui import context, explorer_view
from tests.app.conftest import ADMIN, ANALYST, DELEGATE
from tests.app.test_pages import _load_demo
from tests.app.test_published_revision import CYCLE, _changed, _evaluate, _record_reads, _return_to_draft, _same, _save
from tests.app.test_setup_revision import _through_the_workflow

OTHER = "GTM"  # a country of the demo data whose reporting no page reads on its own for these users
OUTSIDE = "VEN"  # nor this one, which is not in the group the pages show (the CRM)
DELEGATE_COUNTRY = "CRI"  # DELEGATE's


def _record_reads_of_countries(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, other: str
) -> dict[tuple, Any]:
    """Every read of one country's reporting, of a few countries' (a page of a table with a row per country) or of
    a group's members' that the pages make for every role, with its value now. A read of several countries among
    which `other` is (the demo data fits on one page of a table) is kept as the same read of those countries but
    `other`; one of a group that holds `other` is left out."""
    seen = _record_reads(open_page, monkeypatch, users=(None, ANALYST, DELEGATE, ADMIN), keep=_of_named_countries)
    kept = {}
    for (name, args), value in seen.items():
        countries = _countries(name, args)
        if other in countries and len(countries) > 1:
            position = next((at for kind, at, _ in context._country_parameters(name) if kind == "countries"), None)
            if position is None or position >= len(args) or args[position] is None:
                continue  # the group's members hold `other`
            args = (*args[:position], tuple(sorted(countries - {other})), *args[position + 1 :])
            value = _evaluate(name, args)
        kept[(name, args)] = value
    return kept


def _group_views_not_opened_by_default() -> dict[tuple, Any]:
    """The reads of the group's members behind views a reader has to choose (the explorer's tag modes, the map's
    status of one objective, the presenter's discussion and good practices slides), read as the secretariat reads
    them, with their values now."""
    everything, group = context.ReadScope(states=None), "CRM"
    keys = [
        *(("gcm.explore.coverage.tag_counts", (everything, CYCLE, group, mode)) for mode in TAG_KIND),
        ("gcm.explore.completeness.objective_status_by_country", (CYCLE, group, 1, everything)),
        ("gcm.findings.round_table_counts", (CYCLE, group, everything)),  # of every objective: the prompts
        ("gcm.briefing.model.practice_quotes", (context.REFERENCE, "en", CYCLE, group, everything)),
    ]
    return {key: _evaluate(*key) for key in keys}


def _of_named_countries(name: str, args: tuple) -> bool:
    """Whether `name(*args)` is a read marked as of one country, of the countries it is given or of a group's."""
    return bool(context._country_parameters(name)) and context._countries(name, args) is not None


def _countries(name: str, args: tuple) -> frozenset[str]:
    return context._countries(name, args)


@pytest.mark.parametrize(
    ("other", "several"),
    [
        # the Submissions page's tables, the overview's heatmap and the explorer's matrix: a page of countries
        (OTHER, {"submissions", "status_matrix", "gcm.explore.coverage.status_cells"}),
        (
            OUTSIDE,  # and the group-wide reads of the CRM: the overview's, the explorer's, the findings', the map's...
            {
                "status_matrix",
                "status_by_section",
                "objective_coverage",
                "headline",
                "gcm.findings.round_table_counts",
                "gcm.explore.coverage.tag_counts",
                "gcm.explore.compare.status_changes",
                "gcm.explore.completeness.objective_status_by_country",
                "gcm.explore.profiles.objective_status_over_cycles",
            },
        ),
    ],
)
def test_another_countrys_reporting_changes_no_read_of_other_countries(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, other: str, several: set[str]
) -> None:
    _load_demo()
    _save(other, "A first report", new=True)
    _return_to_draft(other)  # its report is back in its delegates' hands
    if other == OTHER:  # the explorer's matrix in pages, as for every country: the page shown is read on its own
        monkeypatch.setattr(explorer_view, "PAGE_SIZE", 6)  # its first page: Belize to Guatemala, by name
    before = _record_reads_of_countries(open_page, monkeypatch, other)
    if other == OUTSIDE:
        before |= _group_views_not_opened_by_default()
    names = {name for name, _ in before}
    assert {"get_report", "country_statuses", "submission", "country_highlights", "country_standing_of"} <= names
    read_several = {name for name, args in before if len(_countries(name, args)) > 1}
    assert several <= read_several, read_several
    read_countries = frozenset().union(*(_countries(name, args) for name, args in before))
    assert other not in read_countries and len(read_countries) >= 2, read_countries

    _save(other, "A draft of another country", new=True)
    _save(other, "Its status changes too")
    _through_the_workflow(other)
    _save(other, "A change to a validated report, which every reader sees", new=True)
    assert _changed(before) == []

    # The check can fail: a save of a country the pages read (the delegate's) changes its reads, and moves the key
    # of every read whose value it changed.
    keys = _keys(before)
    _save(DELEGATE_COUNTRY, "A new report of a country the pages read", new=True)
    changed = set(_changed(before))
    assert {"country_standing_of", "submissions"} <= changed, changed  # "submissions": of several countries
    moved = _keys(before)
    stale = [key[0] for key, value in before.items() if not _same(value, _evaluate(*key)) and moved[key] == keys[key]]
    assert stale == [], stale


def _keys(reads: dict[tuple, Any]) -> dict[tuple, context.Revision]:
    """The key each read is cached on now."""
    context.begin_run()
    return {(name, args): context.revision_of(name, *args) for name, args in reads}

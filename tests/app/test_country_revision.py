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

from gcm.ui import context
from tests.app.conftest import ADMIN, ANALYST, DELEGATE
from tests.app.test_pages import _load_demo
from tests.app.test_published_revision import _changed, _evaluate, _record_reads, _return_to_draft, _save
from tests.app.test_setup_revision import _through_the_workflow

OTHER = "GTM"  # a country of the demo data whose reporting no page reads on its own for these users
DELEGATE_COUNTRY = "CRI"  # DELEGATE's


def _record_one_country_reads(open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch) -> dict[tuple, Any]:
    """Every read of one country's reporting, or of a few countries' (a page of a table with a row per country),
    the pages make for every role, with its value now. The pages show every country of the demo data on one page,
    OTHER among them: a read of several countries is kept as the same read of those countries but OTHER."""
    seen = _record_reads(
        open_page,
        monkeypatch,
        users=(None, ANALYST, DELEGATE, ADMIN),
        keep=_of_named_countries,
    )
    kept = {}
    for (name, args), value in seen.items():
        countries = context._countries(name, args)
        if OTHER in countries and len(countries) > 1:
            args = _of(name, args, tuple(sorted(countries - {OTHER})))
            value = _evaluate(name, args)
        kept[(name, args)] = value
    return kept


def _of_named_countries(name: str, args: tuple) -> bool:
    """Whether `name(*args)` is a read marked as of one country, or of the countries it is given (not None)."""
    return context._country_position(name) is not None and context._countries(name, args) is not None


def _of(name: str, args: tuple, countries: tuple[str, ...]) -> tuple:
    """`args` of the read `name` with `countries` in place of the countries they name."""
    position = context._country_position(name)
    return (*args[:position], countries, *args[position + 1 :])


def _countries(name: str, args: tuple) -> frozenset[str]:
    return context._countries(name, args)


def test_another_countrys_reporting_changes_no_read_of_one_country(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_demo()
    _return_to_draft(OTHER)  # its report is back in its delegates' hands
    before = _record_one_country_reads(open_page, monkeypatch)
    names = {name for name, _ in before}
    assert {"get_report", "country_statuses", "submission", "country_highlights", "country_standing_of"} <= names
    several = {name for name, args in before if len(_countries(name, args)) > 1}
    assert {"submissions", "status_matrix"} <= several, several  # the Submissions page's tables
    read_countries = frozenset().union(*(_countries(name, args) for name, args in before))
    assert OTHER not in read_countries and len(read_countries) >= 2, read_countries

    _save(OTHER, "A draft of another country", new=True)
    _save(OTHER, "Its status changes too")
    _through_the_workflow(OTHER)
    _save(OTHER, "A change to a validated report, which every reader sees", new=True)
    assert _changed(before) == []

    # The check can fail: a save of a country the pages read (the delegate's) changes its reads.
    _save(DELEGATE_COUNTRY, "A new report of a country the pages read", new=True)
    changed = set(_changed(before))
    assert {"country_standing_of", "submissions"} <= changed, changed  # "submissions": of several countries

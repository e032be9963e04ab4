"""One country's reporting leaves the cached reads of every other country in place.

Pages key a read marked `queries.of_one_country` on `setup` and on that country's own revision, which every save
and workflow step of that country moves (`models.CountryRevision`). That is right only if no write of another
country's reports changes such a read: this test records every one-country read the pages make for every role,
saves reports of a country none of them reads and takes its report through its workflow, and runs each read
again; then shows that the same check fails for a country the pages do read.
"""

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from gcm.ui import context
from tests.app.conftest import ADMIN, ANALYST, DELEGATE
from tests.app.test_pages import _load_demo
from tests.app.test_published_revision import _changed, _record_reads, _return_to_draft, _save
from tests.app.test_setup_revision import _through_the_workflow

OTHER = "GTM"  # a country of the demo data whose reporting no page reads on its own for these users
DELEGATE_COUNTRY = "CRI"  # DELEGATE's


def _record_one_country_reads(open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch) -> dict[tuple, Any]:
    """Every read of one country's reporting the pages make for every role, with its value now."""
    return _record_reads(
        open_page,
        monkeypatch,
        users=(None, ANALYST, DELEGATE, ADMIN),
        keep=lambda name, args: context._country_position(name) is not None,
    )


def _country(name: str, args: tuple) -> str:
    return args[context._country_position(name)]


def test_another_countrys_reporting_changes_no_read_of_one_country(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_demo()
    _return_to_draft(OTHER)  # its report is back in its delegates' hands
    before = _record_one_country_reads(open_page, monkeypatch)
    names = {name for name, _ in before}
    assert {"get_report", "country_statuses", "submission", "country_highlights", "country_standing_of"} <= names
    read_countries = {_country(name, args) for name, args in before}
    assert OTHER not in read_countries and len(read_countries) >= 2, read_countries

    _save(OTHER, "A draft of another country", new=True)
    _save(OTHER, "Its status changes too")
    _through_the_workflow(OTHER)
    _save(OTHER, "A change to a validated report, which every reader sees", new=True)
    assert _changed(before) == []

    # The check can fail: a save of a country the pages read (the delegate's) changes its reads.
    _save(DELEGATE_COUNTRY, "A new report of a country the pages read", new=True)
    changed = set(_changed(before))
    assert {"country_statuses", "country_standing_of"} & changed, changed

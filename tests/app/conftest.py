"""AppTest fixtures: a fresh SQLite file per test with one account per role, and clean caches.

AppTest cannot send cookies, so tests sign in through the other path the app supports:
`st.user` (single sign-on), matched to an account by e-mail.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import streamlit as st
from streamlit.runtime.state.query_params import QueryParams
from streamlit.testing.v1 import AppTest

from benchmarks.pages import router_on_every_run as pages_as_routed
from gcm import accounts
from gcm.bootstrap import prepare_database
from gcm.config import ROOT, load_config
from gcm.db import dispose_engines, write_session
from gcm.permissions import SYSTEM

PAGES = {
    "home": None,
    "country_report": "pages/country_report.py",
    "regional_overview": "pages/regional_overview.py",
    "sign_in": "pages/sign_in.py",
    "submissions": "pages/submissions.py",
    "cycles": "pages/cycles.py",
    "users": "pages/users.py",
    "audit": "pages/audit.py",
    "findings": "pages/findings.py",
    "presenter": "pages/presenter.py",
    "country_onepager": "pages/country_onepager.py",
    "review_process": "pages/review_process.py",
    "declaration": "pages/declaration.py",
    "explorer": "pages/explorer.py",
    "search": "pages/search.py",
    "compare": "pages/compare.py",
    "objective": "pages/objective.py",
    "country_profile": "pages/country_profile.py",
    "map": "pages/map.py",
    "open_data": "pages/open_data.py",
}
USERS = {  # e-mail: (username, role, country)
    "sec@example.org": ("sec", "admin", None),
    "cri@example.org": ("cri", "delegate", "CRI"),
    "mex@example.org": ("mex", "delegate", "MEX"),
    "ana@example.org": ("ana", "analyst", None),
}
ADMIN, DELEGATE, OTHER_DELEGATE, ANALYST = USERS


@pytest.fixture(autouse=True)
def router_on_every_run() -> Iterator[None]:
    """Run app.py's router on every run, as a server does, also once a test has switched to another page:
    the benchmark harness's own switch (`benchmarks.pages.router_on_every_run`), so tests and figures run
    pages alike."""
    with pages_as_routed():
        yield


@pytest.fixture(autouse=True)
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("GCM_DATABASE_URL", url)
    st.cache_data.clear()
    dispose_engines()
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        for email, (name, role, country) in USERS.items():
            accounts.add_user(session, SYSTEM, username=name, role=role, country=country, password=None, email=email)
    yield url
    st.cache_data.clear()
    dispose_engines()


@pytest.fixture
def open_page() -> Callable[..., AppTest]:
    """Run the app (as a new browser session would), signed in as `user` (an e-mail) or not, and open a page."""

    def _open(page: str, lang: str | None = "es", locale: str | None = None, user: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if lang:
            at.query_params["lang"] = lang
        if locale:
            at.context = {"locale": locale}
        if user:
            at.user = {"is_logged_in": True, "email": user}
        at.run()
        if PAGES[page]:
            at.switch_page(PAGES[page]).run()
        return at

    return _open


def open_expanders(at: AppTest, prefix: str) -> AppTest:
    """Open the expanders whose key starts with `prefix` (`gcm.ui.widgets.lazy_expander`: their content is
    built only once opened), as a reader clicking each, and rerun."""
    keys = [key for key in at.session_state if isinstance(key, str) and key.startswith(prefix)]
    # the expanders' own keys: not what is drawn inside them (history__page__…) nor `lazy_expander`'s …_expanded
    keys = [key for key in keys if "__" not in key[len(prefix) :] and not key.endswith("_expanded")]
    assert keys, f"the page shows no expander {prefix}…"
    for key in keys:
        at.session_state[key] = True
    return at.run()


def open_tables(at: AppTest) -> AppTest:
    """Open every chart's data table (`gcm.ui.widgets.data_table`: built only once its expander is opened), as a
    reader clicking each "Data table", and rerun."""
    keys = [key for key in at.session_state if isinstance(key, str) and key.endswith("__table")]
    assert keys, "the page shows no data table"
    for key in keys:
        at.session_state[key] = True
    return at.run()


def url_writes() -> Any:
    """A context manager counting the messages that write the page's URL query parameters (`call_count`), sending
    them as usual: each write of `st.query_params` is one, whether or not its value changed."""
    return mock.patch.object(
        QueryParams, "_send_query_param_msg", autospec=True, side_effect=QueryParams._send_query_param_msg
    )

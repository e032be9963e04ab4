"""AppTest fixtures: a fresh SQLite file per test and clean Streamlit caches."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from gcm.config import ROOT
from gcm.db import dispose_engines

PAGES = {"home": None, "country_report": "pages/country_report.py", "regional_overview": "pages/regional_overview.py"}


@pytest.fixture(autouse=True)
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("GCM_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()
    dispose_engines()


@pytest.fixture
def open_page() -> Callable[..., AppTest]:
    """Run the app (as a new browser session would) and switch to a page."""

    def _open(page: str, lang: str | None = "es", locale: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if lang:
            at.query_params["lang"] = lang
        if locale:
            at.context = {"locale": locale}
        at.run()
        if PAGES[page]:
            at.switch_page(PAGES[page]).run()
        return at

    return _open

"""Router: page config, language, navigation. Runs on every rerun; never stops before navigation."""

import streamlit as st

from gcm.config import ROOT
from gcm.i18n import t
from gcm.reference import ReferenceDataError
from gcm.ui.context import engine, language, language_switcher

ICON = ROOT / "gcm" / "assets" / "icon.png"  # a local file: a Material icon favicon is fetched from Google
st.set_page_config(page_title="GCM tracker", page_icon=str(ICON), layout="wide")
lang = language()


def startup_error() -> None:
    st.error(t(lang, "app.startup_error", error=str(st.session_state.get("_startup_error", ""))))


try:
    engine()
    pages = [
        st.Page("pages/home.py", title=t(lang, "nav.home"), icon=":material/home:", default=True),
        st.Page(
            "pages/country_report.py",
            title=t(lang, "nav.country_report"),
            icon=":material/edit_note:",
        ),
        st.Page(
            "pages/regional_overview.py",
            title=t(lang, "nav.regional_overview"),
            icon=":material/bar_chart:",
        ),
    ]
except ReferenceDataError as exc:
    st.session_state["_startup_error"] = str(exc)
    pages = [st.Page(startup_error, title=t(lang, "nav.home"), icon=":material/error:", default=True)]

navigation = st.navigation(pages)
language_switcher(lang)
st.sidebar.caption(t(lang, "app.sidebar_caption"))
navigation.run()

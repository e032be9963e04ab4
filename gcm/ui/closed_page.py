"""The address of a page this user may not open.

The router lists only the pages a user may see. Any other address would get Streamlit's own "Page not
found" dialog, in English, with no word on what to do. Each such address is listed instead as a hidden
page that runs nothing of the page it stands for and says, in the reader's language, why it is closed
and where to go: to sign in, when signed out; to the home page, when the account may not open it.
"""

from __future__ import annotations

import copy
import functools

import streamlit as st

from gcm.config import ROOT
from gcm.i18n import t
from gcm.web.auth_routes import login_url

PAGE_NAMES = tuple(sorted(p.stem for p in (ROOT / "pages").glob("*.py")))


def closed_pages(lang: str, open_names: set[str], signed_in: bool) -> list[st.Page]:
    """A hidden page under the address of every page not in `open_names`.

    Made once per process and handed out as copies, as `links.app_page` does: the router asks on every run
    (0.6 ms a run for 19 pages made afresh), and `st.navigation` marks the page it is about to run.
    """
    return [copy.copy(_closed(lang, name, signed_in)) for name in PAGE_NAMES if name not in open_names]


@functools.lru_cache(maxsize=256)
def _closed(lang: str, name: str, signed_in: bool) -> st.Page:
    def explain() -> None:
        st.title(t(lang, f"nav.{name}"))
        if name == "sign_in":
            st.info(t(lang, "closed.signed_in"), icon=":material/how_to_reg:")
        elif signed_in:
            st.info(t(lang, "closed.not_for_account"), icon=":material/lock:")
        else:
            st.info(t(lang, "closed.sign_in"), icon=":material/lock:")
            href = login_url(lang, "/" if name == "home" else f"/{name}")  # home is "/" once signed in
            st.html(f'<p style="font-size:1.15rem"><a href="{href}" target="_self">{t(lang, "signin.go")}</a></p>')

    return st.Page(explain, title=t(lang, f"nav.{name}"), url_path=name, visibility="hidden")

"""Entry point.

Run by Streamlit as the script (`__main__`): the router. It resolves the user and the language
and calls `st.navigation` on every run with only the pages this user may see; it never stops
before that. Imported by the ASGI server that `streamlit run app.py` starts: `app` adds the
sign-in routes beside Streamlit's own.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from gcm.config import ROOT
from gcm.ui.server_process import settle_garbage_collector

# Streamlit's pages/ fallback (multipage v1) would run a file of pages/ straight from its URL, without
# this router, until some run has called st.navigation. Switch it off for the whole process at once.
PagesManager.uses_pages_directory = False
settle_garbage_collector()  # once per process (see gcm.ui.server_process)

ICON = ROOT / "gcm" / "assets" / "icon.png"  # a local file: a Material icon favicon is fetched from Google


ANALYSIS_PAGES = (  # open data for analysts: everyone may read them (validated reports only when signed out)
    ("explorer", "grid_on"),
    ("search", "search"),
    ("compare", "compare_arrows"),
    ("objective", "flag"),
    ("country_profile", "public"),
    ("map", "map"),
    ("open_data", "download"),
)


def default_page(role: str, public_view: bool) -> str:
    """The page at "/": the sign-in page where visitors may see nothing else, else home."""
    return "sign_in" if role == "public" and not public_view else "home"


def pages_for(role: str, public_view: bool, lang: str) -> dict[str, list]:
    """The pages a role may open, by navigation section; any other page URL falls back to the default page."""
    from gcm.i18n import t
    from gcm.ui.links import app_page

    first = default_page(role, public_view)

    def page(name: str, icon: str) -> st.Page:
        path, title = f"pages/{name}.py", t(lang, f"nav.{name}")
        return app_page(path, title=title, icon=f":material/{icon}:", default=name == first)

    def sections(**named: list) -> dict[str, list]:
        return {t(lang, f"nav.section.{key}"): value for key, value in named.items() if value}

    overview = [page("regional_overview", "bar_chart"), page("findings", "forum"), page("review_process", "timeline")]
    analysis = [page(name, icon) for name, icon in ANALYSIS_PAGES]
    if role == "public":
        if not public_view:
            return sections(account=[page("sign_in", "login")])
        return sections(
            overview=[page("home", "home"), *overview],
            analysis=analysis,
            reports=[page("country_onepager", "article")],
            account=[page("sign_in", "login")],
        )
    reports = [page("country_report", "edit_note"), page("country_onepager", "article"), page("presenter", "slideshow")]
    secretariat = []
    if role == "admin":
        secretariat = [
            page("submissions", "fact_check"),
            page("declaration", "gavel"),
            page("cycles", "event"),
            page("users", "group"),
            page("audit", "policy"),
        ]
    return sections(
        overview=[page("home", "home"), *overview], reports=reports, analysis=analysis, secretariat=secretariat
    )


def route() -> None:
    from gcm.config import load_config
    from gcm.i18n import t
    from gcm.reference import ReferenceDataError
    from gcm.ui.auth import account_box, current_actor
    from gcm.ui.context import begin_run, engine, language, language_switcher
    from gcm.ui.style import apply_app_style

    begin_run()  # cached reads query the data revision once per run
    st.set_page_config(page_title="GCM tracker", page_icon=str(ICON), layout="wide")
    lang = language()
    apply_app_style(lang)
    try:
        engine()
        actor = current_actor()
        pages = pages_for(actor.role, load_config().public_view, lang)
    except ReferenceDataError as exc:
        actor, message = None, t(lang, "app.startup_error", error=str(exc))
        pages = [st.Page(lambda: st.error(message), title=t(lang, "nav.home"), icon=":material/error:", default=True)]
    st.session_state["actor"] = actor
    if actor is not None:  # any other page's address says why it is closed, in the reader's language
        from gcm.ui.closed_page import closed_pages

        # A page closed to this role must not be linked to (`st.page_link`): its address is the closed page's.
        default = default_page(actor.role, load_config().public_view)
        listed = {page.url_path or default for section in pages.values() for page in section}  # default page: ""
        pages[""] = closed_pages(lang, listed, actor.role != "public")
    navigation = st.navigation(pages, expanded=True)  # every page listed: the analysts' pages are not hidden
    language_switcher(lang)
    if actor is not None:
        account_box(lang, actor)
    st.sidebar.caption(t(lang, "app.sidebar_caption"))
    navigation.run()


if __name__ == "__main__":
    route()
else:
    from gcm.web.api_routes import api_routes
    from gcm.web.auth_routes import auth_routes

    app = st.App("app.py", routes=auth_routes() + api_routes())

"""The search page: results in both languages, a bookmarked URL reproduces a search, excerpts stay inert."""

import re

import pytest

from gcm import models
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import write_session
from gcm.demo import load_demo
from gcm.i18n import t
from gcm.permissions import SYSTEM
from gcm.services import ReportInput, save_objective_report
from gcm.ui import context
from tests.app.conftest import ADMIN, url_writes

PAYLOAD = "<script>alert(1)</script> **negrita** [enlace](javascript:alert(2)) <img src=x onerror=alert(3)> remesas"


def _demo() -> None:
    with write_session(prepare_database(load_config())) as session:
        load_demo(session, reference_for(str(ROOT / "data")))


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_query_shows_ranked_results_with_bold_hits(open_page, lang: str) -> None:
    _demo()
    at = open_page("search", lang)
    at.text_input(key="search__q").input("xenofobia municipios").run()
    assert not at.exception
    assert at.subheader[0].value.startswith(tuple("0123456789"))
    assert "**xenofobia**" in _markdown(at) and "**municipios**" in _markdown(at)
    assert t(lang, "search.added", terms="xenophobia") in [c.value for c in at.caption]
    assert at.query_params["q"] in (["xenofobia municipios"], "xenofobia municipios")
    first_page = _markdown(at)
    assert at.button(key="search__previous").disabled
    at.button(key="search__next").click().run()
    assert at.session_state["search__page"] == 2
    assert t(lang, "search.page", page=2, pages=5) in [c.value for c in at.caption]
    assert _markdown(at) != first_page


@pytest.mark.parametrize("lang", ["es", "en"])
def test_empty_state_and_prompt(open_page, lang: str) -> None:
    _demo()
    at = open_page("search", lang)
    assert at.info[0].value == t(lang, "search.prompt")
    at.text_input(key="search__q").input("palabrainexistente").run()
    assert not at.exception
    assert "palabrainexistente" in at.info[0].value


def test_bookmarked_query_params_reproduce_the_search(open_page) -> None:
    _demo()
    first = open_page("search", "es")
    first.text_input(key="search__q").input("covid").run()
    first.selectbox(key="search__cycle").select("imrf2022").run()
    first.selectbox(key="search__section").select(4).run()
    first.selectbox(key="search__field").select("challenges").run()
    url = {k: first.query_params[k] for k in ("q", "cycle", "section", "field")}
    shown = _markdown(first)
    count = first.subheader[0].value

    from streamlit.testing.v1 import AppTest

    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in {"lang": "es", **url}.items():
        again.query_params[key] = value[0] if isinstance(value, list) else value
    again.run()
    again.switch_page("pages/search.py").run()
    assert not again.exception
    assert again.text_input(key="search__q").value == "covid"
    assert again.selectbox(key="search__cycle").value == "imrf2022"
    assert again.selectbox(key="search__section").value == 4
    assert again.selectbox(key="search__field").value == "challenges"
    assert again.subheader[0].value == count
    assert _markdown(again) == shown


def test_excerpts_are_inert(open_page) -> None:
    engine = prepare_database(load_config())
    ref = reference_for(str(ROOT / "data"))
    with write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            SYSTEM,
            country="MEX",
            cycle_id="imrf2022",
            objective=20,
            data=ReportInput(status="planning", progress=PAYLOAD),
            expected_version=None,
        )
    at = open_page("search", "en", user=ADMIN)
    at.text_input(key="search__q").input("remesas").run()
    assert not at.exception
    excerpt = next(m.value for m in at.markdown if "remesas" in m.value)
    assert re.search(r"(?<!\\)[<>\[\]()]", excerpt) is None  # every markup character is escaped
    assert "\\<script\\>" in excerpt and "\\*\\*negrita\\*\\*" in excerpt and "\\[enlace\\]" in excerpt
    assert excerpt.endswith("**remesas**")
    assert t("en", "search.added", terms="remittances") in [c.value for c in at.caption]


def test_public_never_sees_drafts(open_page) -> None:
    engine = prepare_database(load_config())
    ref = reference_for(str(ROOT / "data"))
    with write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            SYSTEM,
            country="MEX",
            cycle_id="imrf2022",
            objective=20,
            data=ReportInput(status="planning", progress="Borrador confidencial"),
            expected_version=None,
        )
        assert session.get(models.Submission, ("MEX", "imrf2022")) is None
    public = open_page("search", "es")
    public.text_input(key="search__q").input("confidencial").run()
    assert "confidencial" in public.info[0].value  # the empty state
    admin = open_page("search", "es", user=ADMIN)
    admin.text_input(key="search__q").input("confidencial").run()
    assert "**confidencial**" in _markdown(admin)


def test_the_url_is_written_only_when_the_search_changes(open_page) -> None:
    """Each write of a query parameter is a message to the browser: a rerun that changes nothing writes none, a new
    term writes its own, clearing it takes it out of the URL, and switching the language writes `lang` once."""
    _demo()
    at = open_page("search", "es")
    at.text_input(key="search__q").input("covid").run()
    with url_writes() as sent:
        at.run()
    assert sent.call_count == 0
    with url_writes() as sent:
        at.text_input(key="search__q").input("").run()
    assert "q" not in at.query_params and sent.call_count == 1
    with url_writes() as sent:
        at.session_state[context.LANG_KEY] = "en"  # what the sidebar's language switch does
        at.run()
    assert at.query_params["lang"] in ("en", ["en"]) and sent.call_count == 1

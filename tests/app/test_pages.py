"""Every page runs in both languages, with and without data."""

import pytest
from streamlit.testing.v1 import AppTest

from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import write_session
from gcm.demo import load_demo
from gcm.i18n import t

TITLES = {"home": "home.title", "country_report": "report.title", "regional_overview": "overview.title"}


def _load_demo() -> None:
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        load_demo(session, reference_for(str(ROOT / "data")))


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.info] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts + [h.value for h in at.title])


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page", list(TITLES))
def test_page_runs_on_an_empty_database(open_page, page: str, lang: str) -> None:
    at = open_page(page, lang)
    assert not at.exception
    assert at.title[0].value == t(lang, TITLES[page])
    assert not at.get("plotly_chart")  # an empty database shows an empty state, not blank charts


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page", list(TITLES))
def test_page_runs_with_demo_data_and_says_it_is_illustrative(open_page, page: str, lang: str) -> None:
    _load_demo()
    at = open_page(page, lang)
    assert not at.exception
    assert any(t(lang, "demo.banner", count=391).split(":")[0] in w.value for w in at.warning)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_regional_overview_draws_three_charts_with_summaries_and_tables(open_page, lang: str) -> None:
    _load_demo()
    at = open_page("regional_overview", lang)
    assert len(at.get("plotly_chart")) == 3
    assert len(at.dataframe) == 3
    headers = [h.value for h in at.subheader]
    assert t(lang, "chart.heatmap_title") in headers
    assert at.selectbox(key="overview__cycle").value == "imrf2022"


def test_regional_overview_marks_provisional_areas(open_page) -> None:
    _load_demo()
    at = open_page("regional_overview", "en")
    at.selectbox(key="overview__cycle").set_value("lac2021").run()
    assert not at.exception
    assert any(t("en", "cycle.provisional_grouping") == w.value for w in at.warning)


def test_home_empty_state_and_headline(open_page) -> None:
    at = open_page("home", "en")
    assert any("python -m gcm demo" in i.value for i in at.info)
    assert [m.label for m in at.metric] == [
        t("en", "home.countries_reporting"),
        t("en", "home.objectives_covered"),
        t("en", "home.share_complete"),
    ]


def test_browser_locale_chooses_the_language(open_page) -> None:
    assert open_page("home", lang=None, locale="en-US").title[0].value == t("en", "home.title")
    assert open_page("home", lang=None, locale="es-MX").title[0].value == t("es", "home.title")
    assert open_page("home", lang=None, locale="fr-FR").title[0].value == t("es", "home.title")


def test_language_switch_is_kept_while_navigating(open_page) -> None:
    at = open_page("home", "es")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value == t("en", "home.title")
    at.switch_page("pages/regional_overview.py").run()
    assert at.title[0].value == t("en", "overview.title")


def test_broken_reference_data_shows_the_problem_instead_of_crashing(open_page, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GCM_REFERENCE_DIR", str(tmp_path / "nowhere"))
    at = open_page("home", "en")
    assert not at.exception
    assert "data/objectives.yaml: (file): file not found" in at.error[0].value

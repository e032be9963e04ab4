"""Objective profile, country profile and cycle comparison: both languages, views from the URL, inert text."""

import datetime as dt
import re

import pytest
from streamlit.testing.v1 import AppTest

from gcm import models, workflow
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import write_session
from gcm.demo import load_demo
from gcm.i18n import t
from gcm.permissions import SYSTEM
from gcm.services import ReportInput, save_objective_report
from tests.app.conftest import ANALYST, open_expanders, open_tables, url_writes
from tests.app.test_published_revision import COUNTRY, CYCLE, _return_to_draft
from tests.app.test_setup_revision import _workflow

PAGES = {
    "objective": ("pages/objective.py", "objective_page.title"),
    "country_profile": ("pages/country_profile.py", "country_page.title"),
    "compare": ("pages/compare.py", "compare.title"),
}
PAYLOAD = "<img src=x onerror=alert(1)> [clic](javascript:alert(1)) **negrita**"


def _load_demo() -> None:
    with write_session(prepare_database(load_config())) as session:
        load_demo(session, reference_for(str(ROOT / "data")))


def _open(page: str, lang: str, user: str | None = None, **params: str) -> AppTest:
    """A new browser session opening `page` with query parameters, as a bookmark or a link would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    if user:
        at.user = {"is_logged_in": True, "email": user}
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGES[page][0]).run()
    assert not at.exception, at.exception
    return at


def _charts(at: AppTest) -> list:
    return at.get("plotly_chart")


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("user", [None, ANALYST])
def test_each_page_draws_its_charts_tables_and_downloads(page: str, lang: str, user: str | None) -> None:
    _load_demo()
    at = _open(page, lang, user)
    assert at.title[0].value == t(lang, PAGES[page][1])
    assert len(_charts(at)) == (1 if page == "objective" else 2)
    assert len(open_tables(at).dataframe) >= len(_charts(at)), "every chart has its data as a table"
    assert len(at.get("download_button")) >= 2 * len(_charts(at))
    notes = [c.value for c in at.caption]
    expected = t(lang, "scope.validated" if user is None else "scope.submitted")
    assert expected in notes


def test_the_objective_page_shows_the_view_in_its_url() -> None:
    _load_demo()
    at = _open("objective", "en", objective="5", cycle="imrf2022", group="CRM")
    assert at.selectbox(key="objective__number").value == 5
    assert at.selectbox(key="objective__cycle").value == "imrf2022"
    assert at.header[0].value == t("en", "common.objective_n", n=5)
    ref = reference_for(str(ROOT / "data"))
    texts = [m.value for m in at.markdown]
    assert any(ref.objective(5).title.en.split()[0] in m for m in texts)
    assert any("https://migrationnetwork.un.org/hub?gcm_objectives=283" in m for m in texts)
    at.selectbox(key="objective__number").set_value(7).run()
    assert at.query_params["objective"] == ["7"] or at.query_params["objective"] == "7"


def test_the_country_page_follows_its_url_and_links_to_the_one_pager() -> None:
    _load_demo()
    at = _open("country_profile", "es", country="MEX")
    assert at.selectbox(key="country_page__country").value == "MEX"
    assert at.header[0].value == "México"
    links = [e.proto for e in at.get("page_link")]
    onepager = [link for link in links if link.page.endswith("country_onepager")]
    assert onepager, links
    assert all("country=MEX" in link.query_string for link in onepager)
    assert any("cycle=lac2021" in link.query_string for link in onepager)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_objective_page_links_to_the_reporting_countries_once_asked(lang: str) -> None:
    _load_demo()
    at = _open("objective", lang, objective="5", cycle="imrf2022", group="CRM")

    def profiles() -> list[str]:
        return [e.proto.query_string for e in at.get("page_link") if e.proto.page.endswith("country_profile")]

    assert profiles() == []  # a link per reporting country, 40 a page: drawn once opened
    label = next(e.label for e in at.expander if e.label.startswith(t(lang, "objective_page.country_links", n=0)[:12]))
    assert re.search(r"\((\d+)\)$", label)
    open_expanders(at, "objective__profiles")
    links = profiles()
    assert links and all("cycle=imrf2022" in q for q in links)
    assert len(links) == int(re.search(r"\((\d+)\)$", label).group(1))
    assert not at.exception


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_country_page_lists_the_latest_priorities_and_the_earlier_ones_on_request(lang: str) -> None:
    """The latest cycle's national priorities link to their objectives at once; the earlier cycles' (a few dozen
    links at global scale) are drawn once their expander is opened."""
    _load_demo()
    at = _open("country_profile", lang, country="MEX")

    def linked_cycles() -> set[str]:
        links = [e.proto for e in at.get("page_link") if e.proto.page.endswith("objective")]
        return {re.search(r"cycle=([^&]+)", link.query_string).group(1) for link in links}

    assert linked_cycles() == {"imrf2022"}
    earlier = t(lang, "country_page.earlier_priorities", n=1)
    assert [e.label for e in at.expander if e.label == earlier] == [earlier]
    open_expanders(at, "country_page__earlier")
    assert linked_cycles() == {"imrf2022", "lac2021"}
    assert not at.exception


def test_the_one_pager_honours_country_and_cycle_in_its_url() -> None:
    _load_demo()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.query_params["country"] = "PAN"
    at.query_params["cycle"] = "lac2021"
    at.switch_page("pages/country_onepager.py").run()
    assert not at.exception
    assert at.selectbox(key="onepager__country").value == "PAN"
    assert at.selectbox(key="onepager__cycle").value == "lac2021"


def test_the_comparison_reproduces_what_changed_from_its_url() -> None:
    _load_demo()
    at = _open("compare", "en", a="lac2021", b="imrf2022", group="CRM", country="MEX", objective="1")
    assert at.selectbox(key="compare__a").value == "lac2021"
    assert at.selectbox(key="compare__b").value == "imrf2022"
    assert at.selectbox(key="compare__country").value == "MEX"
    assert at.selectbox(key="compare__objective").value == 1
    assert any(t("en", "compare.what_changed_title") == s.value for s in at.subheader)
    at.selectbox(key="compare__country").set_value("HND").run()
    assert "HND" in str(at.query_params["country"])


def test_the_comparison_defaults_to_the_two_latest_cycles_with_readable_reports() -> None:
    _load_demo()
    at = _open("compare", "es")
    assert (at.selectbox(key="compare__a").value, at.selectbox(key="compare__b").value) == ("lac2021", "imrf2022")


def _malicious_reports() -> None:
    ref = reference_for(str(ROOT / "data"))
    with write_session(prepare_database(load_config())) as session:
        for cycle, text in (("lac2021", "Antes " + PAYLOAD), ("imrf2022", PAYLOAD + " después")):
            save_objective_report(
                session,
                ref,
                SYSTEM,
                country="MEX",
                cycle_id=cycle,
                objective=9,
                data=ReportInput(status="planning", progress=text, challenges=text, priorities=text),
                expected_version=None,
            )
            session.merge(
                models.Submission(
                    country_iso3="MEX",
                    cycle_id=cycle,
                    state="validated",
                    comment="",
                    updated_by="t",
                    updated_at=dt.datetime.now(dt.UTC),
                )
            )


@pytest.mark.parametrize("lang", ["es", "en"])
def test_user_text_stays_inert_in_the_word_diff_and_the_entries(lang: str) -> None:
    _malicious_reports()
    at = _open("compare", lang, a="lac2021", b="imrf2022", group="CRM", country="MEX", objective="9")
    diffs = [m.value for m in at.markdown if "onerror" in m.value]
    assert len(diffs) == 3  # progress, challenges, priorities
    for value in diffs:
        assert not re.search(
            r"(?<!\\)[<>\[\]()]",
            value.replace(":orange-background[", "")
            .replace(":blue-background[", "")
            .replace("~~]", "")
            .replace("**]", ""),
        )
        assert "\\<img" in value and "\\*\\*negrita\\*\\*" in value
    assert not any(m.proto.allow_html for m in at.markdown)
    at = _open("objective", lang, objective="9", cycle="imrf2022")
    assert not any(re.search(r"(?<!\\)<img", m.value) for m in at.markdown)
    cells = [value for frame in open_tables(at).dataframe for value in frame.value.to_numpy().ravel()]
    assert PAYLOAD + " después" in cells  # the text is a table cell, shown as typed


def _public_onepager(lang: str, country: str, cycle: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.query_params["country"] = country
    at.query_params["cycle"] = cycle
    return at.switch_page("pages/country_onepager.py").run()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_country_with_nothing_in_the_cycle_gets_one_sentence_not_23_lines(lang: str) -> None:
    _load_demo()  # the open cycle has no report yet
    at = _public_onepager(lang, "HND", "imrf2026")
    assert not at.exception
    assert [i.value for i in at.info] == [t(lang, "flow.summary_not_reported")]
    assert not any(t(lang, "status.not_reported") in c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_report_the_reader_may_not_read_yet_is_said_in_one_sentence(lang: str) -> None:
    _load_demo()
    _return_to_draft()  # COUNTRY's report in CYCLE is back in its delegates' hands, its entries kept
    at = _public_onepager(lang, COUNTRY, CYCLE)
    assert not at.exception
    assert [i.value for i in at.info] == [t(lang, "flow.summary_in_preparation")]
    _workflow(workflow.submit_country_report, country=COUNTRY, cycle_id=CYCLE, confirm_unchanged=True)
    at = _public_onepager(lang, COUNTRY, CYCLE)  # the public reads validated reports only
    assert [i.value for i in at.info] == [t(lang, "flow.summary_awaiting_validation")]
    _workflow(workflow.validate_country_report, country=COUNTRY, cycle_id=CYCLE)
    at = _public_onepager(lang, COUNTRY, CYCLE)
    assert not at.info and t(lang, "onepager.national_priorities") in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_rerun_that_changes_nothing_sends_the_browser_no_new_url(page: str) -> None:
    """Each write of a query parameter is a message to the browser, also when the value is the same: a rerun
    (a click elsewhere, an opened table) writes none, and a new choice writes its own parameter, once."""
    _load_demo()
    at = _open(page, "en", ANALYST, cycle="imrf2022")
    with url_writes() as sent:
        at.run()
    assert sent.call_count == 0
    key, param, value = {
        "objective": ("objective__number", "objective", 7),
        "country_profile": ("country_page__country", "country", "GTM"),
        "compare": ("compare__objective", "objective", 7),
    }[page]
    with url_writes() as sent:
        at.selectbox(key=key).set_value(value).run()
    assert sent.call_count == 1
    assert at.query_params[param] in (str(value), [str(value)])
    assert at.query_params["lang"] in ("en", ["en"]) and at.query_params["cycle"] in ("imrf2022", ["imrf2022"])

"""Every page runs in both languages for the roles that may open it; nobody opens a page not theirs."""

import pytest
from streamlit.testing.v1 import AppTest

from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import write_session
from gcm.demo import load_demo
from gcm.i18n import t
from gcm.ui import context
from gcm.ui.widgets import inert
from tests.app.conftest import ADMIN, ANALYST, DELEGATE, PAGES, open_expanders, open_tables

TITLES = {
    "home": "home.title",
    "country_report": "report.title",
    "regional_overview": "overview.title",
    "sign_in": "signin.title",
    "submissions": "submissions.title",
    "cycles": "cycles.title",
    "users": "users.title",
    "findings": "findings.title",
    "country_onepager": "onepager.title",
    "review_process": "review.title",
    "declaration": "declaration.title",
    "audit": "audit.title",
    "explorer": "explorer.title",
    "search": "search.title",
    "compare": "compare.title",
    "objective": "objective_page.title",
    "country_profile": "country_page.title",
    "map": "map.title",
    "open_data": "opendata.title",
}
ANALYSIS = {"explorer", "search", "compare", "objective", "country_profile", "map", "open_data"}
SHARED = {"regional_overview", "findings", "country_onepager", "review_process", *ANALYSIS}
ACCESS = {  # role (e-mail, or None for a visitor who is not signed in): the pages it may open
    None: {"home", "sign_in", *SHARED},
    DELEGATE: {"home", "country_report", "presenter", *SHARED},
    ANALYST: {"home", "country_report", "presenter", *SHARED},
    ADMIN: {"home", "country_report", "presenter", "submissions", "declaration", "cycles", "users", "audit", *SHARED},
}
CASES = [(user, page) for user, pages in ACCESS.items() for page in sorted(pages)]


def _load_demo() -> None:
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        load_demo(session, reference_for(str(ROOT / "data")))


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(("user", "page"), CASES)
def test_page_runs_for_its_roles_in_both_languages(open_page, user: str | None, page: str, lang: str) -> None:
    _load_demo()
    at = open_page(page, lang, user=user)
    assert not at.exception
    if page == "presenter":  # slides: the header is the slide's title
        assert at.header[0].value == t(lang, "presenter.opening")
        return
    assert at.title[0].value == t(lang, TITLES[page])
    assert any(t(lang, "demo.banner", count=391).split(":")[0] in w.value for w in at.warning)


@pytest.mark.parametrize(("user", "page"), [(u, p) for u in ACCESS for p in PAGES if p not in ACCESS[u] and PAGES[p]])
def test_a_page_not_allowed_is_not_in_the_navigation(open_page, user: str | None, page: str) -> None:
    at = open_page("home", "en", user=user)
    assert at.title[0].value == t("en", TITLES["home"])
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGES[page])


def test_signed_out_with_public_view_off_sees_only_sign_in(open_page, monkeypatch) -> None:
    monkeypatch.setenv("GCM_PUBLIC_VIEW", "off")
    at = open_page("home", "en")
    assert at.title[0].value == t("en", "signin.title")
    for page in ("pages/home.py", "pages/regional_overview.py", "pages/country_report.py"):
        with pytest.raises(ValueError):
            at.switch_page(page)


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page", ["home", "country_report", "regional_overview"])
def test_page_runs_on_an_empty_database(open_page, page: str, lang: str) -> None:
    at = open_page(page, lang, user=DELEGATE)
    assert not at.exception
    assert at.title[0].value == t(lang, TITLES[page])
    assert not at.get("plotly_chart")  # an empty database shows an empty state, not blank charts


@pytest.mark.parametrize("lang", ["es", "en"])
def test_regional_overview_draws_three_charts_with_summaries_and_tables(open_page, lang: str) -> None:
    _load_demo()
    at = open_page("regional_overview", lang)
    assert len(at.get("plotly_chart")) == 3
    assert not at.dataframe  # the data tables are built once a reader opens them
    assert len(open_tables(at).dataframe) == 3
    headers = [h.value for h in at.subheader]
    assert t(lang, "chart.heatmap_title") in headers
    assert at.selectbox(key="overview__cycle").value == "imrf2022"
    assert at.caption[1].value == t(lang, "scope.validated")


def test_an_open_data_table_stays_open_when_the_reader_switches_language(open_page) -> None:
    _load_demo()
    at = open_page("regional_overview", "es")
    at.session_state["overview__heatmap__table"] = True  # the reader opens one table of three
    at.run()
    assert len(at.dataframe) == 1
    at.session_state[context.LANG_KEY] = "en"  # what the sidebar's language switch does
    at.run()
    assert at.subheader[0].value == t("en", "chart.status_by_section_title")
    assert [e.label for e in at.expander] == [t("en", "overview.data_table")] * 3
    assert len(at.dataframe) == 1  # still open, in English; the closed ones stay closed
    at.session_state[context.LANG_KEY] = "es"
    at.run()
    assert len(at.dataframe) == 1
    at.session_state["overview__heatmap__table"] = False  # closed, it stays closed
    at.run()
    at.session_state[context.LANG_KEY] = "en"
    at.run()
    assert not at.dataframe
    at.session_state["overview__heatmap__table"] = True
    at.run()
    at.session_state[context.LANG_KEY] = "es"
    at.run()
    assert len(at.dataframe) == 1
    at.switch_page("pages/home.py").run()  # a reader who leaves and comes back finds the tables closed
    at.switch_page(PAGES["regional_overview"]).run()
    assert not at.dataframe
    at.switch_page("pages/home.py").run()  # also when the language was switched elsewhere
    at.session_state[context.LANG_KEY] = "en"
    at.run()
    at.switch_page(PAGES["regional_overview"]).run()
    assert at.title[0].value == t("en", "overview.title") and not at.dataframe


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


@pytest.mark.parametrize("lang", ["es", "en"])
def test_home_lists_the_objectives_by_round_table_once_opened(open_page, lang: str) -> None:
    at = open_page("home", lang)
    assert [e.label for e in at.expander] == [t(lang, "home.objectives_by_round_table")]
    assert not at.dataframe  # built only once a reader opens it
    at = open_expanders(at, "home__")
    table = at.dataframe[0].value
    assert len(table) == 23  # every objective, under its round table
    assert table.iloc[0, 0] == t(lang, "chart.round_table_n", n=1)
    assert table.iloc[-1, 0] == t(lang, "chart.round_table_n", n=4)


def test_delegate_home_lists_what_is_missing(open_page) -> None:
    at = open_page("home", "en", user=DELEGATE)
    assert any(
        m.value.startswith(t("en", "home.missing")) and "23. International cooperation" in m.value for m in at.markdown
    )


@pytest.mark.parametrize("lang", ["es", "en"])
def test_delegate_home_names_the_report_state_as_the_report_page_does(open_page, lang: str) -> None:
    """Nothing saved yet: "not started", as the country report and the Submissions page say, not "draft"."""
    from gcm.ui.workflow_panel import state_words

    country = reference_for(str(ROOT / "data")).country("CRI").name.get(lang)  # the delegate's country
    at = open_page("home", lang, user=DELEGATE)
    line = next(
        m.value for m in at.markdown if m.value.startswith(f"**{t(lang, 'home.your_report', country=country)}**")
    )
    assert state_words(lang, "not_started") in line and state_words(lang, "draft") not in line
    assert t(lang, "report.completeness", n=0, total=23) in line


@pytest.mark.parametrize("lang", ["es", "en"])
def test_delegate_home_offers_to_continue_only_a_report_that_can_be_edited(open_page, lang: str) -> None:
    """Submitted, the report is opened to read, not "continued"; returned, the secretariat's comment is on Home."""
    from gcm import workflow
    from gcm.permissions import SYSTEM

    def links(at: AppTest) -> list[str]:
        return [link.proto.label for link in at.get("page_link")]

    at = open_page("home", lang, user=DELEGATE)
    assert t(lang, "home.continue_report") in links(at)
    engine = prepare_database(load_config())
    cycle = _costa_rica_drafts(objective=1)
    with write_session(engine) as session:
        workflow.submit_country_report(session, SYSTEM, country="CRI", cycle_id=cycle)
    at.run()
    assert t(lang, "home.open_report") in links(at) and t(lang, "home.continue_report") not in links(at)
    assert not any(m.value.startswith(t(lang, "home.missing")) for m in at.markdown)
    with write_session(engine) as session:
        workflow.return_country_report(
            session, SYSTEM, country="CRI", cycle_id=cycle, comment="Añadan <b>evidencia</b>", objectives=(1,)
        )
    at.run()
    assert t(lang, "home.continue_report") in links(at)
    comment = t(lang, "workflow.returned_comment", comment=inert("Añadan <b>evidencia</b>"))
    assert comment in [w.value for w in at.warning]


def _costa_rica_drafts(objective: int, cycle: str | None = None) -> str:
    """A first draft of Costa Rica's (the test delegate's country) on `objective`, in `cycle` (by default the
    current one, which it returns)."""
    from gcm import queries, services
    from gcm.permissions import SYSTEM

    with write_session(prepare_database(load_config())) as session:
        cycle = cycle or queries.current_cycle_id(session)
        services.save_objective_report(
            session,
            reference_for(str(ROOT / "data")),
            SYSTEM,
            country="CRI",
            cycle_id=cycle,
            objective=objective,
            data=services.ReportInput(status="planning", progress="Borrador"),
            expected_version=None,
        )
    return cycle


def test_home_never_says_nothing_was_entered_while_a_report_is_in_preparation(open_page) -> None:
    _costa_rica_drafts(objective=1)
    at = open_page("home", "en", user=DELEGATE)
    assert any(t("en", "flow.count_in_preparation", n=1) in m.value for m in at.markdown)
    assert not any(t("en", "home.empty") in i.value or t("en", "home.empty_elsewhere") in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_findings_open_on_the_first_round_table_with_a_report(open_page, lang: str) -> None:
    """Only the last round table holds a report: the page opens on it, not on an empty first one."""
    from gcm import queries, workflow
    from gcm.permissions import SYSTEM

    engine = prepare_database(load_config())
    with write_session(engine) as session:
        cycle_id = queries.current_cycle_id(session)
        grouping = queries.cycles(session).set_index("id").loc[cycle_id, "grouping"]
        sections = queries.sections(session, grouping)
        last = sections["section"].max()
        objective = int(sections.loc[sections["section"] == last, "objective"].iloc[0])
    _costa_rica_drafts(objective, cycle_id)
    with write_session(engine) as session:
        workflow.submit_country_report(session, SYSTEM, country="CRI", cycle_id=cycle_id)
        workflow.validate_country_report(session, SYSTEM, country="CRI", cycle_id=cycle_id)
    at = open_page("findings", lang, user=ANALYST)
    assert not at.exception
    drawn = [bool(tab.get("plotly_chart")) for tab in at.tabs]  # only the open round table is drawn
    assert drawn == [False] * (len(drawn) - 1) + [True], drawn
    at.session_state["findings__round_table"] = at.tabs[0].label  # the reader's own choice then stays
    at.run()
    assert not at.tabs[-1].get("plotly_chart")
    at.run()
    assert not at.tabs[-1].get("plotly_chart")


def test_browser_locale_chooses_the_language(open_page) -> None:
    assert open_page("home", lang=None, locale="en-US").title[0].value == t("en", "home.title")
    assert open_page("home", lang=None, locale="es-MX").title[0].value == t("es", "home.title")
    assert open_page("home", lang=None, locale="fr-FR").title[0].value == t("es", "home.title")


def test_language_switch_is_kept_while_navigating(open_page) -> None:
    at = open_page("home", "es")
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == t("en", "home.title")
    at.switch_page("pages/regional_overview.py").run()
    assert at.title[0].value == t("en", "overview.title")


def test_broken_reference_data_shows_the_problem_instead_of_crashing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GCM_REFERENCE_DIR", str(tmp_path / "nowhere"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert "data/objectives.yaml: (file): file not found" in at.error[0].value


def test_admin_pages_show_their_data(open_page) -> None:
    _load_demo()
    audit = open_page("audit", "en", user=ADMIN)
    assert not audit.exception
    users = open_page("users", "en", user=ADMIN)
    assert set(users.dataframe[0].value[t("en", "field.username")]) == {"sec", "cri", "mex", "ana"}
    submissions = open_page("submissions", "es", user=ADMIN)
    assert submissions.dataframe[0].value.shape[0] == 24  # every country
    cycles = open_page("cycles", "en", user=ADMIN)
    assert cycles.dataframe[0].value.shape[0] == 4


def test_secretariat_locks_a_cycle_and_delegates_can_no_longer_edit(open_page) -> None:
    admin = open_page("cycles", "en", user=ADMIN)
    admin.checkbox[1].check()  # Locked
    admin.button[0].click().run()  # the cycle form's submit button
    assert admin.success[0].value == t("en", "cycles.saved")
    delegate = open_page("country_report", "en", user=DELEGATE)
    assert any(t("en", "workflow.locked") in m.value for m in delegate.markdown)
    assert delegate.text_area(key="report__progress__1").disabled


@pytest.mark.parametrize("lang", ["es", "en"])
def test_adding_an_account_asks_for_its_role_and_shows_countries_by_name(open_page, lang: str) -> None:
    """The role is not chosen beforehand: forgetting it is an error naming the field, not a secretariat account."""
    at = open_page("users", lang, user=ADMIN)
    assert t(lang, "common.country") in at.dataframe[0].value.columns
    role = next(box for box in at.selectbox if box.label == t(lang, "field.role"))
    assert role.value is None and role.placeholder == t(lang, "users.role_placeholder")
    shown = at.dataframe[0].value
    countries = set(shown[t(lang, "common.country")])
    assert "CRI" not in countries and "Costa Rica" in countries
    at.text_input[0].input("nueva")
    at.text_input[2].input("una clave larga de prueba")
    next(b for b in at.button if b.label == t(lang, "users.add")).click().run()
    required = t(lang, "error.required", field=t(lang, "field.role"))
    assert any(required in e.value for e in at.error), [e.value for e in at.error]
    assert "nueva" not in set(at.dataframe[0].value[t(lang, "field.username")])


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_audit_log_names_the_command_line_in_the_readers_language(open_page, lang: str) -> None:
    at = open_page("audit", lang, user=ADMIN)  # the accounts of these tests were made by the command line
    people = set(at.dataframe[0].value[t(lang, "audit.column.username")])
    assert t(lang, "audit.system") in people and "system" not in people
    # What happened comes before where from: at a laptop's width the detail starts on screen.
    order = list(at.dataframe[0].proto.column_order)
    assert order[-2:] == [t(lang, "audit.column.detail"), t(lang, "audit.column.address")]


@pytest.mark.parametrize(("lang", "shown"), [("es", "DD/MM/YYYY"), ("en", "YYYY-MM-DD")])
def test_date_fields_take_dates_in_the_readers_order(open_page, lang: str, shown: str) -> None:
    """Day first in Spanish, as dates are written there, not Streamlit's YYYY/MM/DD, on every page that asks
    for a date: a cycle's deadline, a review event's start and end, the audit log's dates."""
    pages = [open_page(page, lang, user=ADMIN) for page in ("cycles", "review_process", "audit")]
    open_expanders(pages[1], "review__new")  # the form recording a review: built once opened
    formats = [field.proto.format for page in pages for field in page.date_input]
    assert formats == [shown] * 4


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_secretariat_records_a_review_from_its_closed_form(open_page, lang: str) -> None:
    """The form recording a review is closed until opened (its 16 figures are built only then); opened, it records
    the review with its figures, and the review can then be chosen on the page."""
    at = open_page("review_process", lang, user=ADMIN)
    assert not at.number_input and not at.text_input  # closed: nothing of the form is built
    assert any(e.label == t(lang, "review.new") for e in at.expander)
    open_expanders(at, "review__new")
    at.text_input[0].input("test2030")
    at.text_input[1].input("Test review")
    at.text_input[2].input("Revisión de prueba")
    at.number_input[0].set_value(12)
    next(b for b in at.button if b.label == t(lang, "review.save")).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value == t(lang, "review.saved")
    named = {"en": "Test review", "es": "Revisión de prueba"}[lang]
    assert named in at.selectbox(key="review__event").options
    analyst = open_page("review_process", lang, user=ANALYST)
    assert all(e.label != t(lang, "review.new") for e in analyst.expander)  # the secretariat's form only
    assert all(h.value != t(lang, "review.record") for h in analyst.subheader)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_secretariat_places_an_objective_in_another_section_from_its_closed_form(open_page, lang: str) -> None:
    """The grouping editor (23 select boxes) is closed until opened; opened, it saves where each objective goes."""
    at = open_page("cycles", lang, user=ADMIN)
    assert not [box for box in at.selectbox if box.label.startswith("1. ")]  # the grouping editor is closed
    open_expanders(at, "cycles__edit_grouping")
    placing = [box for box in at.selectbox if box.label.startswith("1. ")]
    assert len(placing) == 1
    chosen = next(o for o in placing[0].options if o != placing[0].value)
    placing[0].set_value(chosen)
    next(b for b in at.button if b.label == t(lang, "cycles.save_grouping")).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value == t(lang, "cycles.grouping_saved")


def test_the_audit_log_shows_a_sign_in_made_after_the_page_opened(open_page) -> None:
    """A sign-in (or a failed one) changes no report and moves no data revision; the log still shows it at the
    next rerun, and a filter that matches nothing says so rather than that the log is empty."""
    import datetime as dt

    from gcm import accounts

    at = open_page("audit", "en", user=ADMIN)
    before = len(at.dataframe[0].value)
    with write_session(prepare_database(load_config())) as session:
        accounts.sign_in(
            session, username="nobody-here", password="wrong", address="10.9.8.7", lifetime=dt.timedelta(hours=1)
        )
    at.run()
    shown = at.dataframe[0].value
    assert len(shown) == before + 1
    assert shown.iloc[0][t("en", "audit.column.username")] == "nobody-here"
    assert "nobody-here" in at.selectbox(key="audit__person").options
    at.selectbox(key="audit__country").set_value("MEX").run()
    at.multiselect(key="audit__kinds").set_value(["cycle_closed"]).run()
    assert [i.value for i in at.info] == [t("en", "audit.no_match")]

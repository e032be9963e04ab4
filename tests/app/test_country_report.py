"""A delegate fills in the report form; saved values come back in a new session; roles and workflow."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from gcm import accounts, queries, services, workflow
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import load_config
from gcm.db import read_session, write_session
from gcm.i18n import t
from gcm.permissions import SYSTEM
from gcm.services import TEXT_LIMITS
from gcm.ui.report_form import widget_key
from gcm.ui.widgets import inert
from tests.app.conftest import ADMIN, ANALYST, DELEGATE, open_expanders, open_tables


def _open(open_page, lang: str = "es", user: str = DELEGATE) -> AppTest:
    return open_page("country_report", lang, user=user)


def _fill(at: AppTest, objective: int, status: str, progress: str) -> None:
    at.selectbox(key="report__objective").set_value(objective).run()
    at.selectbox(key=widget_key("status", objective)).set_value(status)
    at.text_area(key=widget_key("progress", objective)).input(progress)
    at.multiselect(key=widget_key("principles", objective)).set_value(["a", "f"])
    at.checkbox(key=widget_key("national_priority", objective)).check()
    at.text_area(key=widget_key("evidence_links", objective)).input("https://example.org/informe")
    at.run()


def _save(at: AppTest, objective: int) -> AppTest:
    return at.button(key=f"report__save__{objective}").click().run()


def test_save_then_new_session_shows_saved_values(open_page) -> None:
    at = _open(open_page, "es")
    assert any("Costa Rica" in m.value for m in at.markdown)  # a delegate's country is fixed
    _fill(at, 5, "advanced", "Programa de visas <b>temporales</b>")
    _save(at, 5)
    assert not at.exception
    assert at.success[0].value.startswith("Objetivo 5 guardado (versión 1")
    assert at.subheader[0].value == t("es", "report.completeness", n=1, total=23)

    fresh = _open(open_page, "en")
    fresh.selectbox(key="report__objective").set_value(5).run()
    assert fresh.selectbox(key=widget_key("status", 5)).value == "advanced"
    assert fresh.text_area(key=widget_key("progress", 5)).value == "Programa de visas <b>temporales</b>"
    assert fresh.multiselect(key=widget_key("principles", 5)).value == ["a", "f"]
    assert fresh.checkbox(key=widget_key("national_priority", 5)).value is True
    assert fresh.text_area(key=widget_key("evidence_links", 5)).value == "https://example.org/informe"
    assert any("cri" in c.value for c in fresh.caption)  # last saved by the signed-in account


def test_validation_error_names_the_field_and_keeps_the_text(open_page) -> None:
    at = _open(open_page, "en")
    at.selectbox(key="report__objective").set_value(2).run()
    at.text_area(key=widget_key("progress", 2)).input("Texto sin estado").run()
    at.text_area(key=widget_key("evidence_links", 2)).input("not a link").run()
    _save(at, 2)
    errors = [e.value for e in at.error]
    assert f"{t('en', 'field.status')}: this field is required." in errors
    assert any(e.startswith(t("en", "field.evidence_links")) for e in errors)
    assert at.text_area(key=widget_key("progress", 2)).value == "Texto sin estado"
    assert not at.success


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_text_over_its_limit_is_counted_alike_below_the_field_and_on_saving(open_page, lang: str) -> None:
    """The message under a text that is too long and the one saving gives count the same characters: the text as
    it would be saved (blanks around it do not count), and the text is kept as typed."""
    limit = TEXT_LIMITS["challenges"]
    typed = "x" * (limit + 9) + "  \n "
    at = _open(open_page, lang)
    at.selectbox(key=widget_key("status", 1)).set_value("planning")
    at.text_area(key=widget_key("challenges", 1)).input(typed).run()
    expected = t(lang, "error.too_long", field=t(lang, "field.challenges"), length=limit + 9, limit=limit)
    assert [e.value for e in at.error] == [expected]
    _save(at, 1)
    assert [e.value for e in at.error] == [expected, expected]  # the save's message above, the field's below
    assert at.text_area(key=widget_key("challenges", 1)).value == typed
    assert not at.success


def test_unsaved_edits_survive_moving_between_objectives(open_page) -> None:
    at = _open(open_page, "es")
    assert at.selectbox(key="report__objective").value == 1  # objectives in number order
    at.text_area(key=widget_key("challenges", 1)).input("Borrador de desafíos").run()
    assert any(w.value == t("es", "report.unsaved") for w in at.warning)
    open_now = f"({t('es', 'report.open_now')})"
    assert open_now in at.button(key="report__jump__1").proto.help  # the objective grid marks the open one
    at.button(key="report__next").click().run()
    assert at.selectbox(key="report__objective").value == 2
    assert open_now in at.button(key="report__jump__2").proto.help
    assert open_now not in at.button(key="report__jump__1").proto.help and at.button(key="report__jump__2").proto.icon
    assert any(t("es", "report.unsaved_list", objectives="1", n=1) == w.value for w in at.warning)
    at.button(key="report__jump__1").click().run()  # the completeness markers open their objective
    assert at.text_area(key=widget_key("challenges", 1)).value == "Borrador de desafíos"


def test_closed_cycle_is_read_only(open_page) -> None:
    at = _open(open_page, "en")
    at.selectbox(key="report__cycle").set_value("imrf2022").run()
    assert any(i.value == t("en", "report.read_only") for i in at.info)
    assert at.text_area(key=widget_key("progress", 1)).disabled
    assert not [b for b in at.button if b.key == "report__save__1"]


def test_error_values_and_names_are_shown_inert(open_page) -> None:
    engine = prepare_database(load_config())
    payload = "x<img src=x onerror=alert(1)>**b**"
    with write_session(engine) as session:
        accounts.add_user(
            session, SYSTEM, username="x_y", role="delegate", country="PAN", password=None, email="p@example.org"
        )
    at = _open(open_page, "en", "p@example.org")
    _fill(at, 2, "planning", payload)
    at.text_area(key=widget_key("evidence_links", 2)).input("javascript:alert(1)").run()
    _save(at, 2)
    assert any("javascript\\:alert\\(1\\)" in e.value for e in at.error)  # echoed value escaped
    at.text_area(key=widget_key("evidence_links", 2)).input("").run()
    _save(at, 2)
    assert at.text_area(key=widget_key("progress", 2)).value == payload
    assert any("x\\_y" in c.value for c in at.caption)  # the author's name is escaped markdown


def test_full_report_in_spanish_then_submit_validate_and_see_it_in_the_charts(open_page) -> None:
    at = _open(open_page, "es")
    statuses = ["no_action", "planning", "initial", "advanced", "full"]
    for i in range(23):
        objective = at.selectbox(key="report__objective").value
        at.selectbox(key=widget_key("status", objective)).set_value(statuses[i % 5])
        at.text_area(key=widget_key("progress", objective)).input(f"Avance en el objetivo {objective}")
        at.checkbox(key=widget_key("national_priority", objective)).set_value(objective in (5, 23))
        _save(at, objective)
        assert at.success, [e.value for e in at.error]
        at.button(key="report__next").click().run()
    assert at.subheader[0].value == "23 de 23 objetivos con informe"
    at.button(key="workflow__submit").click().run()
    assert not any(w.value == t("es", "flow.missing", n=0) for w in at.warning)  # nothing missing
    at.button(key="workflow__submit_confirm").click().run()
    assert at.success[0].value == t("es", "workflow.submitted")
    assert at.text_area(key=widget_key("progress", 1)).disabled  # submitted: no more edits

    # Analysts see submitted reports; the public only validated ones.
    analyst = open_page("regional_overview", "es", user=ANALYST)
    analyst.selectbox(key="overview__cycle").set_value("imrf2026").run()
    assert len(analyst.get("plotly_chart")) == 3
    public = open_page("regional_overview", "es")
    public.selectbox(key="overview__cycle").set_value("imrf2026").run()
    assert not public.get("plotly_chart")

    admin = open_page("country_report", "es", user=ADMIN)
    admin.selectbox(key="report__country").set_value("CRI").run()
    admin.button(key="workflow__validate").click().run()
    assert any(m.value == "**23 de 23 objetivos con informe**" for m in admin.markdown)  # the same check
    admin.button(key="workflow__validate_confirm").click().run()
    assert admin.success[0].value == t("es", "workflow.validated")

    overview = open_page("regional_overview", "es")
    overview.selectbox(key="overview__cycle").set_value("imrf2026").run()
    assert len(overview.get("plotly_chart")) == 3
    summaries = [m.value for m in overview.markdown]
    assert any(
        "1 de 11 países han informado; Costa Rica informó sobre más objetivos \\(23 de 23\\)" in s for s in summaries
    )
    table = open_tables(overview).dataframe[1].value
    assert table.loc["Costa Rica", "5"] == "Plenamente implementado ★"  # objective 5 is the fifth entered
    assert table.loc["Belice", "5"] == "Sin informe"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_report_with_unsaved_edits_cannot_be_sent_until_they_are_saved(open_page, lang: str) -> None:
    """Sending locks the report: edits not yet saved could never be saved afterwards."""
    at = _open(open_page, lang)
    _fill(at, 2, "planning", "Guardado")
    _save(at, 2)
    _fill(at, 3, "initial", "Sin guardar")  # left unsaved
    at.button(key="workflow__submit").click().run()
    assert [e.value for e in at.error] == [t(lang, "flow.unsaved_first", objectives="3", n=1)]
    assert at.button(key="workflow__submit_confirm").disabled
    _save(at, 3)
    assert not at.error and not at.button(key="workflow__submit_confirm").disabled
    at.button(key="workflow__submit_confirm").click().run()
    assert at.success[0].value == t(lang, "workflow.submitted")


def test_secretariat_returns_a_report_with_a_comment_the_delegate_sees(open_page) -> None:
    at = _open(open_page, "en")
    _fill(at, 2, "planning", "Primer avance")
    _save(at, 2)
    at.button(key="workflow__submit").click().run()
    assert any(w.value == t("en", "flow.missing", n=22) for w in at.warning)  # the confirmation lists them
    at.button(key="workflow__submit_confirm").click().run()
    admin = open_page("country_report", "en", user=ADMIN)
    admin.selectbox(key="report__country").set_value("CRI").run()
    admin.button(key="workflow__return").click().run()
    assert admin.error[0].value == f"{t('en', 'field.comment')}: this field is required."
    admin.text_area(key="workflow__comment").input("Please add objective 5").run()
    admin.button(key="workflow__return").click().run()
    assert admin.success[0].value == t("en", "workflow.returned")
    again = _open(open_page, "en")
    assert any("Please add objective 5" in w.value for w in again.warning)
    assert not again.text_area(key=widget_key("progress", 2)).disabled  # returned: editable again


def test_history_shows_the_diff_and_restores(open_page) -> None:
    at = _open(open_page, "en")
    _fill(at, 2, "planning", "First text")
    _save(at, 2)
    assert not at.code and not any(b.key.startswith("history__restore__") for b in at.button if b.key)  # closed
    open_expanders(at, "history__")
    at.text_area(key=widget_key("progress", 2)).input("Second text").run()
    _save(at, 2)  # the count in its title moves on: the history stays open
    assert t("en", "history.title", n=2) in [e.label for e in at.expander]
    assert any("-First text\n+Second text" in c.value for c in at.code)
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("history__restore__"))).click().run()
    assert at.success[0].value == t("en", "history.restored", version=1, new=3)
    assert t("en", "history.title", n=3) in [e.label for e in at.expander] and at.code  # still open
    assert at.text_area(key=widget_key("progress", 2)).value == "First text"


def test_a_long_history_is_shown_a_page_at_a_time_newest_first(open_page) -> None:
    """A report saved many times: the history panel and the workflow events name every version and event but
    draw ten at a time (Streamlit draws an expander's content even while it is closed, so each run drew every
    diff and every event before)."""
    from gcm import queries, services
    from gcm.bootstrap import reference_for
    from gcm.db import read_session
    from gcm.permissions import Actor
    from gcm.ui.history import PAGE

    config = load_config()
    engine, ref = prepare_database(config), reference_for(str(config.reference_dir))
    delegate = Actor(name="cri", role="delegate", country="CRI")
    with read_session(engine) as session:
        cycle = queries.current_cycle_id(session)
    for n in range(PAGE + 2):
        with write_session(engine) as session:
            services.save_objective_report(
                session,
                ref,
                delegate,
                country="CRI",
                cycle_id=cycle,
                objective=7,
                data=services.ReportInput(status="planning", progress=f"Text {n + 1}"),
                expected_version=n or None,
            )
    at = _open(open_page, "en")
    at.selectbox(key="report__objective").set_value(7).run()
    assert t("en", "history.title", n=PAGE + 2) in [e.label for e in at.expander]
    assert not [m for m in at.markdown if m.value.startswith("**Version ")]  # closed: nothing read or drawn
    open_expanders(open_expanders(at, "history__"), f"report__events__CRI__{cycle}")
    versions = [m.value for m in at.markdown if m.value.startswith("**Version ")]  # in bold, not "\\*\\*"
    assert [v.split("**")[1] for v in versions] == [f"Version {n}" for n in range(PAGE + 2, 2, -1)]
    pager = next(box for box in at.selectbox if str(box.key).startswith("history__page__"))
    assert pager.label == t("en", "history.versions")
    assert pager.format_func(2) == t("en", "common.page_option", first=PAGE + 1, last=PAGE + 2, total=PAGE + 2)
    pager.set_value(2).run()
    versions = [m.value for m in at.markdown if m.value.startswith("**Version ")]
    assert [v.split("**")[1] for v in versions] == ["Version 2", "Version 1"]
    assert any("-Text 1\n+Text 2" in c.value for c in at.code)
    saves = t("en", "audit.kind.report_saved")
    events = [m.value for m in at.markdown if f" · {saves} · " in m.value]
    assert len(events) == PAGE and t("en", "flow.events", n=PAGE + 2) in [e.label for e in at.expander]
    at.selectbox(key=f"report__events_page__CRI__{cycle}").set_value(2).run()
    assert len([m for m in at.markdown if f" · {saves} · " in m.value]) == 2


def _in_order(at: AppTest) -> list:
    """The page's elements in the order a reader meets them."""
    return [node for node in at.main if not hasattr(node, "children")]


def test_conflicting_save_shows_both_versions_beside_save_and_can_merge(open_page) -> None:
    first = _open(open_page, "en")
    _fill(first, 2, "planning", "Base text")
    _save(first, 2)
    mine = _open(open_page, "en")
    theirs = _open(open_page, "en")
    mine.text_area(key=widget_key("progress", 2)).input("My text").run()
    theirs.text_area(key=widget_key("progress", 2)).input("Their text")
    theirs.selectbox(key=widget_key("status", 2)).set_value("advanced").run()
    _save(theirs, 2)
    _save(mine, 2)
    title = t("en", "conflict.title", version=2)
    shown = _in_order(mine)
    said = next(i for i, e in enumerate(shown) if getattr(e, "value", None) == f"**{title}**")
    fields = [i for i, e in enumerate(shown) if getattr(e, "key", None) == widget_key("evidence_links", 2)]
    save = [i for i, e in enumerate(shown) if getattr(e, "key", None) == "report__save__2"]
    assert fields[0] < said < save[0]  # where Save was pressed, below the fields
    assert not mine.error  # said once, by the panel
    assert mine.text_area(key=widget_key("progress", 2)).value == "My text"  # nothing lost
    assert any(m.value == "Their text" for m in mine.markdown)  # shown side by side
    # the status differs too: shown by its name, and copied like a text
    assert any(m.value == f"**{t('en', 'field.status')}**" for m in mine.markdown)
    statuses = {s.key: s.label.get("en") for s in reference_for(str(load_config().reference_dir)).statuses}
    assert any(m.value == statuses["advanced"] for m in mine.markdown)
    assert any(m.value == statuses["planning"] for m in mine.markdown)
    mine.button(key="conflict__copy__status__2").click().run()
    assert mine.selectbox(key=widget_key("status", 2)).value == "advanced"
    mine.button(key="conflict__copy__progress__2").click().run()
    mine.text_area(key=widget_key("progress", 2)).input("Their text + My text").run()
    mine.button(key="conflict__adopt__2").click().run()  # "Save my merged text": saved, no second step
    assert mine.success[0].value.startswith("Objective 2 saved (version 3")
    assert not any("saved elsewhere" in m.value for m in mine.markdown)  # the conflict's panel is gone
    assert mine.selectbox(key=widget_key("status", 2)).value == "advanced"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_refused_save_says_why_beside_save(open_page, lang: str) -> None:
    """A delegate presses Save at the bottom of a long form: the reason it was refused is there, not above."""
    at = _open(open_page, lang)
    at.selectbox(key="report__objective").set_value(4).run()
    at.text_area(key=widget_key("progress", 4)).input("Avance")
    at.text_area(key=widget_key("evidence_links", 4)).input("www.gob.mx/registro").run()
    _save(at, 4)
    shown = _in_order(at)
    errors = [i for i, e in enumerate(shown) if type(e).__name__ == "Error"]
    fields = [i for i, e in enumerate(shown) if getattr(e, "key", None) == widget_key("evidence_links", 4)]
    save = [i for i, e in enumerate(shown) if getattr(e, "key", None) == "report__save__4"]
    assert errors and all(fields[0] < i < save[0] for i in errors)
    messages = [e.value for e in at.error]
    assert any(m.startswith(t(lang, "field.status")) for m in messages)
    assert any(m.startswith(t(lang, "field.evidence_links")) for m in messages)
    assert at.text_area(key=widget_key("evidence_links", 4)).value == "www.gob.mx/registro"  # nothing lost


def test_analyst_reads_but_cannot_edit(open_page) -> None:
    at = open_page("country_report", "en", user=ANALYST)
    at.selectbox(key="report__country").set_value("CRI").run()
    assert at.text_area(key=widget_key("progress", 1)).disabled
    assert not [b for b in at.button if b.key and b.key.startswith(("report__save", "workflow__"))]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_report_with_nothing_saved_reads_not_started_as_on_the_submissions_page(open_page, lang: str) -> None:
    at = _open(open_page, lang)
    state = t(lang, "workflow.state")
    assert any(m.value.startswith(f"**{state}:** ○ {t(lang, 'state.not_started')}") for m in at.markdown)
    _fill(at, 5, "advanced", "Avance")
    _save(at, 5)
    assert any(m.value.startswith(f"**{state}:** ✎ {t(lang, 'state.draft')}") for m in at.markdown)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_edits_typed_as_the_report_stops_being_editable_can_be_downloaded(open_page, lang: str) -> None:
    """The deadline passes while a delegate types: Save is gone, and what was typed is shown and downloadable."""
    at = _open(open_page, lang)
    cycle = at.selectbox(key="report__cycle").value
    _fill(at, 3, "planning", "Avance guardado")
    _save(at, 3)
    at.text_area(key=widget_key("progress", 3)).input("").run()  # cleared: said so, not left out
    at.text_area(key=widget_key("challenges", 3)).input("Falta <b>financiamiento</b> estable").run()
    engine = prepare_database(load_config())
    with read_session(engine) as session:
        row = queries.cycles(session).set_index("id").loc[cycle]
    with write_session(engine) as session:
        workflow.update_cycle(
            session, SYSTEM, cycle_id=cycle, is_open=True, is_locked=False, deadline=services.today() - dt.timedelta(1)
        )
    at.run()
    assert "report__save__3" not in [b.key for b in at.button]
    assert t(lang, "report.stranded") in [w.value for w in at.warning]
    assert t(lang, "report.stranded_list", objectives="3", n=1) in [w.value for w in at.warning]
    assert any(m.value == inert("Falta <b>financiamiento</b> estable") for m in at.markdown)  # as typed, inert
    shown = [m.value for m in at.markdown]
    assert f"**{t(lang, 'field.progress')}**" in shown and inert(t(lang, "report.emptied")) in shown
    assert f"**{t(lang, 'field.status')}**" not in shown  # unchanged since the save: not among the edits
    download = at.get("download_button")[0]
    assert download.proto.label == t(lang, "report.stranded_download")
    with write_session(engine) as session:  # reopened: Save takes the edits as they were typed
        workflow.update_cycle(
            session, SYSTEM, cycle_id=cycle, is_open=True, is_locked=False, deadline=row["deadline"] or None
        )
    at.run()
    _save(at, 3)
    assert at.text_area(key=widget_key("challenges", 3)).value == "Falta <b>financiamiento</b> estable"
    assert at.text_area(key=widget_key("progress", 3)).value == ""
    assert not at.warning or t(lang, "report.stranded") not in [w.value for w in at.warning]


def test_a_conflict_on_a_report_no_longer_editable_offers_no_save(open_page) -> None:
    first = _open(open_page, "en")
    _fill(first, 2, "planning", "Base text")
    _save(first, 2)
    mine, theirs = _open(open_page, "en"), _open(open_page, "en")
    mine.text_area(key=widget_key("progress", 2)).input("My text").run()
    theirs.text_area(key=widget_key("progress", 2)).input("Their text").run()
    _save(theirs, 2)
    _save(mine, 2)
    assert "conflict__adopt__2" in [b.key for b in mine.button]
    cycle = mine.selectbox(key="report__cycle").value
    with write_session(prepare_database(load_config())) as session:
        workflow.update_cycle(
            session, SYSTEM, cycle_id=cycle, is_open=True, is_locked=False, deadline=services.today() - dt.timedelta(1)
        )
    mine.run()
    keys = [b.key for b in mine.button]
    assert "conflict__adopt__2" not in keys and "report__save__2" not in keys
    assert any(m.value == "Their text" for m in mine.markdown)  # still compared: the edits can be downloaded

"""A delegate fills in the report form; saved values come back in a new session."""

from streamlit.testing.v1 import AppTest

from gcm.i18n import t
from gcm.ui.report_form import widget_key


def _choose(at: AppTest, country: str = "CRI", author: str = "Ana Pérez") -> AppTest:
    at.selectbox(key="report__country").set_value(country)
    at.text_input(key="report__author").input(author)
    return at.run()


def _fill(at: AppTest, objective: int, status: str, progress: str) -> None:
    at.selectbox(key="report__objective").set_value(objective).run()
    at.selectbox(key=widget_key("status", objective)).set_value(status)
    at.text_area(key=widget_key("progress", objective)).input(progress)
    at.multiselect(key=widget_key("principles", objective)).set_value(["a", "f"])
    at.checkbox(key=widget_key("national_priority", objective)).check()
    at.text_area(key=widget_key("evidence_links", objective)).input("https://example.org/informe")
    at.run()


def test_save_then_new_session_shows_saved_values(open_page) -> None:
    at = _choose(open_page("country_report", "es"))
    _fill(at, 5, "advanced", "Programa de visas <b>temporales</b>")
    at.button(key="report__save__5").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [next(s.value for s in at.success)]
    assert at.success[0].value.startswith("Objetivo 5 guardado (versión 1")
    assert at.subheader[0].value == t("es", "report.completeness", n=1, total=23)

    fresh = _choose(open_page("country_report", "en"), author="Luis")
    fresh.selectbox(key="report__objective").set_value(5).run()
    assert fresh.selectbox(key=widget_key("status", 5)).value == "advanced"
    assert fresh.text_area(key=widget_key("progress", 5)).value == "Programa de visas <b>temporales</b>"
    assert fresh.multiselect(key=widget_key("principles", 5)).value == ["a", "f"]
    assert fresh.checkbox(key=widget_key("national_priority", 5)).value is True
    assert fresh.text_area(key=widget_key("evidence_links", 5)).value == "https://example.org/informe"
    assert any("Ana Pérez" in c.value for c in fresh.caption)


def test_validation_error_names_the_field_and_keeps_the_text(open_page) -> None:
    at = _choose(open_page("country_report", "en"))
    at.text_area(key=widget_key("progress", 2)).input("Texto sin estado").run()
    at.text_area(key=widget_key("evidence_links", 2)).input("not a link").run()
    at.button(key="report__save__2").click().run()
    errors = [e.value for e in at.error]
    assert f"{t('en', 'field.status')}: this field is required." in errors
    assert any(e.startswith(t("en", "field.evidence_links")) for e in errors)
    assert at.text_area(key=widget_key("progress", 2)).value == "Texto sin estado"
    assert not at.success


def test_unsaved_edits_survive_moving_between_objectives(open_page) -> None:
    at = _choose(open_page("country_report", "es"))
    at.text_area(key=widget_key("challenges", 2)).input("Borrador de desafíos").run()
    assert any(w.value == t("es", "report.unsaved") for w in at.warning)
    at.button(key="report__next").click().run()
    assert at.selectbox(key="report__objective").value == 5
    assert any(t("es", "report.unsaved_list", objectives="2") == w.value for w in at.warning)
    at.button(key="report__prev").click().run()
    assert at.text_area(key=widget_key("challenges", 2)).value == "Borrador de desafíos"


def test_author_is_required(open_page) -> None:
    at = _choose(open_page("country_report", "en"), author="")
    _fill(at, 2, "planning", "x")
    at.button(key="report__save__2").click().run()
    assert f"{t('en', 'field.author')}: this field is required." in [e.value for e in at.error]


def test_closed_cycle_is_read_only(open_page) -> None:
    at = _choose(open_page("country_report", "en"))
    at.selectbox(key="report__cycle").set_value("imrf2022").run()
    assert any(i.value == t("en", "report.closed") for i in at.info)
    assert at.text_area(key=widget_key("progress", 2)).disabled
    assert not [b for b in at.button if b.key == "report__save__2"]


def test_author_and_error_values_are_shown_inert(open_page) -> None:
    payload = "<img src=x onerror=alert(1)> **bold** :red[x] [x](javascript:alert(1))"
    at = _choose(open_page("country_report", "en"), author=payload)
    _fill(at, 2, "planning", "<script>alert(1)</script>")
    at.text_area(key=widget_key("evidence_links", 2)).input("javascript:alert(1)")
    at.button(key="report__save__2").click().run()
    assert any("javascript\\:alert\\(1\\)" in e.value for e in at.error)  # echoed value escaped
    at.text_area(key=widget_key("evidence_links", 2)).input("").run()
    at.button(key="report__save__2").click().run()
    caption = next(c.value for c in at.caption if "Last saved by" in c.value)
    assert "\\<img src=x onerror=alert\\(1\\)\\> \\*\\*bold\\*\\*" in caption
    assert at.text_area(key=widget_key("progress", 2)).value == "<script>alert(1)</script>"


def test_full_report_in_spanish_appears_in_the_regional_charts(open_page) -> None:
    at = _choose(open_page("country_report", "es"), country="CRI")
    statuses = ["no_action", "planning", "initial", "advanced", "full"]
    for i in range(23):
        objective = at.selectbox(key="report__objective").value
        at.selectbox(key=widget_key("status", objective)).set_value(statuses[i % 5])
        at.text_area(key=widget_key("progress", objective)).input(f"Avance en el objetivo {objective}")
        at.checkbox(key=widget_key("national_priority", objective)).set_value(objective in (5, 23))
        at.button(key=f"report__save__{objective}").click().run()
        assert at.success, [e.value for e in at.error]
        at.button(key="report__next").click().run()
    assert at.subheader[0].value == "23 de 23 objetivos con informe"

    overview = open_page("regional_overview", "es")
    overview.selectbox(key="overview__cycle").set_value("imrf2026").run()
    assert len(overview.get("plotly_chart")) == 3
    summaries = [m.value for m in overview.markdown]
    assert any(
        "1 de 11 países han informado; Costa Rica informó sobre más objetivos \\(23 de 23\\)" in s for s in summaries
    )
    table = overview.dataframe[1].value
    assert table.loc["Costa Rica", "5"] == "En planificación ★"  # objective 5 comes second in round-table order
    assert table.loc["Belice", "5"] == "Sin informe"

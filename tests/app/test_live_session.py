"""The live session: regional findings, presenter mode, one-pager, review-process figures, rehearsal."""

import re

import pytest

from gcm import findings
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import write_session
from gcm.demo import load_demo
from gcm.i18n import t
from gcm.permissions import SYSTEM
from gcm.ui.widgets import inert
from tests.app.conftest import ADMIN, ANALYST, open_tables
from tests.app.test_published_revision import COUNTRY, _return_to_draft, _save


@pytest.fixture(autouse=True)
def demo_data() -> None:
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        load_demo(session, reference_for(str(ROOT / "data")))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_findings_show_every_round_table_with_charts_and_quotations(open_page, lang: str) -> None:
    at = open_page("findings", lang, user=ANALYST)
    assert not at.exception
    labels = [tab.label for tab in at.tabs]
    assert len(labels) == 4
    quotes = []
    for open_tab, label in enumerate(labels):  # only the open round table is drawn; a tab change reruns
        at.session_state["findings__round_table"] = label
        at.run()
        assert not at.exception
        drawn = [len(tab.get("plotly_chart")) for tab in at.tabs]
        assert drawn == [3 if i == open_tab else 0 for i in range(4)]  # status, challenges, priorities
        quotes += [m.value for m in at.markdown if m.value.startswith(">")]
    assert quotes and all("—" in q for q in quotes)  # every quotation is attributed to a country


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_round_tables_data_tables_are_built_when_opened(open_page, lang: str) -> None:
    at = open_page("findings", lang, user=ANALYST)
    assert not at.dataframe  # closed: nothing built or sent
    at = open_tables(at)
    assert not at.exception
    status, challenges, priorities = (frame.value for frame in at.dataframe)
    assert t(lang, "status.not_reported") in set(status.columns)  # objectives down, statuses across
    assert len(status) == 5 and len(challenges) and len(priorities)  # round table 1's five objectives


def test_presenter_runs_through_every_slide_in_both_languages(open_page) -> None:
    """Each country over two slides (status; texts) and each round table over three (status; national priorities
    and categories; quotations), so that each fits a projector's screen."""
    at = open_page("presenter", "es", user=ADMIN)
    titles = []
    for _ in range(1 + 11 * 2 + 4 * 3 + 2):
        assert not at.exception
        titles.append(at.header[0].value)
        at.button(key="presenter__next").click().run()
    assert titles[0] == t("es", "presenter.opening")
    countries = ["Belice", "Canadá", "Costa Rica", "El Salvador", "Estados Unidos", "Guatemala", "Honduras"]
    countries += ["México", "Nicaragua", "Panamá", "República Dominicana"]
    parts = [t("es", f"presenter.part_country_{part}") for part in ("status", "texts")]
    assert titles[1:23] == [f"{country} · {part}" for country in countries for part in parts]
    parts = [t("es", f"presenter.part_section_{part}") for part in ("status", "categories", "quotes")]
    assert titles[23:35] == [f"Mesa redonda {n} · {part}" for n in range(1, 5) for part in parts]
    assert titles[35:] == [t("es", "presenter.discussion"), t("es", "presenter.practices")]
    # The room's language, switched live (AppTest does not keep the router's sidebar after a page switch,
    # so this sets what the sidebar switch sets; the switch itself is tested on Home and in the browser).
    at.session_state["ui_lang"] = "en"
    at.run()
    assert at.header[0].value == t("en", "presenter.practices")


def test_rehearsal_is_marked_on_every_findings_view(open_page) -> None:
    admin = open_page("findings", "en", user=ADMIN)
    admin.toggle(key="findings__rehearsal").set_value(True).run()
    assert any(w.value == t("en", "findings.rehearsal_banner") for w in admin.warning)
    presenter = open_page("presenter", "en", user=ADMIN)
    assert any(w.value == t("en", "findings.rehearsal_banner") for w in presenter.warning)
    analyst = open_page("findings", "en", user=ANALYST)  # only the secretariat's views count drafts
    assert not any(w.value == t("en", "findings.rehearsal_banner") for w in analyst.warning)


def test_review_process_figures_match_the_seed(open_page) -> None:
    at = open_tables(open_page("review_process", "es"))
    tables = {df.value.columns[0]: df.value for df in at.dataframe}
    groups = tables[t("es", "review.group")].set_index(t("es", "review.group"))[t("es", "review.people")].to_dict()
    assert groups == {
        "Gobiernos": 228,
        "Organizaciones de trabajadores": 12,
        "Parlamentarios/as": 13,
        "Procesos y plataformas regionales": 10,
        "Agencias, fondos y programas": 192,
        "Academia": 82,
        "Diásporas": 93,
        "Cooperación internacional": 10,
        "Instituciones nacionales de derechos humanos": 19,
        "Autoridades y comunidades locales": 16,
        "Organizaciones de la sociedad civil": 137,
        "Otros": 170,
    }
    audience = tables[t("es", "review.audience")][t("es", "review.people")].tolist()
    assert audience == [782, 691, 608, 468]


def test_country_onepager(open_page) -> None:
    at = open_page("country_onepager", "en", user=ANALYST)
    at.selectbox(key="onepager__country").set_value("MEX").run()
    assert not at.exception
    assert at.header[0].value == "Mexico"
    assert any(m.value.startswith(f"**{t('en', 'onepager.national_priorities')}:**") for m in at.markdown)
    # reported objectives in the text's colour with the status in bold (legible on a projector); the rest grey
    reported = [m.value for m in at.markdown if re.fullmatch(r"\d+\\\. .+ — \*\*.+\*\*", m.value)]
    grey = [c.value for c in at.caption if c.value.endswith(f"— {t('en', 'status.not_reported')}")]
    assert reported and grey and len(reported) + len(grey) == 23


def test_declaration_draft_compile_save_adopt_in_the_app(open_page) -> None:
    at = open_page("declaration", "es", user=ADMIN)
    at.button(key="declaration__compile").click().run()
    body = at.text_area(key="declaration__body__imrf2022").value
    assert body.startswith("## Declaración") and "### Mesa redonda 1" in body
    at.text_area(key="declaration__body__imrf2022").input(body + "\nAcordado en sala.").run()
    at.button(key="declaration__save").click().run()
    assert at.success[0].value == t("es", "declaration.saved")
    at.button(key="declaration__adopt").click().run()
    assert any(s.value == t("es", "declaration.adopted", version=1) for s in at.success)
    assert at.text_area(key="declaration__body__imrf2022").disabled
    assert at.get("download_button")


def test_briefing_pack_builds_from_the_findings_page(open_page) -> None:
    at = open_page("findings", "en", user=ANALYST)
    at.button(key="findings__pack__html").click().run()
    assert not at.exception
    assert at.get("download_button")  # the pack is ready to download
    at.button(key="findings__pack__pptx").click().run()
    assert not at.exception
    ready = [b.proto.label for b in at.get("download_button")]
    # preparing the deck leaves the HTML pack's button where it was
    assert t("en", "findings.pack_html_ready") in ready and t("en", "findings.pack_pptx_ready") in ready


@pytest.mark.parametrize(
    ("user", "rehearsal", "offered_after_a_draft_save"), [(ADMIN, True, False), (ANALYST, False, True)]
)
def test_a_prepared_pack_is_offered_while_what_it_shows_is_unchanged(
    open_page, user: str, rehearsal: bool, offered_after_a_draft_save: bool
) -> None:
    """In a rehearsal the pack counts drafts: a draft's save makes the prepared pack stale, and it is built again
    on the next click. A pack without drafts stays current through a draft's save."""
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        findings.set_rehearsal(session, SYSTEM, rehearsal)
    at = open_page("findings", "en", user=user)
    at.button(key="findings__pack__html").click().run()
    assert [b.proto.label for b in at.get("download_button")] == [t("en", "findings.pack_html_ready")]
    _return_to_draft()
    at.run()
    assert not at.get("download_button")  # a published change (a report returned): any prepared pack is stale
    at.button(key="findings__pack__html").click().run()
    _save(COUNTRY, "A rehearsal's draft changes", new=True)  # a new report: a demo one saved by hand is published
    at.run()
    assert bool(at.get("download_button")) is offered_after_a_draft_save


@pytest.mark.parametrize("lang", ["es", "en"])
def test_review_process_adds_up_only_what_adds_up(open_page, lang: str) -> None:
    """The registered participants by stakeholder group are a total (982); the stages and the audiences count the
    same people at each stage or session, so no sentence sums them (2,177 and 2,549 would count nobody)."""
    at = open_page("review_process", lang)
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert t(lang, "review.group_total", total=982) in shown
    assert "2177" not in shown and "2549" not in shown
    governments = {"es": "Gobiernos", "en": "Governments"}[lang]
    assert inert(t(lang, "summary.figures", top=governments, top_n=228)) in shown

"""Presenter mode gives slides only to the countries that reported in the cycle: the others are named together on
one slide, right after the countries' presentations (`gcm.briefing.model.country_agenda`)."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from gcm import services
from gcm.bootstrap import reference_for
from gcm.briefing import AGENDA_ORDER
from gcm.briefing.model import CountryAgenda, country_agenda
from gcm.config import ROOT
from gcm.i18n import t
from gcm.ui.presenter import Slide, build_slides
from gcm.ui.widgets import inert
from tests.app.conftest import ADMIN, ANALYST
from tests.app.test_cycle_revision import OPEN, WRITER, _save_in_open_cycle
from tests.app.test_pages import _load_demo
from tests.app.test_published_revision import _save_as_system
from tests.app.test_setup_revision import _through_the_workflow

ROUND_TABLE_SLIDES = 4 * 3  # four round tables, each over three slides
REF = reference_for(str(ROOT / "data"))
COUNTER = re.compile(r"^\*\*(\d+) / (\d+)\*\* · (.+)$")


def _one_country_reported_in_the_open_cycle() -> None:
    """The demo data, then one report of WRITER validated in the open cycle: the cycle the presenter opens on."""
    _load_demo()
    _save_in_open_cycle(1, "full", "A first validated report in the open cycle")
    _through_the_workflow(WRITER, OPEN)


def _run_through(at: AppTest) -> list[tuple[str, list[str]]]:
    """Every slide from the first, by the Next button: its heading and what its markdown says."""
    assert not at.exception
    total = int(COUNTER.match(next(m.value for m in at.markdown if COUNTER.match(m.value))).group(2))
    slides = []
    for number in range(1, total + 1):
        assert not at.exception
        counter = next(COUNTER.match(m.value) for m in at.markdown if COUNTER.match(m.value))
        assert (int(counter.group(1)), int(counter.group(2))) == (number, total)
        assert counter.group(3) == at.header[0].value  # the bar says which slide is on screen
        slides.append((at.header[0].value, [m.value for m in at.markdown]))
        at.button(key="presenter__next").click().run()
    assert not at.exception
    assert at.header[0].value == slides[-1][0]  # Next on the last slide stays there
    return slides


def _listed(said: list[str]) -> list[str]:
    """The names a slide lists (one Markdown list per column), in their order."""
    return re.findall(r"^- (.+)$", "\n".join(m for m in said if m.startswith("- ")), re.M)


def _names(lang: str, countries: list[str] | tuple[str, ...]) -> list[str]:
    return [REF.country(c).name.get(lang) for c in countries]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_countries_without_a_report_share_one_slide_after_the_presentations(open_page, lang: str) -> None:
    _one_country_reported_in_the_open_cycle()
    at = open_page("presenter", lang, user=ADMIN)
    assert at.selectbox(key="presenter__cycle").value == OPEN  # the default: the last cycle with a report
    slides = _run_through(at)
    titles = [title for title, _ in slides]
    name = REF.country(WRITER).name.get(lang)
    parts = [t(lang, f"presenter.part_country_{part}") for part in ("status", "texts")]
    assert titles[:4] == [
        t(lang, "presenter.opening"),
        *(f"{name} · {part}" for part in parts),
        t(lang, "presenter.not_reported"),
    ]
    assert len(slides) == 1 + 2 + 1 + ROUND_TABLE_SLIDES + 2
    assert titles[-2:] == [t(lang, "presenter.discussion"), t(lang, "presenter.practices")]

    others = [c for c in AGENDA_ORDER if c != WRITER]
    for other in _names(lang, others):  # no slide of their own, nor "has not entered any objective" on one
        assert not any(title.startswith(other) for title in titles)
    assert not any(t(lang, "flow.summary_not_reported") in m for _, said in slides for m in said)
    assert inert(t(lang, "presenter.not_reported_note", n=len(others))) in slides[3][1]
    listed = _listed(slides[3][1])
    assert listed == [inert(n) for n in _names(lang, others)]  # by name, in the agenda's order
    assert name not in listed


def test_the_slide_follows_the_chosen_order_and_the_previous_button_comes_back(open_page) -> None:
    _one_country_reported_in_the_open_cycle()
    at = open_page("presenter", "en", user=ANALYST)
    order = ["MEX", WRITER, "CRI"]
    at.multiselect(key="presenter__order").set_value(order).run()
    assert not at.exception
    slides = _run_through(at)
    assert [title for title, _ in slides][:4] == [
        t("en", "presenter.opening"),
        f"Guatemala · {t('en', 'presenter.part_country_status')}",
        f"Guatemala · {t('en', 'presenter.part_country_texts')}",
        t("en", "presenter.not_reported"),
    ]
    assert _listed(slides[3][1]) == ["Mexico", "Costa Rica"]
    for _ in range(len(slides) - 4):  # back from the last slide to the list
        at.button(key="presenter__prev").click().run()
    assert at.header[0].value == t("en", "presenter.not_reported")
    at.button(key="presenter__prev").click().run()
    assert at.header[0].value == f"Guatemala · {t('en', 'presenter.part_country_texts')}"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_cycle_every_country_reported_in_has_no_such_slide(open_page, lang: str) -> None:
    _load_demo()  # every CRM member reported in the demo's cycle
    at = open_page("presenter", lang, user=ADMIN)
    titles = [title for title, _ in _run_through(at)]
    assert t(lang, "presenter.not_reported") not in titles
    assert len(titles) == 1 + 11 * 2 + ROUND_TABLE_SLIDES + 2


def test_a_cycle_nobody_reported_in_has_the_one_slide_for_its_countries(open_page) -> None:
    _load_demo()
    at = open_page("presenter", "es", user=ADMIN)
    at.selectbox(key="presenter__cycle").set_value(OPEN).run()
    slides = _run_through(at)
    titles = [title for title, _ in slides]
    assert titles[:2] == [t("es", "presenter.opening"), t("es", "presenter.not_reported")]
    assert len(titles) == 1 + 1 + ROUND_TABLE_SLIDES + 2
    assert _listed(slides[1][1]) == [inert(n) for n in _names("es", AGENDA_ORDER)]  # every member, in columns


def test_who_presents_is_decided_by_the_reports_each_country_holds() -> None:
    assert country_agenda(("BLZ", "CAN", "CRI"), {"CAN": 3, "CRI": 0}) == CountryAgenda(("CAN",), ("BLZ", "CRI"))
    assert country_agenda((), {"CAN": 3}) == CountryAgenda((), ())
    slides = build_slides(["CAN"], [1], not_reported=True)
    kinds = ["opening", "country", "country", "not_reported", "section", "section", "section"]
    assert [s.kind for s in slides] == [*kinds, "discussion", "practices"]
    assert Slide("not_reported") not in build_slides(["CAN"], [1])


def test_a_country_reporting_during_the_session_leaves_the_slide_on_screen_in_place(open_page) -> None:
    """A report validated mid-session gives its country slides before the one on screen: the screen stays on its
    slide (the round table being discussed), not on whatever slide now has its number."""
    _one_country_reported_in_the_open_cycle()
    at = open_page("presenter", "en", user=ADMIN)
    for _ in range(4):  # from the opening past Guatemala × 2 and the list, to round table 1's first slide
        at.button(key="presenter__next").click().run()
    on_screen = at.header[0].value
    assert on_screen not in (t("en", "presenter.not_reported"), t("en", "presenter.opening"))
    _save_as_system("MEX", 1, services.ReportInput(status="full", progress="Informe"), None, cycle=OPEN)
    _through_the_workflow("MEX", OPEN)
    at.run()
    assert not at.exception
    assert at.header[0].value == on_screen
    at.button(key="presenter__prev").click().run()
    assert at.header[0].value == t("en", "presenter.not_reported")


def test_the_screen_moves_to_the_list_when_its_country_no_longer_presents() -> None:
    from gcm.ui.presenter import slide_at

    before = build_slides(["CAN", "CRI"], [1], not_reported=False)
    after = build_slides(["CAN"], [1], not_reported=True)
    assert slide_at(after, Slide("country", "CRI", "texts"), 4) == after.index(Slide("not_reported"))
    assert slide_at(after, before[-1], len(before) - 1) == len(after) - 1
    assert slide_at(after, None, 99) == len(after) - 1

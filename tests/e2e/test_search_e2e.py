"""In the browser, signed out: who mentions a subject, with accents and in the other language."""

import pytest

from gcm.i18n import t
from tests.e2e.conftest import settle

pytestmark = pytest.mark.e2e


def test_an_unaccented_query_finds_accented_text_with_the_words_in_bold(new_page, server) -> None:
    page = new_page("es-ES")
    page.goto(f"{server.url}/search?lang=es")
    settle(page)
    box = page.get_by_role("textbox", name=t("es", "search.query"), exact=True)
    box.fill("situacion migratoria")
    box.press("Enter")
    settle(page)
    main = page.get_by_test_id("stMain")
    main.locator("strong", has_text="situación").first.wait_for()  # "situacion" found "situación", bold
    assert "q=situacion" in page.url  # the search is in the address: it can be bookmarked
    page.reload()
    settle(page)
    page.get_by_test_id("stMain").locator("strong", has_text="situación").first.wait_for()


def test_an_english_query_also_searches_the_spanish_term(new_page, server) -> None:
    page = new_page("en-GB")
    page.goto(f"{server.url}/search?lang=en&q=xenophobia")
    settle(page)
    page.get_by_text(t("en", "search.added", terms="xenofobia")).wait_for()
    page.get_by_test_id("stMain").locator("strong", has_text="xenofobia").first.wait_for()

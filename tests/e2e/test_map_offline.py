"""The map draws in Chromium with every request to another host refused: the geometry ships with the app."""

from urllib.parse import urlsplit

import pytest

from gcm.bootstrap import reference_for
from gcm.config import ROOT
from gcm.i18n import t
from tests.e2e.conftest import LOCAL_HOSTS, settle

pytestmark = pytest.mark.e2e
SHAPES = ".js-plotly-plot .choroplethlocation"


def _offline(page) -> list[str]:
    """Abort every request to another host, and remember it."""
    refused: list[str] = []

    def handle(route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            refused.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", handle)
    return refused


def _drawn(page) -> list[str]:
    """The fill colour of every country shape with a non-empty outline."""
    page.wait_for_selector(SHAPES)
    return page.eval_on_selector_all(
        SHAPES, "els => els.filter(e => (e.getAttribute('d') || '').length > 10).map(e => getComputedStyle(e).fill)"
    )


def test_map_draws_the_country_shapes_offline(new_page, server) -> None:
    ref = reference_for(str(ROOT / "data"))
    members = [c for c in ref.countries if "CRM" in c.groups]  # the default group
    page = new_page()
    refused = _offline(page)
    page.goto(f"{server.url}/map?lang=es")
    settle(page)
    page.get_by_text(t("es", "map.completeness_title")).wait_for()
    fills = _drawn(page)
    notes = " ".join(page.get_by_test_id("stAlert").all_inner_texts())
    waiting = [c for c in members if c.name.es in notes]  # awaiting validation: said apart, not drawn at 0 %
    assert len(fills) >= len(members) - len(waiting)
    assert len(set(fills)) > 1  # coloured by completeness, not all grey

    page.get_by_text(t("es", "map.show_status")).click()
    settle(page)
    page.get_by_text(t("es", "map.status_title", n=1)).wait_for()
    assert len(_drawn(page)) >= len(members) - len(waiting)
    legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
    assert t("es", "status.not_reported") in legend
    assert refused == []

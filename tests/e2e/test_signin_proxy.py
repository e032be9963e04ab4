"""Behind a trusted reverse proxy: one address guessing a password never locks the owner out."""

import pytest

from gcm.i18n import t
from tests.e2e.conftest import PASSWORD, settle

pytestmark = pytest.mark.e2e


def _context(browser, client_address: str):
    """A browser whose requests reach the app through a proxy on 127.0.0.1 that names the client."""
    context = browser.new_context(locale="en-GB", extra_http_headers={"X-Forwarded-For": client_address})
    context.set_default_timeout(30000)
    return context


def _submit(page, server, password: str) -> None:
    page.goto(f"{server.url}/auth/login?lang=en&next=/")
    page.fill("#username", "ana")
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_the_owner_signs_in_from_another_address_after_many_failures(browser, server) -> None:
    attacker = _context(browser, "203.0.113.66")
    page = attacker.new_page()
    for _ in range(8):
        _submit(page, server, "not the password")
        assert page.get_by_text(t("en", "signin.failed")).is_visible()
    _submit(page, server, PASSWORD)  # even the right password waits at the attacker's address
    assert page.get_by_text(t("en", "signin.failed")).is_visible()
    attacker.close()

    owner = _context(browser, "198.51.100.7")
    page = owner.new_page()
    _submit(page, server, PASSWORD)
    settle(page)
    page.get_by_text("Signed in as").wait_for()
    assert "ana" in page.get_by_test_id("stSidebar").inner_text()
    owner.close()

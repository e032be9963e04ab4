"""User text shown through Markdown stays text: no markup runs, no address becomes a link."""

import pytest

from gcm.ui.widgets import inert, web_link

JOINER = "\u2060"


@pytest.mark.parametrize(
    ("typed", "kept_apart"),
    [
        ("https://example.org/a b", "https\\:" + JOINER + "//"),
        ("see www.example.org", "www" + JOINER + "\\."),
        ("see_www.example.org", "www" + JOINER + "\\."),  # Markdown links "www." after "_" too
        ("WWW.EXAMPLE.ORG", "WWW" + JOINER + "\\."),
        ("ana@example.org", "@" + JOINER),
    ],
)
def test_no_address_in_user_text_becomes_a_link(typed: str, kept_apart: str) -> None:
    assert kept_apart in inert(typed)
    assert inert(typed).replace(JOINER, "").replace("\\", "") == typed  # shown as typed


def test_markup_is_escaped() -> None:
    assert inert("**a** <b>[x](javascript:alert(1))") == "\\*\\*a\\*\\* \\<b\\>\\[x\\]\\(javascript\\:alert\\(1\\)\\)"


def test_an_evidence_link_is_a_link_to_its_encoded_address_with_the_address_as_label() -> None:
    shown = web_link("https://example.org/a(b)?q=<s>")
    label, target = shown[1:].split("](")
    assert target == "https://example.org/a%28b%29?q=%3Cs%3E)"
    assert label == inert("https://example.org/a(b)?q=<s>")


@pytest.mark.parametrize("address", ["javascript:alert(1)", "ftp://example.org", "www.example.org", "https://"])
def test_anything_but_a_web_address_stays_text(address: str) -> None:
    assert web_link(address) == inert(address)

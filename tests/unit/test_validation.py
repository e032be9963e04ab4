"""Report validation names the field and the problem; text is kept as typed, minus control characters."""

import pytest

from gcm.reference import Reference
from gcm.services import TEXT_LIMITS, ReportInput, ValidationError, clean_text, parse_links, validate_report


def _problems(ref: Reference, data: ReportInput) -> set[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        validate_report(ref, data)
    return {(e.field, e.code) for e in info.value.errors}


def test_status_is_required(ref: Reference) -> None:
    assert _problems(ref, ReportInput(status=None)) == {("status", "required")}


def test_unknown_status_and_categories(ref: Reference) -> None:
    data = ReportInput(status="not_reported", principles=("z",), challenge_categories=("weather",))
    assert _problems(ref, data) == {
        ("status", "unknown_value"),
        ("principles", "unknown_value"),
        ("challenge_categories", "unknown_value"),
    }


def test_every_problem_is_reported_at_once(ref: Reference) -> None:
    data = ReportInput(status=None, progress="x" * (TEXT_LIMITS["progress"] + 1), evidence_links=("ftp://a",))
    assert _problems(ref, data) == {("status", "required"), ("progress", "too_long"), ("evidence_links", "bad_link")}


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("javascript:alert(1)", "bad_link"),
        ("www.example.org", "bad_link"),
        ("http://", "bad_link"),
        ("https://a b.org", "link_space"),
        ("https://example.org/a b", "link_space"),  # a web address: the space is what is wrong
        ("https://example.org/" + "a" * 500, "link_too_long"),
    ],
)
def test_bad_links_are_named_by_what_is_wrong(ref: Reference, link: str, problem: str) -> None:
    assert _problems(ref, ReportInput(status="planning", evidence_links=(link,))) == {("evidence_links", problem)}


def test_a_web_address_in_capitals_is_one(ref: Reference) -> None:
    saved = validate_report(ref, ReportInput(status="planning", evidence_links=("HTTPS://EXAMPLE.ORG/A",)))
    assert saved.evidence_links == ("HTTPS://EXAMPLE.ORG/A",)  # kept as typed


def test_too_many_links(ref: Reference) -> None:
    links = tuple(f"https://example.org/{i}" for i in range(11))
    assert ("evidence_links", "too_many_links") in _problems(ref, ReportInput(status="planning", evidence_links=links))


def test_markup_is_kept_as_typed_and_control_characters_stripped(ref: Reference) -> None:
    payload = "<script>alert(1)</script>\x00\x07 <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    clean = validate_report(ref, ReportInput(status="initial", progress=payload, principles=("a", "a")))
    assert clean.progress == "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    assert clean.principles == ("a",)


def test_clean_text_keeps_newlines_and_tabs() -> None:
    assert clean_text("  a\r\n\tb\x1b  ") == "a\n\tb"


def test_parse_links_one_per_line() -> None:
    assert parse_links(" https://a.org \n\n https://b.org/x?y=1 ") == ("https://a.org", "https://b.org/x?y=1")

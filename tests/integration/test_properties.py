"""Property-based tests: any text, any size, any status or code is either saved exactly (after the
normalisation rule) or refused with the field named, and never half-written."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from gcm import models, queries
from gcm.db import read_session, write_session
from gcm.errors import DomainError, ValidationError
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.services import MAX_LINKS, TEXT_LIMITS, ReportInput, clean_text, save_objective_report

FORBIDDEN = {*map(chr, range(0x00, 0x09)), *map(chr, range(0x0B, 0x20)), *map(chr, range(0x7F, 0xA0))}
FORBIDDEN |= {*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200b", "\u2060", "\ufeff"}
FORBIDDEN |= set(map(chr, (0xD800, 0xDBFF, 0xDC00, 0xDFFF)))  # lone surrogates: cannot be stored as UTF-8
HOSTILE = st.sampled_from(sorted(FORBIDDEN | {"\u2028", "\u2029", "\r", "\r\n", "\u0301", "\u200c", "\u200d"}))
TEXT = st.lists(st.one_of(st.characters(), HOSTILE), max_size=60).map("".join)
MEXICO = Actor(name="Ana Pérez", role="delegate", country="MEX")


@given(TEXT)
def test_clean_text_is_nfc_idempotent_and_free_of_invisible_controls(value: str) -> None:
    cleaned = clean_text(value)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned
    assert not (set(cleaned) & (FORBIDDEN | {"\r", "\u2028", "\u2029"}))


def test_a_lone_surrogate_is_removed_and_an_emoji_kept() -> None:
    assert clean_text("a\ud800b\udfff") == "ab"  # found by the save property: the database refused the text
    assert clean_text("🇲🇽 México") == "🇲🇽 México"


@given(st.lists(st.characters(categories=["L", "M", "N"]), max_size=40).map("".join))
def test_letters_of_every_script_are_kept(value: str) -> None:
    assert clean_text(value) == unicodedata.normalize("NFC", value)


def _stored(engine: Engine) -> tuple[int, int]:
    with read_session(engine) as session:
        reports = session.scalar(select(func.count()).select_from(models.ObjectiveReport))
        revisions = session.scalar(select(func.count()).select_from(models.ReportRevision))
    return reports, revisions


def _sized(limit: int) -> st.SearchStrategy[str]:
    """Texts around a limit: short, exactly at it, just past it (after cleaning), or arbitrary."""
    return st.one_of(
        TEXT,
        st.sampled_from([limit - 1, limit, limit + 1]).map(lambda n: "é" * n),
        st.sampled_from([limit, limit + 1]).map(lambda n: "a" * (n - 1) + "\u200b" + "b"),
    )


REPORTS = st.builds(
    ReportInput,
    status=st.one_of(st.sampled_from(["no_action", "planning", "initial", "advanced", "full"]), TEXT, st.none()),
    progress=_sized(TEXT_LIMITS["progress"]),
    challenges=TEXT,
    priorities=TEXT,
    good_practice=_sized(TEXT_LIMITS["good_practice"]),
    principles=st.lists(st.one_of(st.sampled_from("abcdefghij"), TEXT), max_size=4).map(tuple),
    challenge_categories=st.lists(st.sampled_from(["funding", "data", "nope", ""]), max_size=3).map(tuple),
    priority_categories=st.lists(st.sampled_from(["coordination", "x"]), max_size=2).map(tuple),
    national_priority=st.booleans(),
    evidence_links=st.lists(
        st.one_of(st.just("https://example.org/a"), st.just("javascript:alert(1)"), TEXT), max_size=MAX_LINKS + 1
    ).map(tuple),
)


@pytest.mark.parametrize("db", ["sqlite"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=REPORTS, country=st.sampled_from(["MEX", "CRI", "XYZ", "mex", ""]), objective=st.sampled_from([1, 23, 24]))
def test_a_save_is_exact_or_refused_with_a_named_field(
    sqlite_engine: Engine, ref: Reference, db: str, data: ReportInput, country: str, objective: int
) -> None:
    before = _stored(sqlite_engine)
    with read_session(sqlite_engine) as session:
        existing = queries.get_report(session, country, "imrf2026", objective, queries.EVERYTHING)
    try:
        with write_session(sqlite_engine) as session:
            save_objective_report(
                session, ref, MEXICO, country=country, cycle_id="imrf2026", objective=objective, data=data,
                expected_version=existing["version"] if existing else None,
            )  # fmt: skip
    except ValidationError as exc:
        assert exc.errors and all(e.field for e in exc.errors)
        assert _stored(sqlite_engine) == before
        return
    except DomainError as exc:  # refused before validation: unknown target or not allowed
        assert exc.code and (exc.field or exc.code in ("forbidden", "not_allowed"))
        assert _stored(sqlite_engine) == before
        return
    assert country == "MEX" and objective in (1, 23)
    with read_session(sqlite_engine) as session:
        saved = queries.get_report(session, country, "imrf2026", objective, queries.EVERYTHING)
    for name in TEXT_LIMITS:
        assert saved[name] == clean_text(getattr(data, name))
        assert len(saved[name]) <= TEXT_LIMITS[name]
    assert saved["status"] == data.status
    assert saved["principles"] == sorted(set(data.principles))
    assert saved["evidence_links"] == list(dict.fromkeys(clean_text(x) for x in data.evidence_links if clean_text(x)))


VALID_TAGS = st.builds(
    ReportInput,
    status=st.sampled_from(["no_action", "planning", "initial", "advanced", "full"]),
    progress=_sized(TEXT_LIMITS["progress"]),
    challenges=TEXT,
    good_practice=_sized(TEXT_LIMITS["good_practice"]),
    principles=st.lists(st.sampled_from("abcdefghij"), max_size=4).map(tuple),
    evidence_links=st.lists(st.just("https://example.org/a"), max_size=2).map(tuple),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=VALID_TAGS)
def test_any_text_within_the_limits_is_saved_exactly_and_only_length_refuses(
    sqlite_engine: Engine, ref: Reference, data: ReportInput
) -> None:
    too_long = {n for n, limit in TEXT_LIMITS.items() if len(clean_text(getattr(data, n))) > limit}
    before = _stored(sqlite_engine)
    with read_session(sqlite_engine) as session:
        existing = queries.get_report(session, "MEX", "imrf2026", 2, queries.EVERYTHING)
    try:
        with write_session(sqlite_engine) as session:
            save_objective_report(
                session, ref, MEXICO, country="MEX", cycle_id="imrf2026", objective=2, data=data,
                expected_version=existing["version"] if existing else None,
            )  # fmt: skip
    except ValidationError as exc:
        assert {e.field for e in exc.errors} == too_long and too_long
        assert _stored(sqlite_engine) == before
        return
    assert not too_long
    with read_session(sqlite_engine) as session:
        saved = queries.get_report(session, "MEX", "imrf2026", 2, queries.EVERYTHING)
    assert all(saved[n] == clean_text(getattr(data, n)) for n in TEXT_LIMITS)

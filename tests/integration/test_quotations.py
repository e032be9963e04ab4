"""Which texts the briefing quotes, picked in SQL: the rules hold on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, event, func, insert, select

from gcm import findings, models, queries, services
from gcm.db import read_session, write_session
from gcm.permissions import SYSTEM, ReadScope
from gcm.reference import Reference

CYCLE = "imrf2026"
EVERYTHING = ReadScope(states=None)


def _save(engine: Engine, ref: Reference, country: str, objective: int, version: int | None = None, **fields) -> None:
    """A save of `country`'s report on `objective` in CYCLE, as the system: "planning" unless `fields` say a status."""
    with write_session(engine) as session:
        services.save_objective_report(
            session,
            ref,
            SYSTEM,
            country=country,
            cycle_id=CYCLE,
            objective=objective,
            data=services.ReportInput(**{"status": "planning", **fields}),
            expected_version=version,
        )


def _first_section(engine: Engine) -> tuple[int, list[int]]:
    with read_session(engine) as session:
        grouping = queries.cycles(session).set_index("id").loc[CYCLE, "grouping"]
        sections = queries.sections(session, grouping)
    number = int(sections["section"].min())
    return number, [int(n) for n in sections.loc[sections["section"] == number, "objective"]]


def test_quotations_follow_their_rules(engine: Engine, ref: Reference) -> None:
    section, (first, second, *_) = _first_section(engine)
    shared = "Shared wording " * 30  # more than QUOTE_LENGTH characters: compared on the first 280
    _save(engine, ref, "BLZ", first, challenges="Short, but a national priority", national_priority=True)
    _save(engine, ref, "CAN", first, challenges="A longer text without priority " * 3)
    _save(engine, ref, "CRI", first, challenges="CRI short")
    _save(engine, ref, "CRI", second, challenges="CRI's longest text on its other objective " * 4)
    _save(engine, ref, "GTM", first, challenges=shared + " GTM")
    _save(engine, ref, "HND", first, challenges=shared + " and HND's longer ending")
    _save(engine, ref, "MEX", first, priorities="A priority quoted apart from challenges")
    with read_session(engine) as session:
        picked = findings.quotations(session, CYCLE, None, EVERYTHING, None, 3)
    quoted = [(q.section, q.field, q.country, q.objective) for q in picked]
    assert quoted == [
        (section, "challenges", "BLZ", first),  # national priorities first
        (section, "challenges", "HND", first),  # then the longest: HND keeps the shared wording, GTM gets none
        (section, "challenges", "CRI", second),  # a country's longest text, once
        (section, "priorities", "MEX", first),
    ]
    assert picked[1].text == shared[: findings.QUOTE_LENGTH]
    assert picked[1].length == len(shared) + len(" and HND's longer ending")
    with read_session(engine) as session:
        only_planned = findings.quotations(session, CYCLE, None, EVERYTHING, ("advanced",), 3)
    assert only_planned == []


def test_good_practices_one_per_country_no_text_twice(engine: Engine, ref: Reference) -> None:
    _, (first, second, third, *_) = _first_section(engine)
    _save(engine, ref, "BLZ", second, good_practice="One-stop window")
    _save(engine, ref, "BLZ", first, good_practice="Mobile consulates")
    _save(engine, ref, "CAN", first, good_practice="Mobile consulates")  # the same text: BLZ keeps it
    _save(engine, ref, "CRI", third, good_practice="Labour mobility agreement")
    _save(engine, ref, "GTM", first, good_practice="Return and reintegration desk")
    with read_session(engine) as session:
        assert findings.good_practices(session, CYCLE, None, EVERYTHING, None, 8) == [
            (first, "BLZ", "Mobile consulates", 17),
            (third, "CRI", "Labour mobility agreement", 25),
            (first, "GTM", "Return and reintegration desk", 29),
        ]
        assert len(findings.good_practices(session, CYCLE, None, EVERYTHING, None, 2)) == 2


def test_a_long_text_is_quoted_up_to_a_word_and_an_ellipsis() -> None:
    assert findings.excerpt("Short and whole.", 16) == "Short and whole."
    text = ("Coordination between national and local governments remains weak, " * 6)[: findings.QUOTE_LENGTH]
    quoted = findings.excerpt(text, 500)
    assert quoted.endswith("…") and len(quoted) <= findings.QUOTE_LENGTH + 1
    assert text.startswith(quoted[:-1]) and quoted[-2] not in " ,"
    assert findings.excerpt("x" * findings.QUOTE_LENGTH, 400) == "x" * findings.QUOTE_LENGTH + "…"


def test_status_counts_per_objective(engine: Engine, ref: Reference) -> None:
    _, (first, second, *_) = _first_section(engine)
    for country in ("BLZ", "CAN"):
        _save(engine, ref, country, first)
    _save(engine, ref, "CRI", second)
    with read_session(engine) as session:
        assert findings.round_table_counts(session, CYCLE, None, EVERYTHING).cells == {
            (first, "planning"): 2,
            (second, "planning"): 1,
        }
        assert findings.round_table_counts(session, CYCLE, None, EVERYTHING, ("full",)).cells == {}


def test_an_edited_text_is_ranked_by_its_new_length(engine: Engine, ref: Reference) -> None:
    """The ranking reads stored lengths: an edit through the save service, or through the ORM, moves them."""
    _, (first, *_) = _first_section(engine)
    _save(engine, ref, "CAN", first, challenges="Canada's long account of its challenges " * 5)
    _save(engine, ref, "MEX", first, challenges="Mexico's shorter account")
    _save(engine, ref, "CAN", first, version=1, challenges="Canada, now brief")

    def order() -> list[str]:
        with read_session(engine) as session:
            return [q.country for q in findings.quotations(session, CYCLE, None, EVERYTHING, None, 3)]

    assert order() == ["MEX", "CAN"]
    with write_session(engine) as session:
        mexico = select(models.ObjectiveReport).where(models.ObjectiveReport.country_iso3 == "MEX")
        session.scalars(mexico).one().challenges = "México"
    assert order() == ["CAN", "MEX"]


def test_every_write_stores_the_lengths_of_the_quoted_texts(engine: Engine, ref: Reference) -> None:
    """The save service (new report, edit, an emptied text), the ORM and a bulk insert (many rows, some texts
    left out) each leave the stored lengths equal to the texts' lengths in characters."""
    _, (first, second, third, *_) = _first_section(engine)
    _save(engine, ref, "BLZ", first, challenges="Niñez migrante", priorities="Áreas", good_practice="Ventanilla única")
    _save(engine, ref, "BLZ", first, version=1, challenges="", priorities="Áreas prioritarias")
    _save(engine, ref, "CAN", first, progress="Only progress")
    now = dt.datetime.now(dt.UTC)
    with write_session(engine) as session:
        row = {"cycle_id": CYCLE, "status": "planning", "evidence_links": [], "updated_by": "t", "updated_at": now}
        session.execute(
            insert(models.ObjectiveReport),
            [
                row | {"country_iso3": "CRI", "objective": second, "challenges": "Señales"} | {"version": 1},
                row | {"country_iso3": "CRI", "objective": third, "good_practice": "Mesas"} | {"version": 1},
            ],
        )
        session.add(models.ObjectiveReport(**row, country_iso3="GTM", objective=first, priorities="Cómo", version=1))
    R = models.ObjectiveReport
    with read_session(engine) as session:
        rows = session.execute(
            select(
                R.country_iso3,
                R.objective,
                *(func.length(getattr(R, name)) - R.length_of(name) for name in models.QUOTED_TEXTS),
                *(R.length_of(name) for name in models.QUOTED_TEXTS),
            ).order_by(R.country_iso3, R.objective)
        ).all()
    assert [tuple(r[2:5]) for r in rows] == [(0, 0, 0)] * 5
    assert [(r[0], *r[5:]) for r in rows] == [
        ("BLZ", 0, 18, 0),  # the edit emptied the challenges and, left out, the good practice
        ("CAN", 0, 0, 0),
        ("CRI", 7, 0, 0),
        ("CRI", 0, 0, 5),
        ("GTM", 0, 4, 0),
    ]


def test_the_quotations_read_no_narrative_but_the_quoted(sqlite_engine: Engine, ref: Reference) -> None:
    """SQLite ranks every candidate from the covering index; the table is searched only for the texts it quotes."""
    _, (first, *_) = _first_section(sqlite_engine)
    _save(sqlite_engine, ref, "BLZ", first, challenges="Uno", priorities="Dos")
    statements: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, *_args) -> None:
        statements.append((statement, parameters))

    event.listen(sqlite_engine, "before_cursor_execute", keep)
    try:
        with read_session(sqlite_engine) as session:
            assert findings.quotations(session, CYCLE, None, EVERYTHING, None, 3)
    finally:
        event.remove(sqlite_engine, "before_cursor_execute", keep)
    with sqlite_engine.connect() as conn:
        statement, parameters = statements[-1]
        plan = [str(row) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()]
    candidates = [step for step in plan if "objective_report" in step]
    assert len(candidates) == 2  # challenges, priorities
    assert all("COVERING INDEX ix_report_cycle_cover" in step for step in candidates)
    quoted = [step for step in plan if " quoted " in step]
    assert len(quoted) == 1 and "SEARCH quoted USING" in quoted[0]  # the quoted texts: looked up, not scanned

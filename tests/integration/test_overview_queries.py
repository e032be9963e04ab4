"""Aggregates for the regional overview, computed in SQL."""

from sqlalchemy import Engine, text

from gcm import queries, workflow
from gcm.db import read_session, write_session
from gcm.permissions import SYSTEM, ReadScope, read_scope
from gcm.reference import Reference
from gcm.services import Actor, ReportInput, save_objective_report


def _report(engine: Engine, ref: Reference, country: str, objective: int, status: str, priority: bool = False) -> None:
    with write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            Actor(name="t", role="system"),
            country=country,
            cycle_id="imrf2026",
            objective=objective,
            data=ReportInput(status=status, national_priority=priority),
            expected_version=None,
        )


def test_status_by_section_counts_not_reported_cells(engine: Engine, ref: Reference) -> None:
    _report(engine, ref, "MEX", 2, "advanced")  # round table 1
    _report(engine, ref, "GTM", 2, "planning")
    _report(engine, ref, "ARG", 2, "full")  # not a CRM member: excluded
    with read_session(engine) as session:
        counts = queries.status_by_section(session, "imrf2026", "CRM", queries.EVERYTHING)
    assert counts["count"].sum() == 11 * 23
    rt1 = counts[counts["section"] == 1].set_index("status")["count"].to_dict()
    assert rt1 == {"advanced": 1, "planning": 1, "not_reported": 11 * 5 - 2}
    assert set(counts[counts["section"] == 2]["status"]) == {"not_reported"}


def test_a_section_every_member_reported_has_no_not_reported_cells_and_awaiting_members_are_not_cells(
    engine: Engine, ref: Reference
) -> None:
    with read_session(engine) as session:
        crm = queries.member_countries(session, "CRM")
        sections = queries.sections(session, "imrf2022")  # the grouping IMRF 2026 uses
    round_table = sections[sections["section"] == 1]["objective"].tolist()
    for country in crm:
        for objective in round_table:
            _report(engine, ref, country, objective, "initial")
    with write_session(engine) as session:
        workflow.submit_country_report(session, SYSTEM, country="MEX", cycle_id="imrf2026")
    with read_session(engine) as session:
        everything = queries.status_by_section(session, "imrf2026", "CRM", queries.EVERYTHING)
        validated = queries.status_by_section(session, "imrf2026", "CRM", queries.VALIDATED_ONLY)
    cells = {(int(n), str(s)): int(c) for n, s, c in everything.itertuples(index=False)}
    assert cells[1, "initial"] == len(crm) * len(round_table) and (1, "not_reported") not in cells
    assert sum(cells.values()) == len(crm) * 23
    # A reader of validated reports counts neither MEX's submitted report nor its cells as not reported
    seen = {(int(n), str(s)): int(c) for n, s, c in validated.itertuples(index=False)}
    assert seen[1, "not_reported"] == len(crm) * len(round_table) - len(round_table)
    assert sum(seen.values()) == (len(crm) - 1) * 23
    assert list(everything["section"]) == sorted(everything["section"])


def test_coverage_and_headline(engine: Engine, ref: Reference) -> None:
    _report(engine, ref, "MEX", 5, "advanced", priority=True)
    _report(engine, ref, "PAN", 5, "initial")
    _report(engine, ref, "PAN", 23, "initial", priority=True)
    with read_session(engine) as session:
        coverage = queries.objective_coverage(session, "imrf2026", "CRM", queries.EVERYTHING).set_index("objective")
        headline = queries.headline(session, "imrf2026", "CRM", queries.EVERYTHING)
        matrix = queries.status_matrix(session, "imrf2026", "CRM", queries.EVERYTHING)
    assert (coverage.loc[5, "reporting"], coverage.loc[5, "prioritising"], coverage.loc[5, "members"]) == (2, 1, 11)
    assert round(coverage.loc[23, "prioritising_share"], 3) == round(1 / 11, 3)
    assert coverage.loc[1, "reporting"] == 0
    # Drafts are entries, not reports: nobody reported yet, two countries are preparing theirs.
    assert headline["members"] == 11 and headline["countries_reporting"] == 0 and headline["reports"] == 0
    assert (headline["in_preparation"], headline["not_reported"]) == (2, 9)
    assert sorted(matrix["country"]) == ["MEX", "PAN", "PAN"]


def test_all_countries_group(engine: Engine, ref: Reference) -> None:
    with read_session(engine) as session:
        assert len(queries.member_countries(session, None)) == len(ref.countries)
        assert (
            queries.status_by_section(session, "imrf2026", None, queries.EVERYTHING)["count"].sum()
            == len(ref.countries) * 23
        )


def test_current_and_latest_reported_cycle(engine: Engine, ref: Reference) -> None:
    with read_session(engine) as session:
        assert queries.current_cycle_id(session) == "imrf2026"
        # No report was handed in anywhere: the current cycle.
        assert queries.latest_reported_cycle_id(session, None, queries.EVERYTHING) == "imrf2026"


def test_lac_grouping_sections_come_from_the_database(engine: Engine) -> None:
    with read_session(engine) as session:
        sections = queries.sections(session, "lac2021")
        cycles = queries.cycles(session).set_index("id")
    assert sorted(sections["section"].unique()) == [1, 2, 3, 4, 5]
    assert bool(cycles.loc["lac2021", "provisional"]) and not bool(cycles.loc["imrf2022", "provisional"])


def test_overview_query_uses_the_covering_index(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        plan = conn.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT country_iso3, objective, status, national_priority "
                "FROM objective_report WHERE cycle_id = 'imrf2026'"
            )
        ).all()
    assert any("COVERING INDEX ix_report_cycle_cover" in str(row) for row in plan)


def test_submission_state_counts_say_the_states_as_the_submissions_table_does(engine: Engine, ref: Reference) -> None:
    _report(engine, ref, "MEX", 2, "advanced")
    _report(engine, ref, "GTM", 2, "planning")
    with write_session(engine) as session:
        workflow.submit_country_report(session, SYSTEM, country="MEX", cycle_id="imrf2026")
    with read_session(engine) as session:
        counts = queries.submission_state_counts(session, "imrf2026")
        table = queries.submissions(session, "imrf2026")
    assert counts == {"submitted": 1, "draft": 1, "not_started": len(ref.countries) - 2}
    assert counts == table["state"].value_counts().to_dict()


def test_a_page_of_countries_reads_only_those_countries(engine: Engine, ref: Reference) -> None:
    _report(engine, ref, "MEX", 2, "advanced")
    _report(engine, ref, "GTM", 2, "planning")
    with read_session(engine) as session:
        matrix = queries.status_matrix(session, "imrf2026", None, queries.EVERYTHING, ("MEX", "PAN"))
        states = queries.submissions(session, None, ("MEX", "PAN"))
        cycles = queries.cycles(session)
    assert matrix["country"].tolist() == ["MEX"]
    assert sorted(set(states["country"])) == ["MEX", "PAN"] and len(states) == 2 * len(cycles)
    assert states.set_index(["country", "cycle"]).loc[("PAN", "imrf2026"), "state"] == "not_started"


def test_reports_by_member_counts_what_each_reader_reads_of_every_member(engine: Engine, ref: Reference) -> None:
    """Presenter mode decides who presents from these counts: a member with none is there with 0, and a reader
    counts a country's reports only where it may read them (the status matrix's rows, counted)."""
    for objective in (1, 2, 3):
        _report(engine, ref, "MEX", objective, "initial")
    _report(engine, ref, "GTM", 1, "planning")
    _report(engine, ref, "ARG", 1, "full")  # not a CRM member
    with write_session(engine) as session:
        workflow.submit_country_report(session, SYSTEM, country="MEX", cycle_id="imrf2026")
    with read_session(engine) as session:
        crm = queries.member_countries(session, "CRM")
        for scope, group, expected in (
            (queries.EVERYTHING, "CRM", {"MEX": 3, "GTM": 1}),
            (ReadScope(states=("submitted", "validated")), "CRM", {"MEX": 3}),
            (queries.VALIDATED_ONLY, "CRM", {}),
            (ReadScope(states=("submitted", "validated"), own_country="GTM"), "CRM", {"MEX": 3, "GTM": 1}),
            (queries.EVERYTHING, None, {"MEX": 3, "GTM": 1, "ARG": 1}),
        ):
            counts = queries.reports_by_member(session, "imrf2026", group, scope)
            members = crm if group else queries.member_countries(session, None)
            assert counts == {c: expected.get(c, 0) for c in members}, (scope, group)
            matrix = queries.status_matrix(session, "imrf2026", group, scope)
            assert {c: n for c, n in counts.items() if n} == matrix["country"].value_counts().to_dict()


def test_a_kept_statement_is_built_once_and_reads_what_is_stored_when_it_runs(engine: Engine, ref: Reference) -> None:
    """The hot reads keep their statements per process (`queries.kept_statement`): the same arguments run the same
    statement again, which reads the data as it is then; other arguments, or a page's other countries, their own
    rows."""
    scope = queries.EVERYTHING
    first = queries._status_by_section_statement("imrf2026", "CRM", scope)
    assert queries._status_by_section_statement("imrf2026", "CRM", scope) is first
    assert queries._status_by_section_statement("imrf2026", None, scope) is not first
    with read_session(engine) as session:
        before = queries.status_by_section(session, "imrf2026", "CRM", scope)
    _report(engine, ref, "MEX", 2, "advanced")
    _report(engine, ref, "GTM", 3, "planning")
    with read_session(engine) as session:
        after = queries.status_by_section(session, "imrf2026", "CRM", scope)
        one = queries.status_matrix(session, "imrf2026", "CRM", scope, ("MEX",))
        other = queries.status_matrix(session, "imrf2026", "CRM", scope, ("GTM", "CRI"))
    assert queries._status_by_section_statement("imrf2026", "CRM", scope) is first
    rt1 = after[after["section"] == 1].set_index("status")["count"].to_dict()
    assert rt1["advanced"] == 1 and "advanced" not in set(before["status"])
    assert one[["country", "objective", "status"]].values.tolist() == [["MEX", 2, "advanced"]]
    assert other[["country", "objective", "status"]].values.tolist() == [["GTM", 3, "planning"]]
    assert queries._status_matrix_statement("imrf2026", "CRM", scope, True) is queries._status_matrix_statement(
        "imrf2026", "CRM", scope, True
    )


def test_a_delegates_report_reads_keep_their_statements_and_read_only_what_it_may(
    engine: Engine, ref: Reference
) -> None:
    """The reads the delegate's own report page makes after every save (`get_report`, `country_statuses`,
    `submission`) keep one statement per cycle and reader, the country given when they run: the same statement reads
    the delegate's own draft, and nothing of another country's draft."""
    mexico = read_scope(Actor(name="mex", role="delegate", country="MEX"))
    _report(engine, ref, "MEX", 2, "advanced")
    _report(engine, ref, "GTM", 3, "planning")
    statement = queries._report_statement("imrf2026", mexico)
    with read_session(engine) as session:
        own = queries.get_report(session, "MEX", "imrf2026", 2, mexico)
        others = queries.get_report(session, "GTM", "imrf2026", 3, mexico)
        secretariat = queries.get_report(session, "GTM", "imrf2026", 3, queries.EVERYTHING)
        own_statuses = queries.country_statuses(session, "MEX", "imrf2026", mexico)
        other_statuses = queries.country_statuses(session, "GTM", "imrf2026", mexico)
        states = [queries.submission(session, c, "imrf2026")["shown"] for c in ("MEX", "BLZ")]
    assert queries._report_statement("imrf2026", mexico) is statement
    assert own is not None and own["status"] == "advanced" and own["version"] == 1
    assert own["updated_at"].tzinfo is not None and isinstance(own["evidence_links"], list)
    assert others is None  # a draft of another country
    assert secretariat is not None and secretariat["status"] == "planning"
    assert own_statuses.values.tolist() == [[2, "advanced"]] and other_statuses.empty
    assert states == ["draft", "not_started"]

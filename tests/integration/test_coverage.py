"""The coverage explorer's reads: status cells, tag counts and report detail, by scope and filters."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine

from gcm import models
from gcm.db import read_session, write_session
from gcm.explore import coverage
from gcm.explore.coverage import Filters
from gcm.permissions import ReadScope
from gcm.queries import NOT_REPORTED
from gcm.reference import Reference
from gcm.services import Actor, ReportInput, save_objective_report

ADMIN = ReadScope(states=None)
ANALYST = ReadScope(states=("submitted", "validated"))
PUBLIC = ReadScope(states=("validated",))
CYCLE = "imrf2026"


def _report(engine: Engine, ref: Reference, country: str, objective: int, status: str, **fields) -> None:
    with write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            Actor(name="t", role="system"),
            country=country,
            cycle_id=CYCLE,
            objective=objective,
            data=ReportInput(status=status, **fields),
            expected_version=None,
        )


def _state(engine: Engine, country: str, state: str) -> None:
    with write_session(engine) as session:
        session.merge(
            models.Submission(
                country_iso3=country,
                cycle_id=CYCLE,
                state=state,
                comment="",
                updated_by="t",
                updated_at=dt.datetime.now(dt.UTC),
            )
        )


@pytest.fixture
def data(engine: Engine, ref: Reference) -> Engine:
    """MEX validated (2 reports), PAN submitted (1), GTM draft (1), ARG validated but not in the CRM."""
    _report(
        engine,
        ref,
        "MEX",
        8,
        "advanced",
        national_priority=True,
        principles=("a", "f"),
        challenge_categories=("funding",),
    )
    _report(engine, ref, "MEX", 2, "planning", principles=("a",), priority_categories=("data",))
    _report(engine, ref, "PAN", 8, "initial", principles=("f",), challenge_categories=("funding",))
    _report(engine, ref, "GTM", 8, "full", progress="borrador", principles=("a",))
    _report(engine, ref, "ARG", 8, "full", principles=("a",))
    for country, state in (("MEX", "validated"), ("PAN", "submitted"), ("ARG", "validated")):
        _state(engine, country, state)
    return engine


def _cells(engine: Engine, scope: ReadScope, filters: Filters | None = None, group: str | None = "CRM"):
    with read_session(engine) as session:
        return coverage.status_cells(session, scope, CYCLE, group, filters or Filters())


def test_status_cells_cover_every_member_and_objective_by_scope(data: Engine) -> None:
    public = _cells(data, PUBLIC)
    assert len(public) == 10 * 23 and "PAN" not in set(public["country"])  # submitted: awaiting validation
    reported = public[public["status"] != NOT_REPORTED]
    assert sorted(zip(reported["country"], reported["objective"], strict=True)) == [("MEX", 2), ("MEX", 8)]
    assert bool(public.set_index(["country", "objective"]).loc[("MEX", 8), "national_priority"])
    analyst = _cells(data, ANALYST).set_index(["country", "objective"])
    assert analyst.loc[("PAN", 8), "status"] == "initial"
    assert analyst.loc[("GTM", 8), "status"] == NOT_REPORTED  # a draft is never counted for an analyst
    assert _cells(data, ADMIN).set_index(["country", "objective"]).loc[("GTM", 8), "status"] == "full"
    assert "ARG" not in set(public["country"])
    assert public["matches"].all()


def test_status_cells_filters_mark_what_matches(data: Engine) -> None:
    cells = _cells(data, ANALYST, Filters(statuses=("advanced", NOT_REPORTED))).set_index(["country", "objective"])
    assert cells.loc[("MEX", 8), "matches"] and cells.loc[("BLZ", 8), "matches"]
    assert not cells.loc[("PAN", 8), "matches"] and not cells.loc[("MEX", 2), "matches"]
    by_priority = _cells(data, ANALYST, Filters(priority_only=True))
    assert by_priority.loc[by_priority["matches"], ["country", "objective"]].values.tolist() == [["MEX", 8]]
    by_category = _cells(data, ANALYST, Filters(category="funding"))
    matched = by_category.loc[by_category["matches"], ["country", "objective"]].values.tolist()
    assert sorted(map(tuple, matched)) == [("MEX", 8), ("PAN", 8)]
    by_priority_category = _cells(data, ANALYST, Filters(category="data"))
    assert by_priority_category.loc[by_priority_category["matches"], "country"].tolist() == ["MEX"]


def test_tag_counts_group_by_country_and_tag_in_sql(data: Engine) -> None:
    with read_session(data) as session:
        public = coverage.tag_counts(session, PUBLIC, CYCLE, "CRM", "principles")
        analyst = coverage.tag_counts(session, ANALYST, CYCLE, "CRM", "principles")
        admin = coverage.tag_counts(session, ADMIN, CYCLE, "CRM", "principles")
        focused = coverage.tag_counts(session, ANALYST, CYCLE, "CRM", "principles", Filters(objective=2))
        challenges = coverage.tag_counts(session, ANALYST, CYCLE, "CRM", "challenges", Filters(statuses=("initial",)))
        by_category = coverage.tag_counts(session, ANALYST, CYCLE, "CRM", "principles", Filters(category="funding"))
        none = coverage.tag_counts(session, ADMIN, CYCLE, "CRM", "principles", Filters(statuses=(NOT_REPORTED,)))
    assert public.values.tolist() == [["MEX", "a", 2], ["MEX", "f", 1]]
    assert analyst.values.tolist() == [["MEX", "a", 2], ["MEX", "f", 1], ["PAN", "f", 1]]
    assert ["GTM", "a", 1] in admin.values.tolist()
    assert focused.values.tolist() == [["MEX", "a", 1]]
    assert challenges.values.tolist() == [["PAN", "funding", 1]]
    assert by_category.values.tolist() == [["MEX", "a", 1], ["MEX", "f", 1], ["PAN", "f", 1]]
    assert none.empty


def test_report_detail_respects_the_scope(data: Engine) -> None:
    with read_session(data) as session:
        assert coverage.report_detail(session, PUBLIC, "PAN", CYCLE, 8) is None
        assert coverage.report_detail(session, ANALYST, "PAN", CYCLE, 8)["status"] == "initial"
        assert coverage.report_detail(session, ANALYST, "GTM", CYCLE, 8) is None
        assert coverage.report_detail(session, ADMIN, "GTM", CYCLE, 8)["progress"] == "borrador"
        rows = coverage.tagged_reports(session, ANALYST, "MEX", CYCLE, "principles", "a")
    assert rows.values.tolist() == [[2, "planning"], [8, "advanced"]]


def test_summaries_and_tables_name_countries_in_full(data: Engine, ref: Reference) -> None:
    cells = _cells(data, PUBLIC, Filters(objective=8))
    text = coverage.status_summary(ref, "en", cells, "IMRF 2026", "CRM", Filters(objective=8))
    assert text.startswith("IMRF 2026: 1 of 10 countries (CRM) reported objective 8; Belize, Canada,")  # PAN awaits
    assert "United States did not." in text
    spanish = coverage.status_summary(ref, "es", cells, "FEMI 2026", "CRM", Filters(objective=8))
    assert spanish.startswith("FEMI 2026: 1 de 10 países (CRM) informaron sobre el objetivo 8; Belice, Canadá,")
    countries = coverage.order_countries(ref, "es", sorted(cells["country"].unique()))
    assert countries[-1] == "DOM"  # República Dominicana sorts last in Spanish
    table = coverage.status_table(ref, "en", cells, [8, 2], countries, narrows=False)
    mexico = table[table["Country"] == "Mexico"].iloc[0].tolist()
    assert mexico == ["Mexico", "Advanced implementation ★", "Planning"]
    with read_session(data) as session:
        counts = coverage.tag_counts(session, ANALYST, CYCLE, "CRM", "principles")
    counts_table = coverage.counts_table(ref, "es", counts, "principles", ["MEX", "PAN"])
    assert counts_table.columns[1] == "Centrada en las personas"
    assert counts_table.iloc[0, 1] == 2 and counts_table.iloc[1, 1] == 0
    assert "“People-centred” (2 reports, 1 country)" in coverage.counts_summary(
        ref, "en", counts, "principles", "IMRF 2026", "CRM", 11
    )


def test_groupings_include_the_provisional_one(data: Engine) -> None:
    with read_session(data) as session:
        frame = coverage.groupings(session).set_index("id")
    assert bool(frame.loc["lac2021", "provisional"]) and not bool(frame.loc["imrf2022", "provisional"])


def test_overview_totals_leave_out_reports_awaiting_validation_as_the_page_says(data: Engine) -> None:
    """PAN submitted, not yet validated: the public reads it only once validated, and the overview says it is
    "awaiting validation, not counted here". Its cells are then neither reporting nor "not reported"; the
    secretariat and analysts, who read it, count it."""
    from gcm import queries

    with read_session(data) as session:
        assert queries.awaiting_validation(session, CYCLE, "CRM", PUBLIC) == ["PAN"]
        public_sections = queries.status_by_section(session, CYCLE, "CRM", PUBLIC)
        public_coverage = queries.objective_coverage(session, CYCLE, "CRM", PUBLIC)
        analyst_sections = queries.status_by_section(session, CYCLE, "CRM", ANALYST)
        analyst_coverage = queries.objective_coverage(session, CYCLE, "CRM", ANALYST)
    assert int(public_sections["count"].sum()) == 10 * 23
    assert set(public_coverage["members"]) == {10}
    assert int(public_coverage.set_index("objective").loc[8, "reporting"]) == 1  # MEX only
    assert int(analyst_sections["count"].sum()) == 11 * 23
    assert set(analyst_coverage["members"]) == {11}
    assert int(analyst_coverage.set_index("objective").loc[8, "reporting"]) == 2  # MEX and PAN


def test_a_country_submitted_without_entries_is_not_reported_in_every_count(data: Engine) -> None:
    """BLZ's report is marked submitted but holds no entry (its entries were removed since): by
    `country_standing` it has not reported, so the public's totals count it as "not reported", as they count
    every country without entries, and do not set it apart as awaiting validation (other countries' entries in
    the cycle do not count as its own)."""
    from gcm import queries

    _state(data, "BLZ", "submitted")
    with read_session(data) as session:
        standing = queries.country_standing(session, CYCLE, "CRM", PUBLIC).set_index("country")
        awaiting = queries.awaiting_validation(session, CYCLE, "CRM", PUBLIC)
        sections = queries.status_by_section(session, CYCLE, "CRM", PUBLIC)
        coverage_members = set(queries.objective_coverage(session, CYCLE, "CRM", PUBLIC)["members"])
    assert standing.loc["BLZ", "standing"] == "not_reported"
    assert awaiting == ["PAN"]
    assert int(sections["count"].sum()) == 10 * 23 and coverage_members == {10}


def test_one_country_missing_an_objective_is_said_in_the_singular(ref: Reference) -> None:
    cells = pd.DataFrame(
        {
            "country": ["MEX", "PAN"],
            "objective": [8, 8],
            "status": ["advanced", NOT_REPORTED],
            "national_priority": [False, False],
            "matches": [True, True],
        }
    )
    text = coverage.status_summary(ref, "es", cells, "FEMI 2022", "CRM", Filters(objective=8))
    assert text.endswith("Panamá no lo hizo.")


def test_a_view_of_one_country_names_it(data: Engine, ref: Reference) -> None:
    cells = _cells(data, PUBLIC, Filters(objective=8))
    mexico, guatemala = cells[cells["country"] == "MEX"], cells[cells["country"] == "GTM"]
    said = coverage.status_summary(ref, "en", mexico, "IMRF 2026", "CRM", Filters(objective=8))
    assert said == "IMRF 2026: Mexico (CRM) reported objective 8."
    said = coverage.status_summary(ref, "es", guatemala, "FEMI 2026", "CRM", Filters(objective=8))
    assert said == "FEMI 2026: Guatemala (CRM) no informó sobre el objetivo 8."

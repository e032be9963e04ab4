"""Status change between two cycles, computed in SQL, for the reports the reader may read."""

from sqlalchemy import Engine

from gcm.db import read_session
from gcm.explore import compare
from gcm.explore.profiles import cycles_with_reports
from gcm.permissions import ReadScope
from gcm.reference import Reference
from tests.integration.profile_data import ADMIN, ANALYST, GTM_DELEGATE, PUBLIC, A, B, load


def _changes(engine: Engine, ref: Reference, scope, group="CRM"):
    with read_session(engine) as session:
        levels = compare.status_levels(ref)
        rows = compare.status_changes(session, A, B, group, scope, levels)
    counts = compare.change_counts(rows)
    return rows, dict(zip(counts["change"], counts["count"], strict=True))


def test_one_country_s_changes_give_the_first_objective_reported_in_both_cycles(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    rows, _ = _changes(engine, ref, ADMIN)
    first, change_of = compare.country_changes(rows, "MEX")
    assert first == 1  # objectives 4 and 5 are reported in one cycle only
    assert change_of[4] == "newly_reported" and change_of[5] == "no_longer_reported" and change_of[2] == "declined"
    assert compare.country_changes(rows, "XXX") == (None, {})


def test_every_change_class_for_the_secretariat(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    rows, counts = _changes(engine, ref, ADMIN)
    by = {(r.country, r.objective): (r.status_a, r.status_b, r.change) for r in rows.itertuples()}
    assert by == {
        ("MEX", 1): ("planning", "advanced", "improved"),
        ("MEX", 2): ("full", "initial", "declined"),
        ("MEX", 3): ("initial", "initial", "unchanged"),
        ("MEX", 4): ("not_reported", "planning", "newly_reported"),
        ("MEX", 5): ("advanced", "not_reported", "no_longer_reported"),
        ("GTM", 1): ("no_action", "full", "improved"),
    }  # ARG is not in the CRM; pairs reported in neither cycle are not listed
    assert counts == {"improved": 2, "unchanged": 1, "declined": 1, "newly_reported": 1, "no_longer_reported": 1}
    assert list(compare.CHANGES) == list(counts)


def test_a_draft_counts_as_not_reported_for_analysts_and_the_public(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    rows, counts = _changes(engine, ref, ANALYST)
    gtm = rows[rows["country"] == "GTM"].iloc[0]
    assert (gtm.status_a, gtm.status_b, gtm.change) == ("no_action", "not_reported", "no_longer_reported")
    assert counts["improved"] == 1
    # MEX's 2022 report is only submitted: the public reads it once validated, and the page says it awaits
    # validation; its objectives are then not "no longer reported" (as the overview does not count them)
    rows, counts = _changes(engine, ref, PUBLIC)
    assert "MEX" not in set(rows["country"])
    gtm = rows[rows["country"] == "GTM"].iloc[0]
    assert gtm.change == "no_longer_reported"  # a draft: not reported for the public
    assert counts["newly_reported"] == 0 and counts["no_longer_reported"] == 1
    rows, _ = _changes(engine, ref, GTM_DELEGATE)  # a delegate reads its own country's drafts
    assert rows[rows["country"] == "GTM"].iloc[0].change == "improved"


def test_objectives_are_matched_by_number_across_groupings(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    rows, _ = _changes(engine, ref, ADMIN)
    sections = rows.set_index(["country", "objective"])[["section_a", "section_b"]]
    for objective in (1, 2, 4, 5):  # lac2021 uses the provisional areas, imrf2022 the round tables
        area = ref.grouping("lac2021").section_of(objective).number
        table = ref.grouping("imrf2022").section_of(objective).number
        assert tuple(int(v) for v in sections.loc[("MEX", objective)]) == (area, table)


def test_all_countries_include_non_members(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    rows, _ = _changes(engine, ref, ADMIN, group=None)
    assert rows[rows["country"] == "ARG"]["change"].tolist() == ["newly_reported"]


def test_what_changed_reads_both_sides_within_the_scope(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    with read_session(engine) as session:
        analyst = compare.what_changed(session, "MEX", 1, A, B, ANALYST)
        public = compare.what_changed(session, "MEX", 1, A, B, PUBLIC)
        draft = compare.what_changed(session, "GTM", 1, A, B, ANALYST)
    assert analyst["a"]["progress"] == "Se aprobó una hoja de ruta."
    assert analyst["b"] == {
        "status": "advanced",
        "progress": "Se aprobó y financió una hoja de ruta.",
        "challenges": "Falta.",
        "priorities": "",
    }
    assert public["b"] is None and public["a"]["status"] == "planning"
    assert draft["b"] is None


def test_cycles_with_reports_follow_the_scope(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    with read_session(engine) as session:
        assert cycles_with_reports(session, ADMIN) == [B, A]
        assert cycles_with_reports(session, PUBLIC) == [B, A]  # ARG's 2022 report is validated
        assert cycles_with_reports(session, ReadScope(states=())) == []  # public view off

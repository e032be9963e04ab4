"""Objective and country profiles: reads across cycles, aggregated in SQL, within the reader's scope."""

from sqlalchemy import Engine

from gcm.db import read_session
from gcm.explore import profiles
from gcm.reference import Reference
from tests.integration.profile_data import ADMIN, ANALYST, GTM_DELEGATE, PUBLIC, A, B, load

CRM_MEMBERS = 11


def test_objective_entries_list_every_member_and_only_readable_text(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    with read_session(engine) as session:
        analyst = profiles.objective_entries(session, 1, B, "CRM", ANALYST).set_index("country")
        admin = profiles.objective_entries(session, 1, B, "CRM", ADMIN).set_index("country")
        delegate = profiles.objective_entries(session, 1, B, "CRM", GTM_DELEGATE).set_index("country")
    assert len(analyst) == CRM_MEMBERS and "ARG" not in analyst.index
    mex = analyst.loc["MEX"]
    assert (mex.status, bool(mex.national_priority), mex.progress) == (
        "advanced",
        True,
        "Se aprobó y financió una hoja de ruta.",
    )
    gtm = analyst.loc["GTM"]  # a draft: not reported, no text
    assert (gtm.status, bool(gtm.national_priority), gtm.progress, gtm.challenges) == ("not_reported", False, "", "")
    assert admin.loc["GTM"].progress == "Borrador de 2022."
    assert delegate.loc["GTM"].status == "full"
    assert set(analyst.loc[analyst.index != "MEX", "status"]) == {"not_reported"}


def test_objective_status_over_cycles_counts_every_member_in_every_cycle(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    with read_session(engine) as session:
        counts = profiles.objective_status_over_cycles(session, 1, "CRM", ANALYST)
        public = profiles.objective_status_over_cycles(session, 1, "CRM", PUBLIC)
    assert list(dict.fromkeys(counts["cycle"])) == ["lac2021", "imrf2022", "lac2025", "imrf2026"]  # oldest first
    assert counts.groupby("cycle")["count"].sum().eq(CRM_MEMBERS).all()
    by = {(r.cycle, r.status): r.count for r in counts.itertuples()}
    assert by[(A, "planning")] == 1 and by[(A, "no_action")] == 1 and by[(A, "not_reported")] == 9
    assert by[(B, "advanced")] == 1 and by[(B, "not_reported")] == 10  # GTM's 2022 draft is not counted
    # MEX's 2022 report is submitted: the public reads it once validated; it is left out, not "not reported"
    assert {(r.cycle, r.status): r.count for r in public.itertuples()}[(B, "not_reported")] == CRM_MEMBERS - 1


def test_objective_sections_in_each_cycle(engine: Engine, ref: Reference) -> None:
    with read_session(engine) as session:
        sections = profiles.objective_sections(session, 7).set_index("cycle")
    assert int(sections.loc["imrf2022", "section"]) == ref.grouping("imrf2022").section_of(7).number
    assert int(sections.loc["lac2021", "section"]) == ref.grouping("lac2021").section_of(7).number
    assert bool(sections.loc["lac2021", "provisional"]) and not bool(sections.loc["imrf2022", "provisional"])
    assert sections.loc["imrf2022", "section_es"].startswith("Mesa redonda")


def test_country_cycles_and_sections(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    with read_session(engine) as session:
        cycles = profiles.country_cycles(session, "MEX", ANALYST).set_index("cycle")
        public = profiles.country_cycles(session, "MEX", PUBLIC).set_index("cycle")
        sections = profiles.country_status_by_section(session, "MEX", ANALYST)
    assert (int(cycles.loc[A, "reported"]), int(cycles.loc[A, "priorities"])) == (4, 1)
    assert (int(cycles.loc[B, "reported"]), int(cycles.loc[B, "priorities"])) == (4, 1)
    assert int(cycles.loc["lac2025", "reported"]) == 0
    assert int(public.loc[B, "reported"]) == 0  # submitted, not validated
    assert sections.groupby("cycle")["count"].sum().eq(23).all()  # every objective once per cycle
    imrf = sections[sections["cycle"] == B]
    rt4 = ref.grouping("imrf2022").section_of(1).number
    assert imrf[(imrf["section"] == rt4) & (imrf["status"] == "advanced")]["count"].tolist() == [1]
    reported = sections[(sections["status"] != "not_reported")].groupby("cycle")["count"].sum()
    assert reported.to_dict() == {A: 4, B: 4}


def test_country_priorities_follow_the_scope(engine: Engine, ref: Reference) -> None:
    load(engine, ref)
    with read_session(engine) as session:
        analyst = profiles.country_priorities(session, "MEX", ANALYST)
        public = profiles.country_priorities(session, "MEX", PUBLIC)
        gtm = profiles.country_priorities(session, "GTM", ANALYST)
        own = profiles.country_priorities(session, "GTM", GTM_DELEGATE)
    assert analyst.values.tolist() == [[A, 2], [B, 1]]
    assert public.values.tolist() == [[A, 2]]
    assert gtm.empty and own.values.tolist() == [[B, 1]]


def test_objective_reporting_agrees_with_the_entries_for_every_reader(engine: Engine, ref: Reference) -> None:
    """The objective page's count of countries reporting is read without the narratives (so a save of text keeps it
    cached): it must say what the entries say, for every scope and cycle."""
    load(engine, ref)
    with read_session(engine) as session:
        for scope in (PUBLIC, ANALYST, GTM_DELEGATE, ADMIN):
            for cycle in (A, B):
                for objective in (1, 2, 23):
                    entries = profiles.objective_entries(session, objective, cycle, "CRM", scope)
                    reported = tuple(entries.loc[entries["status"] != "not_reported", "country"])
                    assert profiles.objective_reporting(session, objective, cycle, "CRM", scope) == (
                        reported,
                        len(entries),
                    ), (scope, cycle, objective)
        assert profiles.objective_reporting(session, 1, B, "CRM", ANALYST)[0] == ("MEX",)
        assert "GTM" in profiles.objective_reporting(session, 1, B, "CRM", ADMIN)[0]  # a draft, read by its readers


def test_priorities_by_cycle_list_each_cycle_s_objectives_newest_first() -> None:
    import pandas as pd

    from gcm.explore.profiles import priorities_by_cycle

    rows = pd.DataFrame({"cycle": ["lac2021", "lac2021", "imrf2022"], "objective": [3, 7, 5]})  # oldest first
    assert priorities_by_cycle(rows) == (("imrf2022", (5,)), ("lac2021", (3, 7)))
    assert priorities_by_cycle(rows.iloc[:0]) == ()

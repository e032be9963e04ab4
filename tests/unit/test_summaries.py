"""The sentences over the overview's charts (also the presenter's opening slide) name no leader at zero."""

import pandas as pd
import pytest

from gcm import charts, insights
from gcm.bootstrap import reference_for
from gcm.config import ROOT
from gcm.findings import summary_note
from gcm.i18n import t
from gcm.permissions import ReadScope

REF = reference_for(str(ROOT / "data"))


def _coverage(reporting: list[int], prioritising: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"objective": [1, 2], "reporting": reporting, "members": 11, "prioritising": prioritising})


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_round_table_is_named_best_when_none_has_advanced_objectives(lang: str) -> None:
    statuses = ["not_reported", "planning", "not_reported"]
    counts = pd.DataFrame({"section": [1, 1, 2], "status": statuses, "count": [5, 2, 7]})
    assert insights.section_summary(REF, lang, counts, False) == t(lang, "summary.sections_none", reported_pct=14)
    counts.loc[1, "status"] = "full"
    assert insights.section_summary(REF, lang, counts, False) == t(
        lang, "summary.sections", reported_pct=14, best=t(lang, "chart.round_table_n", n=1), best_pct=29
    )


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_share_is_never_said_to_be_none_or_all_when_it_is_neither(lang: str) -> None:
    """One report of 253 cells (the CRM, one entry) is "<1 %", not "0 %"; 252 of 253 is ">99 %", not "100 %"."""
    counts = pd.DataFrame({"section": [1, 1], "status": ["full", "not_reported"], "count": [1, 252]})
    said = insights.section_summary(REF, lang, counts, False)
    assert said == t(
        lang, "summary.sections", reported_pct="<1", best=t(lang, "chart.round_table_n", n=1), best_pct="<1"
    )
    counts["count"] = [252, 1]
    said = insights.section_summary(REF, lang, counts, False)
    assert said == t(
        lang, "summary.sections", reported_pct=">99", best=t(lang, "chart.round_table_n", n=1), best_pct=">99"
    )
    counts["count"] = [253, 0]
    assert t(lang, "summary.sections", reported_pct=100, best=t(lang, "chart.round_table_n", n=1), best_pct=100) == (
        insights.section_summary(REF, lang, counts, False)
    )


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_objective_is_named_most_reported_or_most_prioritised_at_zero(lang: str) -> None:
    assert insights.coverage_summary(REF, lang, _coverage([0, 0], [0, 0])) == (
        f"{t(lang, 'summary.coverage_none')} {t(lang, 'summary.coverage_no_prio')}"
    )
    second = f"2. {REF.objective(2).short.get(lang)}"
    assert insights.coverage_summary(REF, lang, _coverage([3, 5], [0, 0])) == (
        t(lang, "summary.coverage_most", most=second, most_count=5, members=11)
        + " "
        + t(lang, "summary.coverage_no_prio")
    )


@pytest.mark.parametrize("lang", ["es", "en"])
def test_on_a_tie_the_lower_objective_and_the_first_country_by_code_are_named(lang: str) -> None:
    first = f"1. {REF.objective(1).short.get(lang)}"
    assert insights.coverage_summary(REF, lang, _coverage([4, 4], [2, 2])) == (
        t(lang, "summary.coverage_most", most=first, most_count=4, members=11)
        + " "
        + t(lang, "summary.coverage_prio", prio=first, count=2)
    )
    # MEX and GTM both reported two objectives; GTM comes first by code, wherever it is in the counts
    reports = {"MEX": 2, "BLZ": 1, "PAN": 0, "GTM": 2}
    assert insights.heatmap_summary(REF, lang, reports, ["BLZ", "GTM", "MEX", "PAN"]) == t(
        lang,
        "summary.heatmap",
        reporting=3,
        total=4,
        top=REF.country("GTM").name.get(lang),
        top_count=2,
        objectives=23,
    )
    assert insights.heatmap_summary(REF, lang, {"BLZ": 0}, ["BLZ"]) == t(lang, "summary.heatmap_empty", total=1)
    assert insights.heatmap_summary(REF, lang, {}, ["BLZ"]) == t(lang, "summary.heatmap_empty", total=1)


def test_a_round_table_with_nothing_reported_names_no_objective_and_one_country_is_singular() -> None:
    counts = pd.DataFrame({"objective": [2, 2, 5], "status": ["planning", "not_reported", "full"], "count": [0, 11, 0]})
    assert insights.objective_status_summary(REF, "es", counts) == t("es", "summary.objectives_none")
    counts.loc[0, "count"] = 1
    text = insights.objective_status_summary(REF, "es", counts)
    assert text.endswith(f"2. {REF.objective(2).short.es} (1 país).")
    counts.loc[2, "count"] = 3
    assert insights.objective_status_summary(REF, "en", counts).endswith(
        f"5. {REF.objective(5).short.en} (3 countries)."
    )


def test_an_objective_across_cycles_is_counted_out_of_that_cycles_countries() -> None:
    """The latest cycle's figure is out of the countries it counts (those awaiting validation left out)."""

    from gcm.explore import profile_insights

    counts = pd.DataFrame(
        {
            "cycle": ["a", "a", "b", "b"],
            "status": ["advanced", "not_reported", "full", "not_reported"],
            "count": [2, 9, 5, 3],
        }
    )
    text = profile_insights.status_over_cycles_summary("en", counts, {"a": "Cycle A", "b": "Cycle B"})
    assert text.startswith("Cycle B: 5 of 8 countries reported this objective")


def test_the_round_tables_table_lists_statuses_down_and_round_tables_across() -> None:
    """The statuses' long names go down the first column: the overview's table fits the page's width."""
    counts = pd.DataFrame({"section": [1, 1, 2], "status": ["initial", "not_reported", "full"], "count": [3, 2, 4]})
    table = insights.section_table(REF, "es", counts, provisional=False)
    assert list(table.columns) == ["Mesa redonda 1", "Mesa redonda 2"]
    assert table.index.name == "Estado"
    assert list(table.index) == [s.label.get("es") for s in REF.statuses] + ["Sin informe"]
    assert table.loc["Sin informe"].tolist() == [2, 0] and table["Mesa redonda 2"].sum() == 4


def test_the_round_tables_chart_and_its_summary_count_the_same_cells() -> None:
    statuses = ["full", "initial", "full", "not_reported"]
    counts = pd.DataFrame({"section": [2, 1, 1, 2], "status": statuses, "count": [3, 1, 1, 1]})
    figure = charts.status_by_section_figure(REF, "en", counts, provisional=False)
    full = next(trace for trace in figure.data if trace.name == "Fully implemented")
    assert list(full.x) == ["Round table 1", "Round table 2"] and list(full.y) == [1, 3]
    assert [round(v) for v in full.customdata] == [50, 75]  # shares of each round table's cells
    assert insights.section_summary(REF, "en", counts, False) == t(
        "en", "summary.sections", reported_pct=83, best=t("en", "chart.round_table_n", n=2), best_pct=75
    )


@pytest.mark.parametrize("lang", ["es", "en"])
def test_an_objectives_entries_list_the_reporting_countries_first_each_part_by_name(lang: str) -> None:
    from gcm.explore import profile_insights

    ref = reference_for(str(ROOT / "data"))
    entries = pd.DataFrame(
        [
            ("PAN", "not_reported", False, "", "", ""),
            ("MEX", ref.statuses[0].key, True, "<b>avance</b>", "retos", ""),
            ("CRI", "not_reported", False, "", "", ""),
            ("BLZ", ref.statuses[-1].key, False, "progress", "", "prioridades"),
        ],
        columns=["country", "status", "national_priority", "progress", "challenges", "priorities"],
    )
    table = profile_insights.entries_table(ref, lang, entries)
    names = [ref.country(c).name.get(lang) for c in ("BLZ", "MEX", "CRI", "PAN")]
    assert list(table.iloc[:, 0]) == names  # reporting first (Belize, Mexico), then the rest, each by name
    assert list(table.iloc[:, 1]) == [
        ref.statuses[-1].label.get(lang),
        ref.statuses[0].label.get(lang),
        t(lang, "status.not_reported"),
        t(lang, "status.not_reported"),
    ]
    no, yes = t(lang, "objective_page.no"), t(lang, "objective_page.yes")
    assert list(table.iloc[:, 2]) == [no, yes, "", ""]  # nothing said of a priority not reported
    assert table.iloc[1, 3] == "<b>avance</b>" and table.iloc[0, 5] == "prioridades"  # texts as typed


def test_the_share_complete_is_of_every_possible_country_objective_report() -> None:
    assert insights.share_complete(253, 11, 23) == 100
    assert insights.share_complete(160, 11, 23) == 63  # 160 of 253
    assert insights.share_complete(0, 11, 23) == 0
    assert insights.share_complete(0, 0, 23) == 0  # a group with no members


def test_a_countrys_summary_is_one_sentence_when_there_is_nothing_this_reader_may_read() -> None:
    public, delegate = ReadScope(states=("validated",)), ReadScope(states=("validated",), own_country="CRI")

    def standing(state: str, standing: str) -> dict:
        return {"country": "CRI", "state": state, "entered": 3, "standing": standing}

    assert summary_note(standing("draft", "in_preparation"), public) == "flow.summary_in_preparation"
    assert summary_note(standing("submitted", "awaiting_validation"), public) == "flow.summary_awaiting_validation"
    assert summary_note(standing("draft", "in_preparation"), delegate) is None  # its own draft: shown
    assert summary_note(standing("validated", "validated"), public) is None
    assert summary_note(standing("draft", "not_reported") | {"entered": 0}, delegate) == "flow.summary_not_reported"


def _changes(**counts: int) -> pd.DataFrame:
    from gcm.explore.compare import CHANGES

    return pd.DataFrame({"change": list(CHANGES), "count": [counts.get(k, 0) for k in CHANGES]})


def test_the_comparisons_sentence_puts_each_count_in_its_singular_or_plural() -> None:
    from gcm.explore.profile_insights import change_summary

    names = ("IMRF 2022", "IMRF 2026")
    one_each = _changes(improved=1, unchanged=1, declined=1, newly_reported=1, no_longer_reported=1)
    assert change_summary("en", one_each, names) == (
        "From IMRF 2022 to IMRF 2026: 1 country × objective pair improved, 1 stayed the same and 1 declined; "
        "1 was newly reported and 1 no longer reported."
    )
    assert change_summary("es", one_each, names) == (
        "De IMRF 2022 a IMRF 2026: 1 par país × objetivo mejoró, 1 se mantuvo y 1 empeoró; "
        "1 se informó por primera vez y 1 dejó de informarse."
    )
    several = _changes(improved=3, unchanged=0, declined=2, newly_reported=5, no_longer_reported=2)
    assert change_summary("es", several, names) == (
        "De IMRF 2022 a IMRF 2026: 3 pares país × objetivo mejoraron, 0 se mantuvieron y 2 empeoraron; "
        "5 se informaron por primera vez y 2 dejaron de informarse."
    )


@pytest.mark.parametrize(
    ("reported", "english"),
    [
        ({1: 3, 2: 1, 3: 2}, "Objective 2 was reported least (1 country)."),
        ({1: 3, 2: 1, 3: 1}, "Objectives 2 and 3 were reported least (1 country each)."),
        ({1: 3, 2: 0, 3: 2}, "Objective 2 has no report yet."),  # not "reported least (0 countries)"
        ({1: 3, 2: 0, 3: 0}, "Objectives 2 and 3 have no report yet."),
        ({n: 0 for n in range(1, 8)} | {8: 2}, "7 objectives have no report yet."),
        ({1: 2, 2: 2, 3: 2}, "Every objective was reported by 2 countries."),
    ],
)
def test_the_explorers_sentence_names_every_objective_tied_asleast_reported(
    reported: dict[int, int], english: str
) -> None:
    """Not the first of 19 objectives at 0 countries as if it alone were least reported."""
    from gcm.explore.coverage import least_reported

    per_objective = pd.Series(reported)
    assert least_reported("en", per_objective) == english
    spanish = least_reported("es", per_objective)
    assert spanish.startswith(("El objetivo ", "Los objetivos ", "7 objetivos ", "Todos los objetivos "))

"""One-sentence summaries and readable data tables for the profile and comparison charts.

Tables hold exactly what the chart shows, in words, so they download as they read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pandas as pd

from gcm.charts import section_label, status_label, status_order
from gcm.explore.compare import CHANGES
from gcm.explore.profile_charts import change_label
from gcm.i18n import t
from gcm.queries import NOT_REPORTED
from gcm.reference import Reference

ADVANCED = ("advanced", "full")


def section_text(ref: Reference, lang: str, grouping: str, number: int, provisional: bool, title: str) -> str:
    """ "Round table 2: <theme>" or "Area 3 (provisional): <title>": the section's own title when it has
    one beyond its number, else the informal theme the reference data gives it."""
    label = section_label(lang, provisional, number)
    if title and title not in label:
        return f"{label}: {title}"
    section = next((s for g in ref.groupings if g.id == grouping for s in g.sections if s.number == number), None)
    return f"{label}: {section.theme.get(lang)}" if section is not None and section.theme else label


def objective_label(ref: Reference, lang: str, number: int) -> str:
    return f"{number}. {ref.objective(number).short.get(lang)}"


def status_over_cycles_summary(lang: str, counts: pd.DataFrame, cycle_names: dict[str, str]) -> str:
    """The latest cycle with any report of the objective: how many reported it, how many are advanced. Worked
    out over the columns as lists: pandas' filters and group sums over these few dozen rows took 2 ms."""
    rows = list(zip(counts["cycle"].tolist(), counts["status"].tolist(), counts["count"].tolist(), strict=True))
    counted: dict[str, int] = {}  # per cycle, its counted countries
    for cycle, _, count in rows:
        counted[cycle] = counted.get(cycle, 0) + int(count)
    reported = [(cycle, status, int(count)) for cycle, status, count in rows if status != NOT_REPORTED]
    if not reported:
        return t(lang, "objective_page.summary_none", members=max(counted.values(), default=0))
    latest = list(dict.fromkeys(cycle for cycle, _, _ in reported))[-1]
    shown = [(status, count) for cycle, status, count in reported if cycle == latest]
    return t(
        lang,
        "objective_page.summary",
        cycle=cycle_names[latest],
        reported=sum(count for _, count in shown),
        members=counted[latest],
        advanced=sum(count for status, count in shown if status in ADVANCED),
    )


def status_over_cycles_table(
    ref: Reference, lang: str, counts: pd.DataFrame, cycle_names: dict[str, str]
) -> pd.DataFrame:
    table = counts.pivot_table(index="cycle", columns="status", values="count", aggfunc="sum", fill_value=0, sort=False)
    table = table.reindex(columns=status_order(ref), fill_value=0)
    table.columns = [status_label(ref, lang, k) for k in table.columns]
    table.index = [cycle_names[c] for c in table.index]
    return table.rename_axis(t(lang, "common.cycle")).reset_index()


def entries_table(ref: Reference, lang: str, entries: pd.DataFrame) -> pd.DataFrame:
    """Every country's entry: status, national priority and narrative (text cells, never markup); countries that
    reported first, each part by name. Built from plain lists: sorting a frame of 193 narratives took 3 ms."""
    yes, no = t(lang, "objective_page.yes"), t(lang, "objective_page.no")
    labels = {status: status_label(ref, lang, status) for status in set(entries["status"])}
    columns = ("status", "national_priority", "progress", "challenges", "priorities")
    rows = sorted(  # the columns as lists: iterating pandas' Arrow strings goes a value at a time
        zip(
            [ref.country(c).name.get(lang) for c in entries["country"].tolist()],
            *(entries[name].tolist() for name in columns),
            strict=True,
        ),
        key=lambda row: (row[1] == NOT_REPORTED, row[0]),
    )
    return pd.DataFrame(
        [
            (name, labels[status], "" if status == NOT_REPORTED else (yes if priority else no), *texts)
            for name, status, priority, *texts in rows
        ],
        columns=[
            t(lang, "common.country"),
            t(lang, "chart.status"),
            t(lang, "field.national_priority"),
            t(lang, "field.progress"),
            t(lang, "field.challenges"),
            t(lang, "field.priorities"),
        ],
    )


def completeness_summary(ref: Reference, lang: str, per_cycle: pd.DataFrame, cycle_names: dict[str, str]) -> str:
    reported = per_cycle[per_cycle["reported"] > 0]
    if reported.empty:
        return t(lang, "country_page.summary_none")
    last = reported.iloc[-1]
    text = t(
        lang,
        "country_page.summary",
        cycle=cycle_names[last["cycle"]],
        n=int(last["reported"]),
        total=len(ref.objectives),
        cycles=len(reported),
    )
    if len(reported) > 1:
        previous = reported.iloc[-2]
        text += " " + t(
            lang, "country_page.summary_previous", cycle=cycle_names[previous["cycle"]], n=int(previous["reported"])
        )
    return text


def completeness_table(ref: Reference, lang: str, per_cycle: pd.DataFrame, cycle_names: dict[str, str]) -> pd.DataFrame:
    total = len(ref.objectives)
    return pd.DataFrame(
        {
            t(lang, "common.cycle"): [cycle_names[c] for c in per_cycle["cycle"]],
            t(lang, "country_page.reported"): per_cycle["reported"].astype(int),
            t(lang, "country_page.of"): total,
            t(lang, "country_page.share"): [f"{round(int(n) / total * 100)}%" for n in per_cycle["reported"]],
            t(lang, "country_page.priorities"): per_cycle["priorities"].astype(int),
        }
    )


def sections_summary(
    lang: str, by_section: pd.DataFrame, cycle_names: dict[str, str], provisional: dict[str, bool]
) -> str:
    """The latest cycle with reports: the section with the largest share at advanced or full implementation (the
    first such section when several share it).

    `by_section` is small (a country's cycles × sections × statuses), so it is read row by row: the pandas
    filters and groupings it took cost 3.7 ms."""
    rows = list(
        zip(
            by_section["cycle"],
            by_section["section"],
            by_section["status"],
            by_section["count"],
            by_section[f"title_{lang}"],
            strict=True,
        )
    )
    reported = [cycle for cycle, _, status, _, _ in rows if status != NOT_REPORTED]
    if not reported:
        return t(lang, "country_page.summary_none")
    latest = list(dict.fromkeys(reported))[-1]
    totals: dict[int, int] = {}
    advanced: dict[int, int] = {}
    titles: dict[int, str] = {}
    for cycle, section, status, count, title in rows:
        if cycle == latest:
            totals[section] = totals.get(section, 0) + int(count)
            advanced[section] = advanced.get(section, 0) + (int(count) if status in ADVANCED else 0)
            titles.setdefault(section, title)
    best = int(max(sorted(totals), key=lambda section: advanced[section] / totals[section]))
    title = titles[best]
    label = section_label(lang, provisional[latest], best)
    title = title if title in label else f"{label}: {title}"
    return t(
        lang,
        "country_page.sections_summary",
        cycle=cycle_names[latest],
        section=title,
        n=advanced[best],
        total=totals[best],
    )


def sections_table(
    ref: Reference,
    lang: str,
    by_section: pd.DataFrame,
    cycle_names: dict[str, str],
    provisional: dict[str, bool],
    groupings: dict[str, str],
) -> pd.DataFrame:
    keys = ["cycle", "section", f"title_{lang}"]
    table = by_section.pivot_table(
        index=keys, columns="status", values="count", aggfunc="sum", fill_value=0, sort=False
    )
    table = table.reindex(columns=status_order(ref), fill_value=0)
    reported = table.drop(columns=[NOT_REPORTED]).sum(axis=1)
    total = table.sum(axis=1)
    table.columns = [status_label(ref, lang, k) for k in table.columns]
    table = table.reset_index()
    out = pd.DataFrame(
        {
            t(lang, "common.cycle"): [cycle_names[c] for c in table["cycle"]],
            t(lang, "common.section"): [
                section_text(ref, lang, groupings[c], int(n), provisional[c], title)
                for c, n, title in zip(table["cycle"], table["section"], table[f"title_{lang}"], strict=True)
            ],
            t(lang, "country_page.completeness"): [
                f"{int(r)} / {int(n)}" for r, n in zip(reported, total, strict=True)
            ],
        }
    )
    return pd.concat([out, table.drop(columns=keys)], axis=1)


def change_summary(lang: str, counts: pd.DataFrame, names: tuple[str, str]) -> str:
    by = dict(zip(counts["change"], counts["count"], strict=True))
    if not sum(by.values()):
        return t(lang, "compare.summary_none", a=names[0], b=names[1])
    parts = {k: t(lang, f"compare.summary_{k}", n=int(by.get(k, 0))) for k in CHANGES}
    return t(lang, "compare.summary", a=names[0], b=names[1], **parts)


def change_counts_table(lang: str, counts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t(lang, "compare.change_column"): [change_label(lang, c) for c in counts["change"]],
            t(lang, "compare.pairs_axis"): counts["count"].astype(int),
        }
    )


def matrix_summary(ref: Reference, lang: str, changes: pd.DataFrame) -> str:
    """The country with the most improved objectives (the first by code among equals)."""
    kinds = changes["change"].tolist()
    improved = Counter(c for c, kind in zip(changes["country"].tolist(), kinds, strict=True) if kind == "improved")
    if not improved:
        return t(lang, "compare.matrix_summary_none")
    n = max(improved.values())
    top = min(country for country, count in improved.items() if count == n)
    return t(lang, "compare.matrix_summary", country=ref.country(top).name.get(lang), n=n)


def _labelled(values: pd.Series, label: Callable[[Any], str]) -> list[str]:
    """`label(v)` for each value, computed once per distinct value (a table of thousands of pairs repeats a
    few dozen countries, objectives and statuses)."""
    values = values.astype(object).where(values.notna(), None)  # NaN is not equal to itself: None is
    labels = {v: label(v) for v in values.drop_duplicates()}
    return [labels[v] for v in values]


def changes_table(ref: Reference, lang: str, changes: pd.DataFrame, provisional: tuple[bool, bool]) -> pd.DataFrame:
    def section(value: object, side: int) -> str:
        return "—" if pd.isna(value) else section_label(lang, provisional[side], int(value))

    return pd.DataFrame(
        {
            t(lang, "common.country"): _labelled(changes["country"], lambda c: ref.country(c).name.get(lang)),
            t(lang, "common.objective"): _labelled(changes["objective"], lambda n: objective_label(ref, lang, int(n))),
            t(lang, "compare.section_a"): _labelled(changes["section_a"], lambda v: section(v, 0)),
            t(lang, "compare.section_b"): _labelled(changes["section_b"], lambda v: section(v, 1)),
            t(lang, "compare.status_a"): _labelled(changes["status_a"], lambda s: status_label(ref, lang, s)),
            t(lang, "compare.status_b"): _labelled(changes["status_b"], lambda s: status_label(ref, lang, s)),
            t(lang, "compare.change_column"): _labelled(changes["change"], lambda c: change_label(lang, c)),
        }
    )


def objective_sections_table(ref: Reference, lang: str, sections: pd.DataFrame) -> pd.DataFrame:
    """Per cycle: the grouping it uses and the section that holds the objective, with the grouping's caveat."""

    def note(row: pd.Series) -> str:
        if row["provisional"]:
            return t(lang, "objective_page.grouping_provisional")
        return t(
            lang,
            "objective_page.grouping_confirmed" if row["grouping_confirmed"] else "objective_page.grouping_unconfirmed",
        )

    def section(row: pd.Series) -> str:
        if pd.isna(row["section"]):
            return "—"
        provisional, number, title = bool(row["provisional"]), int(row["section"]), row[f"section_{lang}"]
        return section_text(ref, lang, row["grouping"], number, provisional, title)

    return pd.DataFrame(
        {
            t(lang, "common.cycle"): sections[f"cycle_{lang}"],
            t(lang, "common.grouping"): sections[f"grouping_{lang}"],
            t(lang, "common.section"): sections.apply(section, axis=1),
            t(lang, "objective_page.grouping_status"): sections.apply(note, axis=1),
        }
    )

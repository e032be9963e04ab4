"""Marks on read functions (and figure builders) that tell `gcm.ui.context` which data revision their cached
values are keyed on. They live apart from `gcm.queries` so that any module of reads may use them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


# How gcm.ui.context keys a read function's cached values: by default on the `published` data revision when
# every read scope among its arguments leaves drafts out, else on the revision every write moves on. The first
# three marks override that for a function whose result does not follow its scope; the fourth
# (`unchanged_by_text`) keys what would be on every write on `tallied` instead.
def unchanged_by_drafts(function: F) -> F:
    """Mark a read function (or a figure builder) whose result no save of a draft can change, though a workflow
    step may (which submitted reports await validation). Pages cache it until a published change. One that
    reads no report or workflow state at all is `unchanged_by_reports`."""
    function.cache_revision = "published"  # type: ignore[attr-defined]
    return function


def counts_drafts(function: F) -> F:
    """Mark a read function that counts drafts whatever its scope (e.g. which countries are preparing a
    report): a save of a draft changes what it returns for every reader."""
    function.cache_revision = "every write"  # type: ignore[attr-defined]
    return function


def unchanged_by_reports(function: F) -> F:
    """Mark a read function (or a figure builder) that reads no report, submission or workflow state: cycles,
    groupings, countries and groups, settings, the review process; or only what no save of a real report
    changes (how many demo reports there are). Pages cache it until a write of those (the `setup` revision),
    through the delegates' saves and the secretariat's workflow steps. tests/app/test_setup_revision.py
    checks each one."""
    function.cache_revision = "setup"  # type: ignore[attr-defined]
    return function


def unchanged_by_text(function: F) -> F:
    """Mark a read function (or a figure builder) that reads no narrative text of a report, nor who saved it
    or when: statuses, priorities, tags, workflow states and counts only. A save that changes only a report's
    text (`services.TEXT_FIELDS`) leaves what it returns as it was, whoever reads it, so pages cache it until
    a write that changes more (the `tallied` revision). tests/app/test_text_revision.py checks each one."""
    function.reads_text = False  # type: ignore[attr-defined]
    return function


def of_one_country(parameter: str = "country") -> Callable[[F], F]:
    """Mark a read function (or a figure builder) that reads one country's reporting only (its reports, their
    workflow and events), named by its argument `parameter`, besides what moves `setup` (cycles, groupings,
    countries). Pages cache it on `setup` and on that country's own counter of the kind its other marks and
    scope say (`queries.country_revisions`), which only that country's saves and workflow steps move: another
    country's save leaves it in place.
    tests/app/test_country_revision.py checks each one."""
    return _of_reporting("country", parameter)


def of_countries(parameter: str = "countries") -> Callable[[F], F]:
    """Mark a read function (or a figure builder) that reads the reporting of the countries named by its argument
    `parameter` (a tuple of codes: a page of a table with a row per country) and of no other, as `of_one_country`
    does for one. Pages cache it on `setup` and on the sum of those countries' counters, which any of their saves
    and workflow steps moves; a save of a country not among them leaves it in place. Where the argument is None
    (every country), it is keyed as any other read. tests/app/test_country_revision.py checks each one."""
    return _of_reporting("countries", parameter)


def of_group(parameter: str = "group") -> Callable[[F], F]:
    """Mark a read function (or a figure builder) that reads the reporting of the member countries of the group
    named by its argument `parameter` and of no other (the group's members themselves move `setup`): keyed as
    `of_countries` is on those countries, so that a save of a country outside the group leaves it in place. Where
    the argument is None (every country), it is keyed as any other read. A function with both marks reads the
    countries that are in both. tests/app/test_country_revision.py checks each one."""
    return _of_reporting("group", parameter)


def of_cycle(*parameters: str) -> Callable[[F], F]:
    """Mark a read function (or a figure builder) that reads the reporting of the cycles named by its arguments
    `parameters` (one cycle each; `cycle_id` by default) and of no other cycle (reports, their tags and their
    workflow in those cycles), besides what moves `setup` (cycles, groupings, countries and groups). Pages key it
    on `setup` and on the counters of those cycles only (`queries.country_revisions` given those cycles: of its
    countries, where it is also marked `of_group`, `of_countries` or `of_one_country`), so that a save or a
    workflow step in another cycle leaves it in place: while delegates write the open cycle's reports, the pages
    showing the last reported cycle (or comparing two others) stay as they were.
    tests/app/test_cycle_revision.py checks each one."""

    def mark(function: F) -> F:
        function.cache_cycles = parameters or ("cycle_id",)  # type: ignore[attr-defined]
        return function

    return mark


def rows_by_country(parameter: str = "countries") -> Callable[[F], F]:
    """Mark a read of a group's reporting (`of_group`) that returns a frame with a row per country and whatever
    else (column `country`), ordered by country first, and that given its argument `parameter` (a tuple of
    codes) returns the rows of those countries only, as the whole read has them. After a write of a few of the
    group's countries, pages read only theirs again and put them in place of the ones they had
    (`gcm.ui.spliced_reads`). tests/app/test_spliced_reads.py checks each one against the whole read."""

    def mark(function: F) -> F:
        function.splice_countries = parameter  # type: ignore[attr-defined]
        return function

    return mark


def sums_by_country(by_country: Callable[..., Any], finish: Callable[[list[tuple]], Any]) -> Callable[[F], F]:
    """Mark a read of a group's reporting (`of_group`) whose result is `finish(rows)`, `rows` being counts summed
    over the group's countries as `(*key, count)`, in any order. `by_country` (marked `parts_by_country`) takes
    the read's arguments, then the countries to read, and returns the rows `(country, *key, count)` of each
    country's part. After a write of a few of the group's countries, pages read only their parts again and move
    the sums by the difference (`gcm.ui.spliced_reads`). tests/app/test_spliced_reads.py checks each one against
    the read itself."""

    def mark(function: F) -> F:
        function.summed_by_country = (by_country, finish)  # type: ignore[attr-defined]
        return function

    return mark


def parts_by_country(parameter: str = "countries") -> Callable[[F], F]:
    """Mark the function that reads each country's part of a read marked `sums_by_country`: given its argument
    `parameter` (a tuple of codes), the parts of those countries only."""

    def mark(function: F) -> F:
        function.part_countries = parameter  # type: ignore[attr-defined]
        return function

    return mark


def _of_reporting(kind: str, parameter: str) -> Callable[[F], F]:
    def mark(function: F) -> F:
        # kept as (kind, parameter) pairs: `gcm.ui.context._country_parameters` reads them
        function.cache_countries = (*getattr(function, "cache_countries", ()), (kind, parameter))  # type: ignore[attr-defined]
        return function

    return mark

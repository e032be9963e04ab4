"""The audit log's detail column in the reader's language.

The services store each event's detail as a short line in a fixed English form ("objective 5 v3: status,
progress", "deadline 2026-03-01", "throttled"); the log is never rewritten, and the sign-in throttle counts
on one of those lines. `describe` recognises the forms the services write and says them in the reader's
language, with field, role, country and grouping names from the catalogues. A line it does not recognise
(a form from an older release, a user name) is shown as stored.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from gcm.accounts import BAD_CREDENTIALS, FAILED, THROTTLED
from gcm.i18n import has, t
from gcm.permissions import SYSTEM
from gcm.reference import Reference

Render = Callable[[str, Reference, re.Match[str]], str]


def _label(lang: str, key: str, fallback: str) -> str:
    return t(lang, key) if has(lang, key) else fallback


def _fields(lang: str, names: str) -> str:
    return ", ".join(_label(lang, f"field.{name}", name) for name in names.split(", ") if name)


def _grouping(lang: str, ref: Reference, grouping_id: str) -> str:
    try:
        return ref.grouping(grouping_id).name.get(lang)
    except StopIteration:
        return grouping_id


def _saved(lang: str, _ref: Reference, m: re.Match[str]) -> str:
    return t(
        lang, "audit.detail.saved", objective=m["objective"], version=m["version"], fields=_fields(lang, m["fields"])
    )


def _submitted(lang: str, _ref: Reference, m: re.Match[str]) -> str:
    return t(lang, "audit.detail.submitted", reported=m["reported"], total=m["total"])


def _returned(lang: str, _ref: Reference, m: re.Match[str]) -> str:
    return t(lang, "audit.detail.returned", comment=m["comment"], objectives=m["objectives"])


def _version(lang: str, _ref: Reference, m: re.Match[str]) -> str:
    return t(lang, "audit.detail.version", version=m["version"])


def _deadline(lang: str, _ref: Reference, m: re.Match[str]) -> str:
    date = m["date"]
    return t(lang, "audit.detail.no_deadline") if date == "-" else t(lang, "audit.detail.deadline", date=date)


def _grouping_set(lang: str, ref: Reference, m: re.Match[str]) -> str:
    state = "confirmed" if m["confirmed"] == "True" else "provisional"
    return t(lang, f"audit.detail.grouping_{state}", grouping=_grouping(lang, ref, m["grouping"]))


def _user_added(lang: str, ref: Reference, m: re.Match[str]) -> str:
    role = _label(lang, f"role.{m['role']}", m["role"])
    who = f"{role}, {ref.country_name(m['country'], lang)}" if m["country"] else role
    return f"{m['username']} ({who})"


def _fixed(key: str) -> Render:
    """A stored line that always reads the same: said by one catalogue string."""
    return lambda lang, _ref, _m: t(lang, key)


def _refused(lang: str, _ref: Reference, m: re.Match[str]) -> str:
    """A refusal's reason from the error catalogue; the refused action stays as the app named it."""
    try:
        params = ast.literal_eval(m["params"]) if m["params"] else {}
        reason = t(lang, f"error.{m['code']}", **params)
    except (KeyError, ValueError, SyntaxError, IndexError, TypeError):
        return m.string
    return t(lang, "audit.detail.refused", reason=reason, action=m["action"])


# (event kinds, the form the service writes, how to say it); the first whose form matches is used.
_FORMS: tuple[tuple[frozenset[str], re.Pattern[str], Render], ...] = (
    (
        frozenset({"report_saved", "report_restored"}),
        re.compile(r"objective (?P<objective>\d+) v(?P<version>\d+): (?P<fields>[a-z_, ]*)"),
        _saved,
    ),
    (frozenset({"report_submitted"}), re.compile(r"(?P<reported>\d+) of (?P<total>\d+) objectives"), _submitted),
    (
        frozenset({"report_returned"}),
        re.compile(r"(?P<comment>.*) \[objectives (?P<objectives>\d+(?:, \d+)*)\]", re.DOTALL),
        _returned,
    ),
    (frozenset({"declaration_saved", "declaration_adopted"}), re.compile(r"version (?P<version>\d+)"), _version),
    (
        frozenset({"cycle_locked", "cycle_unlocked", "cycle_reopened", "cycle_closed", "cycle_deadline"}),
        re.compile(r"deadline (?P<date>\d{4}-\d{2}-\d{2}|-)"),
        _deadline,
    ),
    (
        frozenset({"cycle_grouping"}),
        re.compile(r"(?P<grouping>\S+) confirmed=(?P<confirmed>True|False)"),
        _grouping_set,
    ),
    (
        frozenset({"user_added"}),
        re.compile(r"(?P<username>.+) \((?P<role>[a-z]+)(?:, (?P<country>[A-Z]{3}))?\)"),
        _user_added,
    ),
    (frozenset({"sign_in_failed"}), re.compile(re.escape(THROTTLED)), _fixed("audit.detail.throttled")),
    (frozenset({"sign_in_failed"}), re.compile(re.escape(BAD_CREDENTIALS)), _fixed("audit.detail.bad_credentials")),
    (
        frozenset({"permission_denied"}),
        re.compile(r"(?P<action>.+?): (?P<code>[a-z_]+)(?: (?P<params>\{.*\}))?", re.DOTALL),
        _refused,
    ),
)


def describe(lang: str, ref: Reference, kind: str, detail: str | None) -> str:
    """An event's detail as the reader should see it (the stored line where its form is not known)."""
    text = detail or ""
    for kinds, form, render in _FORMS:
        if kind in kinds and (match := form.fullmatch(text)):
            return render(lang, ref, match)
    return text


def actor_name(lang: str, username: str, kind: str | None = None) -> str:
    """Who acted, as the audit log says it: the command line's and the demo's events (`permissions.SYSTEM`,
    a name no account may take) in the reader's language; a name typed at a failed sign-in as typed."""
    return t(lang, "audit.system") if username == SYSTEM.name and kind != FAILED else username

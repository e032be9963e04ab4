"""The country report's workflow: state, deadline countdown in the reader's time zone, the secretariat's
comment, and submit / validate / return, each behind a confirmation step that shows what is reported."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from gcm import permissions, services, workflow
from gcm.errors import DomainError, ValidationError
from gcm.i18n import t
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.ui.auth import actor, client_address, scope_for
from gcm.ui.context import engine, read
from gcm.ui.report_form import drafts_in, error_text
from gcm.ui.style import STEP_KEY
from gcm.ui.widgets import inert
from gcm.unit import perform

STATE_ICONS = {"not_started": "○", "draft": "✎", "submitted": "→", "returned": "↩", "validated": "✔"}
CONFIRM, FLASH = "workflow__confirm", "workflow__flash"


def window_of(cycle: pd.Series) -> permissions.CycleWindow:
    deadline = cycle["deadline"] if isinstance(cycle["deadline"], type(services.today())) else None
    return permissions.CycleWindow(bool(cycle["is_open"]), bool(cycle["is_locked"]), deadline)


def user_zone() -> ZoneInfo:
    """The browser's time zone (st.context.timezone), else UTC."""
    name = getattr(st.context, "timezone", None)
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def deadline_text(
    lang: str, cycle: pd.Series, now: dt.datetime | None = None, zone: ZoneInfo | None = None
) -> str | None:
    """The deadline as the secretariat set it (a date: edits close at the end of that day in UTC), the last minute
    it leaves in the reader's time zone (`zone`, by default the browser's), and what is left. The closing moment
    itself, midnight UTC, would read as the next day's date."""
    window = window_of(cycle)
    if window.is_locked:
        return t(lang, "workflow.locked")
    if not window.is_open:
        return t(lang, "workflow.closed")
    if window.deadline is None:
        return None
    closes = dt.datetime.combine(window.deadline + dt.timedelta(days=1), dt.time(), dt.UTC)
    zone = zone or user_zone()
    left = closes - (now or dt.datetime.now(dt.UTC))
    if left.total_seconds() <= 0:
        return t(lang, "workflow.deadline_passed", date=window.deadline.isoformat())
    remaining = {"days": t(lang, "flow.days", n=left.days), "hours": t(lang, "flow.hours", n=left.seconds // 3600)}
    if closes.astimezone(zone).utcoffset() == dt.timedelta(0):
        return t(lang, "flow.deadline_utc", date=window.deadline.isoformat(), **remaining)
    last = (closes - dt.timedelta(minutes=1)).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return t(lang, "flow.deadline", date=window.deadline.isoformat(), when=last, zone=str(zone), **remaining)


def may_edit(user: Actor, country: str, cycle: pd.Series, state: str) -> bool:
    """Whether `user` may edit `country`'s report in `cycle` (a row of the cycles' frame), in workflow `state`,
    today (`permissions.check_edit`)."""
    return permissions.allowed(permissions.check_edit, user, country, window_of(cycle), state, services.today())


def returned_note(lang: str, info: dict[str, Any]) -> bool:
    """The secretariat's comment on a returned report (`queries.submission`'s `info`), if it is one; whether it was
    said."""
    if info["state"] != "returned" or not info["comment"]:
        return False
    st.warning(t(lang, "workflow.returned_comment", comment=inert(info["comment"])), icon=":material/undo:")
    return True


def state_words(lang: str, state: str) -> str:
    key = "flow.state_submitted" if state == "submitted" else f"state.{state}"
    return f"{STATE_ICONS.get(state, '')} {t(lang, key)}"


def _run(lang: str, actor: Actor, what: str, action, success: str) -> None:
    """Run a workflow action; its outcome is shown next to the buttons on the next run."""
    try:
        perform(engine(), actor, action, what=what, address=client_address())
    except DomainError as exc:
        errors = exc.errors if isinstance(exc, ValidationError) else [exc]
        st.session_state[FLASH] = ("error", [error_text(lang, e) for e in errors])
        return
    st.session_state.pop(CONFIRM, None)
    st.session_state[FLASH] = ("success", [success])


def _ask(step: str | None) -> None:
    st.session_state[CONFIRM] = step
    st.session_state.pop(FLASH, None)


def outcome_pending() -> bool:
    """Whether the outcome of a workflow action waits to be shown (it shows once, then is forgotten)."""
    return FLASH in st.session_state


def show_flash() -> None:
    flash = st.session_state.pop(FLASH, None)
    if flash:
        kind, messages = flash
        for message in messages:
            (st.success if kind == "success" else st.error)(message)


def completeness_check(ref: Reference, lang: str, country: str, cycle_id: str, provisional: bool) -> None:
    """Reported objectives per round table and the objectives without an entry."""
    summary = read("completeness_summary", country, cycle_id, scope_for(actor()))
    st.markdown(f"**{t(lang, 'report.completeness', n=summary['reported'], total=summary['total'])}**")
    prefix = "chart.area_n" if provisional else "chart.round_table_n"
    st.markdown(
        " · ".join(f"{t(lang, prefix, n=s['section'])}: {s['done']} / {s['total']}" for s in summary["sections"])
    )
    if summary["missing"]:
        st.warning(t(lang, "flow.missing", n=len(summary["missing"])), icon=":material/warning:")
        st.markdown("\n".join(f"- {inert(f'{n}. {ref.objective(n).short.get(lang)}')}" for n in summary["missing"]))


def _submit_step(ref: Reference, lang: str, actor: Actor, country: str, cycle_id: str, provisional: bool) -> None:
    with st.container(border=True, key=f"workflow__submit{STEP_KEY}"):  # takes the focus when it appears
        st.markdown(f"**{t(lang, 'flow.submit_check')}**")
        completeness_check(ref, lang, country, cycle_id, provisional)
        st.info(t(lang, "flow.submit_next"), icon=":material/info:")
        unchanged = read("gcm.workflow.unchanged_since_return", country, cycle_id)
        if unchanged:
            st.warning(t(lang, "flow.unchanged"), icon=":material/undo:")
        unsaved = drafts_in(country, cycle_id)  # sending locks the report: unsaved edits could never be saved
        if unsaved:
            st.error(
                t(lang, "flow.unsaved_first", objectives=", ".join(map(str, unsaved)), n=len(unsaved)),
                icon=":material/edit:",
            )
        buttons = st.columns(2)
        buttons[0].button(
            t(lang, "flow.submit_unchanged" if unchanged else "flow.submit_confirm"),
            key="workflow__submit_confirm",
            type="primary",
            icon=":material/send:",
            disabled=bool(unsaved),
            on_click=_run,
            args=(
                lang,
                actor,
                f"submit {country}/{cycle_id}",
                lambda s: workflow.submit_country_report(
                    s, actor, country=country, cycle_id=cycle_id, confirm_unchanged=unchanged
                ),
                t(lang, "workflow.submitted"),
            ),
        )
        buttons[1].button(t(lang, "flow.cancel"), key="workflow__cancel", on_click=_ask, args=(None,))


def _validate_step(ref: Reference, lang: str, actor: Actor, country: str, cycle_id: str, provisional: bool) -> None:
    """The completeness check, then "Validate now" or Cancel; the outcome under the button pressed."""
    with st.container(key=f"workflow__validate{STEP_KEY}"):  # takes the focus when it appears
        st.markdown(f"**{t(lang, 'flow.validate_check')}**")
        completeness_check(ref, lang, country, cycle_id, provisional)
        st.info(t(lang, "flow.validate_next"), icon=":material/info:")
        buttons = st.columns(2)
        buttons[0].button(
            t(lang, "flow.validate_confirm"),
            key="workflow__validate_confirm",
            type="primary",
            icon=":material/verified:",
            on_click=_run,
            args=(
                lang,
                actor,
                f"validate {country}/{cycle_id}",
                lambda s: workflow.validate_country_report(s, actor, country=country, cycle_id=cycle_id),
                t(lang, "workflow.validated"),
            ),
        )
        buttons[1].button(t(lang, "flow.cancel"), key="workflow__cancel", on_click=_ask, args=(None,))
        show_flash()  # under the button pressed


def review_actions(ref: Reference, lang: str, actor: Actor, country: str, cycle_id: str, provisional: bool) -> None:
    """Validate (after seeing the completeness check) or return with a comment and the objectives meant; the
    outcome of either shows under its buttons."""
    where = f"{country}/{cycle_id}"
    with st.container(border=True, key="workflow__review"):
        if not permissions.allowed(permissions.check_review, actor, read("submission", country, cycle_id)["state"]):
            show_flash()  # returned or validated just now: the outcome where the buttons were, nothing to press
            return
        if st.session_state.get(CONFIRM) == "validate":
            _validate_step(ref, lang, actor, country, cycle_id, provisional)
            return
        st.button(
            t(lang, "workflow.validate"),
            key="workflow__validate",
            type="primary",
            icon=":material/verified:",
            on_click=_ask,
            args=("validate",),
        )
        comment, objectives = st.columns([3, 2])
        comment.text_area(
            t(lang, "field.comment"),
            key="workflow__comment",
            max_chars=workflow.MAX_COMMENT,
            help=t(lang, "workflow.comment_help"),
        )
        objectives.multiselect(
            t(lang, "flow.point_at"),
            [o.number for o in ref.objectives],
            select_all=False,  # Streamlit's "Select all" is in English only
            key="workflow__objectives",
            format_func=lambda n: f"{n}. {ref.objective(n).short.get(lang)}",
            placeholder=t(lang, "report.choose_options"),
        )
        st.button(
            t(lang, "workflow.return"),
            key="workflow__return",
            icon=":material/undo:",
            on_click=lambda: _run(
                lang,
                actor,
                f"return {where}",
                lambda s: workflow.return_country_report(
                    s,
                    actor,
                    country=country,
                    cycle_id=cycle_id,
                    comment=st.session_state.get("workflow__comment", ""),
                    objectives=tuple(st.session_state.get("workflow__objectives") or ()),
                ),
                t(lang, "workflow.returned"),
            ),
        )
        show_flash()  # under the comment and Return: in review mode that is a page below the state line


def workflow_panel(
    ref: Reference, lang: str, actor: Actor, country: str, cycle_id: str, cycle: pd.Series, review: bool = True
) -> str:
    """Draw the state of the country report and the actions open to this user; return the state.

    `review`: draw the secretariat's Validate / Return here (False when the page draws them below the summary).
    """
    info = read("submission", country, cycle_id)
    state = info["state"]
    window = window_of(cycle)
    provisional = bool(cycle["provisional"])
    line = f"**{t(lang, 'workflow.state')}:** {state_words(lang, info['shown'])}"
    if text := deadline_text(lang, cycle):  # one line each way: side by side, both wrapped
        line += f"  \n{text}"
    st.markdown(line)
    if returned_note(lang, info) and info["flagged"]:
        st.markdown(t(lang, "flow.flagged", objectives=", ".join(map(str, info["flagged"])), n=len(info["flagged"])))
    if permissions.allowed(permissions.check_submit, actor, country, window, state, services.today()):
        if st.session_state.get(CONFIRM) == "submit":
            _submit_step(ref, lang, actor, country, cycle_id, provisional)
        else:
            st.button(
                t(lang, "workflow.submit"),
                key="workflow__submit",
                icon=":material/send:",
                help=t(lang, "workflow.submit_help"),
                on_click=_ask,
                args=("submit",),
            )
    if review and permissions.allowed(permissions.check_review, actor, state):
        review_actions(ref, lang, actor, country, cycle_id, provisional)
    if review:  # else the page draws `review_actions` below the summary, and the outcome of Return goes there
        show_flash()
    return state

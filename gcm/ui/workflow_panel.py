"""The country report's workflow: state, deadline countdown, the secretariat's comment, actions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gcm import permissions, services, workflow
from gcm.i18n import t
from gcm.permissions import Actor
from gcm.ui.actions import act
from gcm.ui.context import read
from gcm.ui.widgets import inert

STATE_ICONS = {"not_started": "○", "draft": "✎", "submitted": "→", "returned": "↩", "validated": "✔"}


def window_of(cycle: pd.Series) -> permissions.CycleWindow:
    deadline = cycle["deadline"] if isinstance(cycle["deadline"], type(services.today())) else None
    return permissions.CycleWindow(bool(cycle["is_open"]), bool(cycle["is_locked"]), deadline)


def deadline_text(lang: str, cycle: pd.Series) -> str | None:
    window = window_of(cycle)
    if window.is_locked:
        return t(lang, "workflow.locked")
    if not window.is_open:
        return t(lang, "workflow.closed")
    if window.deadline is None:
        return None
    days = (window.deadline - services.today()).days
    if days < 0:
        return t(lang, "workflow.deadline_passed", date=window.deadline.isoformat())
    return t(lang, "workflow.deadline", date=window.deadline.isoformat(), days=days)


def workflow_panel(lang: str, actor: Actor, country: str, cycle_id: str, cycle: pd.Series) -> str:
    """Draw the state of the country report and the actions open to this user; return the state."""
    info = read("submission", country, cycle_id)
    state = info["state"]
    window = window_of(cycle)
    today = services.today()
    cols = st.columns([2, 3])
    cols[0].markdown(f"**{t(lang, 'workflow.state')}:** {STATE_ICONS.get(state, '')} {t(lang, f'state.{state}')}")
    if text := deadline_text(lang, cycle):
        cols[1].markdown(text)
    if state == "returned" and info["comment"]:
        st.warning(t(lang, "workflow.returned_comment", comment=inert(info["comment"])), icon=":material/undo:")
    where = f"{country}/{cycle_id}"
    if permissions.allowed(permissions.check_submit, actor, country, window, state, today):
        st.button(
            t(lang, "workflow.submit"),
            key="workflow__submit",
            icon=":material/send:",
            help=t(lang, "workflow.submit_help"),
            on_click=act,
            args=(
                lang,
                actor,
                f"submit {where}",
                lambda s: workflow.submit_country_report(s, actor, country=country, cycle_id=cycle_id),
                t(lang, "workflow.submitted"),
            ),
        )
    if permissions.allowed(permissions.check_review, actor, state):
        with st.container(border=True):
            st.text_area(
                t(lang, "field.comment"),
                key="workflow__comment",
                max_chars=workflow.MAX_COMMENT,
                help=t(lang, "workflow.comment_help"),
            )
            buttons = st.columns(2)
            buttons[0].button(
                t(lang, "workflow.validate"),
                key="workflow__validate",
                type="primary",
                icon=":material/verified:",
                on_click=act,
                args=(
                    lang,
                    actor,
                    f"validate {where}",
                    lambda s: workflow.validate_country_report(s, actor, country=country, cycle_id=cycle_id),
                    t(lang, "workflow.validated"),
                ),
            )
            buttons[1].button(
                t(lang, "workflow.return"),
                key="workflow__return",
                icon=":material/undo:",
                on_click=act,
                args=(
                    lang,
                    actor,
                    f"return {where}",
                    lambda s: workflow.return_country_report(
                        s,
                        actor,
                        country=country,
                        cycle_id=cycle_id,
                        comment=st.session_state.get("workflow__comment", ""),
                    ),
                    t(lang, "workflow.returned"),
                ),
            )
    return state

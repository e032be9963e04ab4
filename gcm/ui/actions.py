"""Running a user's action from a page: one transaction, refusals audited, the outcome shown."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from gcm.errors import DomainError, ValidationError
from gcm.permissions import Actor
from gcm.ui.auth import client_address
from gcm.ui.context import engine
from gcm.ui.report_form import FLASH, error_text
from gcm.unit import perform


def act(
    lang: str, actor: Actor, what: str, action: Callable[[Session], object], success: str, rerun: bool = False
) -> bool:
    """Run `action`; on success queue `success` for the next run (and rerun when asked), else show the errors."""
    try:
        perform(engine(), actor, action, what=what, address=client_address())
    except DomainError as exc:
        messages = [error_text(lang, e) for e in (exc.errors if isinstance(exc, ValidationError) else [exc])]
        if rerun:
            for message in messages:
                st.error(message)
        else:
            st.session_state[FLASH] = ("error", messages)
        return False
    st.session_state[FLASH] = ("success", [success])
    if rerun:
        st.rerun()
    return True

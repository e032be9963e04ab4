"""The history of one objective report: revisions, readable text diffs, restore."""

from __future__ import annotations

import difflib
from typing import Any

import streamlit as st

from gcm import services
from gcm.i18n import t
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.ui.context import engine, read
from gcm.ui.report_form import FLASH, LOADED, TEXT_FIELDS, error_text
from gcm.ui.widgets import inert, lazy_expander, page_number
from gcm.unit import perform

# Revisions a page of the history shows: once open, a report saved hundreds of times would otherwise have every
# diff worked out and drawn on every run of its page.
PAGE = 10


def text_diff(old: object, new: object) -> str:
    """A line-by-line diff of two texts (shown in a code block, so it is inert)."""
    lines = difflib.unified_diff(str(old or "").splitlines(), str(new or "").splitlines(), lineterm="", n=1)
    return "\n".join(list(lines)[2:]) or f"- {old}\n+ {new}"


def _restore(
    ref: Reference, lang: str, actor: Actor, address: str, revision: dict[str, Any], current: int, objective: int
) -> None:
    try:
        saved = perform(
            engine(),
            actor,
            lambda s: services.restore_revision(s, ref, actor, revision_id=revision["id"], expected_version=current),
            what=f"restore revision {revision['id']}",
            address=address,
        )
    except services.DomainError as exc:
        st.session_state[FLASH] = ("error", [error_text(lang, exc)])
        return
    st.session_state.get(LOADED, {}).pop(objective, None)
    st.session_state[FLASH] = ("success", [t(lang, "history.restored", version=revision["version"], new=saved.version)])


def history_panel(
    ref: Reference, lang: str, actor: Actor, address: str, report: dict[str, Any], objective: int, editable: bool
) -> None:
    total = read("report_history_count", report["id"])
    with lazy_expander(t(lang, "history.title", n=total), f"history__{report['id']}", ":material/history:") as shown:
        if not shown:  # what it holds (every version's changes) is read and drawn once the reader opens it
            return
        page = page_number(lang, total, f"history__page__{report['id']}", PAGE, label_key="history.versions")
        for revision in read("report_history", report["id"], PAGE, (page - 1) * PAGE):
            fields = ", ".join(t(lang, f"field.{f}") for f in revision["changes"])
            st.markdown(
                t(  # the line's own Markdown (the version in bold) stays; every value in it is shown inert
                    lang,
                    "history.line",
                    version=revision["version"],
                    action=inert(t(lang, f"history.{revision['action']}")),
                    by=inert(revision["by"]),
                    when=inert(revision["at"].strftime("%Y-%m-%d %H:%M UTC")),
                    fields=inert(fields),
                )
            )
            for field in TEXT_FIELDS:
                if field in revision["changes"] and revision["action"] != "create":
                    old, new = revision["changes"][field]
                    st.caption(t(lang, f"field.{field}"))
                    st.code(text_diff(old, new), language="diff", wrap_lines=True)
            if editable and revision["version"] != report["version"]:
                st.button(
                    t(lang, "history.restore_button", version=revision["version"]),
                    key=f"history__restore__{revision['id']}",
                    on_click=_restore,
                    args=(ref, lang, actor, address, revision, report["version"], objective),
                )
            st.divider()

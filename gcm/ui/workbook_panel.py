"""The offline workbook on the Country report page: download the template, upload it, see every
problem or the preview (with conflicts to settle row by row), and apply it in one transaction.
Once applied, the file shows what was saved instead of its preview, until another file is uploaded."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from gcm import services
from gcm.db import read_session
from gcm.errors import DomainError, ValidationError
from gcm.i18n import error_message, t
from gcm.permissions import Actor
from gcm.ui.auth import actor, scope_for
from gcm.ui.context import engine, read, reference
from gcm.ui.downloads import XLSX_MIME
from gcm.ui.widgets import inert, lazy_expander
from gcm.unit import perform
from gcm.workbook import layout, plan, reader, template

PARSED, SHOWN, FLASH = "workbook__parsed", "workbook__shown", "workbook__flash"
PANEL_KEY = "workbook__panel"  # its expander (`lazy_expander`)
APPLIED = "workbook__applied"  # (file key, objectives written, conflicts kept) of the last import applied
TEXT_FIELDS = layout.TEXT_FIELDS


def _overwrite_key(objective: int) -> str:
    return f"workbook__overwrite__{objective}"


def _template_bytes(lang: str, actor: Actor, country: str, cycle_id: str) -> bytes:
    with read_session(engine()) as session:
        return template.build_template(session, reference(), actor, country, cycle_id, lang)


def _file_key(data: bytes, country: str, cycle_id: str) -> tuple[str, str, str]:
    return hashlib.sha256(data).hexdigest(), country, cycle_id


def _upload(file_key: tuple[str, str, str], data: bytes, lang: str) -> reader.Upload:
    """The checked upload, kept for this file so reruns do not read it again."""
    key = (file_key, lang)
    _, country, cycle_id = file_key
    kept = st.session_state.get(PARSED)
    if not kept or kept[0] != key:
        kept = (key, reader.read_upload(data, reference(), lang, country, cycle_id))
        st.session_state[PARSED] = kept
    return kept[1]


def _messages(lang: str, error: DomainError) -> list[str]:
    errors = error.errors if isinstance(error, ValidationError) else [error]
    return [error_message(lang, e, inert) for e in errors]


def _apply(lang: str, actor: Actor, address: str) -> None:
    """on_click of Apply: the preview the user saw, the conflicts ticked, one transaction."""
    kept, shown = st.session_state.get(PARSED), st.session_state.get(SHOWN)
    if not kept or shown is None:
        return
    upload = kept[1]
    chosen = [o for o in shown.conflicts if st.session_state.get(_overwrite_key(o))]
    try:
        result = perform(
            engine(),
            actor,
            lambda s: plan.apply_import(s, reference(), actor, upload, shown, chosen),
            what=f"import workbook {upload.country}/{upload.cycle_id}",
            address=address,
        )
    except DomainError as exc:
        st.session_state[FLASH] = _messages(lang, exc)
        return
    # The same preview is not offered again: re-applying it would only say "unchanged" everywhere.
    written = tuple(objective for objective, _ in result.written)
    st.session_state[APPLIED] = (kept[0][0], written, result.skipped_conflicts)
    st.session_state.pop(SHOWN, None)
    for objective in shown.conflicts:
        st.session_state.pop(_overwrite_key(objective), None)


def _applied(lang: str, written: tuple[int, ...], kept: tuple[int, ...]) -> None:
    """What the last Apply saved, in place of the preview of the file it came from."""
    if written:
        objectives = ", ".join(map(str, written))
        st.success(
            t(lang, "workbook.applied", count=len(written), objectives=objectives), icon=":material/check_circle:"
        )
    else:
        st.info(t(lang, "workbook.applied_none"))
    if kept:
        st.info(t(lang, "workbook.skipped", objectives=", ".join(map(str, kept)), n=len(kept)))
    st.caption(t(lang, "workbook.upload_another"))


def _problems(lang: str, upload: reader.Upload) -> None:
    st.error(t(lang, "workbook.problems_title", count=len(upload.problems)), icon=":material/error:")
    st.caption(t(lang, "workbook.problems_help"))
    frame = pd.DataFrame(
        [
            {
                t(lang, "workbook.col_row"): str(p.row) if p.row else "",
                t(lang, "workbook.col_column"): inert(p.column),
                t(lang, "workbook.col_value"): inert(p.value),
                t(lang, "workbook.col_why"): inert(p.why),
            }
            for p in upload.problems
        ]
    )
    # A table wraps each reason in full, where a data grid cuts it off. Its cells are Markdown: the workbook's
    # own text (a value, a column, a reason quoting a value) is made inert first.
    st.table(frame, hide_index=True)


def _shown_value(lang: str, field: str, value: object) -> str:
    vocab = layout.vocabulary(reference(), lang)
    if value in (None, "", []):
        return t(lang, "workbook.empty_value")
    if field == "national_priority":
        return vocab.yes if value else vocab.no
    if field == "status":
        return vocab.status.get(str(value), str(value))
    if isinstance(value, list):
        options = vocab.options(field) if field in layout.LIST_FIELDS else {}
        return f"{layout.SEPARATOR} ".join(options.get(v, v) for v in value)
    return str(value)


def _segments(lang: str, segments: tuple[tuple[str, str], ...]) -> str:
    """A word diff as inert markdown: removed words struck through in red, added words in green."""
    parts = []
    for kind, text in segments:
        if kind == "same" or not text.strip():
            parts.append(inert(text))
            continue
        lead, core, tail = text[: len(text) - len(text.lstrip())], text.strip(), text[len(text.rstrip()) :]
        marked = f":red-background[~~{inert(core)}~~]" if kind == "removed" else f":green-background[**{inert(core)}**]"
        parts.append(f"{inert(lead)}{marked}{inert(tail)}")
    return "".join(parts).replace("\n", "  \n")


def _details(lang: str, row: plan.PreviewRow, country: str, cycle_id: str) -> None:
    title = reference().objective(row.objective).title.get(lang)
    kind = t(lang, f"workbook.kind.{row.kind}")
    with st.expander(t(lang, "workbook.details", objective=row.objective, title=title, kind=kind)):
        if row.kind == "conflict":
            saved = read("get_report", country, cycle_id, row.objective, scope_for(actor()))
            who = saved["updated_by"] if saved else "?"
            st.warning(t(lang, "workbook.conflict_help", who=inert(who)), icon=":material/warning:")
            st.checkbox(
                t(lang, "workbook.overwrite", version=row.saved_version),
                key=_overwrite_key(row.objective),
            )
        for change in row.changes:
            st.markdown(f"**{t(lang, f'field.{change.field}')}**")
            if change.field in TEXT_FIELDS:
                st.markdown(_segments(lang, change.segments) or inert(t(lang, "workbook.empty_value")))
            else:
                old, new = _shown_value(lang, change.field, change.old), _shown_value(lang, change.field, change.new)
                st.markdown(f":red-background[~~{inert(old)}~~] → :green-background[**{inert(new)}**]")


def _preview(lang: str, actor: Actor, address: str, upload: reader.Upload) -> None:
    try:
        with read_session(engine()) as session:
            shown = plan.preview(session, actor, upload)
    except DomainError as exc:
        for message in _messages(lang, exc):
            st.error(message)
        return
    st.session_state[SHOWN] = shown
    st.markdown(f"**{t(lang, 'workbook.preview_title')}**")
    st.caption(plan.summary_text(lang, plan.summary(shown)))
    ref = reference()
    frame = pd.DataFrame(
        [
            {
                t(lang, "workbook.col_objective"): row.objective,
                t(lang, "workbook.col_change"): t(lang, f"workbook.kind.{row.kind}")
                + (f" · {t(lang, 'workbook.newer_kept')}" if row.newer_saved and row.kind == "unchanged" else ""),
                t(lang, "workbook.col_fields"): ", ".join(t(lang, f"field.{c.field}") for c in row.changes),
                t(lang, "common.title"): ref.objective(row.objective).title.get(lang),
            }
            for row in shown.rows
            if row.kind != "empty"
        ]
    )
    if not frame.empty:
        change = st.column_config.TextColumn(width="large")
        st.dataframe(frame, hide_index=True, width="stretch", column_config={t(lang, "workbook.col_change"): change})
    for row in shown.rows:
        if row.changes:
            _details(lang, row, shown.country, shown.cycle_id)
    chosen = [o for o in shown.conflicts if st.session_state.get(_overwrite_key(o))]
    count = len(shown.to_write(chosen))
    left, right = st.columns([2, 3], vertical_alignment="center")
    left.button(
        t(lang, "workbook.apply"),
        type="primary",
        key="workbook__apply",
        on_click=_apply,
        args=(lang, actor, address),
        disabled=count == 0,
        icon=":material/upload:",
        width="stretch",
    )
    with right:
        _flash(lang, count)


def _flash(lang: str, count: int) -> None:
    errors = st.session_state.pop(FLASH, None)
    if errors:
        for line in errors:
            st.error(line)
    elif count:
        st.caption(t(lang, "workbook.will_write", count=count))
    else:
        st.caption(t(lang, "workbook.nothing_to_apply"))


def workbook_panel(lang: str, actor: Actor, country: str, cycle_id: str, address: str = "") -> None:
    """Download the template; upload it back (only where the user may edit), preview, apply.

    Drawn only while its expander is open (a delegate opens it now and then, and the page reruns on every edit);
    closing it lets go of a file uploaded and not applied."""
    with lazy_expander(t(lang, "workbook.title"), PANEL_KEY, icon=":material/table_view:") as shown:
        if not shown:
            return
        st.caption(t(lang, "workbook.intro"))
        st.download_button(
            t(lang, "workbook.download"),
            lambda: _template_bytes(lang, actor, country, cycle_id),
            file_name=f"gcm-{country}-{cycle_id}-{lang}.xlsx",
            mime=XLSX_MIME,
            key="workbook__download",
            icon=":material/download:",
            on_click="ignore",
        )
        if not read(plan.may_import, actor, country, cycle_id, services.today()):
            st.caption(t(lang, "workbook.read_only"))
            return
        # Streamlit's own limit is the reader's, so the drop zone's hint ("2MB por archivo") says the same.
        uploaded = st.file_uploader(
            t(lang, "workbook.upload"), type=["xlsx"], key="workbook__upload", max_upload_size=layout.MAX_BYTES // 2**20
        )
        if uploaded is None:
            st.session_state.pop(APPLIED, None)  # the same file uploaded again gets a fresh preview
            return
        data = uploaded.getvalue()
        file_key = _file_key(data, country, cycle_id)
        applied = st.session_state.get(APPLIED)
        if applied and applied[0] == file_key:
            _applied(lang, *applied[1:])
            return
        upload = _upload(file_key, data, lang)
        if upload.problems:
            _problems(lang, upload)
            return
        _preview(lang, actor, address, upload)

"""The objective report form: widget state, unsaved drafts kept per objective, save, conflicts.

Unsaved edits are copied into `st.session_state["report__drafts"]` on every change, so moving
to another objective, country or page never loses them; the objective list marks them, and
the browser warns before the tab is closed or reloaded while any remain. A draft remembers the
version it was started from: if someone else saved since, the save is refused and both texts
are shown side by side to merge.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import streamlit as st

from gcm import services
from gcm.i18n import error_message, t
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.services import TEXT_LIMITS, ReportInput
from gcm.ui.context import engine
from gcm.ui.widgets import inert
from gcm.unit import perform

TEXT_FIELDS = tuple(TEXT_LIMITS)
LIST_FIELDS = services.LIST_FIELDS
FIELDS = services.FORM_FIELDS
DRAFTS, BASES, LOADED, FLASH, CONFLICTS = (
    "report__drafts",
    "report__bases",
    "report__loaded",
    "report__flash",
    "report__conflicts",
)


def widget_key(field: str, objective: int) -> str:
    return f"report__{field}__{objective}"


def _state(name: str) -> dict:
    return st.session_state.setdefault(name, {})


def values_from(saved: dict[str, Any] | None) -> dict[str, Any]:
    """Widget values for a stored report (or an empty form)."""
    if saved is None:
        return {
            "status": None,
            "national_priority": False,
            **dict.fromkeys(TEXT_FIELDS, ""),
            **{f: [] for f in LIST_FIELDS},
            "evidence_links": "",
        }
    values = {f: saved[f] for f in ("status", "national_priority", *TEXT_FIELDS)}
    values.update({f: list(saved[f]) for f in LIST_FIELDS})
    values["evidence_links"] = "\n".join(saved["evidence_links"])
    return values


def _current_values(objective: int) -> dict[str, Any]:
    return {f: st.session_state.get(widget_key(f, objective)) for f in FIELDS}


def load_widgets(country: str, cycle_id: str, objective: int, saved: dict[str, Any] | None) -> None:
    """Fill the objective's widgets from its draft, else from the saved report, when needed."""
    target = (country, cycle_id, objective)
    version = saved["version"] if saved else None
    token = (country, cycle_id, version)
    keys = [widget_key(f, objective) for f in FIELDS]
    if _state(LOADED).get(objective) == token and all(k in st.session_state for k in keys):
        return
    draft = _state(DRAFTS).get(target)
    values = draft["values"] if draft else values_from(saved)
    if not draft:
        _state(BASES)[target] = version
    for field, value in values.items():
        st.session_state[widget_key(field, objective)] = value
    _state(LOADED)[objective] = token


def remember_draft(country: str, cycle_id: str, objective: int, saved_values: dict[str, Any]) -> None:
    """on_change: keep the typed values; forget them when they equal what is saved."""
    target = (country, cycle_id, objective)
    values = _current_values(objective)
    if values == saved_values:
        _state(DRAFTS).pop(target, None)
    else:
        base = _state(DRAFTS).get(target, {}).get("base_version", _state(BASES).get(target))
        _keep_draft(target, values, base, saved_values)


def _keep_draft(
    target: tuple[str, str, int], values: dict[str, Any], base_version: int | None, saved: dict[str, Any] | None = None
) -> None:
    """Keep `values` as the draft of `target`, started from `base_version`; what was saved when the draft began
    (`saved`, the form's values) stays the first one given: the stranded edits list what the draft changes."""
    began = _state(DRAFTS).get(target, {}).get("saved", saved)
    _state(DRAFTS)[target] = {"values": values, "base_version": base_version, "saved": began}


def has_draft(country: str, cycle_id: str, objective: int) -> bool:
    return (country, cycle_id, objective) in _state(DRAFTS)


def drafts_in(country: str, cycle_id: str) -> list[int]:
    return sorted(o for (c, cy, o) in _state(DRAFTS) if (c, cy) == (country, cycle_id))


def error_text(lang: str, error: services.DomainError) -> str:
    """The error in the user's language; values echoed from user input are made inert."""
    return error_message(lang, error, inert)


def _input(values: dict[str, Any]) -> ReportInput:
    return ReportInput(
        status=values["status"],
        national_priority=bool(values["national_priority"]),
        **{f: values[f] or "" for f in TEXT_FIELDS},
        **{f: tuple(values[f] or ()) for f in LIST_FIELDS},
        evidence_links=services.parse_links(values["evidence_links"] or ""),
    )


def _saved_message(lang: str, objective: int, saved: services.SavedReport) -> None:
    _state(LOADED).pop(objective, None)  # reload the widgets from what was stored
    when = saved.updated_at.strftime("%H:%M:%S UTC")
    st.session_state[FLASH] = (
        "success",
        [t(lang, "report.saved", objective=objective, version=saved.version, time=when)],
    )


def save(ref: Reference, lang: str, actor: Actor, address: str, country: str, cycle_id: str, objective: int) -> None:
    """on_click of Save: validate, authorize and write in one transaction; keep the text on any failure."""
    target = (country, cycle_id, objective)
    values = _current_values(objective)
    draft = _state(DRAFTS).get(target)
    expected = draft["base_version"] if draft else _state(BASES).get(target)
    try:
        saved = perform(
            engine(),
            actor,
            lambda s: services.save_objective_report(
                s,
                ref,
                actor,
                country=country,
                cycle_id=cycle_id,
                objective=objective,
                data=_input(values),
                expected_version=expected,
            ),
            what=f"save {country}/{cycle_id}/{objective}",
            address=address,
        )
    except services.DomainError as exc:
        _keep_draft(target, values, expected)
        if isinstance(exc, services.ConflictError):  # said by its panel, where Save was pressed
            _state(CONFLICTS)[target] = {"version": exc.params["version"], "current": exc.current}
            return
        errors = exc.errors if isinstance(exc, services.ValidationError) else [exc]
        st.session_state[FLASH] = ("error", [error_text(lang, e) for e in errors])
        return
    _state(DRAFTS).pop(target, None)
    _state(CONFLICTS).pop(target, None)
    _saved_message(lang, objective, saved)


def discard_draft(country: str, cycle_id: str, objective: int) -> None:
    """on_click: drop the unsaved edits and show the stored report again."""
    _state(DRAFTS).pop((country, cycle_id, objective), None)
    _state(CONFLICTS).pop((country, cycle_id, objective), None)
    _state(LOADED).pop(objective, None)


def _save_merged(
    ref: Reference, lang: str, actor: Actor, address: str, country: str, cycle_id: str, objective: int, version: int
) -> None:
    """on_click of "Save my merged text": the form's text, merged by the delegate, saved over the version now
    stored (the one the conflict showed; a save made since is a conflict again)."""
    target = (country, cycle_id, objective)
    _keep_draft(target, _current_values(objective), version)
    _state(CONFLICTS).pop(target, None)
    save(ref, lang, actor, address, country, cycle_id, objective)


def _copy_saved_value(objective: int, field: str, value: Any) -> None:
    st.session_state[widget_key(field, objective)] = value


def _comparable(field: str, value: Any) -> Any:
    """A field's value as the form holds it (`values_from`), made comparable with what is stored: lists in any
    order, links one per line, nothing for an empty text."""
    if field in LIST_FIELDS:
        return sorted(value or ())
    if field == "evidence_links":  # as saving splits them: the form's text, or the stored list
        return list(services.parse_links(value if isinstance(value, str) else "\n".join(value or ())))
    if field == "national_priority":
        return bool(value)
    return value or ("" if field in TEXT_FIELDS else None)


def _choices(ref: Reference, lang: str) -> dict[str, dict[str, str]]:
    """The names of the choices of each field that offers some, by key: the form lists them, and what it shows of
    a value names them."""
    categories = {c.key: c.label.get(lang) for c in ref.categories}
    return {
        "status": {s.key: s.label.get(lang) for s in ref.statuses},
        "principles": {p.key: p.name.get(lang) for p in ref.principles},
        "challenge_categories": categories,
        "priority_categories": categories,
    }


def _shown(ref: Reference, lang: str, field: str, value: Any) -> str:
    """A field's value (`_comparable`) as a reader reads it: texts as typed, choices by their names. Plain text:
    the caller makes it inert where it is shown as Markdown."""
    if field == "national_priority":
        return t(lang, "conflict.priority_yes" if value else "conflict.priority_no")
    if field == "evidence_links":
        return "\n\n".join(value)
    names = _choices(ref, lang).get(field)
    if names is None:
        return value
    chosen = value if isinstance(value, list) else [value] if value else []
    return ", ".join(names.get(key, key) for key in chosen)


def _form_value(field: str, value: Any) -> Any:
    """A stored value (`_comparable`) as the field's widget takes it."""
    return "\n".join(value) if field == "evidence_links" else value


def show_flash() -> None:
    flash = st.session_state.pop(FLASH, None)
    if flash:
        kind, messages = flash
        for message in messages:
            (st.success if kind == "success" else st.error)(message)


class _Saving(NamedTuple):
    """The arguments of `save` (on_click of Save) for one objective report: the form and its conflict panel
    hand them to the buttons that save."""

    ref: Reference
    lang: str
    actor: Actor
    address: str
    country: str
    cycle_id: str
    objective: int


def _conflict_panel(saving: _Saving, editable: bool) -> None:
    """Both versions side by side where they differ, with ways to merge; nothing is overwritten silently. Where
    the stored version could not be read with the conflict (two first saves at once), none is compared: discarding
    the edits shows it. Once the report can no longer be edited, no button offers to save."""
    ref, lang, country, cycle_id, objective = saving.ref, saving.lang, saving.country, saving.cycle_id, saving.objective
    conflict = _state(CONFLICTS).get((country, cycle_id, objective))
    if not conflict:
        return
    current = conflict["current"]
    mine = _current_values(objective)
    with st.container(border=True):
        st.markdown(f"**{t(lang, 'conflict.title', version=conflict['version'])}**")
        st.caption(t(lang, "conflict.help"))
        for field in FIELDS if current is not None else ():
            theirs, yours = _comparable(field, current.get(field)), _comparable(field, mine.get(field))
            if theirs == yours:
                continue
            st.markdown(f"**{t(lang, f'field.{field}')}**")
            left, right = st.columns(2)
            left.caption(t(lang, "conflict.yours"))
            left.markdown(inert(_shown(ref, lang, field, yours)) or "—")
            right.caption(t(lang, "conflict.theirs", version=conflict["version"]))
            right.markdown(inert(_shown(ref, lang, field, theirs)) or "—")
            right.button(
                t(lang, "conflict.copy"),
                key=f"conflict__copy__{field}__{objective}",
                on_click=_copy_saved_value,
                args=(objective, field, _form_value(field, theirs)),
            )
        if not editable:
            return
        buttons = st.columns(2)
        buttons[0].button(
            t(lang, "conflict.keep_mine", version=conflict["version"]),
            key=f"conflict__adopt__{objective}",
            on_click=_save_merged,
            args=(*saving, conflict["version"]),
            type="primary",
        )
        buttons[1].button(
            t(lang, "conflict.take_theirs"),
            key=f"conflict__discard__{objective}",
            on_click=discard_draft,
            args=(country, cycle_id, objective),
        )


def draw_form(
    ref: Reference,
    lang: str,
    actor: Actor,
    address: str,
    country: str,
    cycle_id: str,
    objective: int,
    saved: dict[str, Any] | None,
    editable: bool,
) -> None:
    """The fields of one objective report, loaded from draft or storage, with Save."""
    load_widgets(country, cycle_id, objective, saved)
    draft = _state(DRAFTS).get((country, cycle_id, objective))
    if draft and not editable:  # set again, so that the browser shows them in the fields now made read-only
        for field, value in draft["values"].items():
            st.session_state[widget_key(field, objective)] = value
    saved_values = values_from(saved)
    common = {
        "on_change": remember_draft,
        "args": (country, cycle_id, objective, saved_values),
        "disabled": not editable,
    }
    choices = _choices(ref, lang)
    statuses, principles = choices["status"], choices["principles"]

    left, right = st.columns([3, 2])
    left.selectbox(
        t(lang, "field.status"),
        list(statuses),
        key=widget_key("status", objective),
        format_func=statuses.__getitem__,
        index=None,
        placeholder=t(lang, "report.choose_status"),
        **common,
    )
    right.checkbox(
        t(lang, "field.national_priority"),
        key=widget_key("national_priority", objective),
        help=t(lang, "report.national_priority_help"),
        **common,
    )
    for field in TEXT_FIELDS:
        # No max_chars: the browser would refuse a longer paste whole, leaving the box as it was without a
        # word. The text is kept as pasted and the limit said below it; saving refuses it with that message.
        typed = st.text_area(
            t(lang, f"field.{field}"),
            key=widget_key(field, objective),
            help=t(lang, f"report.{field}_help"),
            height=120,
            **common,
        )
        length = len(services.clean_text(typed))  # as saving counts it: surrounding blanks do not count
        if length > TEXT_LIMITS[field]:
            over = services.DomainError("too_long", field, limit=TEXT_LIMITS[field], length=length)
            st.error(error_message(lang, over), icon=":material/error:")
    st.multiselect(
        t(lang, "field.principles"),
        list(principles),
        select_all=False,  # Streamlit's "Select all" is in English only
        key=widget_key("principles", objective),
        format_func=principles.__getitem__,
        placeholder=t(lang, "report.choose_options"),
        **common,
    )
    cols = st.columns(2)
    for col, field in zip(cols, ("challenge_categories", "priority_categories"), strict=True):
        col.multiselect(
            t(lang, f"field.{field}"),
            list(choices[field]),
            select_all=False,  # Streamlit's "Select all" is in English only
            key=widget_key(field, objective),
            format_func=choices[field].__getitem__,
            placeholder=t(lang, "report.choose_options"),
            **common,
        )
    st.text_area(
        t(lang, "field.evidence_links"),
        key=widget_key("evidence_links", objective),
        height=80,
        help=t(lang, "report.evidence_links_help"),
        placeholder="https://…",
        **common,
    )

    if saved:
        when = saved["updated_at"].strftime("%Y-%m-%d %H:%M UTC")
        st.caption(t(lang, "report.last_saved", who=inert(saved["updated_by"]), when=when, version=saved["version"]))
    saving = _Saving(ref, lang, actor, address, country, cycle_id, objective)
    _conflict_panel(saving, editable)
    show_flash()  # a save's outcome beside Save, which may be a long page below the objective's title
    if not editable and drafts_in(country, cycle_id):
        stranded_edits(ref, lang, country, cycle_id, objective)
    elif has_draft(country, cycle_id, objective):
        st.warning(t(lang, "report.unsaved"), icon=":material/edit:")
    if editable:
        buttons = st.container(horizontal=True)  # each as wide as its label, side by side while they fit
        buttons.button(
            t(lang, "report.save"),
            type="primary",
            key=f"report__save__{objective}",
            on_click=save,
            args=saving,
            icon=":material/save:",
        )
        buttons.button(
            t(lang, "report.discard"),
            key=f"report__discard__{objective}",
            on_click=discard_draft,
            args=(country, cycle_id, objective),
            disabled=not has_draft(country, cycle_id, objective),
        )


def stranded_edits(ref: Reference, lang: str, country: str, cycle_id: str, objective: int) -> None:
    """Unsaved edits of a report that stopped being editable while they were typed (the deadline passed, the cycle
    closed, a colleague submitted the report): no Save any more, so this objective's are shown as typed and all of
    them can be downloaded as a text file, to send to the secretariat or to paste in once the report is reopened.
    They stay in the session too: should the report be reopened, Save takes them as they are."""
    with st.container(border=True):
        st.warning(t(lang, "report.stranded"), icon=":material/lock_clock:")
        draft = _state(DRAFTS).get((country, cycle_id, objective))
        for field, shown in _edited(ref, lang, draft) if draft else ():
            st.markdown(f"**{t(lang, f'field.{field}')}**")
            st.markdown(inert(shown))
        st.download_button(
            t(lang, "report.stranded_download"),
            data=stranded_text(ref, lang, country, cycle_id),  # a few KB; a deferred download has no session
            file_name=f"{country}-{cycle_id}-{t(lang, 'report.stranded_file')}.txt",
            mime="text/plain",
            key=f"report__stranded__{objective}",
            icon=":material/download:",
        )


def _edited(ref: Reference, lang: str, draft: dict[str, Any]) -> list[tuple[str, str]]:
    """The fields a draft changes from what was saved when it began (`_comparable`), each as a reader reads it: a
    cleared field as "(emptied)". A draft that does not know what was saved (kept by an older run) gives every
    field that holds something."""
    values, saved = draft["values"], draft.get("saved")
    out = []
    for field in FIELDS:
        value = _comparable(field, values.get(field))
        if saved is not None and value == _comparable(field, saved.get(field)):
            continue
        empty = value in ("", None, [], False)
        if empty and saved is None:
            continue
        out.append((field, t(lang, "report.emptied") if empty else _shown(ref, lang, field, value)))
    return out


def stranded_text(ref: Reference, lang: str, country: str, cycle_id: str) -> str:
    """Every unsaved edit of the country's report in the cycle, objective by objective, as plain text."""
    blocks = [f"{ref.country_name(country, lang)} · {ref.cycle_name(cycle_id, lang)}"]
    for objective in drafts_in(country, cycle_id):
        draft = _state(DRAFTS)[(country, cycle_id, objective)]
        lines = [f"{t(lang, 'common.objective_n', n=objective)}: {ref.objective(objective).title.get(lang)}"]
        lines += [f"{t(lang, f'field.{f}')}:\n{shown}" for f, shown in _edited(ref, lang, draft)]
        blocks.append("\n\n".join(lines))
    return "\n\n\n".join(blocks) + "\n"


def leave_guard(active: bool) -> None:
    """Ask the browser to warn before closing or reloading the tab while edits are unsaved.

    The script is a fixed string: no user text ever reaches it.
    """
    handler = "function (e) { e.preventDefault(); e.returnValue = ''; return ''; }" if active else "null"
    # A same-origin st.iframe (as gcm.ui.style's language script): st.html does not run scripts.
    st.iframe(f"<script>window.parent.onbeforeunload = {handler};</script>", height=1, tab_index=-1)

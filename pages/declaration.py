"""Declaration draft (secretariat): compile it from validated priorities, edit, keep versions, adopt, download."""

import streamlit as st

from gcm import declaration
from gcm.i18n import t
from gcm.ui.actions import act
from gcm.ui.auth import actor, scope_for
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.report_form import leave_guard, show_flash
from gcm.ui.review import compile_declaration, draw_declaration
from gcm.ui.widgets import cycle_selector, group_selector, inert, lazy_expander

lang = language()
ref = reference()
user = actor()
page_header(lang, "declaration.title", "declaration.intro")
show_flash()
cols = st.columns(2)
with cols[0]:
    latest_cycle = read("latest_reported_cycle_id", None, scope_for(user))
    cycle_id = cycle_selector(lang, read("cycles"), latest_cycle, "declaration__cycle")
with cols[1]:
    group = group_selector(lang, ref, "declaration__group")
state = read("declaration_state", cycle_id)
current, adopted = state["current_version"], state["adopted_version"]
latest = state["versions"][0]["body"] if state["versions"] else ""

if adopted:
    st.success(t(lang, "declaration.adopted", version=adopted), icon=":material/gavel:")
elif st.button(
    t(lang, "declaration.compile"),
    key="declaration__compile",
    icon=":material/auto_awesome:",
    help=t(lang, "declaration.compile_help"),
):
    st.session_state[f"declaration__body__{cycle_id}"], quoted = compile_declaration(ref, lang, cycle_id, group)
    if quoted:
        st.success(t(lang, "flow.compiled"), icon=":material/auto_awesome:")
    else:  # nothing validated states a priority yet: the draft holds only headings
        st.warning(t(lang, "flow.compiled_empty"), icon=":material/warning:")

key = f"declaration__body__{cycle_id}"
if key not in st.session_state:
    st.session_state[key] = latest
editor, preview = st.columns(2)
editor.text_area(
    t(lang, "declaration.text"),
    key=key,
    height=520,
    disabled=bool(adopted),
    max_chars=declaration.MAX_BODY,
    help=t(lang, "declaration.text_help"),
)
with preview.container(border=True, height=560):
    st.caption(t(lang, "flow.preview"))
    draw_declaration(st.session_state[key])
unsaved = not adopted and st.session_state[key].strip() != latest.strip()
if unsaved:
    st.warning(t(lang, "flow.declaration_unsaved"), icon=":material/edit:")
leave_guard(unsaved)
if not adopted:
    buttons = st.columns(2)
    buttons[0].button(
        t(lang, "declaration.save", version=current + 1),
        key="declaration__save",
        type="primary",
        icon=":material/save:",
        on_click=lambda: act(
            lang,
            user,
            f"save declaration {cycle_id}",
            lambda s: declaration.save_declaration(
                s, user, cycle_id=cycle_id, body=st.session_state[key], expected_version=current
            ),
            t(lang, "declaration.saved"),
        ),
    )
    if current:
        buttons[1].button(
            t(lang, "declaration.adopt", version=current),
            key="declaration__adopt",
            icon=":material/gavel:",
            on_click=lambda: act(
                lang,
                user,
                f"adopt declaration {cycle_id}",
                lambda s: declaration.adopt_declaration(s, user, cycle_id=cycle_id, version=current),
                t(lang, "declaration.adopted", version=current),
            ),
        )
if latest:
    downloads = st.columns(2)
    downloads[0].download_button(
        t(lang, "declaration.markdown"),
        data=latest,
        file_name=f"declaration-{cycle_id}.md",
        mime="text/markdown",
        key="declaration__md",
        on_click="ignore",
    )
    downloads[1].download_button(
        t(lang, "declaration.word"),
        data=lambda: declaration.to_docx(latest),
        file_name=f"declaration-{cycle_id}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="declaration__docx",
        on_click="ignore",
    )
versions_title = t(lang, "declaration.versions", n=len(state["versions"]))
with lazy_expander(versions_title, "declaration__versions", icon=":material/history:") as shown:
    if shown:  # every version's whole text: drawn only once opened
        for version in state["versions"]:
            when = version["at"].strftime("%Y-%m-%d %H:%M UTC")
            by = inert(version["by"])
            st.markdown(t(lang, "declaration.version_line", version=version["version"], by=by, when=when))
            st.code(version["body"], language=None, wrap_lines=True)

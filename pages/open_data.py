"""Open data: the whole dataset as JSON, CSV and XLSX, its data dictionary, and the read-only JSON API."""

from functools import partial

import streamlit as st

from gcm.i18n import t
from gcm.opendata.api import API_PREFIX, ENDPOINTS
from gcm.opendata.dictionary import COLUMNS, data_dictionary, field_entry, table_descriptions
from gcm.opendata.export import FORMATS, MIME_TYPES, report_count
from gcm.ui.auth import actor, scope_for, scope_note
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.downloads import download_buttons
from gcm.ui.opendata_files import export_file, origin
from gcm.ui.widgets import column_width, inert

lang = language()
page_header(lang, "opendata.title", "opendata.intro")
scope = scope_for(actor())
headers = {column: t(lang, f"opendata.column.{column}") for column in COLUMNS}


def field_card(row: dict) -> None:
    """The chosen field of the dictionary in full: its description and every allowed value."""
    entry = field_entry(reference(), lang, row[headers["table"]], row[headers["field"]])
    with st.container(border=True):
        st.markdown(f"**{inert(entry['table'])}.{inert(entry['field'])}** · {inert(entry['type'])}")
        st.markdown(inert(entry["description"]))
        if entry["values"]:
            st.markdown(f"**{headers['values']}**")
            st.markdown("\n".join(f"- {inert(value)}" for value in entry["values"]))


st.subheader(t(lang, "opendata.downloads"))
st.info(scope_note(lang, scope), icon=":material/visibility:")
st.markdown(t(lang, "opendata.count", count=read(report_count, scope)))
downloads = st.container(horizontal=True)  # each button as wide as its label, wrapping to a new line
for fmt in FORMATS:
    downloads.download_button(
        t(lang, f"opendata.download_{fmt}"),
        partial(export_file, fmt, scope),
        file_name=f"gcm-open-data.{fmt}",
        mime=MIME_TYPES[fmt],
        key=f"opendata__download__{fmt}",
        icon=":material/download:",
        on_click="ignore",
    )
st.caption(t(lang, "opendata.formats_note"))

st.subheader(t(lang, "opendata.dictionary.title"))
st.caption(t(lang, "opendata.dictionary.intro"))
st.markdown(f"**{t(lang, 'opendata.tables')}**")
st.table(table_descriptions(lang).rename(columns=headers).set_index(headers["table"]))  # wraps long lines
dictionary = data_dictionary(reference(), lang).rename(columns=headers)
st.caption(t(lang, "opendata.dictionary.pick"))
picked = st.dataframe(
    dictionary,
    hide_index=True,
    width="stretch",
    height=560,
    column_config={  # field names and types in full
        dictionary.columns[1]: st.column_config.TextColumn(width="medium"),
        dictionary.columns[2]: st.column_config.TextColumn(width=column_width(list(dictionary[dictionary.columns[2]]))),
    },
    key="opendata__dictionary_table",
    on_select="rerun",
    selection_mode="single-row",
)
rows = picked.selection.rows if picked else []
if rows:
    field_card(dictionary.iloc[rows[0]].to_dict())
download_buttons(lang, dictionary, f"gcm-data-dictionary-{lang}", "opendata__dictionary")

st.subheader(t(lang, "opendata.api.title"))
st.markdown(t(lang, "opendata.api.intro"))
st.markdown(f"**{t(lang, 'opendata.api.endpoints')}**")
base = origin(st.context.url)
st.code("\n".join(f"{base}{API_PREFIX}/{name}" for name in ENDPOINTS), language="text")
st.caption(t(lang, "opendata.api.parameters"))
st.caption(t(lang, "opendata.api.scope"))

"""Audit (secretariat): sign-ins, sign-outs, refusals and account changes, newest first."""

import pandas as pd
import streamlit as st

from gcm.i18n import t
from gcm.ui.auth import actor
from gcm.ui.context import language, page_header, read

lang = language()
page_header(lang, "audit.title", "audit.intro")
events = pd.DataFrame(read("audit_events", actor()))
if events.empty:
    st.info(t(lang, "audit.empty"))
else:
    events["kind"] = events["kind"].map(lambda k: t(lang, f"audit.kind.{k}"))
    events["at"] = events["at"].map(lambda v: v.strftime("%Y-%m-%d %H:%M:%S UTC"))
    events.columns = [t(lang, f"audit.column.{c}") for c in events.columns]
    st.dataframe(events, hide_index=True, width="stretch")

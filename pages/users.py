"""Users (secretariat): the accounts, and adding, disabling and resetting them."""

import pandas as pd
import streamlit as st

from gcm import accounts
from gcm.i18n import t
from gcm.permissions import ROLES
from gcm.ui.actions import act
from gcm.ui.auth import actor
from gcm.ui.context import language, page_header, read, reference
from gcm.ui.report_form import show_flash

lang = language()
ref = reference()
user = actor()
page_header(lang, "users.title", "users.intro")
show_flash()


def run(what: str, action, success: str) -> None:
    act(lang, user, what, action, success, rerun=True)


known = {c.iso3 for c in ref.countries}


def country_name(iso3: str | None) -> str:
    return ref.country(iso3).name.get(lang) if iso3 in known else iso3 or ""


users = read("list_users", user)
st.dataframe(
    pd.DataFrame(
        [
            {
                t(lang, "field.username"): u.username,
                t(lang, "field.role"): t(lang, f"role.{u.role}"),
                t(lang, "common.country"): country_name(u.country),
                t(lang, "field.email"): u.email or "",
                t(lang, "users.active"): u.is_active,
            }
            for u in users
        ]
    ),
    hide_index=True,
    width="stretch",
)
countries = [c.iso3 for c in ref.countries]
with st.form("users__add", clear_on_submit=True):
    st.markdown(f"**{t(lang, 'users.add')}**")
    cols = st.columns(2)
    name = cols[0].text_input(t(lang, "field.username"), max_chars=64)
    role = cols[1].selectbox(  # no role chosen beforehand: forgetting to choose must not make a secretariat account
        t(lang, "field.role"),
        ROLES,
        index=None,
        format_func=lambda r: t(lang, f"role.{r}"),
        placeholder=t(lang, "users.role_placeholder"),
    )
    country = cols[0].selectbox(
        t(lang, "common.country"),
        countries,
        index=None,
        help=t(lang, "users.country_help"),
        format_func=lambda c: ref.country(c).name.get(lang),
        placeholder=t(lang, "users.country_placeholder"),
    )
    email = cols[1].text_input(t(lang, "field.email"), max_chars=254, help=t(lang, "users.email_help"))
    password = st.text_input(
        t(lang, "field.password"), type="password", max_chars=256, help=t(lang, "users.password_help")
    )
    if st.form_submit_button(t(lang, "users.add"), type="primary"):
        run(
            f"add user {name}",
            lambda s: accounts.add_user(
                s,
                user,
                username=name.strip(),
                role=role,
                country=country,
                password=password,
                email=email.strip() or None,
            ),
            t(lang, "users.added", name=name),
        )

active = [u.username for u in users if u.is_active]
with st.form("users__manage"):
    st.markdown(f"**{t(lang, 'users.manage')}**")
    target = st.selectbox(t(lang, "field.username"), active, index=None, placeholder=t(lang, "common.choose"))
    new_password = st.text_input(t(lang, "users.new_password"), type="password", max_chars=256)
    cols = st.columns(2)
    if cols[0].form_submit_button(t(lang, "users.set_password")) and target:
        run(
            f"set password {target}",
            lambda s: accounts.set_password(s, user, username=target, password=new_password),
            t(lang, "users.password_set", name=target),
        )
    if cols[1].form_submit_button(t(lang, "users.disable")) and target:
        run(
            f"disable {target}",
            lambda s: accounts.disable_user(s, user, username=target),
            t(lang, "users.disabled", name=target),
        )

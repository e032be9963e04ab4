"""Who is using this browser session: the one function the pages and the router ask."""

from __future__ import annotations

import streamlit as st

from gcm import accounts
from gcm.config import load_config
from gcm.i18n import t
from gcm.permissions import PUBLIC, Actor, ReadScope, read_scope
from gcm.ui.context import engine, reference
from gcm.ui.widgets import inert
from gcm.web.auth_routes import LOGOUT_PATH, SESSION_COOKIE, login_url


def current_actor() -> Actor:
    """The signed-in account (session cookie, else single sign-on by e-mail), else the public.

    Checked against the database on every run, so a sign-out, an expiry or a disabled account
    takes effect at once, in every server process.
    """
    token = st.context.cookies.get(SESSION_COOKIE)
    with engine().connect() as connection:
        if isinstance(token, str) and token:
            actor = accounts.actor_for_token(connection, token)
            if actor is not None:
                return actor
        user = st.user
        if user.get("is_logged_in") and user.get("email"):
            return accounts.actor_for_email(connection, str(user.get("email"))) or PUBLIC
    return PUBLIC


def scope_for(actor: Actor) -> ReadScope:
    return read_scope(actor, load_config().public_view)


def client_address() -> str:
    return str(st.context.ip_address or "")


def account_box(lang: str, actor: Actor) -> None:
    """Sidebar: who is signed in, with sign-out; or a sign-in link. Links are fixed, never user text."""
    if actor.role == "public":
        href = login_url(lang)
        st.sidebar.html(f'<a href="{href}" target="_self">{t(lang, "nav.sign_in")}</a>')
        return
    who = t(lang, "account.signed_in_as", name=inert(actor.name), role=t(lang, f"role.{actor.role}"))
    if actor.country:  # the country's name, not its code
        who += f" · {inert(reference().country_name(actor.country, lang))}"
    st.sidebar.markdown(who)
    if st.user.get("is_logged_in") and not isinstance(st.context.cookies.get(SESSION_COOKIE), str):
        st.sidebar.button(t(lang, "nav.sign_out"), on_click=st.logout, key="account__logout")
    else:
        st.sidebar.html(f'<a href="{LOGOUT_PATH}?lang={lang}" target="_self">{t(lang, "nav.sign_out")}</a>')


def actor() -> Actor:
    """The user the router resolved for this run."""
    return st.session_state.get("actor") or PUBLIC


def scope_note(lang: str, scope: ReadScope) -> str:
    """Which reports the figures on a page count, for this user."""
    if scope.states is None:
        return t(lang, "scope.all")
    if scope.states == ("validated",):
        return t(lang, "scope.validated")
    return t(lang, "scope.submitted_own" if scope.own_country else "scope.submitted")

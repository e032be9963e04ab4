"""Sign-in: the form itself is a plain HTTP page (see gcm/web/auth_routes.py) that sets the cookie."""

import streamlit as st

from gcm.i18n import t
from gcm.ui.context import language, page_header, read
from gcm.web.auth_routes import login_url

lang = language()
page_header(lang, "signin.title", "signin.page_intro")
href = login_url(lang)
st.html(f'<p style="font-size:1.15rem"><a href="{href}" target="_self">{t(lang, "signin.go")}</a></p>')
if not read("admin_exists"):
    st.info(t(lang, "signin.no_admin"), icon=":material/admin_panel_settings:")
st.caption(t(lang, "signin.roles"))


def sso_configured() -> bool:
    """Whether Streamlit's OIDC sign-in ([auth] in secrets.toml) is set up for this deployment."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


if sso_configured():
    st.button(t(lang, "signin.sso"), on_click=st.login, icon=":material/badge:")

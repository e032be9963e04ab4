"""Open data."""

from gcm.ui.context import language, page_header

lang = language()
page_header(lang, "opendata.title")

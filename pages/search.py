"""Search reports."""

from gcm.ui.context import language, page_header

lang = language()
page_header(lang, "search.title")

"""Coverage explorer."""

from gcm.ui.context import language, page_header

lang = language()
page_header(lang, "explorer.title")

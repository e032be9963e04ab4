"""Objective profile."""

from gcm.ui.context import language, page_header

lang = language()
page_header(lang, "objective_page.title")

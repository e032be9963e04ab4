"""The briefing: `model.briefing_model` computes the session's sections once; `html`, `pptx` and `pdf`
only render that model; `build.build_pack` is the one entry point for the app and the CLI."""

from gcm.briefing.build import FORMATS, PackFormat, build_pack
from gcm.briefing.html import country_onepager_html, render_html
from gcm.briefing.images import ChromiumMissing, chromium_path
from gcm.briefing.model import AGENDA_ORDER, Briefing, briefing_model, country_section, presentation_order
from gcm.briefing.pdf import html_to_pdf, render_pdf
from gcm.briefing.pptx import render_pptx

__all__ = [
    "AGENDA_ORDER",
    "FORMATS",
    "Briefing",
    "ChromiumMissing",
    "PackFormat",
    "briefing_model",
    "build_pack",
    "chromium_path",
    "country_onepager_html",
    "country_section",
    "html_to_pdf",
    "presentation_order",
    "render_html",
    "render_pdf",
    "render_pptx",
]

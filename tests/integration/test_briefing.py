"""The briefing: one model computed from a handful of queries, rendered as HTML, a PowerPoint deck and a PDF."""

import io
import os
import re
import subprocess
import sys
from html import escape

from pptx import Presentation
from pptx.util import Pt
from sqlalchemy import Engine, event

from gcm import briefing, charts, demo, findings
from gcm.briefing import pptx as deck
from gcm.db import read_session, write_session
from gcm.i18n import t
from gcm.permissions import ReadScope
from gcm.reference import Reference
from tests.conftest import ROOT, skip_or_fail

SUBMITTED = ReadScope(states=("submitted", "validated"))


def _demo(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        demo.load_demo(session, ref)


def _model(engine: Engine, ref: Reference, lang: str = "en", group: str | None = "CRM") -> briefing.Briefing:
    with read_session(engine) as session:
        return briefing.briefing_model(session, ref, lang, "imrf2022", group, SUBMITTED)


def test_model_is_built_from_a_handful_of_queries_whatever_the_group(sqlite_engine: Engine, ref: Reference) -> None:
    _demo(sqlite_engine, ref)
    counts = []
    for group in ("CRM", None):
        statements: list[str] = []

        def listener(*args, statements=statements) -> None:
            statements.append(args[2])

        event.listen(sqlite_engine, "before_cursor_execute", listener)
        try:
            model = _model(sqlite_engine, ref, group=group)
        finally:
            event.remove(sqlite_engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 15  # no query per country or per section
    model = _model(sqlite_engine, ref)
    assert [c.iso3 for c in model.countries] == list(briefing.AGENDA_ORDER)
    assert [r.number for r in model.round_tables] == [1, 2, 3, 4]
    belize = model.countries[0]
    assert len(belize.strip) == 23 and belize.reported == sum(s != "not_reported" for s in belize.strip)
    assert all(len(items) <= 2 for _, items in belize.highlights)
    assert belize.reports and all(r.progress or r.challenges or r.priorities for r in belize.reports)
    assert model.demo and model.prompts and model.practices
    table = model.round_tables[0]
    per_objective = table.status_frame().groupby("objective")["count"].sum()
    assert set(per_objective) == {model.members}  # every member counted once per objective


def test_one_round_table_read_on_its_own_is_the_one_the_whole_briefing_holds(
    sqlite_engine: Engine, ref: Reference
) -> None:
    """The findings page reads only its open round table (`model.round_table_of`, from the reads of its
    objectives): it must show what the packs and the presenter show of it, for every reader, status filter and
    language."""
    from gcm import findings, queries
    from gcm.briefing.model import round_table_heads, round_table_of

    _demo(sqlite_engine, ref)
    keys = [s.key for s in ref.statuses]
    with read_session(sqlite_engine) as session:
        for scope in (SUBMITTED, ReadScope(states=None), ReadScope(states=("validated",))):
            for statuses, lang, group in (
                (None, "en", "CRM"),
                ((keys[0],), "es", "CRM"),
                (tuple(keys[1:]), "en", None),
            ):
                model = briefing.briefing_model(session, ref, lang, "imrf2022", group, scope, (), statuses)
                heads = round_table_heads(session, ref, lang, "imrf2022")
                assert [(h.number, h.title, h.objectives) for h in heads] == [
                    (r.number, r.title, r.objectives) for r in model.round_tables
                ]
                for head, table in zip(heads, model.round_tables, strict=True):
                    objectives = tuple(n for n, _ in head.objectives)
                    one = round_table_of(
                        ref,
                        lang,
                        head,
                        findings.round_table_counts(session, "imrf2022", group, scope, statuses, objectives),
                        findings.quotation_candidates(session, "imrf2022", group, scope, statuses, objectives),
                        queries.awaiting_validation(session, "imrf2022", group, scope),
                        queries.member_countries(session, group),
                    )
                    assert one == table
        assert any(table.quotes for table in model.round_tables)  # the comparison covered quotations


def test_each_part_presenter_mode_reads_on_its_own_is_the_one_the_whole_briefing_holds(
    sqlite_engine: Engine, ref: Reference
) -> None:
    """Presenter mode reads only the part of the briefing its slide shows: the opening facts, a country's
    section, the discussion prompts, the good practices. Each must be what the packs show."""
    from dataclasses import fields

    from gcm import queries
    from gcm.briefing.model import (
        Opening,
        cycle_setting,
        opening_of,
        practice_quotes,
        presenting_countries,
        prompts_of,
    )

    _demo(sqlite_engine, ref)
    validated = ReadScope(states=("validated",))  # those awaiting validation have not reported, for this reader
    with read_session(sqlite_engine) as session:
        for scope, lang, group in (
            (SUBMITTED, "en", "CRM"),
            (ReadScope(states=None), "es", None),
            (validated, "en", "CRM"),
        ):
            model = briefing.briefing_model(session, ref, lang, "imrf2022", group, scope, briefing.AGENDA_ORDER)
            agenda = presenting_countries(session, "imrf2022", group, scope, briefing.AGENDA_ORDER)
            assert agenda.presenting == tuple(c.iso3 for c in model.countries)
            assert tuple(ref.country(c).name.get(lang) for c in agenda.not_reported) == model.not_reported
            setting = cycle_setting(session, lang, "imrf2022")
            figures = queries.reporting_figures(session, "imrf2022", group, scope)
            counts = queries.status_by_section(session, "imrf2022", group, scope)
            opening = opening_of(ref, lang, "imrf2022", setting, group, scope.states is None, figures, counts)
            assert opening == Opening(**{f.name: getattr(model, f.name) for f in fields(Opening)})
            counts = findings.round_table_counts(session, "imrf2022", group, scope)
            assert prompts_of(ref, lang, counts) == model.prompts
            assert practice_quotes(session, ref, lang, "imrf2022", group, scope) == model.practices
            for country in model.countries:
                assert briefing.country_section(session, ref, lang, country.iso3, "imrf2022", scope) == country
        assert model.prompts and model.practices and any(c.reports for c in model.countries)
        assert model.not_reported  # the comparison covered countries with no slides of their own


def test_html_pack_is_self_contained_with_linked_contents(sqlite_engine: Engine, ref: Reference) -> None:
    _demo(sqlite_engine, ref)
    model = _model(sqlite_engine, ref)
    steps: list[float] = []
    html = briefing.render_html(ref, model, progress=lambda share, text: steps.append(share))
    assert html.count("<script") >= 9 and "cdn.plot.ly/plotly" not in html.split("<body>")[1][:2000]
    assert html.count("<h2>") == 1 + 1 + 11 + 4 + 2  # contents, opening, countries, round tables, closing
    assert html.count('<li><a href="#') == 1 + 11 + 4 + 2
    assert all(f'id="country-{c}"' in html for c in briefing.AGENDA_ORDER)
    assert not model.not_reported and 'id="not-reported"' not in html  # every member reported
    assert steps[-1] == 1.0 and steps == sorted(steps)  # the progress bar only moves forward


def test_build_pack_reports_progress_forward(sqlite_engine: Engine, ref: Reference) -> None:
    _demo(sqlite_engine, ref)
    steps: list[float] = []
    with read_session(sqlite_engine) as session:
        content = briefing.build_pack(
            session, ref, "es", "imrf2022", "CRM", SUBMITTED, "html", progress=lambda s, _: steps.append(s)
        )
    assert content.startswith(b"<!doctype html>") and steps == sorted(steps) and steps[-1] == 1.0


def test_charts_keep_legend_and_axis_titles_apart(ref: Reference) -> None:
    import pandas as pd

    counts = pd.DataFrame([(2, "planning", 3), (2, "not_reported", 8)], columns=["objective", "status", "count"])
    sections = pd.DataFrame([(1, "full", 4), (1, "not_reported", 2)], columns=["section", "status", "count"])
    for figure in (
        charts.objective_status_counts_figure(ref, "es", counts, [2], "t"),
        charts.status_by_section_figure(ref, "es", sections, False),
    ):
        layout = figure.layout
        # The legend stands right of the plot area (x ≥ 1), so it meets neither the x-axis title below
        # the plot nor the title above; margins grow to hold it.
        assert layout.legend.x >= 1 and layout.legend.xanchor == "left" and layout.legend.orientation == "v"
        assert layout.margin.autoexpand is not False and layout.title.automargin
        assert layout.xaxis.title.standoff >= 10 and layout.xaxis.automargin


def test_text_fitting_keeps_any_cycle_name_inside_its_box() -> None:
    for name in ("IMRF 2022", "Foro de Examen de la Migración Internacional " * 6):
        runs = deck.fit([deck.Run("Paquete informativo", 44, True), deck.Run(name, 30, True)], 11.7, 2.0)
        height = sum(len(deck.wrap(r.text, r.size, 11.7 * 72, r.bold)) * r.size * deck.LINE for r in runs)
        assert height <= 2.0 * 72 and all(r.size >= deck.SMALL_PT for r in runs)
    assert deck.clamp("word " * 200, 18, 200, 3)[-1].endswith("…")


def _chromium() -> None:
    if briefing.chromium_path() is None:
        skip_or_fail("Chromium is needed to render the deck's charts")


def test_pptx_deck_is_on_the_grid_with_notes_and_charts(sqlite_engine: Engine, ref: Reference) -> None:
    _chromium()
    _demo(sqlite_engine, ref)
    model = _model(sqlite_engine, ref, "es")
    slides = list(Presentation(io.BytesIO(briefing.render_pptx(ref, model))).slides)
    titles = [next(s for s in slide.shapes if s.has_text_frame).text_frame.text for slide in slides[1:]]
    assert titles[0] == "Resumen de apertura" and titles[1] == "Belice" and titles[-1] == "Buenas prácticas"
    assert titles[12] == "Mesa redonda 1" and titles[13].startswith("Mesa redonda 1 — ")
    for slide in slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= deck.Inches(deck.WIDTH) + 1
            assert shape.top + shape.height <= deck.Inches(deck.HEIGHT) + 1
            if shape.has_text_frame:
                sizes = [r.font.size for p in shape.text_frame.paragraphs for r in p.runs if r.font.size]
                assert all(size >= Pt(deck.SMALL_PT) for size in sizes)
    assert all(
        any(
            r.font.size >= Pt(32)
            for p in next(s for s in sl.shapes if s.has_text_frame).text_frame.paragraphs
            for r in p.runs
        )
        for sl in slides[1:]
    )
    pictures = [sum(1 for shape in s.shapes if shape.shape_type == 13) for s in slides]
    assert pictures[1] == 1 and all(
        pictures[i] == 1 for i, title in enumerate(titles, 1) if title.startswith("Mesa") and "—" not in title
    )
    belize = slides[2]
    strip = [s for s in belize.shapes if s.has_text_frame and s.text_frame.text.isdigit()]
    assert len(strip) >= 23
    notes = belize.notes_slide.notes_text_frame.text
    assert all(r.progress.strip() in notes for r in model.countries[0].reports if r.progress.strip())
    footer = t("es", "pack.demo_footer")
    assert all(any(footer in s.text_frame.text for s in sl.shapes if s.has_text_frame) for sl in slides)


def test_pdf_has_contents_header_and_a_page_per_section(sqlite_engine: Engine, ref: Reference) -> None:
    _chromium()
    _demo(sqlite_engine, ref)
    pdf = briefing.render_pdf(ref, _model(sqlite_engine, ref))
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1 + 1 + 11 + 4 + 2
    assert pdf.count(b"/Subtype /Link") + pdf.count(b"/Subtype/Link") >= 18  # the contents' links


def test_cli_pptx_prints_progress_and_nothing_else(sqlite_url: str, tmp_path) -> None:
    _chromium()
    env = {**os.environ, "GCM_DATABASE_URL": sqlite_url}
    subprocess.run([sys.executable, "-m", "gcm", "demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-m", "gcm", "briefing", "--cycle", "imrf2022", "--format", "pptx", "-o", tmp_path / "d.pptx"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines and all(re.fullmatch(r"\s*\d+% .+", line) for line in lines), done.stderr
    assert "Warning" not in done.stderr


def test_a_sentence_written_under_two_objectives_is_quoted_once(sqlite_engine: Engine, ref: Reference) -> None:
    from gcm import findings, services
    from gcm.permissions import SYSTEM

    for objective, text in ((11, "Falta de personal."), (14, "Falta de personal."), (2, "Sin datos.")):
        with write_session(sqlite_engine) as session:
            services.save_objective_report(
                session,
                ref,
                SYSTEM,
                country="BLZ",
                cycle_id="imrf2022",
                objective=objective,
                data=services.ReportInput(status="planning", challenges=text),
                expected_version=None,
            )
    with read_session(sqlite_engine) as session:
        facts = findings.country_highlights(session, "BLZ", "imrf2022", ReadScope(states=None))
    assert facts["top"]["challenges"] == [(2, "Sin datos."), (11, "Falta de personal.")]


def test_the_pack_counts_the_countries_the_page_counts(sqlite_engine: Engine, ref: Reference) -> None:
    """A report awaiting validation is said apart for the public, in the pack as on the page: neither among
    the members nor "not reported" in a round table's counts."""
    from collections import Counter

    from gcm import queries

    _demo(sqlite_engine, ref)
    public = ReadScope(states=("validated",))
    with read_session(sqlite_engine) as session:
        model = briefing.briefing_model(session, ref, "es", "imrf2022", "CRM", public)
        awaiting = queries.awaiting_validation(session, "imrf2022", "CRM", public)
    assert awaiting and model.members == 11 - len(awaiting)
    for table in model.round_tables:
        per_objective: Counter[int] = Counter()
        for objective, _, count in table.status_counts:
            per_objective[objective] += count
        assert set(per_objective.values()) == {model.members}


def _one_country_in_the_open_cycle(engine: Engine, ref: Reference, country: str = "GTM") -> None:
    """The demo data, then one report of `country` (a draft) in the open cycle, where nobody else reported."""
    from tests.integration.test_quotations import CYCLE, _save

    assert CYCLE == "imrf2026"  # the open cycle, which `_open_cycle_model` reads
    _demo(engine, ref)
    _save(engine, ref, country, 1, status="full", progress="Avance", challenges="Reto", national_priority=True)


def _open_cycle_model(engine: Engine, ref: Reference, lang: str, scope: ReadScope) -> briefing.Briefing:
    with read_session(engine) as session:
        return briefing.briefing_model(session, ref, lang, "imrf2026", "CRM", scope)


def test_countries_that_have_not_reported_are_named_in_one_section(sqlite_engine: Engine, ref: Reference) -> None:
    """A country with no report in the cycle has no section of its own: one section, after the countries'
    presentations, names them in the agenda's order. Nobody reported: the countries' part is that section."""
    _one_country_in_the_open_cycle(sqlite_engine, ref)
    others = [c for c in briefing.AGENDA_ORDER if c != "GTM"]
    for lang in ("es", "en"):
        model = _open_cycle_model(sqlite_engine, ref, lang, ReadScope(states=None))  # a rehearsal reads the draft
        assert [c.iso3 for c in model.countries] == ["GTM"] and model.countries[0].reported == 1
        assert model.not_reported == tuple(ref.country(c).name.get(lang) for c in others)
        html = briefing.render_html(ref, model)
        assert html.count('<section id="country-') == 1 and 'id="country-GTM"' in html
        assert html.count('id="not-reported"') == 1 and html.count('<a href="#not-reported">') == 1
        title = t(lang, "presenter.not_reported")
        assert f"<h2>{title}</h2>" in html
        section = html.split('<section id="not-reported">')[1].split("</section>")[0]
        assert re.findall(r"<li>(.*?)</li>", section) == [escape(n) for n in model.not_reported]
        order = [html.index(f'id="{anchor}"') for anchor in ("country-GTM", "not-reported", "round-table-1")]
        assert order == sorted(order)  # right after the countries' presentations
        assert t(lang, "report.completeness", n=0, total=23) not in html

    model = _open_cycle_model(sqlite_engine, ref, "en", SUBMITTED)  # the draft is not a report to this reader
    assert model.countries == () and len(model.not_reported) == 11
    html = briefing.render_html(ref, model)
    assert '<section id="country-' not in html and html.count('id="not-reported"') == 1
    assert t("en", "presenter.not_reported_note", n=11) in html


def test_who_presents_is_decided_in_one_place_and_names_are_rendered_inert(
    sqlite_engine: Engine, ref: Reference
) -> None:
    from dataclasses import replace

    from gcm.briefing.model import CountryAgenda, country_agenda

    assert country_agenda(["A", "B", "C"], {"B": 2, "C": 0}) == CountryAgenda(("B",), ("A", "C"))
    _one_country_in_the_open_cycle(sqlite_engine, ref)
    model = replace(_open_cycle_model(sqlite_engine, ref, "en", SUBMITTED), not_reported=("<b>Atlantis</b> & co",))
    html = briefing.render_html(ref, model)
    assert "<li>&lt;b&gt;Atlantis&lt;/b&gt; &amp; co</li>" in html and "<b>Atlantis</b>" not in html


def test_pptx_deck_gives_countries_that_have_not_reported_one_slide(sqlite_engine: Engine, ref: Reference) -> None:
    _chromium()
    _one_country_in_the_open_cycle(sqlite_engine, ref)
    for lang in ("es", "en"):
        model = _open_cycle_model(sqlite_engine, ref, lang, ReadScope(states=None))
        slides = list(Presentation(io.BytesIO(briefing.render_pptx(ref, model))).slides)
        titles = [next(s for s in slide.shapes if s.has_text_frame).text_frame.text for slide in slides[1:]]
        name = ref.country("GTM").name.get(lang)
        assert titles[:3] == [t(lang, "presenter.opening"), name, t(lang, "presenter.not_reported")]
        assert titles.count(t(lang, "presenter.not_reported")) == 1
        texts = [s.text_frame.text for slide in slides for s in slide.shapes if s.has_text_frame]
        assert not any(t(lang, "report.completeness", n=0, total=23) in text for text in texts)
        listed = [s.text_frame.text for s in slides[3].shapes if s.has_text_frame and s.text_frame.text.startswith("•")]
        assert "\n".join(listed).split("\n") == [f"• {n}" for n in model.not_reported]  # in columns, in order
        for shape in slides[3].shapes:  # inside the slide, nothing under the footer's size
            assert shape.left + shape.width <= deck.Inches(deck.WIDTH) + 1
            assert shape.top + shape.height <= deck.Inches(deck.HEIGHT) + 1
            if shape.has_text_frame:
                sizes = [r.font.size for p in shape.text_frame.paragraphs for r in p.runs if r.font.size]
                assert all(size >= Pt(deck.SMALL_PT) for size in sizes)
    model = _model(sqlite_engine, ref, "en")  # every member reported in the demo's cycle: no such slide
    slides = list(Presentation(io.BytesIO(briefing.render_pptx(ref, model))).slides)
    texts = [next(s for s in slide.shapes if s.has_text_frame).text_frame.text for slide in slides]
    assert t("en", "presenter.not_reported") not in texts


def test_pptx_names_every_country_without_a_report_however_many(sqlite_engine: Engine, ref: Reference) -> None:
    """More countries than one slide holds at a legible size (a global review): the list goes on over more slides
    under the same title, every name there once, in order."""
    from dataclasses import replace

    from gcm.briefing.model import NAME_COLUMNS, NAMES_PER_COLUMN, name_columns

    names = tuple(f"Country {n:03d}" for n in range(1, 61))
    assert [len(c) for c in name_columns(names[:10])] == [5, 5]
    assert [name for column in name_columns(names) for name in column] == list(names)
    _one_country_in_the_open_cycle(sqlite_engine, ref)
    model = replace(_open_cycle_model(sqlite_engine, ref, "en", SUBMITTED), not_reported=names)
    slides = list(Presentation(io.BytesIO(briefing.render_pptx(ref, model))).slides)
    listing = [
        s
        for s in slides
        if next(x for x in s.shapes if x.has_text_frame).text_frame.text == t("en", "presenter.not_reported")
    ]
    assert len(listing) == -(-len(names) // (NAMES_PER_COLUMN * NAME_COLUMNS))  # 3 slides of 24 at most
    listed = [
        line[2:]
        for slide in listing
        for shape in slide.shapes
        if shape.has_text_frame and shape.text_frame.text.startswith("•")
        for line in shape.text_frame.text.split("\n")
    ]
    assert listed == list(names)

"""The review flow in AppTest, in both languages: guarded submit, review from a link, return with a
comment and objectives (its outcome beside the button), the changes since the previous submission, the
audit page, honest counts for the public, the declaration's preview."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from gcm import accounts, submission_changes, workflow
from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import write_session
from gcm.i18n import t
from gcm.permissions import Actor
from gcm.queries import EVERYTHING, get_report
from gcm.services import ReportInput, save_objective_report
from gcm.ui import context
from gcm.ui.report_form import FIELDS, widget_key
from gcm.ui.widgets import inert
from tests.app.conftest import ADMIN, DELEGATE, open_expanders, open_tables
from tests.app.test_pages import _load_demo

CRI = Actor(name="cri", role="delegate", country="CRI")
ADMIN_ACTOR = Actor(name="sec", role="admin")


def _submitted(objectives: tuple[int, ...] = (5, 9)) -> None:
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        for n in objectives:
            save_objective_report(
                session,
                __import__("gcm.bootstrap").bootstrap.reference_for(str(ROOT / "data")),
                CRI,
                country="CRI",
                cycle_id="imrf2026",
                objective=n,
                data=ReportInput(status="planning", progress=f"Avance {n}\nmás"),
                expected_version=None,
            )
        workflow.submit_country_report(session, CRI, country="CRI", cycle_id="imrf2026")


def _save(actor: Actor, objective: int, **values: object) -> None:
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        current = get_report(session, "CRI", "imrf2026", objective, EVERYTHING)
        save_objective_report(
            session,
            reference_for(str(ROOT / "data")),
            actor,
            country="CRI",
            cycle_id="imrf2026",
            objective=objective,
            data=ReportInput(**{"status": "planning", **values}),
            expected_version=current["version"] if current else None,
        )


def _resubmitted(actor: Actor) -> None:
    """Submitted with objectives 5 and 9, returned, then 9 edited, 3 added and 5 edited and put back, and
    submitted again (saved in an order that is not the objectives' order)."""
    _submitted()
    engine = prepare_database(load_config())
    with write_session(engine) as session:
        workflow.return_country_report(session, ADMIN_ACTOR, country="CRI", cycle_id="imrf2026", comment="Revise")
    _save(actor, 9, progress="Avance 9\nmás", challenges="Falta *presupuesto*", national_priority=True)
    _save(actor, 3, status="initial", progress="Nuevo [enlace](https://example.org)")
    _save(actor, 5, progress="Otra cosa")
    _save(actor, 5, progress="Avance 5\nmás")
    with write_session(engine) as session:
        workflow.submit_country_report(session, actor, country="CRI", cycle_id="imrf2026")


def _after(at: AppTest, key: str) -> list:
    """The elements drawn after the widget or container `key`, in the order of the page."""
    nodes = list(at.main)
    return nodes[next(i for i, node in enumerate(nodes) if getattr(node, "key", None) == key) + 1 :]


def _review(lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": lang, **params})
    at.user = {"is_logged_in": True, "email": ADMIN}
    at.run()
    at.switch_page("pages/country_report.py").run()
    return at


@pytest.mark.parametrize("lang", ["es", "en"])
def test_delegate_sees_the_empty_objectives_before_submitting_and_can_cancel(open_page, lang: str) -> None:
    at = open_page("country_report", lang, user=DELEGATE)
    at.selectbox(key=widget_key("status", 1)).set_value("planning").run()
    at.button(key="report__save__1").click().run()
    at.button(key="workflow__submit").click().run()
    assert any(w.value == t(lang, "flow.missing", n=22) for w in at.warning)
    assert any("23\\. " in m.value for m in at.markdown)  # the objectives without an entry are listed
    assert any(i.value == t(lang, "flow.submit_next") for i in at.info)
    at.button(key="workflow__cancel").click().run()
    assert [b for b in at.button if b.key == "workflow__submit"]
    assert not at.text_area(key=widget_key("progress", 1)).disabled  # nothing was submitted


@pytest.mark.parametrize("lang", ["es", "en"])
def test_review_link_opens_the_summary_and_return_needs_a_comment(open_page, lang: str) -> None:
    _submitted()
    at = _review(lang, country="CRI", cycle="imrf2026", mode="review")
    assert not at.exception
    assert at.selectbox(key="report__objective").value == 5  # the first reported objective
    summary = at.dataframe[0].value
    assert len(summary) == 23 and summary[t(lang, "field.progress")].iloc[4] == "Avance 5"
    assert any(c.value == t(lang, "flow.first_submission") for c in at.caption)
    submitted = t(lang, "audit.detail.submitted", reported=2, total=23)  # the report's history, in its language
    assert not any(m.value.endswith(f"· {submitted}") for m in at.markdown)  # read once its expander is opened
    assert any(m.value.endswith(f"· {submitted}") for m in open_expanders(at, "report__events__CRI__imrf2026").markdown)
    at.button(key="workflow__return").click().run()
    required = t(lang, "error.required", field=t(lang, "field.comment"))
    assert [e.value for e in at.error] == [required]
    after = _after(at, "workflow__return")  # beside the button pressed, not a page above it
    assert type(after[0]).__name__ == "Error" and after[0].value == required
    at.text_area(key="workflow__comment").input("Complete el objetivo 7").run()
    at.multiselect(key="workflow__objectives").set_value([7]).run()
    at.button(key="workflow__return").click().run()
    assert at.success[0].value == t(lang, "workflow.returned")

    delegate = open_page("country_report", lang, user=DELEGATE)
    assert any(m.value == t(lang, "flow.flagged", objectives="7", n=1) for m in delegate.markdown)
    assert delegate.button(key="report__jump__7").label == "7 ⚑"
    delegate.button(key="workflow__submit").click().run()
    assert any(w.value == t(lang, "flow.unchanged") for w in delegate.warning)  # asks first
    delegate.button(key="workflow__submit_confirm").click().run()
    assert delegate.success[0].value == t(lang, "workflow.submitted")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_review_lists_the_changes_since_the_previous_submission(open_page, lang: str) -> None:
    author = Actor(name="Ana **CRI** <b>x</b>", role="delegate", country="CRI")
    _resubmitted(author)
    at = _review(lang, country="CRI", cycle="imrf2026", mode="review")
    assert not at.exception
    heading, items = _after(at, "review__changes")[:2]
    assert heading.value.startswith(f"**{t(lang, 'flow.changes', when='')[:-2]}")
    lines = items.value.split("\n")
    assert [line[:7] for line in lines] == ["- **3\\.", "- **9\\."]  # a list, in objective-number order

    def expected(key: str, n: int, fields: tuple[str, ...]) -> str:
        name = inert(f"{n}. {reference_for(str(ROOT / 'data')).objective(n).short.get(lang)}")
        named = inert(", ".join(t(lang, f"field.{f}") for f in fields))
        return t(lang, key, objective=name, fields=named, by=inert(author.name), when="")

    new, changed = (line[2 : line.rindex(",") + 2] + ")" for line in lines)  # without the time
    assert new == expected("flow.change_new", 3, ("status", "progress"))  # new: only what was filled in
    assert changed == expected("flow.change", 9, ("national_priority", "challenges"))  # in the form's order
    assert "**CRI**" not in items.value and "<b>" not in items.value  # the author's name is inert


def test_changed_fields_are_listed_in_the_form_order() -> None:
    assert submission_changes._in_form_order(set(FIELDS)) == list(FIELDS)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_review_summary_gives_the_narrative_columns_room_to_read(open_page, lang: str) -> None:
    _submitted()
    at = _review(lang, country="CRI", cycle="imrf2026", mode="review")
    columns = json.loads(at.dataframe[0].proto.columns)
    for field in ("progress", "challenges", "priorities"):
        assert columns[t(lang, f"field.{field}")]["width"] == "large"
    objective = columns[t(lang, "common.objective")]
    assert objective["pinned"] and objective["width"] <= 240
    assert list(at.dataframe[0].value.columns)[:4] == [
        t(lang, "common.objective"),
        t(lang, "field.status"),
        "★",
        t(lang, "field.progress"),
    ]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_audit_page_filters_pages_and_downloads(open_page, lang: str) -> None:
    _submitted()
    at = open_page("audit", lang, user=ADMIN)
    kinds = list(at.dataframe[0].value[t(lang, "audit.column.kind")])
    assert t(lang, "audit.kind.report_submitted") in kinds and t(lang, "audit.kind.report_saved") in kinds
    at.multiselect(key="audit__kinds").set_value(["report_submitted"]).run()
    frame = at.dataframe[0].value
    assert list(frame[t(lang, "audit.column.kind")]) == [t(lang, "audit.kind.report_submitted")]
    assert list(frame[t(lang, "audit.column.username")]) == ["cri"]
    assert list(frame[t(lang, "audit.column.detail")]) == [t(lang, "audit.detail.submitted", reported=2, total=23)]
    assert list(frame[t(lang, "audit.column.cycle")]) == [{"es": "FEMI 2026", "en": "IMRF 2026"}[lang]]
    at.selectbox(key="audit__country").set_value("MEX").run()
    assert at.info[0].value == t(lang, "audit.no_match")  # the filters match nothing; the log is not empty


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_audit_page_shows_a_refused_sign_in_on_its_next_run(open_page, lang: str) -> None:
    """A refused sign-in moves no data revision: the page keeps what it read of the log only while the log's mark
    stays, so the event is there on the next run, in the table, the count and the people to filter by."""
    _submitted()
    at = open_page("audit", lang, user=ADMIN)
    shown = len(at.dataframe[0].value)
    with write_session(prepare_database(load_config())) as session:
        accounts.audit(session, accounts.FAILED, "intruso", "203.0.113.7", accounts.BAD_CREDENTIALS)
    at.run()
    frame = at.dataframe[0].value
    assert len(frame) == shown + 1
    assert list(frame.iloc[0][[t(lang, "audit.column.username"), t(lang, "audit.column.address")]]) == [
        "intruso",
        "203.0.113.7",
    ]
    assert "intruso" in at.selectbox(key="audit__person").options
    at.selectbox(key="audit__person").set_value("intruso").run()
    assert len(at.dataframe[0].value) == 1


@pytest.mark.parametrize("lang", ["es", "en"])
def test_submissions_cells_link_to_the_review(open_page, lang: str) -> None:
    _submitted()
    at = open_page("submissions", lang, user=ADMIN)
    table = at.dataframe[0].value
    country = t(lang, "common.country")
    names = list(table[country].map(lambda url: url.rsplit("#", 1)[1]))
    assert names == sorted(names) and "Costa Rica" in names  # full names, alphabetical
    row = table[table[country].str.endswith("#Costa Rica")].iloc[0]
    assert "country=CRI" in row.iloc[-1] and "mode=review" in row.iloc[-1]
    assert row.iloc[-1].endswith("#→ " + t(lang, "state.submitted"))
    assert any(i.value == t(lang, "flow.await_count", n=1) for i in at.info)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_status_grid_shows_each_status_in_a_word_in_a_column_as_wide_as_it(open_page, lang: str) -> None:
    """23 objectives side by side: each status by its short label, coloured, and each column (the state's too) as
    wide as its longest text on the page, so no word is cut; an objective nobody reported stays narrow."""
    _submitted()
    at = open_page("submissions", lang, user=ADMIN)
    grid = at.dataframe[1]
    table = grid.value
    country, state = t(lang, "common.country"), t(lang, "workflow.state")
    row = table[table[country].str.endswith("#Costa Rica")].iloc[0]
    planning = next(s for s in reference_for(str(ROOT / "data")).statuses if s.key == "planning")
    assert row["5"] == row["9"] == planning.short.get(lang) and row["1"] == "·"
    widths = {name: config.get("width") for name, config in json.loads(grid.proto.columns).items()}
    assert widths["5"] >= len(planning.short.get(lang)) * 7.5 and widths["1"] == 40
    assert widths[state] >= len(row[state]) * 7.5


def test_a_rerun_sends_the_unchanged_coloured_tables_as_the_same_message(open_page) -> None:
    """Streamlit sends a message it has sent before as a reference; pandas names a table's styles at random."""
    _submitted()
    at = open_page("submissions", "en", user=ADMIN)
    first = [table.proto.SerializeToString() for table in at.dataframe]
    assert [table.proto.arrow_data.styler.uuid for table in at.dataframe] == [
        "submissions_by_cycle",
        "submissions_by_objective",
    ]
    assert [table.proto.SerializeToString() for table in at.run().dataframe] == first


@pytest.mark.parametrize("lang", ["es", "en"])
def test_public_sees_awaiting_validation_apart_and_opens_on_data(open_page, lang: str) -> None:
    _load_demo()
    overview = open_page("regional_overview", lang)
    assert overview.selectbox(key="overview__cycle").value == "imrf2022"  # not the empty current cycle
    assert any(c.value.startswith(t(lang, "flow.current_empty", current="X", shown="Y")[:12]) for c in overview.caption)
    waiting = next(
        i.value for i in overview.info if i.value.startswith(t(lang, "flow.awaiting_list", n=3, countries="")[:12])
    )
    assert "Guatemala" in waiting  # submitted, awaiting validation: not "not reported"
    table = open_tables(overview).dataframe[1].value
    assert "Guatemala" not in table.index  # left out of the country × objective table


@pytest.mark.parametrize("lang", ["es", "en"])
def test_declaration_compiles_with_a_message_and_a_preview(open_page, lang: str) -> None:
    _load_demo()
    at = open_page("declaration", lang, user=ADMIN)
    at.button(key="declaration__compile").click().run()
    assert at.success[0].value == t(lang, "flow.compiled")
    assert any(w.value == t(lang, "flow.declaration_unsaved") for w in at.warning)
    assert any(m.value.startswith("#### ") for m in at.markdown)  # rendered headings
    at.selectbox(key="declaration__cycle").set_value("imrf2026").run()  # nothing validated there yet
    at.button(key="declaration__compile").click().run()
    assert not at.success and any(w.value == t(lang, "flow.compiled_empty") for w in at.warning)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_declaration_versions_are_listed_once_opened(open_page, lang: str) -> None:
    _load_demo()
    at = open_page("declaration", lang, user=ADMIN)
    for body in ("# Primera versión", "# Segunda versión <script>alert(1)</script>"):
        at.text_area(key="declaration__body__imrf2022").set_value(body).run()
        at.button(key="declaration__save").click().run()
    assert [e.label for e in at.expander] == [t(lang, "declaration.versions", n=2)]
    assert not at.code  # every version's text is built only once the list is opened
    at = open_expanders(at, "declaration__versions")
    assert [c.value for c in at.code] == ["# Segunda versión <script>alert(1)</script>", "# Primera versión"]
    lines = [m.value for m in at.markdown if m.value.startswith("**")]  # in bold, not "\\*\\*"
    bold = t(lang, "declaration.version_line", version=2, by="", when="").split(" · ")[0]
    assert lines[0].startswith(bold) and len(lines) == 2
    at.session_state[context.LANG_KEY] = "en" if lang == "es" else "es"  # the list stays open in the other language
    at.run()
    assert len(at.code) == 2

"""Full-text search: the same results on SQLite (FTS5) and PostgreSQL (unaccent + tsvector)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, text

from gcm import models
from gcm.bootstrap import prepare_database
from gcm.config import load_config
from gcm.db import create_db_engine, dispose_engines, migrate, read_session, write_session
from gcm.explore.search import FIELDS, MARK_CLOSE, MARK_OPEN, search_reports
from gcm.permissions import SYSTEM, Actor, ReadScope, read_scope
from gcm.reference import Reference
from gcm.services import ReportInput, remove_demo_reports, restore_revision, save_objective_report

ADMIN = ReadScope(states=None)
PUBLIC = read_scope(Actor(name="", role="public"))
ANALYST = read_scope(Actor(name="ana", role="analyst"))
HND_DELEGATE = read_scope(Actor(name="hnd", role="delegate", country="HND"))

# (country, cycle, objective, field texts); the country report's state comes from STATES.
CORPUS = [
    ("MEX", "imrf2022", 10, {"progress": "Se fortaleció la lucha contra la trata de personas en la frontera norte."}),
    ("MEX", "imrf2022", 9, {"challenges": "El tráfico ilícito de migrantes persiste en rutas marítimas y terrestres."}),
    ("CRI", "imrf2022", 9, {"progress": "Tráfico: tráfico, TRÁFICO y tráfico."}),
    ("USA", "imrf2022", 10, {"priorities": "Training on trafficking in persons for border officials."}),
    ("GTM", "imrf2022", 20, {"good_practice": "Remittances sent through digital wallets; remesas digitales."}),
    ("PAN", "imrf2022", 21, {"progress": "Programa de retorno y reintegración de personas migrantes."}),
    ("PAN", "lac2021", 21, {"progress": "Retorno asistido con enfoque de género."}),
    ("HND", "imrf2022", 5, {"progress": "Borrador: migración laboral temporal."}),
    ("SLV", "imrf2022", 5, {"progress": "Migración laboral regulada con España."}),
    ("DOM", "imrf2022", 17, {"progress": "<script>alert(1)</script> **xenofobia** [enlace](javascript:x)"}),
]
STATES = {"MEX": "validated", "CRI": "validated", "USA": "validated", "GTM": "validated", "PAN": "validated"}
STATES |= {"SLV": "submitted", "DOM": "validated"}  # HND has no submission row: a draft


def _save(engine: Engine, ref: Reference, country: str, cycle: str, objective: int, texts: dict, version=None):
    with write_session(engine) as session:
        return save_objective_report(
            session,
            ref,
            SYSTEM,
            country=country,
            cycle_id=cycle,
            objective=objective,
            data=ReportInput(status="planning", **texts),
            expected_version=version,
        )


def _load(engine: Engine, ref: Reference) -> None:
    for country, cycle, objective, texts in CORPUS:
        _save(engine, ref, country, cycle, objective, texts)
    now = dt.datetime.now(dt.UTC)
    with write_session(engine) as session:
        for country, state in STATES.items():
            for cycle in ("imrf2022", "lac2021"):
                session.add(
                    models.Submission(country_iso3=country, cycle_id=cycle, state=state, updated_by="t", updated_at=now)
                )


def _hits(engine: Engine, query: str, scope: ReadScope = ADMIN, **filters) -> list[tuple]:
    with read_session(engine) as session:
        result = search_reports(session, scope, query, **filters)
    return [(r.country, r.cycle, r.objective, r.field) for r in result.rows.itertuples()]


def _matched(engine: Engine, query: str, **filters) -> list[list[str]]:
    with read_session(engine) as session:
        rows = search_reports(session, ADMIN, query, **filters).rows
    return [[value for value, matched in segments if matched] for segments in rows["excerpt"]]


@pytest.fixture
def corpus(engine: Engine, ref: Reference) -> Engine:
    _load(engine, ref)
    return engine


def test_accents_and_case_do_not_matter(corpus: Engine) -> None:
    expected = [("CRI", "imrf2022", 9, "progress"), ("MEX", "imrf2022", 9, "challenges")]
    assert _hits(corpus, "trafico") == expected
    assert _hits(corpus, "TRÁFICO") == expected
    assert _hits(corpus, "Tráfico") == expected
    assert _hits(corpus, "migracion laboral") == [
        ("HND", "imrf2022", 5, "progress"),
        ("SLV", "imrf2022", 5, "progress"),
    ]
    assert _matched(corpus, "trafico") == [["Tráfico", "tráfico", "TRÁFICO", "tráfico"], ["tráfico"]]


def test_words_are_anded_and_a_star_is_a_prefix(corpus: Engine) -> None:
    assert _hits(corpus, "retorno genero") == [("PAN", "lac2021", 21, "progress")]
    assert _hits(corpus, "reintegr*") == [("PAN", "imrf2022", 21, "progress")]
    assert _matched(corpus, "reintegr*") == [["reintegración"]]
    assert _hits(corpus, "retorno nada") == []


def test_ranking_puts_more_frequent_hits_first_and_breaks_ties_by_country(corpus: Engine) -> None:
    # CRI says tráfico four times in a short text: first; the ties below are in country order.
    assert _hits(corpus, "trafico")[0][0] == "CRI"
    assert _hits(corpus, "migracion") == [("HND", "imrf2022", 5, "progress"), ("SLV", "imrf2022", 5, "progress")]
    with read_session(corpus) as session:
        ranks = list(search_reports(session, ADMIN, "trafico").rows["rank"])
    assert ranks[0] > ranks[1] > 0


def test_filters(corpus: Engine) -> None:
    assert _hits(corpus, "retorno", cycle="lac2021") == [("PAN", "lac2021", 21, "progress")]
    assert _hits(corpus, "trafico", objective=9, field="challenges") == [("MEX", "imrf2022", 9, "challenges")]
    assert _hits(corpus, "trafico", group="CSM") == []
    assert _hits(corpus, "trafico", group="CRM") != []
    # Round table 2 of the IMRF 2022 grouping holds objectives 9, 10 and 21; round table 1 holds 5.
    assert {h[2] for h in _hits(corpus, "trata OR retorno trafico", cycle="imrf2022", section=2)} <= {9, 10, 21}
    assert _hits(corpus, "migracion", cycle="imrf2022", section=2) == []
    assert len(_hits(corpus, "migracion", cycle="imrf2022", section=1)) == 2
    with read_session(corpus) as session:
        with pytest.raises(ValueError, match="field"):
            search_reports(session, ADMIN, "x", field="status")
        with pytest.raises(ValueError, match="cycle"):
            search_reports(session, ADMIN, "x", section=1)


def test_paging_and_total(corpus: Engine) -> None:
    with read_session(corpus) as session:
        first = search_reports(session, ADMIN, "trafico", limit=1)
        second = search_reports(session, ADMIN, "trafico", limit=1, offset=1)
        beyond = search_reports(session, ADMIN, "trafico", limit=1, offset=5)
    assert (first.total, second.total, beyond.total) == (2, 2, 2)
    assert [first.rows.iloc[0]["country"], second.rows.iloc[0]["country"]] == ["CRI", "MEX"]
    assert beyond.rows.empty and list(beyond.rows.columns) == list(first.rows.columns)


def test_scope_public_analyst_delegate(corpus: Engine) -> None:
    everyone = _hits(corpus, "migracion laboral")
    assert everyone == [("HND", "imrf2022", 5, "progress"), ("SLV", "imrf2022", 5, "progress")]
    assert _hits(corpus, "migracion laboral", PUBLIC) == []  # a draft and a submitted report
    assert _hits(corpus, "migracion laboral", ANALYST) == [("SLV", "imrf2022", 5, "progress")]
    assert _hits(corpus, "migracion laboral", HND_DELEGATE) == everyone  # its own draft too
    assert _hits(corpus, "migracion laboral", ReadScope(states=())) == []
    with read_session(corpus) as session:
        assert search_reports(session, PUBLIC, "migracion laboral").total == 0


def test_glossary_adds_the_other_language_both_ways(corpus: Engine) -> None:
    with read_session(corpus) as session:
        spanish = search_reports(session, ADMIN, "trata de personas")
        english = search_reports(session, ADMIN, "Trafficking in Persons")
        remittances = search_reports(session, ADMIN, "remittances", lang="en")
    assert spanish.added_terms == ("trafficking in persons", "human trafficking")
    assert english.added_terms == ("trata de personas",)
    both = [("MEX", "imrf2022", 10, "progress"), ("USA", "imrf2022", 10, "priorities")]
    assert sorted((r.country, r.cycle, r.objective, r.field) for r in spanish.rows.itertuples()) == both
    assert sorted((r.country, r.cycle, r.objective, r.field) for r in english.rows.itertuples()) == both
    assert remittances.added_terms == ("remesas",) and remittances.total == 1
    usa = spanish.rows[spanish.rows["country"] == "USA"].iloc[0]["excerpt"]
    assert [value for value, matched in usa if matched] == ["trafficking in persons"]


@pytest.mark.parametrize(
    "query", ['"', "NEAR(", ":*&|!", 'NEAR("a" b, 2)', "a OR b AND", "'; DROP TABLE x; --", "*", "x:* & !y", "\\", "()"]
)
def test_hostile_query_syntax_never_errors(corpus: Engine, query: str) -> None:
    with read_session(corpus) as session:
        result = search_reports(session, ADMIN, query)
    assert result.total == len(result.rows) or result.total > len(result.rows)


def test_query_syntax_is_read_as_words(corpus: Engine) -> None:
    assert _hits(corpus, '"trafico" OR') == []  # OR is a word here, and no report says it
    assert _hits(corpus, 'NEAR("retorno" genero)') == []
    assert _hits(corpus, "(retorno) genero!") == [("PAN", "lac2021", 21, "progress")]
    assert _hits(corpus, "") == [] and _hits(corpus, "   ") == []


def test_user_text_cannot_fake_a_match_marker(engine: Engine, ref: Reference) -> None:
    _save(engine, ref, "MEX", "imrf2022", 1, {"progress": f"datos {MARK_OPEN}falso{MARK_CLOSE} abiertos"})
    segments = _matched(engine, "abiertos")
    assert segments == [["abiertos"]]
    with read_session(engine) as session:
        excerpt = search_reports(session, ADMIN, "abiertos").rows.iloc[0]["excerpt"]
    assert "".join(v for v, _ in excerpt) == "datos falso abiertos"


def test_markup_in_reports_comes_back_as_plain_segments(corpus: Engine) -> None:
    with read_session(corpus) as session:
        excerpt = search_reports(session, ADMIN, "xenofobia").rows.iloc[0]["excerpt"]
    assert excerpt == [
        ("<script>alert(1)</script> **", False),
        ("xenofobia", True),
        ("** [enlace](javascript:x)", False),
    ]


def test_long_texts_are_cut_around_the_first_hit(engine: Engine, ref: Reference) -> None:
    long = "palabra " * 80 + "remesas al final del texto " + "cola " * 80
    _save(engine, ref, "MEX", "imrf2022", 20, {"priorities": long})
    with read_session(engine) as session:
        excerpt = search_reports(session, ADMIN, "remesas").rows.iloc[0]["excerpt"]
    assert excerpt[0] == ("… ", False) and excerpt[-1] == (" …", False)
    assert ("remesas", True) in excerpt
    assert sum(len(v) for v, _ in excerpt) < 400


def test_index_follows_save_restore_and_removal(engine: Engine, ref: Reference) -> None:
    first = _save(engine, ref, "MEX", "imrf2022", 14, {"progress": "Protección consular ampliada."})
    assert _hits(engine, "consular") == [("MEX", "imrf2022", 14, "progress")]
    _save(engine, ref, "MEX", "imrf2022", 14, {"challenges": "Albergues saturados."}, version=first.version)
    assert _hits(engine, "consular") == []
    assert _hits(engine, "albergues") == [("MEX", "imrf2022", 14, "challenges")]
    with read_session(engine) as session:
        revision_id = session.scalar(
            text("SELECT id FROM report_revision WHERE report_id = :r AND version = 1"), {"r": first.id}
        )
    with write_session(engine) as session:
        restore_revision(session, ref, SYSTEM, revision_id=revision_id, expected_version=2)
    assert _hits(engine, "consular") == [("MEX", "imrf2022", 14, "progress")]
    assert _hits(engine, "albergues") == []


def test_demo_load_and_removal_keep_the_index_in_step(engine: Engine, ref: Reference) -> None:
    from gcm.demo import load_demo

    with write_session(engine) as session:
        load_demo(session, ref)
    with read_session(engine) as session:
        loaded = search_reports(session, ADMIN, "xenofobia municipios").total
    assert loaded > 0
    with write_session(engine) as session:
        remove_demo_reports(session)
    with read_session(engine) as session:
        assert search_reports(session, ADMIN, "xenofobia").total == 0
        if engine.dialect.name == "sqlite":
            assert session.scalar(text("SELECT count(*) FROM report_search")) == 0


def test_cli_demo_remove_empties_the_index(engine: Engine) -> None:
    from gcm.cli import main

    assert main(["demo"]) == 0
    with read_session(engine) as session:
        assert search_reports(session, ADMIN, "covid").total > 0
    assert main(["demo", "--remove"]) == 0
    with read_session(engine) as session:
        assert search_reports(session, ADMIN, "covid").total == 0


def test_migration_indexes_reports_already_in_the_database(db_url: str) -> None:
    from alembic import command

    from gcm.db import alembic_config

    engine = create_db_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO country (iso3, name_en, name_es) VALUES ('MEX', 'Mexico', 'México')"))
        conn.execute(text("INSERT INTO objective VALUES (1, 279, 'a', 'a', 'a', 'a')"))
        conn.execute(text("INSERT INTO \"grouping\" (id, name_en, name_es, provisional) VALUES ('g', 'g', 'g', false)"))
        conn.execute(
            text(
                'INSERT INTO cycle (id, name_en, name_es, start, "end", grouping_id, grouping_confirmed, is_open) '
                "VALUES ('c', 'c', 'c', '2026-01-01', '2026-01-02', 'g', true, true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO objective_report (country_iso3, cycle_id, objective, status, progress, challenges, "
                "priorities, good_practice, national_priority, evidence_links, is_demo, updated_by, updated_at, "
                "version) VALUES ('MEX', 'c', 1, 'planning', 'Estadísticas migratorias', '', '', "
                "'Encuesta de hogares', false, '[]', false, 'x', '2026-01-01', 1)"
            )
        )
    migrate(engine)
    with read_session(engine) as session:
        assert [r.field for r in search_reports(session, ADMIN, "estadisticas").rows.itertuples()] == ["progress"]
        assert [r.field for r in search_reports(session, ADMIN, "ENCUESTA").rows.itertuples()] == ["good_practice"]
    engine.dispose()


# bm25 and ts_rank weigh hits differently: these queries of the test corpus rank alike on both (the
# order of "trata de personas" between a Spanish and an English report is left to each ranking).
QUERIES = [
    "trafico",
    "migracion laboral",
    "trafficking in persons",
    "retorno",
    "re*",
    "remesas",
    "xenofobia",
    "personas migrantes",
    "traf*",
    "migra*",
]


def _everything(engine: Engine) -> list:
    out = []
    with read_session(engine) as session:
        for query in QUERIES:
            for field in (None, *FIELDS):
                result = search_reports(session, ADMIN, query, field=field)
                rows = result.rows.drop(columns=["rank", "report_id"]).to_dict("records")
                out.append((query, field, result.total, result.added_terms, rows))
    return out


def test_sqlite_and_postgresql_give_identical_results(
    sqlite_url: str, postgres_url: str, ref: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for url in (sqlite_url, postgres_url):
        monkeypatch.setenv("GCM_DATABASE_URL", url)
        engine = prepare_database(load_config())
        _load(engine, ref)
        results.append(_everything(engine))
        dispose_engines()
    assert results[0] == results[1]
    assert sum(total for _, _, total, _, _ in results[0]) > 20

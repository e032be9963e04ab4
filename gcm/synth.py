"""Synthetic data at global scale: every UN member state, many cycles, long narratives.

`load_synth` writes deterministic, realistic reports (status distributions that improve from
cycle to cycle, narratives of 150–400 words in Spanish or English, guiding principles,
challenge and priority categories, workflow states) with bulk inserts, not the per-report
service path, so 193 countries × 23 objectives × 8 cycles load in seconds.

Everything it writes is illustrative data, flagged so that it can be removed exactly:
- reports carry `is_demo` (the pages' "illustrative data" banner counts them) and the author
  `SYNTH_AUTHOR`, which tells them apart from `python -m gcm demo`'s reports;
- countries and cycles it had to add are listed in the `app_setting` table under
  `synth.country.<ISO3>` and `synth.cycle.<id>`, so `remove_synth` deletes those and only those.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from gcm import models, queries, services
from gcm.bootstrap import refresh_statistics
from gcm.reference import Reference

SYNTH_AUTHOR = "synth"
COUNTRY_MARK = "synth.country."
CYCLE_MARK = "synth.cycle."
MEMBERS_FILE = "un_member_states.yaml"
BATCH = 5000

# Members whose delegates would write in Spanish; every other country's narratives are in English.
SPANISH_SPEAKING = frozenset(
    {"ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "ESP", "GNQ"}
    | {"GTM", "HND", "MEX", "NIC", "PAN", "PER", "PRY", "SLV", "URY", "VEN"}
)


class SynthRefused(Exception):
    """The database holds real reports; synthetic data must not be mixed in."""


@dataclass(frozen=True)
class SynthResult:
    reports: int
    countries_added: int
    cycles_added: int
    demo_removed: int


@dataclass(frozen=True)
class Member:
    iso3: str
    name_en: str
    name_es: str


def un_members(reference_dir: Path) -> tuple[Member, ...]:
    """The 193 UN member states from data/un_member_states.yaml."""
    doc = yaml.safe_load((reference_dir / MEMBERS_FILE).read_text(encoding="utf-8"))
    return tuple(Member(m["iso3"], m["name_en"], m["name_es"]) for m in doc["members"])


# A small domain vocabulary: each sentence is built from one fragment of each list.
_VOCAB = {
    "es": {
        "actors": (
            "El Ministerio de Relaciones Exteriores",
            "La autoridad nacional de migración",
            "El Ministerio de Trabajo",
            "La mesa interinstitucional sobre movilidad humana",
            "El instituto nacional de estadística",
            "La defensoría del pueblo",
            "Los gobiernos locales de las zonas fronterizas",
            "El servicio consular",
        ),
        "actions": (
            "aprobó",
            "puso en marcha",
            "actualizó",
            "amplió",
            "evaluó",
            "coordinó con organizaciones de la sociedad civil",
            "financió con apoyo de la cooperación internacional",
            "institucionalizó",
        ),
        "instruments": (
            "un protocolo de atención a personas migrantes en situación de vulnerabilidad",
            "una estrategia nacional de integración socioeconómica",
            "un sistema de registro y documentación de personas migrantes",
            "un programa de regularización migratoria",
            "una ruta de protección para niñas, niños y adolescentes no acompañados",
            "un mecanismo de reconocimiento de cualificaciones y competencias",
            "un plan de respuesta a emergencias en frontera",
            "una plataforma de información sobre vías de migración regular",
        ),
        "purposes": (
            "para garantizar el acceso a servicios básicos",
            "con enfoque de derechos humanos, género e infancia",
            "en el marco de la cooperación regional",
            "para reducir la migración irregular y sus riesgos",
            "con datos desglosados por sexo, edad y situación migratoria",
            "en coordinación con los países de origen, tránsito y destino",
        ),
        "challenges": (
            "Persisten limitaciones presupuestarias y una alta rotación del personal capacitado.",
            "La información disponible no está desglosada ni es comparable entre instituciones.",
            "La coordinación entre el nivel nacional y los gobiernos locales sigue siendo débil.",
            "El aumento de los flujos mixtos supera la capacidad de los servicios de acogida.",
            "La xenofobia y la desinformación dificultan la integración en las comunidades de acogida.",
            "El marco normativo vigente no se ha armonizado con los compromisos del Pacto.",
            "Los efectos de la pandemia de COVID-19 todavía pesan sobre los servicios públicos.",
        ),
        "priorities": (
            "Fortalecer la cooperación regional y el intercambio de información entre países.",
            "Ampliar la cobertura territorial de los programas a los municipios fronterizos.",
            "Mejorar la interoperabilidad de los sistemas de registro y su protección de datos.",
            "Asegurar financiación plurianual y formación continua del personal.",
            "Incorporar a la sociedad civil y a las personas migrantes en el diseño de las políticas.",
            "Armonizar la legislación nacional con los principios rectores del Pacto Mundial.",
        ),
        "practices": (
            "Una ventanilla única atiende a personas migrantes y retornadas en un solo lugar",
            "Una campaña nacional contra la xenofobia se realizó junto con los municipios",
            "Un programa de mentoría laboral vincula a personas migrantes con empresas locales",
            "Equipos móviles brindan documentación y orientación jurídica en zonas rurales",
        ),
        "objective": "Objetivo {n}: {title}.",
        "result": "Como resultado, {share} % de la población destinataria recibió atención en {year}.",
    },
    "en": {
        "actors": (
            "The Ministry of Foreign Affairs",
            "The national migration authority",
            "The Ministry of Labour",
            "The inter-agency working group on human mobility",
            "The national statistics office",
            "The ombudsperson's office",
            "Local governments in border areas",
            "The consular service",
        ),
        "actions": (
            "adopted",
            "launched",
            "updated",
            "expanded",
            "evaluated",
            "coordinated with civil society organisations",
            "funded with the support of international cooperation",
            "institutionalised",
        ),
        "instruments": (
            "a protocol for assisting migrants in vulnerable situations",
            "a national strategy for socio-economic integration",
            "a system to register and document migrants",
            "a regularisation programme",
            "a protection pathway for unaccompanied and separated children",
            "a mechanism to recognise skills and qualifications",
            "an emergency response plan for border areas",
            "an information platform on regular migration pathways",
        ),
        "purposes": (
            "to guarantee access to basic services",
            "with a human rights, gender-responsive and child-sensitive approach",
            "within the framework of regional cooperation",
            "to reduce irregular migration and its risks",
            "with data disaggregated by sex, age and migration status",
            "in coordination with countries of origin, transit and destination",
        ),
        "challenges": (
            "Budget constraints and a high turnover of trained staff persist.",
            "Available information is neither disaggregated nor comparable across institutions.",
            "Coordination between the national level and local governments remains weak.",
            "Growing mixed movements exceed the capacity of reception services.",
            "Xenophobia and misinformation hinder integration in host communities.",
            "The legal framework has not yet been aligned with the commitments of the Compact.",
            "The effects of the COVID-19 pandemic still weigh on public services.",
        ),
        "priorities": (
            "Strengthen regional cooperation and information exchange between countries.",
            "Extend the programmes' territorial coverage to border municipalities.",
            "Improve the interoperability of registration systems and their data protection.",
            "Secure multi-year funding and continuous training of staff.",
            "Involve civil society and migrants themselves in designing policies.",
            "Align national legislation with the guiding principles of the Global Compact.",
        ),
        "practices": (
            "A one-stop shop serves migrants and returnees in a single place",
            "A national campaign against xenophobia was run together with municipalities",
            "A job-mentoring programme connects migrants with local employers",
            "Mobile teams provide documentation and legal advice in rural areas",
        ),
        "objective": "Objective {n}: {title}.",
        "result": "As a result, {share}% of the target population was assisted in {year}.",
    },
}


def _sentence(rng: random.Random, vocab: dict) -> str:
    action = rng.choice(vocab["actions"])
    return f"{rng.choice(vocab['actors'])} {action} {rng.choice(vocab['instruments'])} {rng.choice(vocab['purposes'])}."


def _words(texts: Iterable[str]) -> int:
    return sum(len(t.split()) for t in texts)


def narrative(rng: random.Random, lang: str, objective: int, title: str, year: int) -> dict[str, str]:
    """Progress, challenges, priorities and a good practice: 150–400 words in all, in `lang`."""
    vocab = _VOCAB[lang]
    target = rng.randint(150, 370)  # the last sentence added is at most 30 words long
    progress = [vocab["objective"].format(n=objective, title=title), _sentence(rng, vocab)]
    challenges = [rng.choice(vocab["challenges"])]
    priorities = [rng.choice(vocab["priorities"])]
    practice = []
    if rng.random() < 0.6:
        practice = [f"{rng.choice(vocab['practices'])} {rng.choice(vocab['purposes'])}."]
    parts = (progress, progress, progress, challenges, priorities)  # progress grows fastest
    while _words(progress + challenges + priorities + practice) < target:
        part = rng.choice(parts)
        if part is progress and rng.random() < 0.25:
            part.append(vocab["result"].format(share=rng.randint(12, 95), year=year))
        elif part is progress:
            part.append(_sentence(rng, vocab))
        else:
            unused = [s for s in vocab["challenges" if part is challenges else "priorities"] if s not in part]
            part.append(rng.choice(unused) if unused else _sentence(rng, vocab))
    return {
        "progress": " ".join(progress),
        "challenges": " ".join(challenges),
        "priorities": " ".join(priorities),
        "good_practice": " ".join(practice),
    }


def _pick_countries(ref: Reference, members: tuple[Member, ...], count: int) -> list[Member]:
    """The reference data's countries first (their names win), then the other members by ISO3."""
    by_code = {m.iso3: m for m in members}
    known = [Member(c.iso3, c.name.en, c.name.es) for c in ref.countries if c.iso3 in by_code]
    known_codes = {m.iso3 for m in known}
    others = [m for m in members if m.iso3 not in known_codes]
    return (known + others)[: max(0, min(count, len(members)))]


def _synthetic_cycles(ref: Reference, count: int) -> tuple[list[str], list[dict]]:
    """Ids of the cycles to fill, and rows for the synthetic ones beyond data/cycles.yaml.

    Real cycles alternate a regional review and the IMRF; synthetic ones continue the pattern
    every two years after the last real one, with ids that cannot collide with a real cycle.
    """
    real = sorted(ref.cycles, key=lambda c: c.start)
    chosen = [c.id for c in real[:count]]
    rows = []
    regional = [c for c in real if c.grouping == "lac2021"]
    kinds = regional[-1:] + [c for c in real if c.grouping == "imrf2022"][-1:]
    for i in range(max(0, count - len(real))):
        # a regional review every four years and the IMRF the year after it, as in cycles.yaml
        year = regional[-1].start.year + 4 * (i // 2 + 1) + i % 2
        template = kinds[i % len(kinds)]
        name = template.name.en.rsplit(" ", 1)[0], template.name.es.rsplit(" ", 1)[0]
        short = template.short.en.rsplit(" ", 1)[0], template.short.es.rsplit(" ", 1)[0]
        cycle_id = f"synth-{template.id.rstrip('0123456789')}{year}"
        start = dt.date(year, template.start.month, template.start.day)
        rows.append(
            {
                "id": cycle_id,
                "name_en": f"{name[0]} {year} (synthetic)",
                "name_es": f"{name[1]} {year} (sintético)",
                "short_en": f"{short[0]} {year} (synth.)",
                "short_es": f"{short[1]} {year} (sint.)",
                "start": start,
                "end": start + (template.end - template.start),
                "grouping_id": template.grouping,
                "grouping_confirmed": False,
                "is_open": False,
                "is_locked": False,
                "deadline": None,
            }
        )
        chosen.append(cycle_id)
    return chosen, rows


def _batches(rows: list[dict]) -> Iterable[list[dict]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _insert(session: Session, model: type, rows: list[dict]) -> None:
    for batch in _batches(rows):
        session.execute(insert(model), batch)


def _insert_returning_ids(session: Session, rows: list[dict]) -> list[int]:
    """Insert reports in batches; their ids in the same order (the database's own sequence assigns them)."""
    report = models.ObjectiveReport
    statement = insert(report).returning(report.id, sort_by_parameter_order=True)
    return [row_id for batch in _batches(rows) for row_id in session.scalars(statement, batch)]


def _state(rng: random.Random, newest_open: bool) -> str:
    if newest_open:
        return rng.choices(("draft", "submitted", "returned", "validated"), (40, 25, 10, 25))[0]
    return rng.choices(("submitted", "returned", "validated"), (12, 3, 85))[0]


def load_synth(
    session: Session, ref: Reference, reference_dir: Path, *, countries: int, cycles: int, seed: int
) -> SynthResult:
    """Write synthetic reports for `countries` UN members × `cycles` cycles, deterministically for `seed`.

    Refuses (`SynthRefused`) where any real report exists. Demo reports and an earlier synthetic
    load are removed first, since they would overlap.
    """
    if queries.report_counts(session)["real"]:
        raise SynthRefused
    remove_synth(session)
    demo_removed = services.remove_demo_reports(session)
    rng = random.Random(seed)
    members = _pick_countries(ref, un_members(reference_dir), countries)
    existing = set(session.scalars(select(models.Country.iso3)))
    new_countries = [
        {"iso3": m.iso3, "name_en": m.name_en, "name_es": m.name_es} for m in members if m.iso3 not in existing
    ]
    cycle_ids, new_cycles = _synthetic_cycles(ref, cycles)
    _insert(session, models.Country, new_countries)
    _insert(session, models.Cycle, new_cycles)
    marks = [{"key": COUNTRY_MARK + c["iso3"], "value": "1"} for c in new_countries]
    marks += [{"key": CYCLE_MARK + c["id"], "value": "1"} for c in new_cycles]
    _insert(session, models.AppSetting, marks)

    starts = {c.id: c.start for c in ref.cycles} | {c["id"]: c["start"] for c in new_cycles}
    open_cycles = {c.id for c in ref.cycles if c.is_open}
    statuses = [s.key for s in ref.statuses]
    principles = [p.key for p in ref.principles]
    categories = [c.key for c in ref.categories]
    titles = {o.number: {"es": o.short.es, "en": o.short.en} for o in ref.objectives}
    # Per-country traits stay the same across cycles, so each country's story is coherent.
    traits = {m.iso3: (rng.gauss(1.3, 0.6), rng.uniform(0.35, 0.95)) for m in members}
    objective_effect = {o.number: rng.gauss(0, 0.5) for o in ref.objectives}

    # Tags and revisions name their report by its position in `reports` until the ids are known.
    reports, tags, revisions, submissions = [], [], [], []
    for index, cycle_id in enumerate(cycle_ids):
        at = dt.datetime.combine(starts[cycle_id], dt.time(12), dt.UTC) - dt.timedelta(days=30)
        for member in members:
            level_bias, coverage = traits[member.iso3]
            coverage = min(1.0, coverage + 0.05 * index)
            lang = "es" if member.iso3 in SPANISH_SPEAKING else "en"
            written = 0
            for objective in sorted(titles):
                if rng.random() > coverage:
                    continue
                drift = 0.3 * index + objective_effect[objective] + rng.gauss(0, 0.8)
                level = max(0, min(len(statuses) - 1, round(level_bias + drift)))
                texts = narrative(rng, lang, objective, titles[objective][lang], starts[cycle_id].year)
                chosen = {
                    "principles": sorted(rng.sample(principles, k=rng.randint(1, 4))),
                    "challenge_categories": sorted(rng.sample(categories, k=rng.randint(1, 3))),
                    "priority_categories": sorted(rng.sample(categories, k=rng.randint(1, 3))),
                }
                priority = rng.random() < 0.25
                position = len(reports)
                reports.append(
                    {
                        "country_iso3": member.iso3,
                        "cycle_id": cycle_id,
                        "objective": objective,
                        "status": statuses[level],
                        **texts,
                        "national_priority": priority,
                        "evidence_links": [],
                        "is_demo": True,
                        "updated_by": SYNTH_AUTHOR,
                        "updated_at": at,
                        "version": 1,
                    }
                )
                for kind, field in (("principle", "principles"), ("challenge", "challenge_categories")):
                    tags += [{"report_id": position, "kind": kind, "key": k} for k in chosen[field]]
                tags += [{"report_id": position, "kind": "priority", "key": k} for k in chosen["priority_categories"]]
                snapshot = {"status": statuses[level], **texts, **chosen}
                snapshot |= {"national_priority": priority, "evidence_links": []}
                revisions.append(
                    {
                        "report_id": position,
                        "version": 1,
                        "action": "create",
                        "at": at,
                        "by": SYNTH_AUTHOR,
                        "changes": {},
                        "snapshot": snapshot,
                    }
                )
                written += 1
            if written:
                submissions.append(
                    {
                        "country_iso3": member.iso3,
                        "cycle_id": cycle_id,
                        "state": _state(rng, cycle_id in open_cycles),
                        "comment": "",
                        "updated_by": SYNTH_AUTHOR,
                        "updated_at": at,
                    }
                )
    ids = _insert_returning_ids(session, reports)
    for row in tags:
        row["report_id"] = ids[row["report_id"]]
    for row in revisions:
        row["report_id"] = ids[row["report_id"]]
    _insert(session, models.ReportTag, tags)
    _insert(session, models.ReportRevision, revisions)
    session.execute(delete(models.Submission).where(models.Submission.updated_by == SYNTH_AUTHOR))
    _insert(session, models.Submission, submissions)
    services.bump_revision(session)
    refresh_statistics(session, force=True)
    return SynthResult(len(reports), len(new_countries), len(new_cycles), demo_removed)


def _marked(session: Session, prefix: str) -> list[str]:
    keys = session.scalars(select(models.AppSetting.key).where(models.AppSetting.key.startswith(prefix)))
    return [k.removeprefix(prefix) for k in keys]


def remove_synth(session: Session) -> int:
    """Delete the synthetic reports, submissions, countries and cycles, and only them; return the report count.

    A synthetic country or cycle that something real now refers to (an account, a real report, a
    declaration) is kept, and stays marked so that a later removal can try again.
    """
    report = models.ObjectiveReport
    ids = select(report.id).where(report.is_demo.is_(True), report.updated_by == SYNTH_AUTHOR)
    session.execute(delete(models.ReportTag).where(models.ReportTag.report_id.in_(ids)))
    session.execute(delete(models.ReportRevision).where(models.ReportRevision.report_id.in_(ids)))
    count = session.execute(delete(report).where(report.is_demo.is_(True), report.updated_by == SYNTH_AUTHOR)).rowcount
    session.execute(delete(models.Submission).where(models.Submission.updated_by == SYNTH_AUTHOR))
    used_countries = set(session.scalars(select(report.country_iso3).distinct()))
    used_countries |= set(session.scalars(select(models.Submission.country_iso3).distinct()))
    used_countries |= set(session.scalars(select(models.UserAccount.country_iso3).distinct()))
    used_cycles = set(session.scalars(select(report.cycle_id).distinct()))
    used_cycles |= set(session.scalars(select(models.Submission.cycle_id).distinct()))
    used_cycles |= set(session.scalars(select(models.Declaration.cycle_id)))
    countries = [c for c in _marked(session, COUNTRY_MARK) if c not in used_countries]
    cycles = [c for c in _marked(session, CYCLE_MARK) if c not in used_cycles]
    session.execute(delete(models.CountryMembership).where(models.CountryMembership.country_iso3.in_(countries)))
    revision = models.CountryRevision  # the counters of the countries and cycles removed (setup moves below)
    session.execute(delete(revision).where(or_(revision.country_iso3.in_(countries), revision.cycle_id.in_(cycles))))
    session.execute(delete(models.Country).where(models.Country.iso3.in_(countries)))
    session.execute(delete(models.Cycle).where(models.Cycle.id.in_(cycles)))
    marks = [COUNTRY_MARK + c for c in countries] + [CYCLE_MARK + c for c in cycles]
    session.execute(delete(models.AppSetting).where(models.AppSetting.key.in_(marks)))
    services.bump_revision(session)
    return count

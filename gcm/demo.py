"""An illustrative, deterministic data set: the 11 CRM members in the 2021 and 2022 cycles.

Every report it writes is flagged `is_demo`; pages say "illustrative data" while any exist.
Country reports are marked submitted or validated, so that every role sees them.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from gcm import models, queries, services
from gcm.bootstrap import refresh_statistics
from gcm.reference import Reference

DEMO_CYCLES = ("lac2021", "imrf2022")
DEMO_ACTOR = services.Actor(name=services.DEMO_AUTHOR, role="system")
SEED = 20220331  # first day of the CRM workshop in the seed agenda

PROGRESS = (
    "Se aprobó una hoja de ruta interinstitucional para el objetivo {n}.",
    "Se puso en marcha un programa piloto en zonas fronterizas vinculado al objetivo {n}.",
    "Se actualizó el marco normativo con participación de la sociedad civil.",
    "Se capacitó a personal consular y migratorio en enfoque de derechos humanos.",
    "Se creó una mesa técnica con gobiernos locales y organismos internacionales.",
)
CHALLENGES = (
    "Recursos presupuestarios insuficientes y alta rotación de personal.",
    "Falta de datos desglosados por sexo, edad y situación migratoria.",
    "Coordinación limitada entre instituciones nacionales y locales.",
    "Efectos persistentes de la pandemia de COVID-19 en los servicios.",
)
PRIORITIES = (
    "Fortalecer la cooperación regional en el marco de la CRM.",
    "Ampliar la cobertura territorial del programa en 2023.",
    "Mejorar los sistemas de información y su interoperabilidad.",
    "Armonizar la legislación nacional con los compromisos del Pacto.",
)
PRACTICES = (
    "Ventanilla única de atención a personas migrantes retornadas.",
    "Campaña nacional contra la xenofobia con municipios.",
    "",
)
CRM_MEMBERS = ("BLZ", "CAN", "CRI", "SLV", "USA", "GTM", "HND", "MEX", "NIC", "PAN", "DOM")


class DemoRefused(Exception):
    """The database holds real reports; demo data must not be mixed in."""


def _report(rng: random.Random, ref: Reference, objective: int, level_bias: int) -> services.ReportInput:
    statuses = [s.key for s in ref.statuses]
    level = max(0, min(len(statuses) - 1, round(rng.gauss(level_bias, 1.1))))
    categories = [c.key for c in ref.categories]
    return services.ReportInput(
        status=statuses[level],
        progress=rng.choice(PROGRESS).format(n=objective),
        challenges=rng.choice(CHALLENGES),
        priorities=rng.choice(PRIORITIES),
        good_practice=rng.choice(PRACTICES),
        principles=tuple(sorted(rng.sample([p.key for p in ref.principles], k=rng.randint(1, 4)))),
        challenge_categories=tuple(sorted(rng.sample(categories, k=rng.randint(1, 2)))),
        priority_categories=tuple(sorted(rng.sample(categories, k=rng.randint(1, 2)))),
        national_priority=rng.random() < 0.3,
    )


def load_demo(session: Session, ref: Reference) -> int:
    """Write the demo reports; refuse if any real report exists. Returns how many were written."""
    if queries.report_counts(session)["real"]:
        raise DemoRefused
    services.remove_demo_reports(session)
    rng = random.Random(SEED)
    written = 0
    for cycle_number, cycle_id in enumerate(DEMO_CYCLES):
        for iso3 in CRM_MEMBERS:
            coverage = rng.uniform(0.45, 1.0)
            bias = rng.uniform(1.0, 2.6) + 0.4 * cycle_number
            for objective in ref.objectives:
                if rng.random() > coverage:
                    continue
                services.save_objective_report(
                    session,
                    ref,
                    DEMO_ACTOR,
                    country=iso3,
                    cycle_id=cycle_id,
                    objective=objective.number,
                    data=_report(rng, ref, objective.number, round(bias)),
                    expected_version=None,
                    is_demo=True,
                )
                written += 1
            state = "validated" if rng.random() < 0.75 else "submitted"
            session.merge(
                models.Submission(
                    country_iso3=iso3,
                    cycle_id=cycle_id,
                    state=state,
                    comment="",
                    updated_by=services.DEMO_AUTHOR,
                    updated_at=dt.datetime.now(dt.UTC),
                )
            )
    services.bump_revision(session)
    refresh_statistics(session, force=True)
    return written

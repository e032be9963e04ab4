"""Reports in two cycles with chosen workflow states, shared by the profile and comparison tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from gcm import models
from gcm.db import write_session
from gcm.permissions import SYSTEM, ReadScope
from gcm.reference import Reference
from gcm.services import ReportInput, save_objective_report

A, B = "lac2021", "imrf2022"
ANALYST = ReadScope(states=("submitted", "validated"))
PUBLIC = ReadScope(states=("validated",))
ADMIN = ReadScope(states=None)
GTM_DELEGATE = ReadScope(states=("submitted", "validated"), own_country="GTM")

# (country, cycle, objective, status, national priority, progress)
REPORTS = [
    ("MEX", A, 1, "planning", False, "Se aprobó una hoja de ruta."),
    ("MEX", B, 1, "advanced", True, "Se aprobó y financió una hoja de ruta."),
    ("MEX", A, 2, "full", True, ""),
    ("MEX", B, 2, "initial", False, ""),
    ("MEX", A, 3, "initial", False, ""),
    ("MEX", B, 3, "initial", False, ""),
    ("MEX", B, 4, "planning", False, ""),
    ("MEX", A, 5, "advanced", False, ""),
    ("GTM", A, 1, "no_action", False, "Borrador no visible."),
    ("GTM", B, 1, "full", True, "Borrador de 2022."),
    ("ARG", B, 1, "full", False, ""),  # not a CRM member
]
STATES = {("MEX", A): "validated", ("MEX", B): "submitted", ("GTM", A): "validated", ("GTM", B): "draft"}


def load(engine: Engine, ref: Reference) -> None:
    with write_session(engine) as session:
        for country, cycle, objective, status, priority, progress in REPORTS:
            save_objective_report(
                session,
                ref,
                SYSTEM,
                country=country,
                cycle_id=cycle,
                objective=objective,
                data=ReportInput(status=status, national_priority=priority, progress=progress, challenges="Falta."),
                expected_version=None,
            )
        for (country, cycle), state in {**STATES, ("ARG", B): "validated"}.items():
            session.merge(
                models.Submission(
                    country_iso3=country,
                    cycle_id=cycle,
                    state=state,
                    comment="",
                    updated_by="t",
                    updated_at=dt.datetime.now(dt.UTC),
                )
            )

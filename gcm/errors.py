"""Errors fit for a user: a catalogue key under `error.`, the field concerned, and parameters."""

from __future__ import annotations


class DomainError(Exception):
    """An error fit for a user: `code` is a catalogue key under `error.`, `params` fill it in."""

    def __init__(self, code: str, field: str | None = None, **params: object) -> None:
        self.code, self.field, self.params = code, field, params
        super().__init__(f"{code} ({field})" if field else code)


class ValidationError(DomainError):
    """One or more fields are invalid; `errors` lists every problem, not just the first."""

    def __init__(self, errors: list[DomainError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.code, first.field, **first.params)


class ConflictError(DomainError):
    """Someone else saved since the form was drawn; `current` holds what is stored now."""

    def __init__(self, version: int, current: dict | None = None) -> None:
        super().__init__("conflict", None, version=version)
        self.current = current


class PermissionDenied(DomainError):
    """The acting user may not do this; services raise it, and it is written to the audit log."""

"""Where apps above the plan add to the plan's own pages without the plan importing them (ADR 0055,
ADR 0103): a part of the initiative's web form, columns of the follow-up export and sections of the
annual report's snapshot. An app registers in its AppConfig.ready(); the plan asks what is registered.

    from civsam.plan import extensions
    extensions.register_form_part(extensions.FormPart("funding-lines", build_part))
    extensions.register_export_column(Column(...), prefetch=("funding_lines__source",))
    extensions.register_report_section(ReportSection("co_financing", build_section, "app/_section.html"))

Registering the same key again replaces the earlier entry (a second ready() is harmless).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from civsam.core.exports import Column


class PartRejected(Exception):
    """A form part's save was refused; its errors are on the part (shown by its template). The
    view rolls the whole form back."""


class InitiativeFormPart(Protocol):
    """One part of the initiative's form: rendered by its template with `part` in the context,
    checked with the initiative's own fields, saved in the same transaction after them."""

    key: str
    template_name: str
    formset: Any  # counted by the form's error summary
    other_errors: list[str]  # errors that belong to no row

    def is_valid(self) -> bool: ...

    def has_errors(self) -> bool: ...

    def save(self, *, actor, initiative) -> None:
        """Write the part for the initiative; raise PartRejected (errors kept on the part)."""
        ...


@dataclass(frozen=True)
class FormPart:
    key: str
    # build(data=request.POST or None, initiative=None when registering a new one, user=...)
    build: Callable[..., InitiativeFormPart]


@dataclass(frozen=True)
class ExportColumn:
    column: Column
    prefetch: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class ReportSection:
    """A section of the annual report: build(plan, year) returns plain JSON, stored in the snapshot
    under snapshot["sections"][key] (so a published report keeps it); the template renders it with
    `section` in the context."""

    key: str
    build: Callable[..., Any]
    template_name: str


_form_parts: dict[str, FormPart] = {}
_export_columns: dict[str, ExportColumn] = {}
_report_sections: dict[str, ReportSection] = {}


def register_form_part(part: FormPart) -> None:
    _form_parts[part.key] = part


def form_parts(*, data, initiative, user) -> list[InitiativeFormPart]:
    """The registered parts of the initiative's form, built for this request."""
    return [part.build(data=data, initiative=initiative, user=user) for part in _form_parts.values()]


def register_export_column(column: Column, *, prefetch: tuple[str, ...] = ()) -> None:
    _export_columns[column.key] = ExportColumn(column, tuple(prefetch))


def export_columns() -> list[ExportColumn]:
    return list(_export_columns.values())


def register_report_section(section: ReportSection) -> None:
    _report_sections[section.key] = section


def report_sections() -> list[ReportSection]:
    return list(_report_sections.values())

"""What the template library hands out (templates, versions, revisions) and what it refuses with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import NotFound, RuleViolation
from domain.template_diff import TemplateDiff
from domain.template_proposal import Proposal
from eventstore.schema import utc

ACTIVE, RETIRED = "active", "retired"


@dataclass(frozen=True)
class VersionSummary:
    """One version in a template's history: when, by whom, why."""

    version: int
    created_at: datetime
    actor: str
    note: str


@dataclass(frozen=True)
class TemplateVersion(VersionSummary):
    """One version with its body in data form (see `domain.templates.body_to_data`)."""

    template_id: str
    body: dict


@dataclass(frozen=True)
class Template:
    """A template of an organisation: its current version and, read whole, that version's body and every version."""

    template_id: str
    organisation_id: str
    name: str
    role: str
    status: str
    current_version: int
    created_at: datetime
    retired_at: datetime | None
    versions: tuple[VersionSummary, ...] = ()
    body: dict | None = None


@dataclass(frozen=True)
class AffectedClient:
    """A client whose plan came from an earlier version, and what the new version changes against it."""

    client_id: str
    applied_version: int
    applied_at: datetime
    diff: TemplateDiff


@dataclass(frozen=True)
class Revision:
    """A new version, and the clients whose plans came from an earlier one."""

    template: Template
    version: TemplateVersion
    affected_clients: list[AffectedClient]


@dataclass(frozen=True)
class TemplateProposal:
    """A template version dated for one client: nothing is written until the coach accepts."""

    client_id: str
    template: Template
    version: int
    proposal: Proposal


@dataclass(frozen=True)
class TemplatePage:
    """One page of templates by id; `next_after` is the id to continue after (None on the last page)."""

    items: list[Template]
    next_after: str | None


def template_from_row(
    row, versions: tuple[VersionSummary, ...] = (), body: dict | None = None
) -> Template:
    """A template from its `templates` row, with its history and current body when read whole."""
    r = row._mapping
    return Template(
        r["id"],
        r["organisation_id"],
        r["name"],
        r["role"],
        r["status"],
        r["current_version"],
        utc(r["created_at"]),
        utc(r["retired_at"]),
        versions,
        body,
    )


def version_from_row(row) -> TemplateVersion:
    """One version from its `template_versions` row."""
    r = row._mapping
    return TemplateVersion(
        r["version"], utc(r["created_at"]), r["actor"], r["note"], r["template_id"], r["body"]
    )


class TemplateNotFound(NotFound):
    """The organisation has no such template (another organisation's is not found either): 404."""

    code = "template_not_found"


class TemplateVersionNotFound(NotFound):
    """The template has no such version: 404."""

    code = "template_version_not_found"


class TemplateRetired(RuleViolation):
    """A retired template is kept for its history but neither revised nor applied: 409."""

    code = "template_retired"

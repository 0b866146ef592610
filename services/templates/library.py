"""The organisation's template library: create, list, read, revise, retire; propose and apply to a client.

A template is versioned: creating it writes version 1, each revision the
next version beside the earlier ones (nothing is overwritten), and retiring
keeps them all but refuses revising and applying. A revision answers with the
clients whose plans came from an earlier version and what the new one changes
against theirs (from `projections.template_applications`, caught up first).
Applying goes through the career plans' `ApplyTemplate` command, so it takes
If-Match and Idempotency-Key like any plan command.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from domain.commands import ApplyTemplate
from domain.errors import NothingChanged
from domain.template_diff import diff
from domain.templates import body_from_data, body_to_data, checked_body
from domain.text import require_text
from eventstore.schema import utc
from projections.runner import ProjectionRunner
from projections.tables import template_applications
from projections.template_applications import TemplateApplications
from services.plans import CareerPlans, Clock, CommandContext, CommandResult
from services.templates.records import (
    ACTIVE,
    RETIRED,
    AffectedClient,
    Revision,
    Template,
    TemplateNotFound,
    TemplatePage,
    TemplateProposal,
    TemplateRetired,
    TemplateVersion,
    TemplateVersionNotFound,
    VersionSummary,
    template_from_row,
    version_from_row,
)
from services.templates.tables import template_versions, templates


class Templates:
    """The organisations' programme templates."""

    def __init__(
        self, engine: sa.Engine, clock: Clock, plans: CareerPlans, runner: ProjectionRunner
    ):
        self._engine = engine
        self._clock = clock
        self._plans = plans
        self._runner = runner

    def create(
        self, organisation_id: str, name: str, body: dict, actor: str, note: str = ""
    ) -> Template:
        """A new active template at version 1; the body is checked first (a DomainError names the fault)."""
        checked = checked_body(body_from_data(body))
        now = self._clock()
        template_id = str(uuid.uuid4())
        row = {
            "id": template_id,
            "organisation_id": organisation_id,
            "name": require_text(name, "the template's name"),
            "role": checked.destination.role,
            "status": ACTIVE,
            "current_version": 1,
            "created_at": now,
            "retired_at": None,
        }
        with self._engine.begin() as conn:
            conn.execute(templates.insert().values(row))
            self._insert_version(conn, template_id, 1, body_to_data(checked), actor, note)
        return self.get(organisation_id, template_id)

    def page(
        self,
        organisation_id: str,
        *,
        status: str | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> TemplatePage:
        """Up to `limit` templates after `after`, by id; `status` narrows to active or retired."""
        query = (
            sa.select(templates)
            .where(templates.c.organisation_id == organisation_id)
            .order_by(templates.c.id)
            .limit(limit + 1)
        )
        if status is not None:
            query = query.where(templates.c.status == status)
        if after is not None:
            query = query.where(templates.c.id > after)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        items = [template_from_row(row) for row in rows[:limit]]
        return TemplatePage(items, items[-1].template_id if len(rows) > limit else None)

    def get(self, organisation_id: str, template_id: str) -> Template:
        """The template with its current version's body and the history of its versions, oldest first."""
        with self._engine.connect() as conn:
            row = self._row(conn, organisation_id, template_id)
            versions = conn.execute(
                sa.select(
                    template_versions.c.version,
                    template_versions.c.created_at,
                    template_versions.c.actor,
                    template_versions.c.note,
                )
                .where(template_versions.c.template_id == template_id)
                .order_by(template_versions.c.version)
            ).all()
            current = self._version(conn, template_id, row.current_version)
        summaries = tuple(version_from_summary(v) for v in versions)
        return template_from_row(row, summaries, current.body)

    def check(self, organisation_id: str, template_id: str) -> None:
        """TemplateNotFound unless the organisation has the template (another organisation's included)."""
        with self._engine.connect() as conn:
            self._row(conn, organisation_id, template_id)

    def version(self, organisation_id: str, template_id: str, version: int) -> TemplateVersion:
        """One version of the template, with its body."""
        with self._engine.connect() as conn:
            self._row(conn, organisation_id, template_id)
            return self._version(conn, template_id, version)

    def revise(
        self, organisation_id: str, template_id: str, body: dict, actor: str, note: str = ""
    ) -> Revision:
        """Write the next version; the clients whose plans came from an earlier one, with what differs."""
        checked = checked_body(body_from_data(body))
        with self._engine.begin() as conn:
            row = self._row(conn, organisation_id, template_id, lock=True)
            if row.status == RETIRED:
                raise TemplateRetired(f"template {template_id} was retired: it is not revised")
            current = checked_body(
                body_from_data(self._version(conn, template_id, row.current_version).body)
            )
            if diff(current, checked).empty:
                raise NothingChanged(
                    f"this body is version {row.current_version} of the template already"
                )
            number = row.current_version + 1
            self._insert_version(conn, template_id, number, body_to_data(checked), actor, note)
            conn.execute(
                templates.update()
                .where(templates.c.id == template_id)
                .values(current_version=number, role=checked.destination.role)
            )
        affected = self._affected(organisation_id, template_id, number, checked)
        return Revision(
            self.get(organisation_id, template_id),
            self.version(organisation_id, template_id, number),
            affected,
        )

    def retire(self, organisation_id: str, template_id: str) -> Template:
        """Retire the template: its versions stay readable, it is no longer revised or applied."""
        with self._engine.begin() as conn:
            row = self._row(conn, organisation_id, template_id, lock=True)
            if row.status == RETIRED:
                raise TemplateRetired(f"template {template_id} was retired already")
            conn.execute(
                templates.update()
                .where(templates.c.id == template_id)
                .values(status=RETIRED, retired_at=self._clock())
            )
        return self.get(organisation_id, template_id)

    def propose(
        self, organisation_id: str, client_id: str, template_id: str, version: int | None = None
    ) -> TemplateProposal:
        """The template version (current unless named) dated for the client; nothing is written."""
        command, template = self._command(organisation_id, template_id, version)
        plan = self._plans.load(organisation_id, client_id).plan
        proposal = plan.template_proposal(command, self._clock())
        return TemplateProposal(client_id, template, command.template_version, proposal)

    def apply(
        self,
        client_id: str,
        template_id: str,
        context: CommandContext,
        *,
        version: int | None = None,
        requirement_keys: tuple[str, ...] | None = None,
        goal_keys: tuple[str, ...] | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        """Add what the coach accepts of the version to the client's plan, as one command."""
        command, _ = self._command(context.organisation_id, template_id, version)
        command = ApplyTemplate(
            template_id=command.template_id,
            template_version=command.template_version,
            template_name=command.template_name,
            body=command.body,
            requirement_keys=requirement_keys,
            goal_keys=goal_keys,
        )
        return self._plans.execute(client_id, command, context, expected_version=expected_version)

    def _command(
        self, organisation_id: str, template_id: str, version: int | None
    ) -> tuple[ApplyTemplate, Template]:
        with self._engine.connect() as conn:
            row = self._row(conn, organisation_id, template_id)
            if row.status == RETIRED:
                raise TemplateRetired(f"template {template_id} was retired: it is not applied")
            found = self._version(conn, template_id, version or row.current_version)
        command = ApplyTemplate(
            template_id=template_id,
            template_version=found.version,
            template_name=row.name,
            body=checked_body(body_from_data(found.body)),
        )
        return command, template_from_row(row)

    def _affected(self, organisation_id, template_id, number, body) -> list[AffectedClient]:
        self._catch_up()
        with self._engine.connect() as conn:
            rows = conn.execute(
                sa.select(template_applications)
                .where(
                    template_applications.c.organisation_id == organisation_id,
                    template_applications.c.template_id == template_id,
                    template_applications.c.template_version < number,
                )
                .order_by(template_applications.c.applied_at, template_applications.c.event_id)
            ).all()
            latest: dict[str, sa.Row] = {}
            for row in rows:  # a client's latest application before this version is what they have
                if (
                    row.client_id not in latest
                    or row.template_version >= latest[row.client_id].template_version
                ):
                    latest[row.client_id] = row
            diffs = {
                v: diff(
                    checked_body(body_from_data(self._version(conn, template_id, v).body)), body
                )
                for v in {row.template_version for row in latest.values()}
            }
        return [
            AffectedClient(
                r.client_id, r.template_version, utc(r.applied_at), diffs[r.template_version]
            )
            for r in sorted(latest.values(), key=lambda r: r.client_id)
        ]

    def _catch_up(self) -> None:
        """Bring the applications view up to the head of the feed before a revision reads it."""
        (projection,) = [p for p in self._runner.projections if isinstance(p, TemplateApplications)]
        while self._runner.run_once(projection) >= self._runner.batch_size:
            pass

    @staticmethod
    def _row(conn: sa.Connection, organisation_id: str, template_id: str, lock: bool = False):
        query = sa.select(templates).where(
            templates.c.organisation_id == organisation_id, templates.c.id == template_id
        )
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise TemplateNotFound(f"this organisation has no template {template_id}")
        return row

    @staticmethod
    def _version(conn: sa.Connection, template_id: str, version: int) -> TemplateVersion:
        row = conn.execute(
            sa.select(template_versions).where(
                template_versions.c.template_id == template_id,
                template_versions.c.version == version,
            )
        ).first()
        if row is None:
            raise TemplateVersionNotFound(f"template {template_id} has no version {version}")
        return version_from_row(row)

    def _insert_version(self, conn, template_id, number, body, actor, note) -> None:
        conn.execute(
            template_versions.insert().values(
                template_id=template_id,
                version=number,
                body=body,
                created_at=self._clock(),
                actor=actor,
                note=(note or "").strip(),
            )
        )


def version_from_summary(row) -> VersionSummary:
    """A version's place in a template's history, from its row (without the body)."""
    return VersionSummary(row.version, utc(row.created_at), row.actor, row.note)

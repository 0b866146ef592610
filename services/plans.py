"""The career-plan use cases: load a plan, run a command against it, append the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from domain.commands import Command, EnrolClient
from domain.decide import decide
from domain.errors import NotFound
from domain.plan import CareerPlan
from eventstore import ConcurrencyConflict, EventStore, StoredEvent
from services.event_mapping import stream_id, to_domain, to_new_events

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ClientNotFound(NotFound):
    """No such client in the caller's organisation (another organisation's client is not found either)."""

    code = "client_not_found"


class ClientForgotten(ClientNotFound):
    """The client was forgotten: their personal data is erased and their plan takes no more commands."""

    code = "client_forgotten"


@dataclass(frozen=True)
class CommandContext:
    """Who asks, and on behalf of which request: becomes every event's metadata."""

    organisation_id: str
    actor: str
    correlation_id: str
    causation_id: str | None = None
    idempotency_key: str | None = None

    def metadata(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class CommandResult:
    """What a command stored: the plan's new version and the events appended."""

    client_id: str
    version: int
    events: list[StoredEvent]
    replayed: bool = False  # True when an idempotent retry returned earlier events


@dataclass(frozen=True)
class LoadedPlan:
    plan: CareerPlan
    version: int


class CareerPlans:
    """Application service for career plans, shared by the API and the workers."""

    def __init__(self, store: EventStore, clock: Clock = utc_now, conflict_retries: int = 3):
        self._store = store
        self._clock = clock
        self._conflict_retries = conflict_retries

    def load(
        self, organisation_id: str, client_id: str, *, as_of: datetime | None = None
    ) -> LoadedPlan:
        """The client's plan (as it stood at `as_of`, if given); ClientNotFound across organisations."""
        stored = self._store.read_stream(stream_id(client_id), as_of=as_of)
        if not stored or stored[0].data.get("organisation_id") != organisation_id:
            raise ClientNotFound(f"client {client_id} was not found")
        _refuse_forgotten(client_id, stored, organisation_id)
        return LoadedPlan(CareerPlan.replay(to_domain(e) for e in stored), len(stored))

    def execute(
        self,
        client_id: str,
        command: Command,
        context: CommandContext,
        expected_version: int | None = None,
    ) -> CommandResult:
        """Decide `command` on the client's plan and append its events.

        With `expected_version` a moved-on stream is a ConcurrencyConflict; without
        it, the command is decided again on the current plan. A command retried
        with the same idempotency key returns the events the first call stored.
        """
        for attempt in range(self._conflict_retries + 1):
            stored = self._store.read_stream(stream_id(client_id))
            if earlier := self._earlier_result(client_id, stored, context):
                return earlier
            version = len(stored)
            if expected_version is not None and expected_version != version:
                raise ConcurrencyConflict(stream_id(client_id), expected_version, version)
            _refuse_forgotten(client_id, stored, context.organisation_id)
            plan = CareerPlan.replay(to_domain(e) for e in stored)
            self._check_tenant(client_id, plan, command, context, version)
            events = decide(plan, command, self._clock(), discard_plan=True)  # replayed for this only
            new = to_new_events(client_id, events, context.metadata(), context.idempotency_key)
            try:
                appended = self._store.append(
                    stream_id(client_id), new, expected_version=version,
                    previous_hash=stored[-1].hash if stored else None,
                )
            except ConcurrencyConflict:
                if expected_version is not None or attempt == self._conflict_retries:
                    raise
                continue
            return CommandResult(client_id, appended[-1].stream_version if appended else version, appended)
        raise AssertionError("unreachable")

    @staticmethod
    def _earlier_result(
        client_id: str, stored: list[StoredEvent], context: CommandContext
    ) -> CommandResult | None:
        """The events an earlier call with the same idempotency key stored, if any."""
        if context.idempotency_key is None:
            return None
        earlier = [e for e in stored if e.metadata.get("idempotency_key") == context.idempotency_key]
        if not earlier:
            return None
        return CommandResult(client_id, earlier[-1].stream_version, earlier, replayed=True)

    @staticmethod
    def _check_tenant(client_id, plan, command, context, version) -> None:
        if version == 0 and isinstance(command, EnrolClient):
            if command.organisation_id != context.organisation_id:
                raise ClientNotFound(f"client {client_id} was not found")
            return
        if version and plan.organisation_id != context.organisation_id:
            raise ClientNotFound(f"client {client_id} was not found")


def _refuse_forgotten(client_id: str, stored: list[StoredEvent], organisation_id: str) -> None:
    """Refuse a stream whose personal data was erased: ClientForgotten to its own organisation only."""
    if not any(e.forgotten for e in stored):
        return
    if stored[0].data.get("organisation_id") == organisation_id:
        raise ClientForgotten(f"client {client_id} was forgotten: their personal data is erased")
    raise ClientNotFound(f"client {client_id} was not found")

"""The career-plan use cases: load a plan, run a command against it, append the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta, timezone

from domain.commands import Command, EnrolClient, ReassignCoach, RecordAlignmentCheck
from domain.dates import end_of_day, local_today
from domain.decide import decide
from domain.errors import NotFound, OccurredInFuture
from domain.plan import CareerPlan
from domain.rules.timing import CLOCK_SKEW
from eventstore import ConcurrencyConflict, EventStore, StoredEvent
from services.plans.event_mapping import stream_id, to_new_events
from services.plans.known_streams import KnownStream, KnownStreams

Clock = Callable[[], datetime]  # the one source of "now" the services, views and workers are given
# Refuses a coach a client may not be assigned to: (organisation_id, coach_id, request field) -> None.
CoachCheck = Callable[[str, str, str], None]


def utc_now() -> datetime:
    """The real clock: what production runs on (tests and the demo pass their own)."""
    return datetime.now(timezone.utc)


class ClientNotFound(NotFound):
    """No such client in the caller's organisation (another organisation's client is not found either)."""

    code = "client_not_found"


class NotEnrolledYet(NotFound):
    """The client exists, but was not enrolled yet at the moment asked about."""

    code = "not_enrolled_yet"


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

    def __init__(
        self,
        store: EventStore,
        clock: Clock = utc_now,
        conflict_retries: int = 3,
        skew: timedelta = CLOCK_SKEW,
        coach_check: CoachCheck | None = None,
    ):
        """`coach_check` (wired by the bootstrap) refuses enrolments and reassignments to a coach
        who is not an active coach of the organisation; without it any coach id is taken."""
        self._store = store
        self._coach_check = coach_check
        self._clock = clock
        self._skew = skew
        self._conflict_retries = conflict_retries
        self._streams = KnownStreams(store)

    def load(
        self,
        organisation_id: str,
        client_id: str,
        *,
        as_of: datetime | None = None,
        on: date | None = None,
    ) -> LoadedPlan:
        """The client's plan; ClientNotFound across organisations.

        Two past questions: `as_of` (recorded time) is the plan as the service
        knew it at that instant, for audits; `on` (business time) is the plan as
        it was at the end of that day on the client's calendar, as known now,
        for coaching. Before the client was enrolled, NotEnrolledYet.
        """
        if as_of is None:
            known = self._streams.read(stream_id(client_id))
        else:
            known = KnownStream().extended(
                self._store.read_stream(stream_id(client_id), as_of=as_of)
            )
            if (
                not known.version
                and self._streams.read(stream_id(client_id)).organisation_id == organisation_id
            ):
                raise NotEnrolledYet(
                    f"client {client_id} was not enrolled yet at {as_of.isoformat()}"
                )
        if not known.version or known.organisation_id != organisation_id:
            raise ClientNotFound(f"client {client_id} was not found")
        _refuse_forgotten(client_id, known, organisation_id)
        plan = CareerPlan.replay(known.events)
        if on is None:
            return LoadedPlan(plan, known.version)
        return LoadedPlan(_plan_on(client_id, known, plan, on), known.version)

    def execute(
        self,
        client_id: str,
        command: Command,
        context: CommandContext,
        expected_version: int | None = None,
        *,
        on: date | None = None,
        read: KnownStream | None = None,
    ) -> CommandResult:
        """Decide `command` on the client's plan and append its events.

        With `expected_version` a moved-on stream is a ConcurrencyConflict; without
        it, the command is decided again on the current plan. A command retried
        with the same idempotency key returns the events the first call stored.
        `on` (a re-alignment check of a past day) decides on the plan as it was
        at the end of that client-local day, and the events, dated then, join
        the current stream (see `_as_on`). `read` is the stream as `read_ahead`
        gave it: decided on first, and not kept in this process's memory.
        """
        stream, keep = stream_id(client_id), read is None
        for attempt in range(self._conflict_retries + 1):
            known = read if read is not None and not attempt else self._streams.read(stream)
            if earlier := self._earlier_result(client_id, known, context):
                return earlier
            version = known.version
            if expected_version is not None and expected_version != version:
                raise ConcurrencyConflict(stream, expected_version, version)
            _refuse_forgotten(client_id, known, context.organisation_id)
            plan = CareerPlan.replay(known.events)
            self._check_tenant(client_id, plan, command, context, version)
            self._check_coach(command, context)
            now = self._clock()
            if on is not None:
                plan.check_accepts(command)  # archived now: no check of a past day either
                plan, command = _as_on(client_id, known, plan, command, on, now)
            events = decide(
                plan, command, now, skew=self._skew, discard_plan=True
            )  # replayed for this only
            new = to_new_events(client_id, events, context.metadata(), context.idempotency_key)
            try:
                appended = self._store.append(
                    stream, new, expected_version=version, previous_hash=known.last_hash
                )
            except ConcurrencyConflict:
                self._streams.forget(
                    stream
                )  # read it whole again: what was kept may be what is stale
                if expected_version is not None or attempt == self._conflict_retries:
                    raise
                continue
            if keep:
                self._streams.appended(stream, known, appended)
            return CommandResult(
                client_id, appended[-1].stream_version if appended else version, appended
            )
        raise AssertionError("unreachable")

    def read_ahead(self, client_ids: list[str]) -> dict[str, KnownStream]:
        """The clients' streams read in one statement, for `execute(read=...)` on each of them."""
        ahead = self._streams.read_ahead([stream_id(client) for client in client_ids])
        return {client: ahead[stream_id(client)] for client in client_ids}

    @staticmethod
    def _earlier_result(
        client_id: str, known: KnownStream, context: CommandContext
    ) -> CommandResult | None:
        """The events an earlier call with the same idempotency key stored, if any."""
        if context.idempotency_key is None:
            return None
        earlier = known.by_idempotency_key.get(context.idempotency_key)
        if not earlier:
            return None
        return CommandResult(client_id, earlier[-1].stream_version, list(earlier), replayed=True)

    def _check_coach(self, command: Command, context: CommandContext) -> None:
        """A client's coach must be one the organisation may assign (before anything is written)."""
        if self._coach_check is not None and isinstance(command, EnrolClient | ReassignCoach):
            self._coach_check(context.organisation_id, command.coach_id, "coach_id")

    @staticmethod
    def _check_tenant(client_id, plan, command, context, version) -> None:
        if version == 0 and isinstance(command, EnrolClient):
            if command.organisation_id != context.organisation_id:
                raise ClientNotFound(f"client {client_id} was not found")
            return
        if version and plan.organisation_id != context.organisation_id:
            raise ClientNotFound(f"client {client_id} was not found")


def _as_on(
    client_id: str, known: KnownStream, plan: CareerPlan, command: Command, on: date, now: datetime
) -> tuple[CareerPlan, Command]:
    """The plan as it was at the end of the client's day `on`, and the command dated then.

    Only a re-alignment check may judge the past: any other command decided on
    an old state would contradict what happened since. The client's today is
    judged now; a later day is refused, and before enrolment is NotEnrolledYet.
    The past plan still knows every check id recorded, so none is recorded twice.
    """
    if not isinstance(command, RecordAlignmentCheck):
        raise TypeError(f"{type(command).__name__} cannot be decided as on a past day")
    today = local_today(now, plan.timezone)
    if on > today:
        raise OccurredInFuture(
            f"{on} is after the client's today ({today}): a check judges a day once it has come"
        )
    if on == today:
        return plan, command
    then = _plan_on(client_id, known, plan, on)
    then.alignment_check_ids = set(plan.alignment_check_ids)
    return then, replace(command, occurred_at=end_of_day(on, plan.timezone))


def _plan_on(client_id: str, known: KnownStream, plan: CareerPlan, on: date) -> CareerPlan:
    """The plan as it was at the end of the client's day `on`, as known now; NotEnrolledYet before enrolment."""
    then = CareerPlan.replay_as_on(known.events, end_of_day(on, plan.timezone))
    if not then.is_enrolled:
        enrolled = plan.enrolled_at.date() if plan.enrolled_at else None
        raise NotEnrolledYet(
            f"client {client_id} was not enrolled yet on {on} (enrolled {enrolled})"
        )
    return then


def _refuse_forgotten(client_id: str, known: KnownStream, organisation_id: str) -> None:
    """Refuse a stream whose personal data was erased: ClientForgotten to its own organisation only."""
    if not known.forgotten:
        return
    if known.organisation_id == organisation_id:
        raise ClientForgotten(f"client {client_id} was forgotten: their personal data is erased")
    raise ClientNotFound(f"client {client_id} was not found")

"""Typed settings read from environment variables, with clear errors at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from environs import Env, EnvError
from marshmallow.validate import Length, Range

EMBEDDED_DATABASE_URL = "sqlite:///var/careerplan.db"
# Only for the embedded SQLite default: API keys hashed under a public secret
# protect nothing, so a real deployment must set API_KEY_SECRET.
EMBEDDED_API_KEY_SECRET = "careerplan-embedded-default-not-a-secret"
MIN_API_KEY_SECRET_LENGTH = 32
# Likewise the master key that wraps each client's data key: a public key on the
# embedded default (forgetting still works: it destroys the data key itself).
EMBEDDED_MASTER_KEY = "Y2FyZWVycGxhbi1lbWJlZGRlZC1ub3QtYS1zZWNyZXQ="


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment."""

    database_url: str = EMBEDDED_DATABASE_URL
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    library_log_level: str = "WARNING"  # Flask, werkzeug, gunicorn, Dramatiq, APScheduler, Alembic
    migrate_on_start: bool = True
    api_key_secret: str | None = None
    redis_namespace: str = "careerplan"
    worker_threads: int = 4
    worker_heartbeat_timeout_ms: int = 30_000
    redis_maintenance_chance: int = 1000
    metrics_enabled: bool = True
    rate_limit: str = "600/minute"
    master_key: str | None = None
    clock_skew_seconds: int = 300
    webhook_allowed_hosts: tuple[str, ...] = ()
    webhook_secret_grace_hours: int = 24  # a rotated-out webhook secret still signs this long
    # Relayed work is owned by its outbox row for this long, then re-driven if the broker lost it;
    # the scheduler reconciles this often. Worst case after a loss: lease + interval (2 minutes).
    outbox_lease_seconds: int = 60
    reconcile_seconds: int = 60
    # Bounded waits: no request, job or probe hangs on a database or Redis that stops answering.
    database_connect_timeout_s: int = 5
    database_statement_timeout_ms: int = 30_000
    database_lock_timeout_ms: int = 5_000
    database_pool_timeout_s: float = 5.0
    redis_socket_timeout_s: float = 5.0
    request_budget_s: float = 10.0
    # A request's Idempotency-Key claim left unsettled this long (its API process died) is taken
    # over by a retry; until then retries are answered 409 with Retry-After.
    idempotency_takeover_s: int = 60

    @property
    def embedded(self) -> bool:
        """True on the no-servers default: SQLite and an in-process queue."""
        return self.database_url.startswith("sqlite")

    @property
    def key_secret(self) -> str:
        """The server secret API keys are hashed under (HMAC-SHA256); embedded default on SQLite only."""
        if self.api_key_secret:
            return self.api_key_secret
        if self.embedded:
            return EMBEDDED_API_KEY_SECRET
        raise SettingsError(
            "API_KEY_SECRET is required outside the embedded SQLite default: set it to a random "
            f"string of at least {MIN_API_KEY_SECRET_LENGTH} characters (API keys are hashed under it)"
        )

    @property
    def data_master_key(self) -> bytes:
        """The 32-byte key that wraps every client's data key; embedded default on SQLite only."""
        if self.master_key:
            return _master_key_bytes(self.master_key)
        if self.embedded:
            return _master_key_bytes(EMBEDDED_MASTER_KEY)
        raise SettingsError(
            "MASTER_KEY is required outside the embedded SQLite default: set it to 32 random bytes in "
            'base64, e.g. python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())" '
            "(it wraps each client's data key; losing it makes every client's personal data unreadable)"
        )


def _master_key_bytes(text: str) -> bytes:
    import base64
    import binascii

    try:
        key = base64.b64decode(text, validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 32:
        raise SettingsError("MASTER_KEY must be 32 bytes in base64 (44 characters)")
    return key


def _master_key(value: str) -> None:
    from marshmallow import ValidationError

    try:
        _master_key_bytes(value)
    except SettingsError as error:
        raise ValidationError(str(error)) from None


def _rate_limit(value: str) -> None:
    """A limit such as "600/minute" or "10 per second"."""
    import limits
    from marshmallow import ValidationError

    try:
        limits.parse(value)
    except ValueError:
        raise ValidationError("give a rate such as 600/minute or 10 per second") from None


def load_settings(secrets_required: bool = True) -> Settings:
    """Settings from the process environment; every bad value is reported at once.

    Outside the embedded default the secrets must be set and must not be
    placeholders; `secrets_required=False` is for commands that need neither
    (verifying the hash chains reads the events as stored).
    """
    env = Env(eager=False)
    database_url = env.str("DATABASE_URL", EMBEDDED_DATABASE_URL)
    settings = Settings(
        database_url=database_url,
        redis_url=env.str("REDIS_URL", None),
        host=env.str("HOST", "127.0.0.1"),
        port=env.int("PORT", 8000, validate=Range(min=1, max=65535)),
        log_level=env.str("LOG_LEVEL", "INFO").upper(),
        library_log_level=env.str("LIBRARY_LOG_LEVEL", "WARNING").upper(),
        migrate_on_start=env.bool("MIGRATE_ON_START", database_url.startswith("sqlite")),
        api_key_secret=env.str(
            "API_KEY_SECRET", None, validate=Length(min=MIN_API_KEY_SECRET_LENGTH)
        ),
        redis_namespace=env.str("REDIS_NAMESPACE", "careerplan"),
        worker_threads=env.int("WORKER_THREADS", 4, validate=Range(min=1, max=64)),
        worker_heartbeat_timeout_ms=env.int(
            "WORKER_HEARTBEAT_TIMEOUT_MS", 30_000, validate=Range(min=1000)
        ),
        redis_maintenance_chance=env.int(
            "REDIS_MAINTENANCE_CHANCE", 1000, validate=Range(min=1, max=1_000_000)
        ),
        metrics_enabled=env.bool("METRICS_ENABLED", True),
        rate_limit=env.str("RATE_LIMIT", "600/minute", validate=_rate_limit),
        master_key=env.str("MASTER_KEY", None, validate=_master_key),
        clock_skew_seconds=env.int("CLOCK_SKEW_SECONDS", 300, validate=Range(min=0, max=3600)),
        webhook_allowed_hosts=tuple(
            h.strip().lower() for h in env.list("WEBHOOK_ALLOWED_HOSTS", []) if h.strip()
        ),
        webhook_secret_grace_hours=env.int(
            "WEBHOOK_SECRET_GRACE_HOURS", 24, validate=Range(min=0, max=24 * 30)
        ),
        outbox_lease_seconds=env.int("OUTBOX_LEASE_SECONDS", 60, validate=Range(min=5, max=3600)),
        reconcile_seconds=env.int("RECONCILE_SECONDS", 60, validate=Range(min=5, max=3600)),
        database_connect_timeout_s=env.int(
            "DATABASE_CONNECT_TIMEOUT_S", 5, validate=Range(min=2, max=300)
        ),
        database_statement_timeout_ms=env.int(
            "DATABASE_STATEMENT_TIMEOUT_MS", 30_000, validate=Range(min=100)
        ),
        database_lock_timeout_ms=env.int(
            "DATABASE_LOCK_TIMEOUT_MS", 5_000, validate=Range(min=100)
        ),
        database_pool_timeout_s=env.float(
            "DATABASE_POOL_TIMEOUT_S", 5.0, validate=Range(min=0.1, max=300)
        ),
        redis_socket_timeout_s=env.float(
            "REDIS_SOCKET_TIMEOUT_S", 5.0, validate=Range(min=0.1, max=300)
        ),
        request_budget_s=env.float("REQUEST_BUDGET_S", 10.0, validate=Range(min=1, max=300)),
        idempotency_takeover_s=env.int(
            "IDEMPOTENCY_TAKEOVER_S", 60, validate=Range(min=5, max=3600)
        ),
    )
    try:
        env.seal()
    except EnvError as error:
        raise SettingsError(f"invalid settings: {error}") from None
    if secrets_required:
        _ = settings.key_secret  # fail at start-up, naming the setting, not at the first request
        _ = settings.data_master_key
        _refuse_placeholders(settings)
    return settings


def _refuse_placeholders(settings: Settings) -> None:
    from careerplan import placeholders

    if settings.embedded:
        return  # the embedded default runs on its built-in secrets by design
    for name, value, embedded_default in (
        ("API_KEY_SECRET", settings.api_key_secret, EMBEDDED_API_KEY_SECRET),
        ("MASTER_KEY", settings.master_key, EMBEDDED_MASTER_KEY),
    ):
        if value and placeholders.is_placeholder(name, value, embedded_default):
            raise SettingsError(placeholders.refusal(name))

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
    migrate_on_start: bool = True
    api_key_secret: str | None = None
    redis_namespace: str = "careerplan"
    worker_threads: int = 4
    worker_heartbeat_timeout_ms: int = 30_000
    redis_maintenance_chance: int = 1000
    metrics_enabled: bool = True
    rate_limit: str = "600/minute"

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


def _rate_limit(value: str) -> None:
    """A limit such as "600/minute" or "10 per second"."""
    import limits
    from marshmallow import ValidationError

    try:
        limits.parse(value)
    except ValueError:
        raise ValidationError("give a rate such as 600/minute or 10 per second") from None


def load_settings() -> Settings:
    """Settings from the process environment; every bad value is reported at once."""
    env = Env(eager=False)
    database_url = env.str("DATABASE_URL", EMBEDDED_DATABASE_URL)
    settings = Settings(
        database_url=database_url,
        redis_url=env.str("REDIS_URL", None),
        host=env.str("HOST", "127.0.0.1"),
        port=env.int("PORT", 8000, validate=Range(min=1, max=65535)),
        log_level=env.str("LOG_LEVEL", "INFO").upper(),
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
    )
    try:
        env.seal()
    except EnvError as error:
        raise SettingsError(f"invalid settings: {error}") from None
    _ = settings.key_secret  # fail at start-up, naming the setting, not at the first request
    return settings


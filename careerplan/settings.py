"""Typed settings read from environment variables, with clear errors at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from environs import Env, EnvError

EMBEDDED_DATABASE_URL = "sqlite:///var/careerplan.db"


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

    @property
    def embedded(self) -> bool:
        """True on the no-servers default: SQLite and an in-process queue."""
        return self.database_url.startswith("sqlite")


def load_settings() -> Settings:
    """Settings from the process environment; every bad value is reported at once."""
    env = Env(eager=False)
    database_url = env.str("DATABASE_URL", EMBEDDED_DATABASE_URL)
    settings = Settings(
        database_url=database_url,
        redis_url=env.str("REDIS_URL", None),
        host=env.str("HOST", "127.0.0.1"),
        port=env.int("PORT", 8000, validate=lambda p: 0 < p < 65536),
        log_level=env.str("LOG_LEVEL", "INFO").upper(),
        migrate_on_start=env.bool("MIGRATE_ON_START", database_url.startswith("sqlite")),
    )
    try:
        env.seal()
    except EnvError as error:
        raise SettingsError(f"invalid settings: {error}") from None
    return settings


"""The process's services, for the actors to look up when a message runs.

Dramatiq actors are module-level functions that receive ids, not objects, so
they cannot close over the engine, store or clock. The entry point (worker
process, embedded runner, test harness) hands its services here once, with
`use`, before any work runs; an actor asks for them with `services()`.
"""

from __future__ import annotations

from typing import Any

_services: Any = None


def use(services: Any) -> None:
    """Make `services` (careerplan.bootstrap.Services) the ones every actor here works with."""
    global _services
    _services = services


def services() -> Any:
    """The services handed to `use`; a message run before that is a wiring mistake, said plainly."""
    if _services is None:
        raise RuntimeError("workers.context.use(services) was not called before the actors ran")
    return _services

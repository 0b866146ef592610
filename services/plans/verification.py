"""Tamper evidence: recompute the hash chain of one client's history, or of an organisation's."""

from __future__ import annotations

from eventstore import EventStore
from eventstore.chain import ChainReport
from services.plans.event_mapping import stream_id

__all__ = ["ChainReport", "verify_client", "verify_organisation"]


def verify_client(store: EventStore, client_id: str) -> ChainReport:
    """The client's hash chain as stored, checked link by link."""
    return store.verify([stream_id(client_id)])


def verify_organisation(store: EventStore, organisation_id: str) -> ChainReport:
    """Every client history the organisation's events are tagged with, checked."""
    return store.verify(tagged=("organisation_id", organisation_id))

"""Every feature's table metadata, in one list: the tables the migrations must build.

Each feature declares its tables once, in its own `MetaData`; this composition
root is the one place allowed to know them all, so a test can compare the
migrated database with exactly what the code queries (and catch a table that
two features declare, or that no feature declares).
"""

from __future__ import annotations

import sqlalchemy as sa

import eventstore.schema
import projections.insight_tables  # declares its tables on projections.tables' metadata
import projections.tables
import services.access.tables
import services.calendars.tables
import services.coaches.tables
import services.digests.tables
import services.jobs.tables
import services.policies
import services.templates.tables
import services.webhooks.tables


def all_metadata() -> list[sa.MetaData]:
    """One metadata per feature, together declaring every table the migrations make."""
    return [
        eventstore.schema.metadata,
        projections.tables.metadata,
        services.access.tables.metadata,
        services.policies.metadata,
        services.jobs.tables.metadata,
        services.digests.tables.metadata,
        services.webhooks.tables.metadata,
        services.coaches.tables.metadata,
        services.calendars.tables.metadata,
        services.templates.tables.metadata,
    ]

"""The tables the code declares are the tables the migrations build, on both databases.

`engine` is migrated to head; Alembic's `compare_metadata` then diffs the live
schema against every feature's metadata (`careerplan.schema.all_metadata`).
Any difference fails with a readable list, so a declaration cannot drift from
its migration. Alembic does not compare CHECK constraints, so their names are
compared here directly.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from careerplan.schema import all_metadata

NOT_DECLARED = {"alembic_version"}  # Alembic's own bookkeeping, not a table of ours


def merged() -> sa.MetaData:
    """All features' tables in one metadata (so cross-feature foreign keys resolve)."""
    into = sa.MetaData()
    for metadata in all_metadata():
        for table in metadata.tables.values():
            table.to_metadata(into)
    return into


def mismatch(declared: set, migrated: set) -> dict[str, list]:
    """What the migrations make that no metadata declares, and the other way round."""
    return {
        "not declared": sorted(migrated - declared),
        "not migrated": sorted(declared - migrated),
    }


def intentional(diff, dialect: str) -> bool:
    """A difference that is not one: each case says why."""
    if isinstance(diff, list) and len(diff) == 1 and diff[0][0] == "modify_default":
        _, _, _, _, _, reflected, declared = diff[0]
        # SQLite has no identity columns: the migrations leave them out there and
        # INTEGER PRIMARY KEY AUTOINCREMENT numbers the rows, which reflection cannot show.
        return dialect == "sqlite" and reflected is None and isinstance(declared, sa.Identity)
    return False


def differences(conn: sa.Connection) -> list[str]:
    context = MigrationContext.configure(
        conn, opts={"compare_type": True, "compare_server_default": True}
    )
    found = compare_metadata(context, merged())
    return [repr(diff) for diff in found if not intentional(diff, conn.dialect.name)]


def test_table_names_are_declared_by_one_metadata_only():
    names = [name for metadata in all_metadata() for name in metadata.tables]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_every_migrated_table_is_declared_and_every_declared_table_migrated(engine):
    declared = {name for metadata in all_metadata() for name in metadata.tables}
    migrated = set(sa.inspect(engine).get_table_names()) - NOT_DECLARED
    assert mismatch(declared, migrated) == {"not declared": [], "not migrated": []}


def test_declared_tables_match_the_migrated_schema(engine):
    with engine.connect() as conn:
        found = differences(conn)
    assert found == [], "metadata differs from the migrations:\n" + "\n".join(found)


def test_declared_check_constraints_are_the_migrated_ones(engine):
    inspector = sa.inspect(engine)
    declared = {
        (table.name, check.name)
        for table in merged().tables.values()
        for check in table.constraints
        if isinstance(check, sa.CheckConstraint)
    }
    migrated = {
        (name, check["name"])
        for name in set(inspector.get_table_names()) - NOT_DECLARED
        for check in inspector.get_check_constraints(name)
    }
    assert mismatch(declared, migrated) == {"not declared": [], "not migrated": []}

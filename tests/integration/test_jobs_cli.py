"""`careerplan jobs digests` refuses a period that has not ended, and says from when it can run."""

from __future__ import annotations

import sqlalchemy as sa
from test_store_cli import cli, cli_services  # noqa: F401 - the CLI's settings on the test's database

from services.digests.tables import digest_runs


def test_a_digest_run_for_a_period_not_ended_exits_non_zero_and_writes_nothing(cli_services):  # noqa: F811
    refused = cli(
        "jobs", "digests", "org-a", "--kind", "weekly", "--today", "2099-01-06", "--no-wait"
    )

    assert refused.exit_code == 1
    assert (
        "period_not_ended" in refused.output and "can run from 2099-01-05 (UTC)" in refused.output
    )
    with cli_services.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(digest_runs)).scalar_one() == 0

    provisional = cli(
        "jobs",
        "digests",
        "org-a",
        "--kind",
        "weekly",
        "--today",
        "2099-01-06",
        "--provisional",
        "--no-wait",
    )
    assert provisional.exit_code == 0 and "(provisional)" in provisional.output, provisional.output

"""An outage is logged once when it starts and once when it ends, and attempts back off meanwhile."""

from __future__ import annotations

import redis.exceptions
import sqlalchemy as sa

from workers.outage import LONGEST_WAIT, Outage, is_outage


class Lines:
    """A logger that keeps what it was told."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, dict]] = []

    def warning(self, event: str, **fields) -> None:
        self.lines.append((event, fields))


def test_an_outage_is_logged_once_at_its_start_and_once_at_its_end_however_many_attempts_fail():
    log, now = Lines(), [100.0]
    outage = Outage("projection follower", log, clock=lambda: now[0])
    waits = [outage.failed(ConnectionRefusedError("refused")) for _ in range(12)]
    now[0] = 160.0
    outage.succeeded()
    outage.succeeded()

    assert [event for event, _ in log.lines] == [
        "dependency unavailable",
        "dependency available again",
    ]
    assert (
        log.lines[0][1]["during"] == "projection follower" and "refused" in log.lines[0][1]["error"]
    )
    assert log.lines[1][1] == {
        "during": "projection follower",
        "attempts": 12,
        "down_seconds": 60.0,
    }
    assert waits[:4] == [0.5, 1.0, 2.0, 4.0] and waits[-1] == LONGEST_WAIT
    assert not outage.ongoing


def test_a_lost_connection_is_an_outage_and_a_bug_is_not():
    lost = sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    assert (
        is_outage(lost)
        and is_outage(redis.exceptions.ConnectionError("down"))
        and is_outage(TimeoutError())
    )
    assert not is_outage(sa.exc.ProgrammingError("SELECT nope", {}, Exception("syntax error")))
    assert not is_outage(KeyError("goal"))

"""The positions lists keep in their cursors: what each accepts, and a 422 for anything else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.positions import finding_place, moment_and_id, rank_and_id


def test_a_log_position_is_an_aware_instant_read_in_utc_and_an_id():
    assert moment_and_id(["2026-03-01T10:30:00+01:00", "d1"]) == (
        datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        "d1",
    )


@pytest.mark.parametrize(
    "position",
    [["2026-03-01T10:30:00", "d1"], ["yesterday", "d1"], ["2026-03-01T10:30:00Z"], "d1", None],
)
def test_a_log_position_without_an_offset_or_id_is_refused(position):
    with pytest.raises(ValueError):
        moment_and_id(position)


def test_a_rank_position_is_a_whole_number_and_an_id():
    assert rank_and_id([-7, "client-1"]) == (-7, "client-1")
    for position in ([True, "c"], [1.5, "c"], [1, ""], [1, "c", 2], ["1", "c"]):
        with pytest.raises(ValueError):
            rank_and_id(position)


def test_a_finding_position_is_a_severity_a_moment_and_a_key():
    assert finding_place([0, -1.5e9, "goal_stalled/g1/"]) == (0, -1.5e9, "goal_stalled/g1/")
    for position in ([0, "x", "k"], [11, 0, "k"], [0, 0], [0, 0, ""]):
        with pytest.raises(ValueError):
            finding_place(position)

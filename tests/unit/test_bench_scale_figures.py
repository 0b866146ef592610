"""bench.scale's arithmetic: the p99 it reports and the growth the targets are judged by."""

from __future__ import annotations

import pytest

from bench import scale


def test_p99_is_the_nearest_rank_not_the_maximum():
    samples = [float(n) for n in range(1, 201)]  # 1..200 ms

    assert scale.p99(samples) == 198.0
    assert scale.p99([5.0]) == 5.0


def test_growth_is_one_when_the_cost_grows_as_the_organisation():
    first = {"rebuild": (10.0, "s", 100.0)}

    assert scale.growth(first, {"rebuild": (100.0, "s", 100.0)}, "rebuild", 10) == 1.0
    assert scale.growth(first, {"rebuild": (150.0, "s", 100.0)}, "rebuild", 10) == 1.5
    assert scale.growth(first, {"rebuild": (30.0, "s", 100.0)}, "rebuild", 3) == 1.0


@pytest.mark.parametrize("sizes", ["3000,1000", "1000", "1000,1000"])
def test_sizes_must_be_two_or_more_and_increasing(sizes):
    with pytest.raises(SystemExit):
        scale.main(["--sizes", sizes])


def test_each_figure_is_shown_as_it_is_taken(capsys):
    figures = scale.Figures(10_000)

    figures["rebuild"] = (23.8, "s (1,010,000 events)", 244.0)

    shown = capsys.readouterr().err
    assert "10,000 clients: rebuild 23.80 s (1,010,000 events), peak 244 MB" in shown
    assert figures == {"rebuild": (23.8, "s (1,010,000 events)", 244.0)}

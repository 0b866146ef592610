"""The wait settings and the libpq arguments they become (no I/O)."""

from __future__ import annotations

import pytest

from careerplan.database import waits_of
from careerplan.settings import SettingsError, load_settings
from eventstore.waits import Waits


def test_every_wait_has_a_bound_by_default():
    args = Waits().connect_args()
    assert args["connect_timeout"] == 5
    assert (args["keepalives"], args["keepalives_idle"], args["tcp_user_timeout"]) == (
        1,
        30,
        60_000,
    )
    assert args["options"] == "-c statement_timeout=30000 -c lock_timeout=5000"


def test_a_callers_options_are_joined_after_the_timeouts_and_other_arguments_win():
    args = Waits(statement_timeout_ms=100).connect_args(
        {"options": "-c search_path=t_1", "connect_timeout": 3, "sslmode": "disable"}
    )
    assert args["options"] == "-c statement_timeout=100 -c lock_timeout=5000 -c search_path=t_1"
    assert (args["connect_timeout"], args["sslmode"]) == (3, "disable")


def test_the_settings_read_the_waits(monkeypatch):
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT_MS", "2500")
    monkeypatch.setenv("DATABASE_POOL_TIMEOUT_S", "1.5")
    monkeypatch.setenv("REQUEST_BUDGET_S", "4")
    settings = load_settings(secrets_required=False)
    assert waits_of(settings) == Waits(statement_timeout_ms=2500, pool_timeout_s=1.5)
    assert settings.request_budget_s == 4.0


@pytest.mark.parametrize(
    ("name", "value"), [("DATABASE_CONNECT_TIMEOUT_S", "1"), ("REQUEST_BUDGET_S", "0")]
)
def test_a_wait_out_of_range_stops_start_up_naming_it(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings(secrets_required=False)

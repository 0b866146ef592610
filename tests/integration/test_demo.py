"""The embedded default's demo: made once, with the seed client's plan in every timeframe."""

from __future__ import annotations

from datetime import date

from settings_support import TEST_MASTER_KEY

from careerplan.bootstrap import bootstrap
from careerplan.demo import ensure_demo, try_these
from careerplan.settings import Settings
from projections import queries


def test_the_demo_is_made_once_with_the_seed_client(engine):
    services = bootstrap(
        Settings(
            database_url=str(engine.url),
            migrate_on_start=False,
            api_key_secret="d" * 32,
            master_key=TEST_MASTER_KEY,
        ),
        engine=engine,
    )
    demo = ensure_demo(services)

    assert demo is not None and ensure_demo(services) is None
    assert services.tenancy.keys.authenticate(demo.admin_key).role == "admin"
    with engine.connect() as conn:
        view = queries.client_view(conn, demo.organisation_id, demo.client_id)
    frames = queries.roadmap_of(view, date.today())["timeframes"]
    assert all(frame["goals"] for frame in frames if frame["name"] != "later")
    done = [
        m
        for g in view["goals"].values()
        for m in g["milestones"].values()
        if m["status"] == "completed"
    ]
    assert len(done) == 2 and len(try_these(demo, "http://127.0.0.1:8000")) == 3
    assert queries.momentum_of(view, services.clock().date())["streak"]["current"] >= 3


def test_the_embedded_state_survives_a_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'careerplan.db'}"
    first = bootstrap(Settings(database_url=url))
    demo = ensure_demo(first)
    first.store.close()
    first.engine.dispose()

    again = bootstrap(Settings(database_url=url))  # a new process on the same file

    assert ensure_demo(again) is None
    assert again.plans.load(demo.organisation_id, demo.client_id).version > 20
    assert again.tenancy.keys.authenticate(demo.admin_key) is not None

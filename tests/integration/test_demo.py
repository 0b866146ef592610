"""The embedded default's demo: made once, with the seed client's plan in every timeframe."""

from __future__ import annotations

from datetime import date

from careerplan.bootstrap import bootstrap
from careerplan.demo import ensure_demo, try_these
from careerplan.settings import Settings
from projections import queries


def test_the_demo_is_made_once_with_the_seed_client(engine):
    services = bootstrap(Settings(database_url=str(engine.url), migrate_on_start=False, api_key_secret="d" * 32),
                         engine=engine)
    demo = ensure_demo(services)

    assert demo is not None and ensure_demo(services) is None
    assert services.tenancy.keys.authenticate(demo.admin_key).role == "admin"
    with engine.connect() as conn:
        view = queries.client_view(conn, demo.organisation_id, demo.client_id)
    frames = queries.roadmap_of(view, date.today())["timeframes"]
    assert all(frame["goals"] for frame in frames if frame["name"] != "later")
    done = [m for g in view["goals"].values() for m in g["milestones"].values() if m["status"] == "completed"]
    assert len(done) == 2 and len(try_these(demo, "http://127.0.0.1:8000")) == 3

"""A gunicorn worker's interpreter, as careerplan.wsgi leaves it: what the app built is frozen, the young collected rarely.

Run in a fresh interpreter: the settings are process-wide, and the test run's own must not change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from careerplan.collector import YOUNG_OBJECTS

ROOT = Path(__file__).resolve().parents[2]

_REPORT = """
import gc, sys, weakref
sys.path.insert(0, {root!r})
gc.disable()  # only the settling collects: nothing else may free the cycle below by chance
class Node: pass
node = Node()
node.itself = node
cycle = weakref.ref(node)
del node
{load}
print(gc.get_threshold()[0], gc.get_freeze_count(), cycle() is None)
"""


def _settle_in_fresh_interpreter(load: str, tmp_path: Path) -> tuple[int, int, bool]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serving.db'}",
    }
    run = subprocess.run(
        [sys.executable, "-c", _REPORT.format(root=str(ROOT), load=load)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    young, frozen, cycle_freed = run.stdout.split()
    return int(young), int(frozen), cycle_freed == "True"


def test_the_wsgi_app_settles_its_interpreter_for_serving(tmp_path):
    young, frozen, _ = _settle_in_fresh_interpreter("import careerplan.wsgi", tmp_path)

    assert young == YOUNG_OBJECTS
    assert (
        frozen > 10_000
    )  # the modules and the app: tens of thousands of objects no collection walks


def test_settling_frees_the_garbage_there_is_rather_than_freezing_it(tmp_path):
    _, _, cycle_freed = _settle_in_fresh_interpreter(
        "from careerplan.collector import settle_for_serving; settle_for_serving()", tmp_path
    )

    assert cycle_freed  # frozen, a cycle of garbage would live as long as the process

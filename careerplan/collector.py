"""The cyclic garbage collector set for a long-running server process.

Most of a server's heap lives as long as the process: modules, the app and
its compiled statements, and the per-process memory of clients' plans and
keys. CPython's full collection walks all of it, and starts whenever the
objects promoted since the last one reach a quarter of what it found alive.
With the default young generation of 700 objects, every few hundred requests
promote whatever the requests in flight hold, so under bench.api each API
worker ran a full collection every 5–7 s, holding the interpreter lock for
110–185 ms: every request in flight on that worker waited it out, and those
waits were the p99.

So a serving process, once its app is built, freezes what exists (it is never
garbage, so no collection need walk it; it is still freed by reference count
should it go) and collects its young generation every YOUNG_OBJECTS
allocations instead: fewer young collections promote fewer passing objects.
Measured with bench.api's mix, servers taking turns over 6 rounds: median p99
196 ms as CPython sets it, 154 ms frozen, 112 and 120 ms frozen with a young
generation of 10,000 (two runs), 104 ms with 50,000; full collections per
worker over a run, 6 as CPython sets it, 1 frozen with 10,000.
"""

from __future__ import annotations

import gc

YOUNG_OBJECTS = 50_000


def settle_for_serving() -> None:
    """Keep what the process has built so far out of every collection, and collect the young less often."""
    gc.collect()  # start garbage is freed, not frozen
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, old)

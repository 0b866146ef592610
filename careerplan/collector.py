"""The cyclic garbage collector set for a long-running server process.

Most of a server's heap lives as long as the process: modules, the app and
its compiled statements, and the per-process memory of clients' plans and
keys. CPython's full collection walks all of it, and starts whenever the
objects promoted since the last one reach a quarter of what it found alive.
With the default young generation of 700 objects, every few hundred requests
promote whatever the requests in flight hold, so full collections come often,
and each holds the interpreter lock while every request in flight waits.

So a serving process, once its app is built, freezes what exists (it is never
garbage, so no collection need walk it; it is still freed by reference count
should it go) and collects its young generation every YOUNG_OBJECTS
allocations instead: fewer young collections promote fewer passing objects.
The measurements behind it are in bench/README.md.
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

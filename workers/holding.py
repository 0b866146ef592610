"""Which relayed messages the broker still holds: the reconciler's view into Redis (or the stub).

Dramatiq's Redis broker keeps each enqueued copy under its own reference in
the hash `<ns>:<queue>.msgs` (`<queue>.DQ` for delayed retries) until it is
acknowledged; a worker that fetched it lists the reference in
`<ns>:__acks__.<worker>.<queue>` and heartbeats in `<ns>:__heartbeats__`. A
message is held when its copy is in a hash and not fetched by a worker whose
heartbeat is older than the broker's heartbeat timeout (a dead worker: Dramatiq
would hand its messages back only at some random later maintenance).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import dramatiq
from dramatiq.brokers.stub import StubBroker

from workers.leases import running

Row = tuple[str, str, str | None]  # queue name, message id, broker reference


def holding(broker: dramatiq.Broker):
    """A function telling which of the given rows' messages `broker` still holds."""
    if isinstance(broker, StubBroker):
        return lambda rows: _stub_holding(broker, rows)
    return lambda rows: _redis_holding(broker, rows)


def _redis_holding(broker, rows: Iterable[Row]) -> set[str]:
    rows = [r for r in rows if r[2]]
    if not rows:
        return set()
    client, ns = broker.client, broker.namespace
    now_ms = int(time.time() * 1000)
    dead = [
        w.decode() if isinstance(w, bytes) else w
        for w in client.zrangebyscore(f"{ns}:__heartbeats__", 0, now_ms - broker.heartbeat_timeout)
    ]
    pipe = client.pipeline(transaction=False)
    for queue, _, ref in rows:
        for name in (queue, f"{queue}.DQ"):
            pipe.hexists(f"{ns}:{name}.msgs", ref)
            for worker in dead:
                pipe.sismember(f"{ns}:__acks__.{worker}.{name}", ref)
    answers = iter(pipe.execute())
    held = set()
    for _, message_id, _ in rows:
        for _name in range(2):
            stored = next(answers)
            with_dead = any([next(answers) for _ in dead])
            if stored and not with_dead:
                held.add(message_id)
    return held


def _stub_holding(broker: StubBroker, rows: Iterable[Row]) -> set[str]:
    """In-process queues: held when waiting or delayed there, or being run by this process."""
    wanted = {message_id for _, message_id, _ in rows}
    held = wanted & running()
    for queue in list(broker.queues.values()):
        for encoded in list(queue.queue):
            message_id = dramatiq.Message.decode(encoded).message_id
            if message_id in wanted:
                held.add(message_id)
    return held

"""A TCP proxy of the test's own, put between the app and PostgreSQL to break the connection on cue.

It forwards bytes both ways, one pair of threads per connection, and can:
cut every open connection at once (`cut`), refuse new ones until told
otherwise (`refuse`), cut everything the moment a byte pattern passes
towards the server (`trip_on`), either before those bytes reach the server
(the statement never runs) or just after (it runs, but its answer is lost),
and black-hole the database (`blackhole`): every connection, old or new,
stays open but no byte goes either way until it ends, as when a network
drops packets silently (what was held is then delivered, as TCP would).
It can also listen on another local address than loopback (the host's end
of a network namespace's link) and count how often a byte pattern came back
from the server (`watch`), e.g. which link a message travelled over.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field


@dataclass
class Tripwire:
    """Cut everything when `pattern` goes to the server; `forward` says whether it reaches it first."""

    pattern: bytes
    forward: bool
    tripped: threading.Event = field(default_factory=threading.Event)


class TcpProxy:
    """Listens on a free loopback port and forwards every connection to `target`."""

    def __init__(self, target: tuple[str, int], host: str = "127.0.0.1"):
        self.target = target
        self._listener = socket.create_server((host, 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._refusing = False
        self._wire: Tripwire | None = None
        self._closed = False
        self._flowing = threading.Event()
        self._flowing.set()
        self.refused = 0
        self._watched: dict[bytes, int] = {}
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    def refuse(self, refusing: bool = True) -> None:
        """While refusing, a new connection is closed as soon as it is accepted."""
        self._refusing = refusing

    def blackhole(self, silent: bool = True) -> None:
        """While silent, connections are accepted and kept, but bytes are held instead of forwarded."""
        if silent:
            self._flowing.clear()
        else:
            self._flowing.set()

    def cut(self) -> int:
        """Drop every open connection at once, as a database restart or a network fault does; how many."""
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        return len(sockets) // 2

    def trip_on(self, pattern: bytes, *, forward: bool) -> Tripwire:
        """Arm a one-shot cut on the next `pattern` sent to the server."""
        self._wire = Tripwire(pattern, forward)
        return self._wire

    def watch(self, pattern: bytes) -> None:
        """Count from now on each `pattern` the server sends back (`seen`), across read boundaries."""
        with self._lock:
            self._watched.setdefault(pattern, 0)

    def seen(self, pattern: bytes) -> int:
        """How many times the server sent `pattern` since `watch(pattern)`."""
        with self._lock:
            return self._watched.get(pattern, 0)

    def close(self) -> None:
        """Stop listening (waking the accepting thread) and drop every connection."""
        self._closed = True
        self._flowing.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self.cut()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._refusing:
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, to_server: bool) -> None:
        tail, ends = b"", (source, sink)
        try:
            while data := source.recv(65536):
                if to_server and (wire := self._claim_wire(tail + data)):
                    ends = self._trip(wire, data, source, sink)
                    return
                if not to_server and self._watched:
                    self._count(tail, data)
                self._flowing.wait()
                sink.sendall(data)
                tail = data[-64:]
        except OSError:
            pass
        finally:
            self._drop(*ends)

    def _count(self, tail: bytes, data: bytes) -> None:
        """Add the watched patterns that end in `data` (one that began in `tail` counts once)."""
        window = tail + data
        with self._lock:
            for pattern in self._watched:
                start = max(0, len(tail) - len(pattern) + 1)
                while (found := window.find(pattern, start)) >= 0:
                    self._watched[pattern] += 1
                    start = found + len(pattern)

    def _claim_wire(self, data: bytes) -> Tripwire | None:
        with self._lock:
            wire = self._wire
            if wire is None or wire.pattern not in data:
                return None
            self._wire = None
            return wire

    def _trip(
        self, wire: Tripwire, data: bytes, app_side: socket.socket, server_side: socket.socket
    ):
        """Cut every connection; with `forward`, the server gets the bytes and then a clean end of input.

        Returns the sockets left for the caller to close: with `forward`, the
        server's side is closed by its other pump once the server has answered.
        """
        wire.tripped.set()  # before the cut, so the app cannot answer before this is visible
        with self._lock:
            self._open -= {app_side, server_side}
        ends: tuple[socket.socket, ...] = (app_side, server_side)
        if wire.forward:
            with contextlib.suppress(OSError):
                server_side.sendall(data)
                server_side.shutdown(socket.SHUT_WR)
            ends = (app_side,)
        with contextlib.suppress(OSError):
            app_side.shutdown(socket.SHUT_RDWR)
        self.cut()
        return ends

    def _drop(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._open -= set(sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

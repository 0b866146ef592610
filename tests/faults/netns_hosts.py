"""Machines of their own on one host: network namespaces joined to the root one by veth links.

Each `Host` is a namespace with its own loopback and one veth link to the
root namespace (a /24 of its own: the host's end `.1`, the namespace's `.2`).
The shared PostgreSQL and Redis listen on the root namespace's loopback
only, and belong to the whole machine: they are never reconfigured. Each
host reaches them through forwarders of the test's own (`TcpProxy`) that
listen on the host's end of its link and connect to loopback, so what a
process in a namespace sees is a database and a Redis across a network,
as on another machine. Names carry the test's pid, and `Hosts.close`
removes every namespace and link even after a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tcp_proxy import TcpProxy

IP = shutil.which("ip") or "/usr/sbin/ip"


def ip(*args: str) -> None:
    """Run one `ip` command; a failure raises with its error output."""
    done = subprocess.run([IP, *args], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip()}")


def why_not() -> str | None:
    """Why namespaces cannot be made here (not root, no `ip`), or None when they can."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if not Path(IP).exists():
        return "no `ip` command (iproute2)"
    return None


def free_subnet() -> int:
    """A second octet `n` such that no address or route on the machine is in 10.n.0.0/16."""
    used = subprocess.run([IP, "-o", "addr"], capture_output=True, text=True).stdout
    used += subprocess.run([IP, "route"], capture_output=True, text=True).stdout
    for offset in range(50):
        octet = 200 + (os.getpid() + offset) % 50
        if f" 10.{octet}." not in used and f"\n10.{octet}." not in f"\n{used}":
            return octet
    raise RuntimeError("no free 10.n.0.0/16 left for the test's links")


@dataclass
class Host:
    """One namespace: its name, its address, the host-side address and forwarders to loopback."""

    name: str
    index: int
    octet: int
    processes: list[subprocess.Popen] = field(default_factory=list)
    forwarders: dict[str, TcpProxy] = field(default_factory=dict)

    @property
    def namespace(self) -> str:
        return f"cp{os.getpid()}{self.name}"

    @property
    def link(self) -> str:
        return f"cp{os.getpid()}{self.index}"  # + "h" / "n": at most 15 characters

    @property
    def address(self) -> str:
        """The namespace's own address, where its servers are reached from the root namespace."""
        return f"10.{self.octet}.{self.index}.2"

    @property
    def gateway(self) -> str:
        """The root namespace's end of the link: where its forwarders listen."""
        return f"10.{self.octet}.{self.index}.1"

    def forward(self, what: str, target: tuple[str, int]) -> TcpProxy:
        """A forwarder on the link's root end to `target` (a loopback server); its port is `.port`."""
        proxy = TcpProxy(target, host=self.gateway)
        self.forwarders[what] = proxy
        return proxy

    def start(self, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
        """Run `command` inside the namespace, in a session of its own (killed as a group), output to `log`."""
        with log.open("ab") as out:
            process = subprocess.Popen(
                [IP, "netns", "exec", self.namespace, *command],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to every process started here (their whole groups), as when the machine dies."""
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)

    def stop(self, seconds: float = 20) -> None:
        """SIGTERM every process group started here; SIGKILL what is left after `seconds`."""
        self.kill(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.kill(signal.SIGKILL)  # what a process left behind in its group


class Hosts:
    """The namespaces of one test; `close()` stops their processes and removes them and their links."""

    def __init__(self, names: list[str]):
        self.octet = free_subnet()
        self.hosts: dict[str, Host] = {}
        try:
            for index, name in enumerate(names, start=1):
                host = Host(name, index, self.octet)
                self.hosts[name] = host
                self._make(host)
        except BaseException:
            self.close()
            raise

    def __getitem__(self, name: str) -> Host:
        return self.hosts[name]

    def _make(self, host: Host) -> None:
        ip("netns", "add", host.namespace)
        ip("link", "add", f"{host.link}h", "type", "veth", "peer", "name", f"{host.link}n")
        ip("link", "set", f"{host.link}n", "netns", host.namespace)
        ip("addr", "add", f"{host.gateway}/24", "dev", f"{host.link}h")
        ip("link", "set", f"{host.link}h", "up")
        inside = ("netns", "exec", host.namespace, IP)
        ip(*inside, "addr", "add", f"{host.address}/24", "dev", f"{host.link}n")
        ip(*inside, "link", "set", f"{host.link}n", "up")
        ip(*inside, "link", "set", "lo", "up")

    def close(self) -> None:
        """Stop every process, close the forwarders, delete the links and namespaces (each attempted)."""
        for host in self.hosts.values():
            with contextlib.suppress(Exception):
                host.stop()
            for proxy in host.forwarders.values():
                with contextlib.suppress(Exception):
                    proxy.close()
        for host in self.hosts.values():
            with contextlib.suppress(RuntimeError):
                ip("link", "del", f"{host.link}h")
            with contextlib.suppress(RuntimeError):
                ip("netns", "del", host.namespace)

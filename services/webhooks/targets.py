"""Where a webhook may point: HTTPS to a public address, checked at registration and at delivery.

An organisation's admin chooses the URL, so without this check a webhook could
make the workers reach the cloud metadata service, the database or an admin
port on loopback. A URL is refused unless it is HTTPS with a host and no
credentials, and every address its host resolves to is a public unicast one:
not loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
(169.254/16, fe80::/10), shared (100.64/10), multicast, unspecified or
reserved, IPv4-mapped IPv6 judged as its IPv4 address. Delivery connects to
the address checked here, so a name that re-resolves elsewhere (DNS
rebinding) cannot slip through. Hosts on the operator's allow-list
(WEBHOOK_ALLOWED_HOSTS, `host` or `host:port`, for test receivers) skip the
address rule (they are reached by name), never the HTTPS rule.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

Resolver = Callable[..., list]
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


class WebhookTargetRefused(ValueError):
    """The URL may not receive webhooks; the message says why, in words an admin can act on."""

    code = "webhook_target_refused"


@dataclass(frozen=True)
class Target:
    """A checked URL: its host name (for Host and SNI), port, path and the address to connect to."""

    host: str
    port: int
    path: str
    address: str


def check(
    url: str, allowed_hosts: Collection[str] = (), resolve: Resolver = socket.getaddrinfo
) -> Target:
    """The URL's checked target; WebhookTargetRefused when it is not HTTPS to public addresses."""
    if _CONTROL_OR_SPACE.search(url):
        raise WebhookTargetRefused("the webhook URL holds a space or control character")
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise WebhookTargetRefused(
            f"webhook endpoints must use https, not {parts.scheme or 'no scheme'}"
        )
    try:
        host, port = parts.hostname, parts.port or 443
    except ValueError:
        raise WebhookTargetRefused(
            "the webhook URL's port is not a number from 1 to 65535"
        ) from None
    if not host or parts.username is not None:
        raise WebhookTargetRefused("the webhook URL needs a host name and no user name or password")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if _allowed(host, port, allowed_hosts):
        return Target(host, port, path, host)  # trusted by the operator: connect by name
    addresses = _addresses(host, port, resolve)
    for address in addresses:
        if (reason := refusal(address)) is not None:
            raise WebhookTargetRefused(
                f"{host} resolves to {address}, which is {reason}: webhooks go only to public addresses"
            )
    return Target(host, port, path, addresses[0])


def refusal(address: str) -> str | None:
    """Why the workers may not connect to `address` (e.g. "loopback"), or None for a public unicast one."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for reason in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{reason}"):
            return reason.replace("_", "-")
    return None if ip.is_global else "non-public"


def _addresses(host: str, port: int, resolve: Resolver) -> list[str]:
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise WebhookTargetRefused(f"the webhook host {host} cannot be resolved") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise WebhookTargetRefused(f"the webhook host {host} cannot be resolved")
    return addresses


def _allowed(host: str, port: int, allowed_hosts: Collection[str]) -> bool:
    host = host.lower()
    return host in allowed_hosts or f"{host}:{port}" in allowed_hosts

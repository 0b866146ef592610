"""One webhook POST over TLS to the address that was checked, with no redirects and bounded waits.

The connection goes to the checked IP address while TLS (SNI and the
certificate check, which stays on) and the Host header use the URL's host
name. A redirect is not followed: a 3xx is a failed attempt, so a receiver
cannot bounce the signed request to an internal address. Connecting and each
read wait at most TIMEOUT_SECONDS, and at most MAX_RESPONSE_BYTES of the
answer are read (only its status matters).
"""

from __future__ import annotations

import http.client
import socket
import ssl

from services.webhooks.targets import Target

TIMEOUT_SECONDS = 5
MAX_RESPONSE_BYTES = 64 * 1024


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to `address`, speaking to it as `host` (SNI, certificate and Host header)."""

    def __init__(self, target: Target, context: ssl.SSLContext, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(
    target: Target, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_SECONDS
) -> int:
    """POST `body` to the target; the response status (OSError, ssl or http.client errors propagate)."""
    connection = _PinnedHTTPSConnection(target, ssl.create_default_context(), timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return response.status
    finally:
        connection.close()

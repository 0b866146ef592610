"""Webhook URLs: HTTPS to public addresses only, whatever form the address takes."""

from __future__ import annotations

import socket

import pytest

from services.webhooks.targets import WebhookTargetRefused, check


def resolves_to(*addresses):
    def resolve(host, port, type=0):  # noqa: A002 - getaddrinfo's own keyword
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, type, 6, "", (a, port))
            for a in addresses
        ]

    return resolve


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://127.0.0.1/", "loopback"),
        ("https://[::1]/", "loopback"),
        ("https://10.1.2.3/", "private"),
        ("https://172.16.0.1/", "private"),
        ("https://192.168.1.1/", "private"),
        ("https://[fc00::1]/", "private"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://[fe80::1]/", "link-local"),
        ("https://224.0.0.1/", "multicast"),
        ("https://[ff02::1]/", "multicast"),
        ("https://0.0.0.0/", "unspecified"),
        ("https://240.0.0.1/", "reserved"),
        ("https://100.64.0.1/", "non-public"),
        ("https://[::ffff:127.0.0.1]/", "loopback"),
        ("https://[::ffff:169.254.169.254]/", "link-local"),
        ("https://2130706433/", "loopback"),
        ("https://localhost:5441/", "loopback"),
    ],
)
def test_a_url_reaching_a_non_public_address_is_refused(url, reason):
    with pytest.raises(WebhookTargetRefused, match=f"which is {reason}:"):
        check(url)


def test_a_name_resolving_to_loopback_or_to_any_private_address_is_refused():
    with pytest.raises(WebhookTargetRefused, match="loopback"):
        check("https://hooks.example.com/", resolve=resolves_to("127.0.0.1"))
    with pytest.raises(WebhookTargetRefused, match="private"):
        check("https://hooks.example.com/", resolve=resolves_to("93.184.216.34", "10.0.0.7"))


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/",
        "ftp://hooks.example.com/",
        "https:///nohost",
        "https://user:pw@hooks.example.com/",
        "https://hooks.example.com/a\x00b",
        "https://hooks.example.com:99999/",
        "https://no-such-host.invalid/",
    ],
)
def test_a_url_that_is_not_plain_https_to_a_host_is_refused(url):
    with pytest.raises(WebhookTargetRefused):
        check(
            url,
            resolve=resolves_to("93.184.216.34") if "no-such" not in url else socket.getaddrinfo,
        )


def test_a_public_address_is_the_one_connected_to():
    target = check("https://hooks.example.com:8443/in?x=1", resolve=resolves_to("93.184.216.34"))
    assert (target.host, target.port, target.path, target.address) == (
        "hooks.example.com",
        8443,
        "/in?x=1",
        "93.184.216.34",
    )


def test_an_allow_listed_host_skips_the_address_rule_but_not_https():
    assert check("https://127.0.0.1:8443/", allowed_hosts={"127.0.0.1:8443"}).address == "127.0.0.1"
    assert check("https://localhost/", allowed_hosts={"localhost"}).address == "localhost"
    with pytest.raises(WebhookTargetRefused, match="loopback"):
        check("https://127.0.0.1:9999/", allowed_hosts={"127.0.0.1:8443"})
    with pytest.raises(WebhookTargetRefused, match="https"):
        check("http://localhost/", allowed_hosts={"localhost"})

"""The client's address: the one place it is worked out (login throttle, action log, anything else that needs it).

Behind a reverse proxy ``REMOTE_ADDR`` is the proxy's, so every user would share one address. ``X-Forwarded-For``
is read only when the connection comes from a trusted proxy (``KAWAL_TRUSTED_PROXIES``: addresses and networks;
empty by default, so no header is believed), and from the right: each trusted hop vouches for the address to
its left, and the first address that is not a trusted proxy is the client. What lies further left was written
by the client itself and is never read, so a made-up header cannot choose the address a request counts under.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str | Iterable[str]) -> tuple[Network, ...]:
    """``"127.0.0.1, 10.0.0.0/8"`` (or a list of such) as networks. Strict: ``10.0.0.1/8`` is a typo for
    ``10.0.0.0/8`` and raises ValueError rather than trusting more than was meant."""
    items = value.split(",") if isinstance(value, str) else value
    return tuple(ipaddress.ip_network(item.strip(), strict=True) for item in items if item.strip())


def parse_address(text: str) -> Address | None:
    """One address as proxies write it (``1.2.3.4``, ``1.2.3.4:5678``, ``[2001:db8::1]:443``), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has two colons or more
        text = text.split(":")[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(found, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is 127.0.0.1 (dual-stack sockets)
    return mapped or found


@lru_cache(maxsize=8)
def _trusted(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(configured)


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of whoever sent the request, as a string; None without a request or a readable address."""
    if request is None:
        return None
    from django.conf import settings

    networks = _trusted(tuple(getattr(settings, "KAWAL_TRUSTED_PROXIES", ())))
    current = parse_address(request.META.get("REMOTE_ADDR", ""))
    if current is None:
        return None
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    while hops and _is_trusted(current, networks):
        previous = parse_address(hops.pop())
        if previous is None:  # a trusted proxy wrote something unreadable: keep the last address known
            break
        current = previous
    return str(current)

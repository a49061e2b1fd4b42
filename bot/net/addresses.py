"""Which addresses the bot may connect to, and a resolver that only ever hands out those.

Every address a host name resolves to must be global: one forbidden address among the answers
refuses the whole name (a mixed answer is how rebinding attacks pick their moment). IPv6
addresses that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible, 6to4,
Teredo, NAT64 `64:ff9b::/96`) are judged on the IPv4 address too.

Loopback is allowed only on the ports a caller names explicitly (tests serve feeds on
127.0.0.1:<port>): a redirect to another loopback port (the bot's own services, SSH…) and every
other range stay refused even then.
"""

from __future__ import annotations

import ipaddress
import socket
from enum import StrEnum

from aiohttp.abc import AbstractResolver, ResolveResult

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT: not global, not private
_IPV4_BITS = 32


class Reason(StrEnum):
    UNSPECIFIED = "unspecified"
    LOOPBACK = "loopback"
    LINK_LOCAL = "link_local"
    MULTICAST = "multicast"
    PRIVATE = "private"
    RESERVED = "reserved"
    NOT_GLOBAL = "not_global"


class Forbidden(Exception):
    """A host whose address the bot must not connect to (`reason` is a `Reason`)."""

    def __init__(self, host: str, reason: Reason) -> None:
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in net for net in _NAT64) or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        found.append(ipaddress.IPv4Address(int(ip) & (2**_IPV4_BITS - 1)))
    return found


def _own_reason(ip: IPAddress) -> Reason | None:
    if ip.is_unspecified:
        return Reason.UNSPECIFIED
    if ip.is_loopback:
        return Reason.LOOPBACK
    if ip.is_link_local:
        return Reason.LINK_LOCAL
    if ip.is_multicast:
        return Reason.MULTICAST
    if ip.is_private:
        return Reason.PRIVATE
    if ip.is_reserved:
        return Reason.RESERVED
    if not ip.is_global or (isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED):
        return Reason.NOT_GLOBAL
    return None


def forbidden_reason(
    address: str | IPAddress,
    port: int | None = None,
    *,
    loopback_ports: frozenset[int] = frozenset(),
) -> Reason | None:
    """Why the bot must not connect to `address` (None: it may). Unparseable: refused.
    Loopback is allowed only on `loopback_ports` (tests)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return Reason.RESERVED
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        return Reason.LINK_LOCAL  # a zone index only makes sense on a local link
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        # The IPv4 address inside says most; an IPv4-mapped address *is* its IPv4 address.
        candidates = [*_embedded_ipv4(ip), *([] if ip.ipv4_mapped else [ip])]
    for candidate in candidates:
        reason = _own_reason(candidate)
        if reason is Reason.LOOPBACK and port in loopback_ports:
            continue
        if reason is not None:
            return reason
    return None


def literal_address(host: str) -> IPAddress | None:
    """`host` as an IP address when it is one (brackets of IPv6 URLs removed)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class GuardedResolver(AbstractResolver):
    """Resolves with `inner`, then refuses the name if any answer is forbidden.

    aiohttp connects to the addresses its resolver returns, so what was checked here is what the
    connection uses: no second resolution happens between the check and the connection (the
    connector must be built with `use_dns_cache=False` so that every connection asks again).
    """

    def __init__(
        self, inner: AbstractResolver, *, loopback_ports: frozenset[int] = frozenset()
    ) -> None:
        self.inner = inner
        self.loopback_ports = loopback_ports

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self.inner.resolve(host, port, family)
        for answer in answers:
            reason = forbidden_reason(
                answer["host"], answer["port"], loopback_ports=self.loopback_ports
            )
            if reason is not None:
                raise Forbidden(host, reason)
        return answers

    async def close(self) -> None:
        await self.inner.close()

"""Which network addresses a capture may reach, and connecting only to an address that was checked.

A capture fetches whatever URL it is given, then whatever that page
redirects to and (for the screenshot) whatever it loads. Pointed at a
loopback, private or link-local address it would read the machine's own
services, the office network or a cloud metadata endpoint
(169.254.169.254) and store the answer as "evidence". So by default only
globally routable addresses are reached; ``--allow-private`` lifts that,
and an explicit list of ``IP:PORT`` pairs lifts it for those pairs alone
(one intranet page, or a test server, without opening the rest).

The check is made on the RESOLVED address at connect time, and the socket
connects to that very address: a name checked first and looked up again
by the connect could answer differently the second time (DNS rebinding).
The HTTP Host header and the TLS server name stay the name in the URL.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

__all__ = ["AddressPolicy", "AddressRefused", "connect_checked", "parse_allowed", "refusal", "resolve"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges with their own names, checked before the generic "not global" test so the refusal says which.
_NAMED: list[tuple[str, ipaddress.IPv4Network | ipaddress.IPv6Network]] = [
    ("shared (carrier-grade NAT) address", ipaddress.ip_network("100.64.0.0/10")),
    ("cloud metadata address", ipaddress.ip_network("169.254.169.254/32")),
    ("unique local (private IPv6) address", ipaddress.ip_network("fc00::/7")),
]
# IPv6 forms that carry an IPv4 address a gateway would reach for us: NAT64 (well-known and local-use
# prefixes) and the deprecated IPv4-compatible form. IPv4-mapped and 6to4 are unwrapped by ``ipaddress``.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_COMPATIBLE = ipaddress.ip_network("::/96")


class AddressRefused(Exception):
    """A destination that is not reached, with one line saying which address and why."""


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """What may be reached: public addresses always; private ones if allowed, or these exact (IP, port) pairs."""

    allow_private: bool = False
    allowed: frozenset[tuple[str, int]] = frozenset()

    def permits(self, address: str, port: int) -> bool:
        if self.allow_private or refusal(address) is None:
            return True
        return (_canonical(address), port) in self.allowed


def _canonical(address: str) -> str:
    return str(ipaddress.ip_address(address.split("%", 1)[0]))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:  # ::ffff:127.0.0.1
        return ip.ipv4_mapped
    if ip.sixtofour is not None:  # 2002:7f00:0001::
        return ip.sixtofour
    if any(ip in net for net in _NAT64) or (ip in _COMPATIBLE and int(ip) > 1):  # ::1 and :: are not IPv4
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(address: str) -> str | None:
    """Why ``address`` is not public ("loopback address", …), or None for a globally routable one."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])  # a zone ("%eth0") is not the address
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            why = refusal(str(inner))
            return f"{why} inside an IPv6 address" if why else None
    for name, network in _NAMED:
        if ip.version == network.version and ip in network:
            return name
    if ip.is_unspecified:
        return "unspecified address"
    if ip.is_loopback:
        return "loopback address"
    if ip.is_link_local:
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if ip.is_reserved:
        return "reserved address"
    if ip.is_private:
        return "private address"
    if not ip.is_global:
        return "non-public address"
    return None


def resolve(host: str, port: int) -> list[tuple[socket.AddressFamily, tuple[str, int] | tuple[str, int, int, int]]]:
    """(family, socket address) for every address of ``host``; the one DNS lookup of a connection.

    Raises ``socket.gaierror`` when the name does not resolve.
    """
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [(family, sockaddr) for family, _, _, _, sockaddr in found]  # type: ignore[misc]


def connect_checked(host: str, port: int, *, timeout: float, policy: AddressPolicy) -> socket.socket:
    """A socket connected to an address of ``host`` that ``policy`` permits, checked before connecting.

    Every address the name resolves to is checked, not only the one used: a
    name that answers with both a public and a private address is refused,
    as which one is used next time is the resolver's choice, not ours.
    Raises :class:`AddressRefused`, ``socket.gaierror`` or ``OSError``.
    """
    addresses = resolve(host, port)
    if not addresses:
        raise socket.gaierror(f"no address for {host}")
    for _, sockaddr in addresses:
        address = str(sockaddr[0])
        if not policy.permits(address, port):
            why = refusal(address) or "address not allowed"
            named = host if _canonical(address) == host.strip("[]") else f"{host} ({address})"
            raise AddressRefused(f"{named} is a {why}; captures reach only public addresses")
    last: OSError | None = None
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)  # the checked address itself: no second lookup
        except OSError as error:
            sock.close()
            last = error
            continue
        return sock
    assert last is not None
    raise last


def parse_allowed(values: list[str] | tuple[str, ...]) -> frozenset[tuple[str, int]]:
    """``IP:PORT`` / ``[IPv6]:PORT`` texts as (IP, port) pairs; ValueError with one line for a bad one.

    Addresses, not names: a name's address is what the check is about, and
    it may change between now and the connection.
    """
    pairs: set[tuple[str, int]] = set()
    for value in values:
        text = value.strip()
        host, sep, port = text.rpartition(":")
        host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
        try:
            if not sep or not port.isdigit() or not 0 < int(port) < 65536:
                raise ValueError
            pairs.add((_canonical(host), int(port)))
        except ValueError:
            raise ValueError(f"--allow-address takes IP:PORT (for IPv6 [IP]:PORT), not {value[:80]!r}") from None
    return frozenset(pairs)

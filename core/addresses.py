"""IP addresses judged by what they reach: IPv6 forms that carry an IPv4 address are judged by that address.

Python's ``ipaddress`` calls ``64:ff9b::a9fe:a9fe`` (NAT64) or ``2002:a9fe:a9fe::1`` (6to4) global, yet on a
host behind NAT64 or a 6to4 relay they reach 169.254.169.254. Only ``ipv4_mapped`` is unwrapped by the
standard library; the other standard embeddings are unwrapped here.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")           # RFC 6052 well-known prefix
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")    # RFC 8215 local-use prefix (IPv4 in the last 32 bits
                                                         # when the operator uses a /96 inside it)
_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")    # RFC 2765 IPv4-translated
_COMPATIBLE = ipaddress.ip_network("::/96")              # RFC 4291 IPv4-compatible (deprecated, still routed by some stacks)


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, translated, NAT64, 6to4, Teredo client)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    low = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _NAT64 or address in _NAT64_LOCAL or address in _TRANSLATED:
        return low
    if address in _COMPATIBLE and int(address) > 1:  # not :: nor ::1, which are IPv6's own
        return low
    return None


def effective(address: IPAddress) -> IPAddress:
    """The address to judge: the embedded IPv4 address when there is one."""
    return embedded_ipv4(address) or address

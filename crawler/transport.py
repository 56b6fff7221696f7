"""Transport facts about a portal: does it serve HTTPS, and is its certificate valid?

Scrapy fetches HTTPS without verifying certificates (so an expired certificate does not stop the
audit); this module checks the certificate separately, once per portal, with the system's trust store
(plus ``cafile``, for tests), and says what is wrong in OpenSSL's words. It connects only to the address
the crawler already reached for the home page, which the network guard has vetted.
"""

from __future__ import annotations

import functools
import socket
import ssl
import threading
from typing import Any

_CONTEXT_LOCK = threading.Lock()


def _context(cafile: str | None) -> ssl.SSLContext:
    """One verifying context per CA file: loading the system trust store for every portal was the top
    entry of the 5,000-portal benchmark's profile (contexts are safe to share between threads). Under a
    lock: the first portals' probes start together in the thread pool, and each loaded the store itself
    (a tenth of a crawl process's start-up CPU)."""
    with _CONTEXT_LOCK:
        return _new_context(cafile)


@functools.lru_cache(maxsize=8)
def _new_context(cafile: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()
    if cafile:
        context.load_default_certs()
    return context


def probe_tls(host: str, port: int, *, ip: str | None = None, timeout: float = 10.0,
              cafile: str | None = None) -> dict[str, Any]:
    """Handshake with certificate and host-name verification. Never raises.

    Returns ``{"https": bool, "valid": bool|None, "error": str|None, "not_after": str|None}``:
    ``https`` False when no TLS server answers there; ``valid`` None when it could not be decided.
    """
    context = _context(cafile)
    try:
        with socket.create_connection((ip or host, port), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            cert = tls.getpeercert() or {}
            return {"https": True, "valid": True, "error": None, "not_after": cert.get("notAfter")}
    except ssl.SSLCertVerificationError as exc:
        return {"https": True, "valid": False, "error": exc.verify_message or str(exc), "not_after": None}
    except ssl.SSLError as exc:
        return {"https": False, "valid": None, "error": f"TLS handshake failed: {exc.reason or exc}", "not_after": None}
    except (OSError, ValueError) as exc:
        return {"https": False, "valid": None, "error": f"{type(exc).__name__}: {exc}"[:200], "not_after": None}

"""Credentials from the environment or a file, never from the command line, and masked in every message.

A password on a command line is readable by every user of the machine (``ps``, /proc/*/cmdline) and by
every process the command starts; here it is read from ``NAME`` or from the file named by ``NAME_FILE``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

REDIS_PASSWORD = "TCTT_REDIS_PASSWORD"


class SecretError(ValueError):
    """A credential given where it must not be, or a password file that cannot be read."""


def from_environment(name: str) -> str | None:
    """``$NAME``, or the first line of the file named by ``$NAME_FILE``; None when neither is set."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()[0].strip() or None
    except (OSError, IndexError, UnicodeError) as exc:
        raise SecretError(f"không đọc được tệp mật khẩu / cannot read the password file {name}_FILE={path}: "
                          f"{type(exc).__name__}") from None


def refuse_password_in_url(url: str) -> None:
    """A password inside a URL given on the command line is refused, with where to put it instead."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password:
        raise SecretError(f"không ghi mật khẩu vào dòng lệnh / no password on the command line: {mask(url)} — "
                          f"đặt vào / put it in {REDIS_PASSWORD} or a file named by {REDIS_PASSWORD}_FILE")


_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):[^@/\s]+@", re.IGNORECASE)


def mask(text: str, *secrets: str | None) -> str:
    """``text`` with URL passwords and the given secrets replaced by ***."""
    masked = _URL_PASSWORD.sub(lambda m: f"{m.group('scheme')}{m.group('user')}:***@", str(text))
    for secret in secrets:
        if secret:
            masked = masked.replace(secret, "***")
    return masked

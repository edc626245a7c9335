"""Where a user may be sent after signing in: only back into this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_safe_next(target: str | None) -> bool:
    """Accept only a local path such as ``/accounts/3?page=2``.

    Refuses absolute URLs, scheme-relative ``//evil.example`` and the
    backslash trick ``/\\evil.example`` that browsers treat as ``//``, which
    would make the login page an open redirect.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ch in target for ch in "\r\n\t\x00"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc

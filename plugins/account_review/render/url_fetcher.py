"""The only URL fetcher WeasyPrint gets: the plugin's own static files, nothing else.

User text reaches the PDF's HTML (account names, notes, people, comments).
Jinja escapes it, so ``<img src="http://…">`` arrives as text; but should any
markup ever slip through, WeasyPrint would fetch its URLs — an HTTP request
from the server (SSRF) or a local file (``file:///etc/passwd``) copied into a
document someone forwards. So the fetcher serves files under
``plugins/account_review/static/`` and ``data:`` URIs, and refuses every other
URL, whatever its scheme, host or ``..`` tricks.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


class FetchRefused(ValueError):
    """A URL outside the plugin's static files; WeasyPrint skips the resource."""


def static_file(url: str, static_dir: Path = STATIC_DIR) -> Path | None:
    """The file under ``static_dir`` a ``file:`` URL names, or None for anything else.

    Only ``file:`` URLs without a host (or ``localhost``) qualify; the path is
    resolved (symlinks, ``..``) before it is checked to lie inside ``static_dir``.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(unquote(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    root = static_dir.resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


class StaticFilesOnly(URLFetcher):
    """A WeasyPrint URL fetcher that serves the plugin's static files and ``data:`` URIs only.

    ``refused`` lists every URL it turned down (for logs and tests).
    """

    def __init__(self, static_dir: Path = STATIC_DIR) -> None:
        # No redirects, a short timeout and only the data: handler ever reached
        # through the parent class: belt and braces around fetch() below.
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
        self.static_dir = static_dir
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        path = static_file(url, self.static_dir)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(
                f"refused to fetch {url!r}: the review loads only its own static files"
            )
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )

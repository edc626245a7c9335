"""The app's JSON provider: a body nested too deeply is malformed JSON, not a crash.

Python's JSON decoder recurses once per nesting level and raises ``RecursionError``
past the interpreter's limit (a 10 kB body of ``{"a":{"a":…`` is enough). Flask's
``request.get_json`` only treats ``ValueError`` as malformed input, so such a body
made a 500 before any view ran; here it is a ``ValueError`` like any other bad JSON
(``get_json(silent=True)`` gives None, otherwise a 400).
"""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider


class JSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None

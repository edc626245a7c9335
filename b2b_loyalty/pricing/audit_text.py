"""One line of text for a recorded state in the change log (an audit entry's before/after).

The finance pages list every change in the log, and not all of them are the core's own
discount schedules: a plugin records its own entities there in its own shape (the tenure
plugin's schedules have tiers ``{"from_months": 12, "percent": "2"}``). A discount
schedule gets its compact form (``v2 approved: 0→0%, 100→5%``); anything else is written
out key by key, so an entry of any shape reads sensibly instead of breaking the page.
"""

from __future__ import annotations

from typing import Any

from b2b_loyalty.i18n import number

SCHEDULE_ENTITY = "discount_schedule"


def audit_state(state: Any, entity: str = "") -> str:
    if not state:
        return ""
    if not isinstance(state, dict):
        return str(state)
    if entity == SCHEDULE_ENTITY and isinstance(state.get("tiers"), list):
        try:
            tiers = ", ".join(
                f"{number(t['from'])}→{number(t['percent'])}%" for t in state["tiers"]
            )
        except (KeyError, TypeError, ArithmeticError, ValueError):
            pass  # an older or hand-made record: written out key by key below
        else:
            status = str(state.get("status", "")).replace("_", " ")
            return f"v{state.get('version', '?')} {status}: {tiers}"
    return "; ".join(f"{_label(key)}: {_value(value)}" for key, value in state.items())


def _label(key: object) -> str:
    return str(key).replace("_", " ")


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{_label(k)} {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(f"({_value(v)})" if isinstance(v, dict) else _value(v) for v in value)
    return str(value)

"""Reports-to lines between the stakeholders of one account."""

from __future__ import annotations

from collections.abc import Mapping


def reports_to_creates_cycle(
    stakeholder_id: int | None, new_manager_id: int | None, manager_of: Mapping[int, int | None]
) -> bool:
    """True when making ``new_manager_id`` the manager of ``stakeholder_id`` closes a loop.

    ``manager_of`` maps each existing stakeholder id to the id it reports to.
    Walks up from the proposed manager; reaching the stakeholder itself means a
    cycle. A new stakeholder (id None) cannot be anyone's manager yet, so it
    never creates one. The walk stops on an already-seen id, so corrupt data
    with an old cycle cannot loop forever.
    """
    if new_manager_id is None or stakeholder_id is None:
        return False
    seen: set[int] = set()
    current: int | None = new_manager_id
    while current is not None and current not in seen:
        if current == stakeholder_id:
            return True
        seen.add(current)
        current = manager_of.get(current)
    return False

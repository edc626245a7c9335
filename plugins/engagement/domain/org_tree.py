"""A simple org chart from reports-to lines: roots and their reports, as a tree.

A person whose manager is unknown, inactive or outside the given people is a
root. A reports-to loop in old data cannot hang the walk: each person is
placed once, and a loop with no way in is broken at its lowest id.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class OrgNode:
    item: Any
    reports: list[OrgNode] = field(default_factory=list)


def org_tree(
    items: Sequence[Any],
    *,
    key: Callable[[Any], Hashable],
    manager_key: Callable[[Any], Hashable | None],
    order: Callable[[Any], Any] = lambda item: 0,
) -> list[OrgNode]:
    """Roots of the reports-to forest over ``items``, children sorted by ``order``."""
    by_key = {key(item): item for item in items}
    children: dict[Hashable, list[Any]] = {}
    roots = []
    for item in items:
        boss = manager_key(item)
        if boss is None or boss not in by_key or boss == key(item):
            roots.append(item)
        else:
            children.setdefault(boss, []).append(item)
    placed: set[Hashable] = set()

    def build(item: Any) -> OrgNode:
        placed.add(key(item))
        node = OrgNode(item)
        for child in sorted(children.get(key(item), []), key=order):
            if key(child) not in placed:
                node.reports.append(build(child))
        return node

    forest = [build(item) for item in sorted(roots, key=order)]
    for item in sorted(items, key=lambda i: (str(key(i)),)):
        if key(item) not in placed:  # part of a loop: break it here
            forest.append(build(item))
    return forest

"""Building many small result objects at once without the cyclic garbage collector.

A portfolio of 10,000 accounts turns into a few hundred thousand small, acyclic
objects (figures, explanations, shares). CPython's cyclic collector runs every
700 allocations and, every hundredth run, traverses the whole heap — the app's
own ~300,000 long-lived objects included — only to find nothing to free:
reference counting frees these objects anyway. Measured on the 10,000-account
benchmark portfolio, it cost a third of the dashboard's time.

``collector_paused`` turns it off for one such build and back on afterwards
(also when the build raises); anything cyclic created meanwhile is collected at
the next run after it. A view that builds such a result and then renders it wraps
the whole view (it is also a decorator): otherwise the first run after the build
traverses every one of those objects while the page is still being written, only
for reference counting to free them a moment later. That holds only while the
objects stay acyclic — a macro defined inside the rendered template, for one,
ties the template's context (and everything passed to it) into a cycle, so such
pages import their macros from another file.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

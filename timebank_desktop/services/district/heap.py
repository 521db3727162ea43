"""Fewer passes of Python's cycle collector while a district import runs.

An import allocates millions of short-lived objects (rows, tuples, dicts), nearly all freed
by reference counting, and few if any cycles. The cycle collector still runs every 700
allocations and now and then walks the whole heap: in the one-million-row bench that cost
the writing process 0.6 s and each worker about a tenth of its time. While an import runs,
what existed before it is set aside (`gc.freeze`: those objects are not walked again) and
the collector runs less often; both are undone afterwards, and nothing is left uncollected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 50_000  # allocations between passes over the youngest objects (default 700)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the body with the pre-existing heap frozen and rarer collections (then restore)."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(before[0], YOUNG_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()

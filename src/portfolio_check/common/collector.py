"""The cyclic garbage collector while a scan holds a hundred thousand long-lived facts.

A warm scan of a large repository decodes its facts in one go and keeps them to the end;
linking and scoring then allocate freely. Left alone, the collector walks every live fact
again in each full collection (a tenth of a warm scan's time). Both helpers only change when
the collector runs, never what is freed: objects are freed by their reference counts all the
same, and cyclic garbage is collected once the block ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused(pause: bool = True) -> Iterator[None]:
    """The collector off for the block (if `pause`, and it was on): for a loop that makes
    many objects and no cycles."""
    was_on = pause and gc.isenabled()
    if was_on:
        gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextlib.contextmanager
def settled() -> Iterator[None]:
    """Everything alive when the block starts is left out of collections until it ends
    (`gc.freeze`), then handed back. Left alone when something else has frozen objects
    (a worker process does), so as not to thaw what it froze."""
    mine = gc.get_freeze_count() == 0
    if mine:
        gc.freeze()
    try:
        yield
    finally:
        if mine:
            gc.unfreeze()

"""Storage writes that roll back with the database transaction.

Django offers `transaction.on_commit` but no on-rollback hook. A file saved to storage inside an
atomic block that later rolls back (validation fails after the save, a race is lost, an outer block
rolls back) would otherwise stay orphaned in storage.

How it works: after saving, we register a tiny marker with `transaction.on_commit`. Django keeps
that marker in `connection.run_on_commit` and

* runs it after the outermost COMMIT (the marker flips `committed`), or
* drops it without running it when the transaction, or the savepoint it was registered in, rolls
  back (`rollback()`, `savepoint_rollback()`, `close()` all discard the pending callbacks).

The marker is referenced only from that list, so when Django drops it CPython frees it at once and
the `weakref.finalize` attached to it runs: if the marker never ran, the transaction that stored the
file did not commit, and the file is deleted. No polling, no sweeper, and savepoints are handled by
Django's own bookkeeping (a rolled-back inner `atomic()` drops only its own markers).

One ambiguity is resolved in favour of keeping the file: if an earlier, non-robust on-commit hook
raises after the COMMIT, Django abandons the remaining hooks (ours included) unrun; Django's flag
`run_commit_hooks_on_set_autocommit_on` is still set at that moment, so we know the data committed
and keep the file. Outside any atomic block the write is simply kept (autocommit: nothing to undo).
"""

from __future__ import annotations

import logging
import weakref

from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)


class _State:
    __slots__ = ("committed",)

    def __init__(self) -> None:
        self.committed = False


class _Marker:
    """The on-commit callback; only Django's pending-hook list holds it."""

    __slots__ = ("state", "__weakref__")

    def __init__(self, state: _State) -> None:
        self.state = state

    def __call__(self) -> None:
        self.state.committed = True


def _discard(state: _State, connection, storage, name: str) -> None:
    if state.committed:
        return
    if getattr(connection, "run_commit_hooks_on_set_autocommit_on", False):
        return  # dropped because another hook raised after COMMIT: the data is committed, keep it
    try:
        storage.delete(name)
    except Exception:  # never let cleanup mask the error that caused the rollback
        logger.exception("storage_tx: could not delete %s after rollback", name)


def delete_on_rollback(storage, name: str, *, using: str | None = None) -> None:
    """Delete `name` from `storage` if the current transaction (or savepoint) rolls back."""
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if not connection.in_atomic_block:
        return
    state = _State()
    marker = _Marker(state)
    weakref.finalize(marker, _discard, state, connection, storage, name)
    transaction.on_commit(marker, using=using, robust=True)


def save(storage, name: str, content, *, using: str | None = None) -> str:
    """`storage.save(name, content)` that is undone if the surrounding transaction rolls back.

    Returns the name actually stored (the storage may change it to avoid a clash)."""
    stored = storage.save(name, content)
    delete_on_rollback(storage, stored, using=using)
    return stored

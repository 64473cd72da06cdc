"""Evidence: the ledger positions and chain hashes of the events behind a finding.

``Evidence(position, hash_hex, topic)`` is what an inspector hands over: anyone
holding the ledger can recompute the link at ``position`` and compare it with
``hash_hex``. Hashes are read from the ledger's own ``ledger_chain`` table by
SQL (declared read-only in ``projections.schema``), so the read side needs no
import of ``ledger``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select

from projections.schema import ledger_chain
from projections.sql import CHUNK

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.engine import Connection


class Evidence(NamedTuple):
    """One event behind a finding: where it is, its chain link, what it is.

    A named tuple, ordered by position: the risk folds make one per fact row
    they keep, millions on a county, and a frozen dataclass costs three times
    as much to build.
    """

    position: int
    hash_hex: str
    topic: str

    def as_dict(self) -> dict[str, object]:
        return {"position": self.position, "hash": self.hash_hex, "topic": self.topic}


class MissingLinkError(LookupError):
    """A position has no link in the ledger's chain: it cannot serve as evidence."""

    def __init__(self, positions: Iterable[int]) -> None:
        self.positions = tuple(sorted(positions))
        super().__init__(
            f"The ledger chain holds no link at position(s) "
            f"{', '.join(map(str, self.positions))}, so they cannot be cited."
        )


def chain_hashes(conn: Connection, positions: Iterable[int]) -> dict[int, str]:
    """Return the hex chain link of each position found in ``ledger_chain``."""
    wanted = sorted(set(positions))
    found: dict[int, str] = {}
    column = ledger_chain.c.notification_id
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = conn.execute(
            select(column, ledger_chain.c.hash).where(column.in_(chunk))
        )
        found.update((int(position), bytes(link).hex()) for position, link in rows)
    return found


def cite(conn: Connection, refs: Iterable[tuple[int, str]]) -> tuple[Evidence, ...]:
    """Return evidence for ``(position, topic)`` pairs, with their chain hashes.

    Raises:
        MissingLinkError: if any position has no link in the chain.
    """
    pairs = sorted(set(refs))
    hashes = chain_hashes(conn, (position for position, _ in pairs))
    missing = [position for position, _ in pairs if position not in hashes]
    if missing:
        raise MissingLinkError(missing)
    return tuple(Evidence(p, hashes[p], topic) for p, topic in pairs)

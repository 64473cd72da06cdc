"""What the posting rules remember between events, and where it is stored.

``Context`` holds, as plain strings, what earlier events said that later
postings need: which programme an account serves, a batch's region and month,
the case, household and fen of each batch line, a case's region and
household, a recovery's case. The books view writes what it learnt to its
context table in each page's transaction and reads misses back through
``loader``, so a new process carries on where the last one stopped.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


class Context:
    """What earlier events said, as plain strings keyed by a short kind prefix.

    Keys: ``acct:<id>`` → ``programme|org``; ``batch:<id>`` →
    ``programme|township|period``; ``line:<id>:<first no>`` → a JSON list of
    ``[case, household, fen]`` from that line on (one row per scheduling event);
    ``case:<id>`` → ``case_no|programme|region|household``; ``rec:<id>`` →
    ``case_no``. ``fresh`` holds what was learnt since the last ``settle``
    (the view writes it to its context table); ``loader`` answers misses
    (from that table), or None in a pure replay that starts at position 1.
    """

    def __init__(self, loader: Callable[[str], dict[str, str]] | None = None) -> None:
        self.known: dict[str, str] = {}
        self.fresh: dict[str, str] = {}
        self.lines: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.line_count = 0
        self.loader = loader

    @property
    def size(self) -> int:
        """How many entries are held in memory."""
        return len(self.known) + self.line_count

    def put_lines(
        self, batch: str, first_no: int, rows: Iterable[tuple[str, str, int]]
    ) -> None:
        """Remember a batch's lines from ``first_no`` on: (case, household, fen)."""
        lines = self.lines.get(batch)
        if lines is None:
            new = f"batch:{batch}" in self.fresh  # made this page: nothing stored
            lines = self.lines[batch] = {} if new else self._stored_lines(batch)
        before, chunk = len(lines), list(rows)
        lines.update(enumerate(chunk, first_no))
        self.fresh[f"line:{batch}:{first_no:07d}"] = json.dumps(chunk)
        self.line_count += len(lines) - before

    def line(self, batch: str, line_no: int) -> tuple[str, str, int] | None:
        """Return one batch line, or None if no event said it."""
        lines = self.lines.get(batch)
        if lines is None:
            lines = self.lines[batch] = self._stored_lines(batch)
        return lines.get(line_no)

    def _stored_lines(self, batch: str) -> dict[int, tuple[str, str, int]]:
        if self.loader is None:
            return {}
        found = self.loader(f"line:{batch}:0000000")
        lines: dict[int, tuple[str, str, int]] = {}
        for key, value in found.items():
            first_no = int(key.rsplit(":", 1)[1])
            chunk = ((str(c), str(h), int(a)) for c, h, a in json.loads(value))
            lines.update(enumerate(chunk, first_no))
        self.line_count += len(lines)
        return lines

    def put(self, key: str, value: str) -> None:
        self.known[key] = value
        self.fresh[key] = value

    def get(self, key: str) -> str | None:
        value = self.known.get(key)
        if value is None and self.loader is not None:
            found = self.loader(key)
            self.known.update(found)
            self.known.setdefault(key, "")
            value = self.known[key]
        return value or None

    def settle(self) -> dict[str, str]:
        """Return and forget what was learnt since the last call."""
        fresh, self.fresh = self.fresh, {}
        return fresh

    def forget(self) -> None:
        """Drop everything held in memory (a page failed, or memory is full)."""
        self.known.clear()
        self.fresh.clear()
        self.lines.clear()
        self.line_count = 0

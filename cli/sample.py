"""A tiny generic aggregate and application that feed the first ledger demo."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

if TYPE_CHECKING:
    from collections.abc import Mapping

BATCH = 50
"""Accounts saved per transaction."""


class SampleAccount(Aggregate):
    """A fund account credited in integer fen: enough to exercise the chain."""

    @event("Opened")
    def __init__(self, label: str) -> None:
        self.label = label
        self.balance_fen = 0

    @event("Credited")
    def credit(self, amount_fen: int) -> None:
        self.balance_fen += amount_fen


class SampleLedger(Application[UUID]):
    """Writes sample accounts through the library onto the configured store."""

    name = "SampleLedger"

    def add_accounts(self, count: int, credits_each: int, seed: int) -> int:
        """Open ``count`` accounts with ``credits_each`` credits each.

        Returns:
            The number of events recorded.
        """
        rng = random.Random(seed)  # demo data only, not security
        pending: list[SampleAccount] = []
        for number in range(count):
            account = SampleAccount(label=f"sample-{seed}-{number}")
            for _ in range(credits_each):
                account.credit(rng.randrange(10_000, 200_000))
            pending.append(account)
            if len(pending) == BATCH:
                self.save(*pending)
                pending.clear()
        if pending:
            self.save(*pending)
        return count * (1 + credits_each)


def append_sample_events(env: Mapping[str, str], events: int, seed: int) -> int:
    """Append about ``events`` sample events (whole accounts of six events).

    Args:
        env: the eventsourcing environment of the store to write to.
        events: how many events to aim for; at least one account is written.
        seed: makes amounts and labels repeatable.

    Returns:
        The number of events recorded.
    """
    per_account = 6
    application = SampleLedger(env=dict(env))
    try:
        return application.add_accounts(
            max(1, events // per_account), per_account - 1, seed
        )
    finally:
        application.close()

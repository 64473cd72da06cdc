"""Domain errors: a refused command, with one sentence naming the rule and the record.

Every ``DomainError`` means "command refused; nothing recorded". The message is
built once, in ``__init__``, from the rule and the record it concerns.
"""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused by a rule; nothing was recorded."""

    def __init__(self, rule: str, record: str, reason: str) -> None:
        self.rule = rule
        self.record = record
        self.reason = reason
        super().__init__(f"Refused by rule {rule} for {record}: {reason}.")


class NotFoundError(DomainError):
    """A command named a record that does not exist."""

    def __init__(self, kind: str, record_id: object) -> None:
        super().__init__("unknown-record", f"{kind} {record_id}", "no such record")


class RoleError(DomainError):
    """The acting staff member does not hold the role the command needs."""


class SeparationOfDutiesError(DomainError):
    """The same person may not act twice where two are required."""


class OrderingError(DomainError):
    """A step was attempted before the steps it depends on."""


class AmountError(DomainError):
    """An amount is malformed, negative, or above what is allowed."""


class DeadlineError(DomainError):
    """A date or deadline rule was broken."""


class InvalidDataError(DomainError):
    """Input data is malformed (bad id, unknown reference, broken money)."""

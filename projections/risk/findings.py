"""Findings and rules: what a risk rule is, what it reports, and how rules are run.

A ``Rule`` has a stable id from the red-flag catalogue (domain notes §3), a
Chinese and an English name, a severity, and a pure ``check`` function whose
docstring states the logic and cites its article. A check takes the facts
the views hold and returns ``RiskFinding`` records: findings are reported,
never raised (house style rule 22, after beancount's validations). Each
finding carries the evidence (ledger positions and chain hashes) that makes
it, so it can be handed over and checked against the chain.

Raising and clearing a flag are domain events (``domain.oversight``); a cleared
flag is not raised again for the same evidence, which ``fresh_findings``
applies through ``RiskFinding.fingerprint``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from projections.evidence import Evidence

Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER: dict[Severity, int] = {"high": 0, "medium": 1, "low": 2}

F = TypeVar("F")

Fingerprint = tuple[str, str, tuple[int, ...]]


@dataclass(frozen=True)
class RiskFinding:
    """One suspicion, with the events that make it."""

    rule_id: str
    severity: Severity
    subject: str
    summary: str
    evidence: tuple[Evidence, ...]

    @property
    def fingerprint(self) -> Fingerprint:
        """Rule, subject and evidence positions: the same finding on the same facts."""
        return (
            self.rule_id,
            self.subject,
            tuple(sorted(e.position for e in self.evidence)),
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "subject": self.subject,
            "summary": self.summary,
            "evidence": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class Rule(Generic[F]):
    """A named, documented, pure check over facts of type ``F``."""

    rule_id: str
    name_zh: str
    name_en: str
    severity: Severity
    check: Callable[[F], Iterable[RiskFinding]]

    @property
    def doc(self) -> str:
        """The check's docstring: its logic and the article it enforces."""
        return (self.check.__doc__ or "").strip()

    def __call__(self, facts: F) -> tuple[RiskFinding, ...]:
        return tuple(sorted(self.check(facts), key=_finding_order))


def rule(
    rule_id: str, name_zh: str, name_en: str, severity: Severity
) -> Callable[[Callable[[F], Iterable[RiskFinding]]], Rule[F]]:
    """Decorate a pure check function into a ``Rule``."""

    def make(check: Callable[[F], Iterable[RiskFinding]]) -> Rule[F]:
        if not (check.__doc__ or "").strip():
            msg = f"rule {rule_id} needs a docstring stating its logic and article"
            raise ValueError(msg)
        return Rule(rule_id, name_zh, name_en, severity, check)

    return make


def run_rules(rules: Iterable[Rule[F]], facts: F) -> tuple[RiskFinding, ...]:
    """Run every rule over ``facts``; findings in a stable order."""
    found = [finding for each in rules for finding in each(facts)]
    return tuple(sorted(found, key=_finding_order))


def fresh_findings(
    findings: Iterable[RiskFinding], cleared: Iterable[Fingerprint]
) -> tuple[RiskFinding, ...]:
    """Leave out findings whose rule, subject and evidence were already cleared."""
    done = set(cleared)
    return tuple(f for f in findings if f.fingerprint not in done)


def _finding_order(finding: RiskFinding) -> tuple[object, ...]:
    return (
        SEVERITY_ORDER[finding.severity],
        finding.rule_id,
        finding.subject,
        finding.fingerprint[2],
        finding.summary,
    )

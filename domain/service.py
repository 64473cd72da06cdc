"""The relief fund service: the only writer of events, composed of four parts.

``ReliefFund`` is an eventsourcing ``Application`` (``domain.app_base``) made
of the reference commands and queries (``domain.reference_service``), the case
commands (``domain.case_service``), the payment commands
(``domain.payment_service``) and the oversight commands
(``domain.oversight_service``). Storage is chosen
by the environment (``PERSISTENCE_MODULE``), never by import; the local
policy is given at construction (``domain.policy.Policy``).
"""

from __future__ import annotations

from uuid import UUID

from domain.app_base import EventApplication
from domain.case_service import CaseCommands
from domain.oversight_service import OversightCommands
from domain.payment_service import PaymentCommands
from domain.reference_service import ReferenceCommands


class ReliefFund(
    ReferenceCommands,
    CaseCommands,
    PaymentCommands,
    OversightCommands,
    EventApplication[UUID],
):
    """The relief fund: every command and query of the domain.

    Construct it as ``ReliefFund(env=None, policy=None)``; name the object
    ``fund``, never ``app`` (a household's request is an application too).
    """

    name = "ReliefFund"

"""``CaseCommands``: the case engineer's part of ``domain.service.ReliefFund``.

Composed from the role modules: intake (``domain.case_intake_service``), the
decision and dynamic management (``domain.case_management_service``, which
builds on ``domain.case_decision_service``), recoveries
(``domain.recovery_service``) and the legacy-import path
(``domain.case_import_service``).
"""

from __future__ import annotations

from domain.case_import_service import CaseImportCommands
from domain.case_intake_service import CaseIntakeCommands
from domain.case_management_service import CaseManagementCommands
from domain.recovery_service import RecoveryCommands


class CaseCommands(
    CaseIntakeCommands, CaseManagementCommands, RecoveryCommands, CaseImportCommands
):
    """Every case command: application to exit, recoveries, and imports."""

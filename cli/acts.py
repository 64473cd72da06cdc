"""How a command acts: open the fund service, say who acts, turn refusals into exit 1.

``open_fund`` opens ``domain.service.ReliefFund`` on the ledger store and closes
it afterwards. ``act_as`` builds the ``Act`` of a command: the staff member
named by ``--as`` acting, on the ``--on`` day, in the first of the command's
roles they hold that day; the domain refuses, in one sentence, a member who
holds none of them.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, time
from typing import TYPE_CHECKING, TypeVar

import click

from cli.services import Services
from domain.base import Act
from domain.errors import DomainError, NotFoundError
from domain.people import is_person_ref
from domain.reference_queries import PERSON_KEY
from domain.service import ReliefFund
from ledger.errors import LedgerError
from ledger.store import open_store, persistence_env

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from datetime import date

T = TypeVar("T")


@contextmanager
def refused() -> Iterator[None]:
    """Turn a refused command or a ledger failure into one sentence and exit 1."""
    try:
        yield
    except (DomainError, LedgerError) as error:
        raise click.ClickException(str(error)) from error


@contextmanager
def open_fund(services: Services) -> Iterator[ReliefFund]:
    """Open the relief fund service on the store; refusals inside exit 1.

    A store that holds no ledger (``relief init`` not run) is refused first,
    in one sentence, by ``ledger.store.open_store``.
    """
    with refused():
        open_store(services.db).close()
        env = persistence_env(services.db)
        if services.person_key:
            env[PERSON_KEY] = services.person_key
        fund = ReliefFund(env=env)
        try:
            yield fund
        finally:
            fund.close()


def act_as(fund: ReliefFund, staff_id: str, roles: Sequence[str], day: date) -> Act:
    """Return the act of ``staff_id`` on ``day`` in the first of ``roles`` held.

    A registered staff member who holds none of ``roles`` acts in a role they
    do hold (so the domain refuses it by name); someone not registered claims
    the command's first role, which only reference data accepts (the staff
    registry is itself built by reference commands).
    """
    try:
        held = sorted(fund.staff(staff_id).roles_on(day))
    except NotFoundError:
        held = []
    role = next((r for r in roles if r in held), held[0] if held else roles[0])
    return Act(staff_id, role, datetime.combine(day, time()))


pass_services = click.make_pass_decorator(Services)


def perform(
    services: Services,
    actor: str,
    day: date,
    roles: Sequence[str],
    command: Callable[[ReliefFund, Act], T],
) -> T:
    """Open the fund, build the act, run the one domain command, and close."""
    with open_fund(services) as fund:
        return command(fund, act_as(fund, actor, roles, day))


def query(services: Services, read: Callable[[ReliefFund], T]) -> T:
    """Open the fund, run one query, and close; refusals exit 1."""
    with open_fund(services) as fund:
        return read(fund)


def person(fund: ReliefFund, text: str) -> str:
    """Return the person ref of an ID number, or ``text`` if it is a ref already."""
    return text if is_person_ref(text) else fund.person_ref(text)

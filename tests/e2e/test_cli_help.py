"""Every `relief` command has help with an example, and none needs a database for it."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from cli.main import cli


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*path, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*path, name)))
    return found


COMMANDS = _commands(cli)


def test_the_commands_of_every_user_are_there() -> None:
    names = {" ".join(path) for path in COMMANDS}
    for expected in (
        "region add", "standard set", "limit set", "calendar year", "staff add",
        "staff role", "household add", "kinship add", "case apply", "case approve",
        "case terminate", "funds receive", "batch create", "batch export",
        "batch import", "batch reconcile", "history", "replay", "risk list",
        "risk show", "risk clear", "export", "verify-export", "import",
    ):  # fmt: skip
        assert expected in names


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, ["--db", "/nonexistent/x.db", *path, "--help"])
    assert result.exit_code == 0, result.output
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    if not isinstance(command, click.Group):
        assert "Example" in result.output, path

"""Every command documents itself: --help works and shows an example."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from soundtrack_playlists import __version__
from soundtrack_playlists.cli import cli


def all_commands():
    return sorted(cli.commands)


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"soundtrack-playlists {name}" in result.output, f"{name} --help shows no example"

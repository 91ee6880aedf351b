"""The README's command reference matches the code; help texts are complete and fit.

Like sqlite-utils' test_docs.py, the commands and options are read from the click group at
test time, so a command or option added later is checked too.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"
HEADING = re.compile(r"^### `soundtrack-playlists ([a-z-]+)`", re.MULTILINE)
OPTION = re.compile(r"(?<![\w-])(--?[a-zA-Z][\w-]*)")


def reference() -> str:
    """The README's command reference: from its marker to the next marker."""
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- SECTION: command-reference -->")
    end = text.find("<!-- SECTION:", start + 1)
    return text[start : end if end != -1 else len(text)]


def sections() -> dict[str, str]:
    """Each command's part of the reference, by command name ("" for the part before)."""
    text = reference()
    found = {"": text[: HEADING.search(text).start()] if HEADING.search(text) else text}
    matches = list(HEADING.finditer(text))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        found[match.group(1)] = text[match.start() : following.start() if following else None]
    return found


def option_names(command: click.Command) -> set[str]:
    names: set[str] = set()
    for param in command.params:
        if isinstance(param, click.Option):
            names.update(param.opts + param.secondary_opts)
    return names


GROUP_OPTIONS = option_names(cli) | {"-h", "--help"}


def commands() -> list[str]:
    return sorted(cli.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_is_in_the_reference(name: str) -> None:
    assert name in sections(), f"README has no `### \\`soundtrack-playlists {name}\\`` heading"


@pytest.mark.parametrize("name", commands())
def test_every_option_is_documented_with_its_command(name: str) -> None:
    text = sections().get(name, "")
    missing = sorted(
        option for option in option_names(cli.commands[name]) - {"-h", "--help"} - option_names(cli)
        if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text)
    )  # fmt: skip
    assert not missing, f"README's `{name}` section does not mention {missing}"


def test_the_reference_names_no_command_that_does_not_exist() -> None:
    unknown = set(sections()) - set(cli.commands) - {""}
    assert not unknown, f"README documents commands that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("name", commands())
def test_the_reference_names_no_option_that_does_not_exist(name: str) -> None:
    text = sections().get(name, "")
    known = option_names(cli.commands[name]) | GROUP_OPTIONS
    named = set(OPTION.findall(re.sub(r"https?://\S+", "", text)))
    unknown = sorted(option for option in named if option.startswith("--") and option not in known)
    assert not unknown, f"README's `{name}` section names options it lacks: {unknown}"


def test_the_group_options_are_documented() -> None:
    text = sections()[""]
    for option in option_names(cli) - {"-h", "--help"}:
        assert option in text, f"README's reference does not mention {option}"


def test_shell_completion_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        assert f"_SOUNDTRACK_PLAYLISTS_COMPLETE={shell}_source" in text


def test_top_level_help_cuts_no_description() -> None:
    result = CliRunner().invoke(cli, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    listing = result.output.split("Commands:\n", 1)[1]
    assert "..." not in listing
    for name, command in cli.commands.items():
        assert command.short_help, f"{name} has no short_help"
        assert command.short_help.endswith(".") and command.short_help[0].isupper()
        assert f"{name}".ljust(2) in listing and command.short_help in listing


def _sentences(command: click.Command) -> list[tuple[str, str]]:
    return [
        ("/".join(param.opts), param.help or "")
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
    ]


@pytest.mark.parametrize("name", ["", *commands()])
def test_option_help_is_complete_sentences_that_wrap_between_words(name: str) -> None:
    command = cli.commands[name] if name else cli
    for option, text in _sentences(command):
        assert text, f"{name} {option} has no help"
        assert text[0].isupper() and text.endswith("."), f"{name} {option}: {text!r}"
        longest = max(text.split(), key=len)
        assert len(longest) <= 32, f"{name} {option}: {longest!r} would be cut mid-word"
    args = [name, "--help"] if name else ["--help"]
    result = CliRunner().invoke(cli, args, terminal_width=80)
    assert result.exit_code == 0
    assert max(len(line) for line in result.output.splitlines()) <= 80


# --- the README's layout table: "Where things live" ---------------------------------------

PACKAGE_DIR = README.parent / "soundtrack_playlists"
LAYOUT_ROW = re.compile(r"^\| (`[^|]+`) \| (.+) \|$", re.MULTILINE)
NAMED = re.compile(r"`([a-z_]+(?:\.py|/)?)`")


def layout_rows() -> dict[str, set[str]]:
    """Each place the table names (`files/`, `models.py`) with the modules its row names."""
    text = README.read_text(encoding="utf-8")
    start = text.index("### Where things live")
    table = text[start : text.index("\n\n", text.index("| where |", start))]
    rows: dict[str, set[str]] = {}
    for places, description in LAYOUT_ROW.findall(table):
        for place in NAMED.findall(places):
            rows[place] = {name for name in NAMED.findall(description) if "." not in name}
    return rows


def test_the_layout_table_names_every_package_and_top_level_module():
    rows = layout_rows()
    packages = {f"{p.name}/" for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.name for p in PACKAGE_DIR.glob("*.py") if not p.name.startswith("__")}
    assert packages | modules == set(rows), "the README's layout table and the folders differ"


@pytest.mark.parametrize("package", sorted(p for p in layout_rows() if p.endswith("/")))
def test_each_packages_row_names_exactly_its_modules(package):
    folder = PACKAGE_DIR / package
    modules = {p.stem for p in folder.glob("*.py") if not p.name.startswith("__")}
    named = layout_rows()[package]
    assert modules - named == set(), f"{package}: modules the README's table does not name"
    assert named - modules == set(), f"{package}: named in the README's table, but not there"

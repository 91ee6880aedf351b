"""The house rules that a reader relies on: no import cycles, a docstring per module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "soundtrack_playlists"
PACKAGE_DIR = Path(__file__).resolve().parent.parent / PACKAGE


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The package's own modules that `name` imports, anywhere in its body, type-only too."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in MODULES and target != name)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that returns to its start, or None."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in visiting:
            return visiting[visiting.index(node) :] + [node]
        if node in done:
            return None
        visiting.append(node)
        for neighbour in sorted(graph[node]):
            cycle = visit(neighbour)
            if cycle:
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    graph = {name: imports_of(name) for name in MODULES}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a"}}) is None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_opens_with_a_docstring(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.strip(), f"{MODULES[name]} needs a one-line docstring"


# Stages, lowest first: a module imports from its own stage or below, never from above.
STAGES = (
    ("models", "errors", "text", "playlist_names", "timing"),
    ("files", "settings"),
    ("tracklists", "matching", "covers"),
    ("importing", "resolve", "spotify"),
    ("sync", "emulator"),
    ("export", "doctor", "demo"),
    ("cli", "__main__", "launch"),
)


def stage_of(name: str) -> int:
    """The stage of a module by its first part below the package (the package itself: 0)."""
    parts = name.split(".")
    if len(parts) == 1:
        return 0
    for index, members in enumerate(STAGES):
        if parts[1] in members:
            return index
    raise AssertionError(f"{name} is in no stage: add it to STAGES")


def test_every_import_goes_down_the_stages_never_up() -> None:
    upward = [
        f"{name} -> {imported}"
        for name in sorted(MODULES)
        for imported in sorted(imports_of(name))
        if stage_of(imported) > stage_of(name)
    ]
    assert upward == []


def test_the_stage_check_sees_an_upward_import() -> None:
    assert stage_of("soundtrack_playlists.sync.plan") > stage_of("soundtrack_playlists.resolve.x")
    assert stage_of("soundtrack_playlists.cli.sync") == len(STAGES) - 1

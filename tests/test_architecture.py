"""The house's rules, checked: imports point inward, no cycles, one module per outside engine,
rooms a newcomer can take in (no module over 650 lines, every package says what it holds)."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("routing", "maps", "api")
MAX_LINES = 650


def test_import_contracts_hold():
    """Every import-linter contract in pyproject.toml is kept: api -> maps -> routing, the
    layers inside routing, no cycles between siblings, ortools/pyvrp/osmnx/osmium each behind
    their one module or package, no HTTP below api."""
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def _modules():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def test_no_module_is_too_long_to_read():
    """A module holds one concern: none of routing/, maps/ or api/ runs past MAX_LINES."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_package_says_what_lives_there():
    """Each package's __init__ has a docstring, and holds no imports (starting a command stays
    cheap: a package is only loaded for what a command uses)."""
    for init in (p for p in _modules() if p.name == "__init__.py"):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{init.relative_to(ROOT)} has no docstring"
        imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        assert not [n for n in imports if not _future(n)], init.relative_to(ROOT)


def _future(node: ast.stmt) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"

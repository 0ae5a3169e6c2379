"""The shape of ``routing.solve``: what each module imports, read from the source."""

from __future__ import annotations

import ast
import graphlib
import importlib.util
from pathlib import Path

import routing.solve.portfolio as portfolio

PACKAGE = Path(portfolio.__file__).parent


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth (lazy imports included)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "routing.solve":
                out |= {f"routing.solve.{a.name}" for a in node.names}
            else:
                out.add(node.module)
    return out


MODULES = {p.stem: _imports(p) for p in PACKAGE.glob("*.py")}


def test_only_ortools_model_imports_ortools_and_only_seed_imports_pyvrp() -> None:
    """OR-Tools stays behind one module and PyVRP behind another."""
    ortools = {m for m, imps in MODULES.items() if any(i.startswith("ortools") for i in imps)}
    pyvrp = {m for m, imps in MODULES.items() if any(i.startswith("pyvrp") for i in imps)}
    assert ortools == {"ortools_model"}
    assert pyvrp == {"seed"}


def test_imports_point_inward_and_never_in_a_circle() -> None:
    """Of our own code the package imports only routing.model, routing.errors and itself,
    and no module imports one that imports it back."""
    ours = ("routing", "maps", "api", "tests", "benchmarks")
    for module, imps in MODULES.items():
        outside = {
            i for i in imps if i.split(".")[0] in ours and not i.startswith("routing.solve.")
        }
        assert outside <= {"routing.model", "routing.errors"}, (module, outside)
    graph = {
        m: {i.removeprefix("routing.solve.") for i in imps if i.startswith("routing.solve.")}
        for m, imps in MODULES.items()
    }
    assert all(deps <= set(MODULES) for deps in graph.values()), graph
    order = list(graphlib.TopologicalSorter(graph).static_order())  # CycleError if a cycle
    assert order.index("options") < order.index("data") < order.index("solver")


def test_init_imports_nothing() -> None:
    """Importing ``routing.solve.options`` does not load the solver through ``__init__``."""
    assert MODULES["__init__"] == set()


def test_forkserver_preloads_the_module_of_the_worker() -> None:
    """The forkserver preloads a module that exists: the one whose function the child runs."""
    tree = ast.parse((PACKAGE / "portfolio.py").read_text())
    preloads = [
        ast.literal_eval(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "set_forkserver_preload"
    ]
    assert preloads == [[portfolio._child.__module__]]
    assert all(importlib.util.find_spec(name) is not None for name in preloads[0])

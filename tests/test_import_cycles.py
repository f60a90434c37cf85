"""No import cycles among the product packages and the benchmarks.

Every ``import`` and ``from ... import`` statement counts: at module level, inside a function
(a lazy import still ties the two modules together, it only hides the knot until the call)
and under ``if TYPE_CHECKING:`` (a type-only cycle is one refactor away from a real one).
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "rag", "ui", "evals", "api", "cli", "benchmarks")


def module_files(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the packages (``pkg/__init__`` = pkg)."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> the modules of the packages it imports (another package's too)."""
    files = module_files(root, packages)

    def known(name: str) -> str | None:
        while name and name not in files:  # "index.stores.Stores" -> "index.stores"
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: the module's package, one level up per extra dot
                    base = f"{package.rsplit('.', node.level - 1)[0]}.{base}".rstrip(".")
                targets += [f"{base}.{alias.name}" for alias in node.names]
        graph[module] = {t for t in map(known, targets) if t is not None and t != module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (its modules, the first repeated at the end), or None."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def test_no_import_cycle_in_the_product_or_the_benchmarks() -> None:
    graph = import_graph(ROOT, PACKAGES)
    assert {"index.stores", "rag", "cli.main", "benchmarks.run"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize(
    ("files", "knot"),
    [
        (
            {"a.py": "from pkg.b import thing\n", "b.py": "def f():\n    from pkg import a\n"},
            {"pkg.a", "pkg.b"},
        ),
        (
            {"a.py": "from . import b\n", "b.py": "if TYPE_CHECKING:\n    import pkg.a.x\n"},
            {"pkg.a", "pkg.b"},
        ),
        (
            {
                "a.py": "from .sub import b\n",
                "sub/__init__.py": "",
                "sub/b.py": "from ..a import x\n",
            },
            {"pkg.a", "pkg.sub.b"},
        ),
    ],
    ids=["lazy", "type-only", "relative"],
)
def test_a_cycle_through_a_lazy_type_only_or_relative_import_is_found(
    tmp_path: Path, files: dict[str, str], knot: set[str]
) -> None:
    for name, text in {"__init__.py": "", **files}.items():
        (tmp_path / "pkg" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pkg" / name).write_text(text)
    cycle = find_cycle(import_graph(tmp_path, ("pkg",)))
    assert cycle is not None and set(cycle) == knot and cycle[0] == cycle[-1]

import ast
import pathlib

import onec_exchange

PACKAGE_DIR = pathlib.Path(onec_exchange.__file__).parent


def test_version():
    assert onec_exchange.__version__.count(".") == 2


def test_package_never_imports_odoo():
    for path in PACKAGE_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "odoo" for n in names), path


# ---- no import circle -----------------------------------------------------------


def package_modules(package_dir):
    """``{dotted module name: path}`` of every module of a package."""
    modules = {}
    for path in package_dir.rglob("*.py"):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports_of(name, path, modules):
    """Modules of ``modules`` that module ``name`` imports anywhere in its
    code (function bodies included), relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            base = ".".join(part for part in (base, node.module) if part)
            # "from X import y": the submodule X.y if there is one, else X
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        yield from (target for target in targets if target in modules)


def import_graph(package_dir):
    """``{module: the package's modules it imports}``."""
    modules = package_modules(package_dir)
    return {
        name: set(imports_of(name, path, modules)) - {name}
        for name, path in modules.items()
    }


def find_cycle(graph):
    """One import circle of ``graph`` as a list of modules, or None."""
    done, path = set(), []

    def visit(module):
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for target in sorted(graph[module]):
            cycle = visit(target)
            if cycle:
                return cycle
        path.pop()
        done.add(module)
        return None

    return next(filter(None, map(visit, sorted(graph))), None)


def test_a_circle_closed_by_a_function_level_import_is_found(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text("def make():\n    from .sub import impl\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "impl.py").write_text("from ..base import make\n")
    (package / "alone.py").write_text("from . import base\nimport json\n")
    graph = import_graph(package)
    assert graph["pkg.alone"] == {"pkg.base"}
    assert find_cycle(graph) == ["pkg.base", "pkg.sub.impl", "pkg.base"]
    (package / "base.py").write_text("")
    assert find_cycle(import_graph(package)) is None


def test_the_package_has_no_import_circle():
    graph = import_graph(PACKAGE_DIR)
    assert {"onec_exchange.odata", "onec_exchange.soap"} <= graph[
        "onec_exchange.factory"
    ]
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle)

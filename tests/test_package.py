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

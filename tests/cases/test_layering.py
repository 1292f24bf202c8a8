"""The domain app does not import the apps above it (workflows, imports, exports)."""
import ast
from pathlib import Path

import cases

ABOVE = ("workflows", "imports", "exports", "privacy", "audit")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_domain_does_not_import_workflows_imports_or_exports():
    root = Path(cases.__file__).parent
    found = {}
    for path in root.rglob("*.py"):
        name = path.relative_to(root).as_posix()
        above = {m for m in _imports(path) if m.split(".")[0] in ABOVE}
        if above:
            found[name] = above
    assert found == {}

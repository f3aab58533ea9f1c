"""Imports point down, and importing has no side effects."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "tracker"
LAYERS = [
    "errors",
    "domain",
    "config",
    "store|ingest|notify",
    "projections",
    "app",
    "bootstrap",
    "cli|service|web",
]


def _layer(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else "__init__"
    for rank, names in enumerate(LAYERS):
        if top in names.split("|"):
            return rank
    return -1


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_imports_point_down_and_domain_uses_only_the_standard_library() -> None:
    problems = []
    for path in SRC.rglob("*.py"):
        module = "tracker." + ".".join(path.relative_to(SRC).with_suffix("").parts)
        mine = _layer(module)
        for imported in _imports(path):
            if module.startswith("tracker.domain") and imported.split(".")[0] not in (
                sys.stdlib_module_names | {"tracker"}
            ):
                problems.append(f"{module} imports third-party {imported}")
            if not imported.startswith("tracker."):
                continue
            theirs = _layer(imported)
            if theirs > mine >= 0 or {module.split(".")[1], imported.split(".")[1]} == {
                "store",
                "ingest",
            }:
                problems.append(f"{module} imports {imported}")
    assert problems == []


def test_importing_every_module_reads_no_settings_and_opens_nothing() -> None:
    code = (
        "import sys, pkgutil, importlib, tracker\n"
        "for m in pkgutil.walk_packages(tracker.__path__, 'tracker.'):\n"
        "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
        "import sqlalchemy, gc\n"
        "engines = [o for o in gc.get_objects() if isinstance(o, sqlalchemy.engine.Engine)]\n"
        "assert engines == [], engines\n"
        "assert 'spacy' not in sys.modules\n"
    )
    env = {"TRACKER_CONFIG": "/nonexistent/dir", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr

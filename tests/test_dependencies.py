"""The dependency list is true: every import is declared, every declared dependency is used."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "node_modules", "var", "migrations"}
# Where a dependency can be used without an import: the settings (apps,
# middleware, backends by dotted name) and the commands that run the stack.
USE_SITES = [ROOT / "villageburden" / "settings.py", ROOT / "Dockerfile", ROOT / "docker-compose.yml"]
USE_SITES += [ROOT / "bin" / "test", ROOT / "bin" / "start"]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {_name(r) for r in project["project"]["dependencies"]}
    dev = {_name(r) for r in project["dependency-groups"]["dev"]}
    return runtime, dev


def first_party() -> set[str]:
    return (
        {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
        | {
            "tests",
            "manage",
        }
        | {p.stem for p in (ROOT / "bench").glob("*.py")}
    )  # bench scripts import their siblings


def imported() -> dict[str, set[str]]:
    """Top-level module → the files that import it (every .py of the project, tests and bench included)."""
    out: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                out.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return out


def distributions(module: str) -> set[str]:
    return {d.lower().replace("_", "-") for d in packages_distributions().get(module, [])}


def test_every_import_is_declared():
    runtime, dev = declared()
    ours = first_party() | set(sys.stdlib_module_names)
    missing = {}
    for module, files in imported().items():
        if module in ours:
            continue
        dists = distributions(module)
        if not dists & (runtime | dev):
            missing[module] = sorted(files)[:3]
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_every_declared_dependency_is_used():
    runtime, _dev = declared()
    modules = set(imported())
    text = "\n".join(p.read_text(encoding="utf-8") for p in USE_SITES if p.exists())
    by_dist: dict[str, set[str]] = {}
    for module, dists in packages_distributions().items():
        for dist in dists:
            by_dist.setdefault(dist.lower().replace("_", "-"), set()).add(module)
    unused = []
    for dist in sorted(runtime):
        names = {m for m in by_dist.get(dist, set()) if not m.startswith("_")}
        if names & modules:
            continue
        if any(re.search(rf"[\"'\s/]{re.escape(m)}[\"'.\s:]", text) for m in names):
            continue
        unused.append(dist)
    assert not unused, f"declared in pyproject.toml but never imported or configured: {unused}"

"""The layout of ``generator/`` shows the pipeline, and imports only run down it.

The stages, in the order a build runs them (ARCHITECTURE.md): ``core`` (shared low-level helpers) →
``validate`` → ``guard`` → ``sources`` → ``rules`` → ``render`` → ``search`` → ``export`` →
``release``; then the workflows that drive them (``intake``, ``demo``) and the entry points
(``build``, ``cli``, ``serve``). A module may import from its own stage or an earlier one, never from
a later one, and nothing but the command line imports ``demo``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "generator"

STAGES = ["core", "validate", "guard", "sources", "rules", "render", "search", "export", "release"]
DRIVERS = {"intake": len(STAGES), "demo": len(STAGES), "build": len(STAGES) + 1, "serve": len(STAGES) + 1}
ENTRY = {"cli": len(STAGES) + 2}


def stage_of(module: str) -> tuple[str, int]:
    """``generator.render.pages`` → ("render", 5)."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    if top in STAGES:
        return top, STAGES.index(top)
    if top in DRIVERS:
        return top, DRIVERS[top]
    if top in ENTRY:
        return top, ENTRY[top]
    raise AssertionError(
        f"{module}: not in any stage; add its folder to STAGES in this test and ARCHITECTURE.md"
    )


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(GENERATOR.rglob("*.py")):
        rel = path.relative_to(GENERATOR.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        if len(parts) == 1:
            continue  # generator/__init__.py
        found.append((".".join(parts), path))
    return found


def imports(path: Path, module: str) -> list[tuple[int, str]]:
    """Every ``generator.*`` module imported anywhere in the file, also inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("generator")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name == "generator":
                found += [(node.lineno, f"generator.{alias.name}") for alias in node.names]
            elif name.startswith("generator."):
                found.append((node.lineno, name))
    return found


def test_every_module_is_in_a_stage() -> None:
    for module, _path in modules():
        stage_of(module)


def test_imports_only_run_down_the_pipeline() -> None:
    wrong = []
    for module, path in modules():
        stage, rank = stage_of(module)
        for line, imported in imports(path, module):
            other, other_rank = stage_of(imported)
            if other_rank > rank:
                wrong.append(
                    f"{path.relative_to(GENERATOR.parent)}:{line}: {stage} imports {imported} ({other})"
                )
    assert not wrong, "imports from a later stage:\n" + "\n".join(wrong)


def test_nothing_but_the_command_line_imports_demo() -> None:
    wrong = [
        f"{path.relative_to(GENERATOR.parent)}:{line}"
        for module, path in modules()
        if not module.startswith(("generator.demo", "generator.cli"))
        for line, imported in imports(path, module)
        if imported.startswith("generator.demo")
    ]
    assert not wrong, "production modules import demo: " + ", ".join(wrong)


@pytest.mark.parametrize("bad", ["generator.render.pages", "generator.export"])
def test_the_check_sees_a_wrong_import(tmp_path: Path, bad: str) -> None:
    """The checker itself: a core module importing a later stage is caught (it cannot pass vacuously)."""
    path = tmp_path / "x.py"
    path.write_text(f"def f():\n    from {bad} import thing\n", encoding="utf-8")
    [(line, imported)] = imports(path, "generator.core.x")
    assert line == 2 and stage_of(imported)[1] > stage_of("generator.core.x")[1]

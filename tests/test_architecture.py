"""The layers of the package, read from the modules' own imports.

Bottom to top (a module imports only from its own layer or below):

1. ``errors``, ``_compat``, ``method``, ``enums``, ``influence``, ``results``: plain values and words;
2. ``model``;
3. ``io``, ``_compiled``, ``privacy``;
4. ``analysis``;
5. ``viz``, ``datasets``;
6. ``__init__`` and ``cli``.

A function may import a higher layer inside its body only when it is a documented facade listed in
``FACADES`` (``g.to_json()``, ``result.plot()``, the lazy names of ``stakegraph``); no module imports
another module's private name; and each helper of the method's words and checks is defined once.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "stakegraph"

LAYERS: dict[str, int] = {
    "errors": 1,
    "_compat": 1,
    "_version": 1,
    "method": 1,
    "enums": 1,
    "influence": 1,
    "results": 1,
    "model": 2,
    "observation": 2,
    "io": 3,
    "_compiled": 3,
    "privacy": 3,
    "analysis": 4,
    "viz": 5,
    "datasets": 5,
    "__init__": 6,
    "cli": 6,
}

# (module, function) pairs whose body may import a higher layer: thin facades, documented as such.
FACADES: set[tuple[str, str]] = {
    ("stakegraph.__init__", "__getattr__"),
    ("stakegraph.io.__init__", "__getattr__"),
    ("stakegraph.model", "compiled"),
    ("stakegraph.model", "to_json"),
    ("stakegraph.model", "to_dict"),
    ("stakegraph.model", "to_networkx"),
    ("stakegraph.model", "to_frames"),
    ("stakegraph.model", "anonymise"),
    ("stakegraph.model", "_repr_html_"),
    ("stakegraph.results", "graph_html"),
    ("stakegraph.results", "plot"),
    ("stakegraph.method.lexicon", "read_toml"),
}


# methods that draw a result: each imports its view inside, as pandas' ``DataFrame.plot`` does
FACADE_METHODS: set[str] = {"plot"}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        out.append((".".join(rel.parts), path))
    return out


def _layer(module: str) -> int:
    parts = module.split(".")
    assert parts[0] == "stakegraph", module
    top = parts[1] if len(parts) > 1 else "__init__"
    return LAYERS[top]


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if path.name == "__init__.py":
        package = package[:-1] if package[-1] == "__init__" else package
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path):
    """(target module, imported names, enclosing function or None, under TYPE_CHECKING) per import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def walk(node, func, typing_only):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for sub in child.body:
                    yield from walk(ast.Module(body=[sub], type_ignores=[]), func, True)
                for sub in child.orelse:
                    yield from walk(ast.Module(body=[sub], type_ignores=[]), func, typing_only)
                continue
            if isinstance(child, ast.ImportFrom):
                target = _resolve(module, path, child)
                yield target, [a.name for a in child.names], func, typing_only
            elif isinstance(child, ast.Import):
                for a in child.names:
                    yield a.name, [], func, typing_only
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from walk(child, func or child.name, typing_only)
            else:
                yield from walk(child, func, typing_only)

    yield from walk(tree, None, False)


def _canonical(module: str) -> str:
    return module[: -len(".__init__")] if module.endswith(".__init__") else module


MODULES = _modules()


def test_the_layers_cover_every_module():
    assert len(MODULES) > 40
    tops = {m.split(".")[1] if "." in m else "__init__" for m, _ in MODULES}
    assert tops <= set(LAYERS), tops - set(LAYERS)
    assert all(1 <= _layer(module) <= 6 for module, _ in MODULES)


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_module_imports_a_higher_layer(module, path):
    own = _layer(module)
    bad = []
    for target, names, func, typing_only in _imports(module, path):
        if not target.startswith("stakegraph") or typing_only:
            continue
        targets = [target] if names == [] else [target]
        # ``from . import x`` imports the submodule x
        if target in ("stakegraph",) and names:
            targets = [f"stakegraph.{n}" for n in names if (SRC / n).exists() or (SRC / f"{n}.py").exists()]
            if not targets:
                targets = ["stakegraph.__init__"]
        for t in targets:
            if _layer(t if t != "stakegraph" else "stakegraph.__init__") > own:
                if func is not None and ((module, func) in FACADES or func in FACADE_METHODS):
                    continue
                bad.append(f"{module} ({func or 'module level'}) imports {t}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_module_imports_another_modules_private_name(module, path):
    own_package = (
        _canonical(module).rsplit(".", 1)[0] if not path.name == "__init__.py" else _canonical(module)
    )
    bad = []
    for target, names, _, _ in _imports(module, path):
        if not target.startswith("stakegraph"):
            continue
        for name in names:
            if name.startswith("_") and not name.startswith("__"):
                # a private submodule of the importer's own package is part of that package
                submodule = f"{target}.{name}"
                if _canonical(target) == own_package and (
                    (SRC.parent / Path(*submodule.split("."))).with_suffix(".py").exists()
                ):
                    continue
                bad.append(f"{module} imports {name} from {target}")
    assert not bad, "\n".join(bad)


HELPERS = [
    "who",
    "name_list",
    "stance_word",
    "stance_phrase",
    "stage_words",
    "deal_facts",
    "describe_deal",
    "signed",
    "value",
    "finite_or_none",
    "stance_of",
    "stance_codes",
    "opposition_codes",
    "is_active_for_us",
    "is_active_against_us",
    "in_decision_group",
    "bad",
    "check_int",
    "check_float",
    "check_choice",
    "check_bool",
    "check_seed",
    "check_graph",
    "check_influence",
]
COPIES = [
    "_num",
    "_fmt",
    "_who",
    "_label",
    "_stance_word",
    "_stance_phrase",
    "_pct",
    "_names",
    "_effective_stance",
]


def _definitions() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for module, path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.setdefault(node.name, []).append(module)
    return out


def test_each_helper_of_the_method_exists_once_and_no_copy_remains():
    defs = _definitions()
    for name in HELPERS:
        assert len(set(defs.get(name, []))) == 1, (
            f"{name} is defined in {defs.get(name)}"
        )  # overloads count once
    for name in COPIES:
        assert name not in defs, f"{name} is defined again in {defs[name]}"


def test_stance_cut_offs_live_only_in_the_method():
    """No module but the method's vocabulary compares support against a stance cut-off written out."""
    bad = []
    for module, path in MODULES:
        if module.startswith("stakegraph.method"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                text = ast.unparse(node)
                if "support" in text and any(
                    isinstance(c, ast.Constant) and c.value in (0.625, 0.875, -0.75, 0.75, -0.25)
                    for c in ast.walk(node)
                ):
                    bad.append(f"{module}: {text}")
    assert not bad, "\n".join(bad)

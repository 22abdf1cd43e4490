"""The hand-written stubs: a Google-style docstring for every public name, and nothing missing.

`python -m mypy.stubtest euca._euca` (run by scripts/test) checks the signatures against the
compiled module; this test checks the documentation.
"""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
import pathlib

import euca
from euca import _euca

STUB = pathlib.Path(euca.__file__).with_name("_euca.pyi")


def _documented() -> dict[str, ast.AST]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    out: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = node
        elif isinstance(node, ast.ClassDef):
            out[node.name] = node
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    out[f"{node.name}.{item.name}"] = item
    return out


def test_every_public_name_has_a_docstring_in_the_stub():
    missing = []
    for name, node in _documented().items():
        short = name.rsplit(".", 1)[-1]
        if short.startswith("__") and short.endswith("__") and short != "__len__":
            continue
        doc = ast.get_docstring(node)  # type: ignore[arg-type]
        if not doc:
            missing.append(name)
            continue
        is_property = isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list
        )
        returns = isinstance(node, ast.FunctionDef) and not is_property and short != "__len__"
        if returns and "Returns:" not in doc:
            missing.append(f"{name} (no Returns: section)")
        params = [a.arg for a in node.args.args if a.arg != "self"] + [a.arg for a in node.args.kwonlyargs] if isinstance(node, ast.FunctionDef) else []
        if params and "Args:" not in doc:
            missing.append(f"{name} (no Args: section)")
        for p in params:
            if isinstance(node, ast.FunctionDef) and f"{p}:" not in doc and not short.startswith("_"):
                missing.append(f"{name} (argument `{p}` undocumented)")
    assert not missing, missing


def test_every_public_runtime_name_is_in_the_stub():
    documented = _documented()
    for name in _euca.__all__:
        obj = getattr(_euca, name)
        if name == "__version__":
            continue
        assert name in documented, name
        if inspect.isclass(obj):
            for attr in vars(obj):
                if not attr.startswith("_"):
                    assert f"{name}.{attr}" in documented, f"{name}.{attr}"


def test_the_package_exports_the_native_names():
    for name in _euca.__all__:
        assert getattr(euca, name) is getattr(_euca, name)
    assert euca.__version__ == _euca.__version__


def test_the_version_is_the_installed_distributions():
    # The crate's version (CARGO_PKG_VERSION) is the wheel's (pyproject: dynamic version).
    assert euca.__version__ == importlib.metadata.version("euca")

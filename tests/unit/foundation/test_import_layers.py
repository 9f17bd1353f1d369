"""The import-linter layers (pyproject.toml, checked by `lint-imports` in `make test`) name every
top-level module of slivers: one left out would be free to import anything, unseen."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "src" / "slivers"


def _layered() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["id"] == "layers"]
    names = {name for layer in layers for name in re.findall(r"slivers\.[a-z_]+", layer)}
    return {name.removeprefix("slivers.") for name in names}


def _top_level_modules() -> set[str]:
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    return modules | packages


def test_every_top_level_module_has_a_layer() -> None:
    assert _top_level_modules() - _layered() == set()

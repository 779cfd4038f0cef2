"""Shared test helpers: run the CLI in process, build small repositories, find the binaries."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from argoplane.cli.main import main

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLES = PROJECT / "examples"
VIGO = EXAMPLES / "vigo-platform"
SHARED = PROJECT.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _render_cache_outside_the_repositories(
    tmp_path_factory: pytest.TempPathFactory,
):  # type: ignore[no-untyped-def]
    """Renders cache under a temporary folder, never inside examples/ (tests that need the
    per-repository default set the variable themselves)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("ARGOPLANE_CACHE_DIR", str(tmp_path_factory.mktemp("render-cache")))
    yield
    patch.undo()


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `argoplane ARGS...` in process; returns exit code, stdout and stderr."""

    def run(*args: str | os.PathLike[str]) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def write_repo(root: Path, files: dict[str, str]) -> Path:
    """Create a small repository from {relative path: content} (content is dedented)."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(files: dict[str, str]) -> Path:
        return write_repo(tmp_path / "repo", files)

    return make


@pytest.fixture(scope="session")
def helm_binary() -> str:
    """The helm v3 binary `make test` installs (or ARGOPLANE_HELM_BINARY)."""
    candidate = os.environ.get("ARGOPLANE_HELM_BINARY") or str(PROJECT / ".tools/bin/helm")
    found = shutil.which(candidate)
    if found is None:
        pytest.skip("helm v3 binary not installed (run `make tools`)")
    return found

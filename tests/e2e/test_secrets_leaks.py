"""No decrypted value leaves argoplane unless --show-secrets asks for it.

Every command that touches the example platform's SOPS files runs here; all their output,
every file they write and the temporary folder are searched for the plaintext values.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from argoplane.core import command, yamlio
from argoplane.secrets import sopsfile
from argoplane.secrets.sops import Sops, key_sources
from tests.conftest import VIGO


@pytest.fixture
def platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A copy of the example platform, its plaintext values, and a private temp folder."""
    for name in ("SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY_CMD", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    root = tmp_path / "vigo"
    shutil.copytree(VIGO, root, ignore=shutil.ignore_patterns(".argoplane"))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    sops = Sops(root, key_sources(root, "demo-only-age-keys.txt", dict(os.environ)))
    files = sorted(root.glob("applications/vigo/*/*/*.secrets.yaml"))
    values: set[str] = set()
    for path in files:
        data = yamlio.load(sops.decrypt(path), str(path))
        values |= {v for _p, v in sopsfile.leaves(data) if isinstance(v, str)}
    assert len(files) == 12
    assert len(values) == 24  # 28 values, the redis passwords are shared
    return {"root": root, "values": values, "scratch": scratch, "files": files}


def leaked(values: set[str], text: str) -> list[str]:
    return sorted(v for v in values if v in text)


def files_text(folder: Path) -> str:
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_no_decrypted_value_in_any_output_or_file(cli: Any, platform: dict[str, Any],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root, values = platform["root"], platform["values"]
    out_dir = tmp_path / "out"
    editor = tmp_path / "fail-editor.py"
    editor.write_text("import sys\nsys.exit(1)\n")
    tampered = tmp_path / "tampered"
    shutil.copytree(root, tampered)
    victim = tampered / "applications/vigo/catalog/production/in.secrets.yaml"
    victim.write_text(victim.read_text().replace("    mac: ENC[AES256_GCM,data:",
                                                 "    mac: ENC[AES256_GCM,data:AA", 1))
    runs = [
        ("render", root),
        ("render", root, "-o", "yaml"),
        ("render", root, "-o", "json", "--out-dir", out_dir),
        ("--debug", "render", tampered, "-o", "json"),
        ("secrets", "check", root, "-f", "json"),
        ("secrets", "encrypt", platform["files"][0]),
    ]
    outputs: list[str] = []
    for args in runs:
        result = cli(*args)
        outputs += [result.out, result.err]
        if args[:2] == ("--debug", "render"):
            assert result.code == 2
            assert "MAC mismatch" in result.err
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    failed = cli("secrets", "edit", platform["files"][1])
    assert failed.code == 2
    outputs += [failed.out, failed.err]
    # a rotated secret, committed and compared: the diff says it changed, never to what
    git = ["git", "-C", str(root), "-c", "user.email=dev@example.com", "-c", "user.name=dev",
           "-c", "commit.gpgsign=false"]
    command.run(["git", "init", "-q", str(root)])
    command.run([*git, "add", "-A"])
    command.run([*git, "commit", "-q", "-m", "platform"])
    rotate = tmp_path / "rotate.py"
    rotate.write_text("import pathlib, sys\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('demo-only-search-key-in-production',"
                      " 'demo-only-rotated-search-key'))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {rotate}")
    catalog = root / "applications/vigo/catalog/production/in.secrets.yaml"
    edited = cli("secrets", "edit", catalog)
    assert edited.code == 0, edited.err
    values.add("demo-only-rotated-search-key")
    for fmt in ("text", "json"):
        changed = cli("diff", "HEAD", "--repo", root, "-o", fmt)
        assert changed.code == 0, changed.err
        assert "catalog-in-production" in changed.out
        outputs += [changed.out, changed.err]
    everything = "\n".join(outputs)
    assert leaked(values, everything) == []
    assert leaked(values, files_text(out_dir)) == []
    assert leaked(values, files_text(root)) == []  # the repository and its render cache
    assert leaked(values, files_text(platform["scratch"])) == []
    # the search itself works: asked for, the values are there
    shown = cli("render", root, "-o", "json", "--show-secrets")
    assert leaked(values, shown.out) == sorted(values - {"demo-only-search-key-in-production"})

"""The benchmark script keeps working (it is run, never timed, here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT


def test_bench_runs_on_the_smallest_platform(tmp_path: Path, helm_binary: str) -> None:
    out = tmp_path / "results.md"
    result = subprocess.run(
        [sys.executable, str(PROJECT / "bench/run.py"), "--sizes", "4", "--repeat", "1",
         "--sops", "2", "--cache", str(tmp_path / "cache"), "--out", str(out)],
        capture_output=True, text=True, check=False,
        env={"PATH": f"{Path(helm_binary).parent}:/usr/bin:/bin",
             "HOME": os.environ.get("HOME", str(tmp_path))},
    )
    assert result.returncode == 0, result.stderr
    table = out.read_text()
    for row in ("| 4 services (16 apps): render -o json |", "| 4: render -o json -j 1",
                "| 4: render -o json, warm cache |", "| 4: lint |",
                "| 4: diff (one tag changed) |", "| 4: baseline, helm template per app |",
                "| 2 services, SOPS-encrypted secrets (8 decryptions): render |"):
        assert row in table
    assert "x faster" in table
    platform = tmp_path / "cache/platform-4"
    assert (platform / "platform.yaml").is_file()  # built by `argoplane init`
    assert (platform / "applications/shop/svc0000/svc0000-appSet.yaml").is_file()
    assert len(list(platform.glob("applications/*/*/templates/*"))) == 4 * 8
    assert "sops:" in (tmp_path / "cache/platform-2-sops/applications/shop/svc0000/"
                       "production/eu.secrets.yaml").read_text()

"""The benchmark script keeps working (it is run, never timed, here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT


def test_bench_runs_on_the_smallest_platform(tmp_path: Path, helm_binary: str) -> None:
    out = tmp_path / "results.md"
    result = subprocess.run(
        [sys.executable, str(PROJECT / "bench/run.py"), "--sizes", "16",
         "--cache", str(tmp_path / "cache"), "--out", str(out)],
        capture_output=True, text=True, check=False,
        env={"PATH": f"{Path(helm_binary).parent}:/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    table = out.read_text()
    assert "| 16 services (64 apps): render -o json |" in table
    assert "baseline, helm template per app" in table
    assert "x faster" in table
    assert (tmp_path / "cache/platform-16/applications/services/svc0015/svc0015-appSet.yaml"
            ).is_file()

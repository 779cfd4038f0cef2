"""Benchmarks: argoplane against the helm-process-per-Application baseline, in one run.

    python bench/run.py [--sizes 16,120,480] [--cache DIR] [--out bench/results.md]

For each size it generates (once, cached) a synthetic platform in the reference layout and
measures, as separate processes: `argoplane render -o json`, `argoplane lint` and
`argoplane diff` (one service's tag changed) when those commands exist, and the baseline
the way Argo CD's repo-server renders: one `helm template` process per Application with
the same value files. It prints a table of wall time, CPU time, peak RSS and ratios, and
writes it to the results file. Timings are never asserted anywhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from synth import ENVS, REGIONS, ensure  # noqa: E402


@dataclass(frozen=True)
class Measure:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process
    rss_mb: float  # peak resident set size


def measure(argv: list[str], cwd: Path | None = None) -> Measure:
    """Run a command once; its own wall time, CPU time and peak RSS (from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(argv[:4])} failed ({code}): {err[-500:]}")
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def baseline(platform_dir: Path, services: int, helm: str) -> Measure:
    """One `helm template` process per Application, as the repo-server does it."""
    wall = cpu = rss = 0.0
    for i in range(services):
        name = f"svc{i:04d}"
        chart = platform_dir / "applications/services" / name
        for env, short in ENVS:
            for region in REGIONS:
                m = measure([helm, "template", ".", "--name-template", f"{name}-{region}-{env}",
                             "--namespace", f"{name}-{region}-{short}",
                             "--values", f"{env}/tag.yaml",
                             "--values", f"{env}/{region}.values.yaml", "--include-crds"],
                            cwd=chart)
                wall += m.wall
                cpu += m.cpu
                rss = max(rss, m.rss_mb)
    return Measure(wall, cpu, rss)


def has_command(argoplane: str, name: str) -> bool:
    result = subprocess.run([argoplane, name, "--help"], capture_output=True, check=False)
    return result.returncode == 0


def git_copy_with_tag_change(platform_dir: Path, work: Path) -> Path:
    """A git repository of the platform with one commit that bumps one service's tag."""
    repo = work / "diff-repo"
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(platform_dir, repo)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    tag = repo / "applications/services/svc0000/production/tag.yaml"
    tag.write_text('image:\n  tag: "9.9.9"\n')
    git("commit", "-q", "-am", "bump svc0000")
    return repo


def row(label: str, m: Measure, apps: int, render: Measure | None, ratio: str = "") -> str:
    if render is not None and not ratio:
        ratio = f"{m.wall / render.wall:.2f}x render"
    return (f"| {label} | {m.wall:.2f} | {m.cpu:.2f} | {m.rss_mb:.0f} | "
            f"{m.wall / apps * 1000:.1f} | {ratio} |")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="argoplane benchmarks")
    parser.add_argument("--sizes", default="16,120,480", help="services per platform")
    parser.add_argument("--cache", type=Path, default=PROJECT / ".argoplane/bench")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--no-baseline", action="store_true", help="skip the helm baseline")
    args = parser.parse_args(argv)
    argoplane = str(Path(sys.executable).with_name("argoplane"))
    helm = shutil.which("helm") or str(PROJECT / ".tools/bin/helm")
    lines = [
        "# argoplane benchmarks", "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- commit: {_commit()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {_cpu_model()}, "
        f"Python {platform.python_version()}",
        f"- command: `python bench/run.py --sizes {args.sizes}`", "",
        "| platform / command | wall s | CPU s | peak RSS MB | ms per app | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for size in (int(s) for s in args.sizes.split(",")):
        apps = size * 4
        platform_dir = ensure(args.cache / f"platform-{size}", size)
        render = measure([argoplane, "render", str(platform_dir), "-o", "json"])
        lines.append(row(f"{size} services ({apps} apps): render -o json", render, apps, None))
        if has_command(argoplane, "lint"):
            lint = measure([argoplane, "lint", str(platform_dir)])
            lines.append(row(f"{size}: lint", lint, apps, render))
        if has_command(argoplane, "diff"):
            repo = git_copy_with_tag_change(platform_dir, args.cache)
            diff = measure([argoplane, "diff", "HEAD~1", "HEAD", "--repo", str(repo)])
            lines.append(row(f"{size}: diff (one tag changed)", diff, apps, render))
        if not args.no_baseline:
            base = baseline(platform_dir, size, helm)
            lines.append(row(f"{size}: baseline, helm template per app", base, apps, None,
                             f"argoplane {base.wall / render.wall:.1f}x faster"))
        print("\n".join(lines[-4:]), flush=True)
    text = "\n".join(lines) + "\n"
    args.out.write_text(text)
    print(text)
    return 0


def _commit() -> str:
    out = subprocess.run(["git", "-C", str(PROJECT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)
    return out.stdout.strip() or "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

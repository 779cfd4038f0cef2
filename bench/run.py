"""Benchmarks: argoplane against the helm-process-per-Application baseline, in one run.

    python bench/run.py [--sizes 16,120,480] [--repeat 3] [--cache DIR] [--out bench/results.md]

For each size (services; 4 Applications each) it builds, once and then from its cache, a
platform with `argoplane init` (bench/synth.py) and measures, as separate processes, each
`--repeat` times (the table shows medians):

- `render -o json` with an empty render cache (cold), in worker processes (the default)
  and in one process (`-j 1`), and with the cache filled by an earlier run (warm);
- `lint`; `diff HEAD~1 HEAD` after `argoplane set-image` changed one service's tag;
- the baseline the way Argo CD's repo-server renders: one `helm template` process per
  Application with the same value files (once: it is slow and steady).

Wall time; CPU time of the command and every process it started (worker processes
included: this script adopts orphans as a child subreaper and collects them); peak RSS of
the largest process, and of all its processes together (sampled every 20 ms). Timings are
never asserted anywhere.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))

from synth import App, applications, ensure  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36


@dataclass(frozen=True)
class Measure:
    wall: float  # seconds
    cpu: float  # user + system seconds of the command and its processes
    rss_mb: float  # peak resident set size of its largest process
    tree_mb: float  # peak of the sum over its processes (sampled)


def _children_rss(me: int) -> float:
    """Resident MB of every process below this one (this script's descendants)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21])
    total = 0
    for pid, pages in rss.items():
        p = parents.get(pid)
        while p is not None and p not in (me, 0, 1):
            p = parents.get(p)
        if p == me:
            total += pages
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
            ok: tuple[int, ...] = (0, 1)) -> Measure:
    """Run a command once: wall time, CPU time and peak RSS of it and all its processes."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _children_rss(os.getpid()))

    errors: list[bytes] = []
    reader = threading.Thread(  # stderr stays open until its last process ends
        target=lambda: errors.append(proc.stderr.read() if proc.stderr else b""), daemon=True)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    reader.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    rss = usage.ru_maxrss / 1024
    while True:  # processes it left behind, adopted by this subreaper
        try:
            _pid, _status, orphan = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu += orphan.ru_utime + orphan.ru_stime
        rss = max(rss, orphan.ru_maxrss / 1024)
    done.set()
    sampler.join()
    reader.join()
    err = errors[0] if errors else b""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(argv[:4])} failed ({proc.returncode}): "
                         f"{err.decode()[-800:]}")
    return Measure(wall, cpu, rss, max(peak[0], rss))


def median(runs: list[Measure]) -> Measure:
    return Measure(statistics.median(m.wall for m in runs),
                   statistics.median(m.cpu for m in runs),
                   max(m.rss_mb for m in runs), max(m.tree_mb for m in runs))


def baseline(platform_dir: Path, apps: list[App], helm: str) -> Measure:
    """One `helm template` process per Application, as the repo-server does it."""
    wall = cpu = rss = 0.0
    for app in apps:
        args = [helm, "template", ".", "--name-template", app.name,
                "--namespace", app.namespace, "--include-crds"]
        for values in app.value_files:
            args += ["--values", values]
        m = measure(args, cwd=platform_dir / app.service.path, ok=(0,))
        wall += m.wall
        cpu += m.cpu
        rss = max(rss, m.rss_mb)
    return Measure(wall, cpu, rss, rss)


def _git_env() -> dict[str, str]:
    return {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}


def diff_repo(platform_dir: Path, work: Path, argoplane: str) -> Path:
    """A Git repository of the platform whose last commit, made by `argoplane set-image`,
    changes one service's production tag (built once per platform)."""
    repo = work / f"{platform_dir.name}-git"
    marker = repo / ".bench-diff"
    want = (platform_dir / ".bench-platform").read_text()
    if marker.is_file() and marker.read_text() == want:
        return repo
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(platform_dir, repo)
    env = _git_env()
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)
    subprocess.run([argoplane, "set-image", "svc0000", "2.0.0", "--env", "production",
                    "--repo", str(repo), "--commit"], check=True, capture_output=True, env=env)
    marker.write_text(want)  # untracked: the tree at HEAD is unchanged
    return repo


def row(label: str, m: Measure, apps: int, ratio: str = "", runs: list[Measure] | None = None
        ) -> str:
    spread = (f"{min(r.wall for r in runs):.2f}–{max(r.wall for r in runs):.2f}"
              if runs and len(runs) > 1 else "")
    return (f"| {label} | {m.wall:.2f} | {spread} | {m.cpu:.2f} | {m.rss_mb:.0f} | "
            f"{m.tree_mb:.0f} | {m.wall / apps * 1000:.2f} | {ratio} |")


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="argoplane benchmarks")
    parser.add_argument("--sizes", default="16,120,480", help="services per platform")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    parser.add_argument("--cache", type=Path, default=PROJECT / ".argoplane/bench",
                        help="where platforms are built and kept")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--no-baseline", action="store_true", help="skip the helm baseline")
    parser.add_argument("--sops", type=int, default=16, metavar="N",
                        help="also render an N-service platform whose secrets are "
                             "SOPS-encrypted (0: skip)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="argoplane-bench-") as scratch:
        return run(args, Path(scratch))


def run(args: argparse.Namespace, scratch: Path) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    argoplane = str(Path(sys.executable).with_name("argoplane"))
    helm = shutil.which("helm") or str(PROJECT / ".tools/bin/helm")
    args.cache.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    counter = iter(range(1_000_000))

    def cold_env() -> dict[str, str]:
        """An empty render cache for every cold run."""
        folder = scratch / f"cache-{next(counter)}"
        return {**os.environ, "ARGOPLANE_CACHE_DIR": str(folder)}

    def repeat(argv: list[str], env_of: object = cold_env) -> tuple[Measure, list[Measure]]:
        runs = [measure(argv, env=env_of() if callable(env_of) else None)
                for _ in range(args.repeat)]
        return median(runs), runs

    load_before = _load()
    started = time.perf_counter()
    table = ["| platform / command | wall s (median) | wall s (range) | CPU s | "
             "peak RSS MB (largest process) | peak RSS MB (all processes) | ms per app | "
             "ratio |", "|---|---|---|---|---|---|---|---|"]
    for size in sizes:
        apps = size * 4
        platform_dir = ensure(args.cache / f"platform-{size}", size)
        target = str(platform_dir)
        render, runs = repeat([argoplane, "render", target, "-o", "json"])
        table.append(row(f"{size} services ({apps} apps): render -o json", render, apps,
                         runs=runs))
        print(table[-1], flush=True)
        single, runs = repeat([argoplane, "render", target, "-o", "json", "-j", "1"])
        table.append(row(f"{size}: render -o json -j 1 (one process)", single, apps,
                         f"{single.wall / render.wall:.2f}x render", runs))
        warm_dir = scratch / f"warm-{size}"
        warm_env = {**os.environ, "ARGOPLANE_CACHE_DIR": str(warm_dir)}
        measure([argoplane, "render", target, "-o", "json"], env=warm_env)
        warm, runs = repeat([argoplane, "render", target, "-o", "json"],
                            lambda env=warm_env: env)
        table.append(row(f"{size}: render -o json, warm cache", warm, apps,
                         f"{warm.wall / render.wall:.2f}x render", runs))
        lint, runs = repeat([argoplane, "lint", target])
        table.append(row(f"{size}: lint", lint, apps, f"{lint.wall / render.wall:.2f}x render",
                         runs))
        repo = diff_repo(platform_dir, args.cache, argoplane)
        diff, runs = repeat([argoplane, "diff", "HEAD~1", "HEAD", "--repo", str(repo)])
        table.append(row(f"{size}: diff (one tag changed)", diff, apps,
                         f"{diff.wall / render.wall:.2f}x render", runs))
        if not args.no_baseline:
            base = baseline(platform_dir, applications(size), helm)
            table.append(row(f"{size}: baseline, helm template per app", base, apps,
                             f"argoplane {base.wall / render.wall:.1f}x faster"))
        print("\n".join(table[-5:]), flush=True)
    if args.sops:
        apps = args.sops * 4
        sops_dir = ensure(args.cache / f"platform-{args.sops}-sops", args.sops, sops=True)
        for jobs, label in ((None, ""), ("1", " -j 1")):
            argv = [argoplane, "render", str(sops_dir), "-o", "json",
                    *(["-j", jobs] if jobs else [])]
            m, runs = repeat(argv)
            table.append(row(f"{args.sops} services, SOPS-encrypted secrets ({apps} "
                             f"decryptions): render{label}", m, apps, runs=runs))
        print("\n".join(table[-2:]), flush=True)
    minutes = (time.perf_counter() - started) / 60
    command = f"python bench/run.py --sizes {args.sizes} --repeat {args.repeat}"
    if args.sops != 16:
        command += f" --sops {args.sops}"
    if args.cache != PROJECT / ".argoplane/bench":
        command += f" --cache {args.cache}"
    lines = [
        "# argoplane benchmarks", "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- commit: {_commit()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {_cpu_model()}, "
        f"{_memory()}, Python {platform.python_version()}",
        f"- load average (1, 5, 15 min) before: {load_before}; after: {_load()} "
        f"({minutes:.1f} minutes)",
        f"- command: `PATH=$PWD/.tools/bin:$PATH .venv/bin/{command}` (or `make bench`)",
        f"- each argoplane figure is the median of {args.repeat} runs; every cold run starts "
        "with an empty render cache; the baseline runs once", "",
        *table,
    ]
    text = "\n".join(lines) + "\n"
    if args.out.is_file() and "<!-- notes -->" in (old := args.out.read_text()):
        text += "\n<!-- notes -->" + old.split("<!-- notes -->", 1)[1]
    args.out.write_text(text)
    print(text)
    return 0


def _commit() -> str:
    out = subprocess.run(["git", "-C", str(PROJECT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)
    commit = out.stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", str(PROJECT), "status", "--porcelain",
                            "--untracked-files=no"], capture_output=True, text=True, check=False)
    return commit + (" with uncommitted changes" if dirty.stdout.strip() else "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def _memory() -> str:
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        return f"{kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        return "unknown RAM"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

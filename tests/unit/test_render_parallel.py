"""Rendering with Helm worker processes gives the same bytes as rendering in one process."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from argoplane.core.snapshot import Snapshot
from argoplane.render.cache import RenderCache
from argoplane.render.helm.backends import SdkBackend
from argoplane.render.helm.pool import HelmPool
from argoplane.render.tree import RenderOptions, render_repository
from argoplane.report.render_formats import tree_json
from tests.conftest import EXAMPLES, PROJECT

sys.path.insert(0, str(PROJECT / "bench"))
from synth import ensure

EXAMPLE_REPOS = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def platform16(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmarks' 16-service platform (64 Applications), built by `argoplane init`."""
    return ensure(tmp_path_factory.mktemp("bench") / "platform-16", 16)


@pytest.fixture(scope="module")
def platform16_json(platform16: Path) -> str:
    """Its render in one process, the reference the other renders must equal."""
    return _render(platform16, None)


def _render(repo: Path, cache: RenderCache | None) -> str:
    snapshot = Snapshot.open(repo)
    tree = render_repository(snapshot, RenderOptions(helm=cache or SdkBackend()))
    return tree_json(tree, tree.apps)


def _in_workers(repo: Path) -> tuple[str, HelmPool]:
    pool = HelmPool(2)
    cache = RenderCache(SdkBackend(), None, pool=pool, min_parallel=0)
    try:
        return _render(repo, cache), pool
    finally:
        cache.close()


@pytest.mark.parametrize("name", EXAMPLE_REPOS)
def test_examples_render_byte_for_byte_the_same_in_workers(name: str) -> None:
    in_process = _render(EXAMPLES / name, None)
    parallel, pool = _in_workers(EXAMPLES / name)
    assert parallel == in_process
    assert not pool.failed


def test_the_16_service_platform_renders_the_same_in_workers(platform16: Path,
                                                             platform16_json: str) -> None:
    parallel, pool = _in_workers(platform16)
    assert parallel == platform16_json
    assert '"svc0015-us-production"' in parallel
    assert not pool.failed
    assert not multiprocessing.active_children(), "workers left running"


def test_small_renders_start_no_worker(platform16: Path, platform16_json: str) -> None:
    pool = HelmPool(2)
    cache = RenderCache(SdkBackend(), None, pool=pool)  # the default threshold
    try:
        rendered = _render(platform16, cache)
    finally:
        cache.close()
    assert not pool.started
    assert rendered == platform16_json


def test_a_helm_error_in_a_worker_is_the_applications_error(tmp_path: Path) -> None:
    chart = tmp_path / "charts/broken"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: broken\nversion: 0.1.0\n")
    (chart / "templates/cm.yaml").write_text("kind: ConfigMap\n{{ fail \"no way\" }}\n")
    (tmp_path / "app.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: broken}\n"
        "spec:\n  project: default\n  destination: {server: https://kubernetes.default.svc, "
        "namespace: x}\n  source: {repoURL: https://example.com/r.git, path: charts/broken}\n")
    in_process = _render(tmp_path, None)
    parallel, _pool = _in_workers(tmp_path)
    assert parallel == in_process
    assert "no way" in parallel


def test_jobs_do_not_change_what_render_prints(cli, platform16: Path,  # type: ignore[no-untyped-def]
                                              platform16_json: str) -> None:
    one = cli("render", platform16, "-o", "json", "-j", "1", "--no-cache")
    two = cli("render", platform16, "-o", "json", "-j", "2", "--no-cache")
    assert one.code == two.code == 0
    assert one.out == two.out == platform16_json
    assert not multiprocessing.active_children()


def test_secrets_files_decide_what_reaches_the_disk_cache(tmp_path: Path) -> None:
    """Plaintext secrets:// files are in the repository as they are: their renders are
    cached on disk; renders that used SOPS-decrypted values never are."""
    plain = ensure(tmp_path / "plain", 2)
    encrypted = ensure(tmp_path / "sops", 2, sops=True)
    for repo, entries in ((plain, 8), (encrypted, 0)):
        folder = tmp_path / f"cache-{repo.name}"
        cache = RenderCache(SdkBackend(), folder, pool=HelmPool(2), min_parallel=0)
        try:
            rendered = _render(repo, cache)
        finally:
            cache.close()
        assert rendered == _render(repo, None)
        assert len(list(folder.glob("render/*/*.bin"))) == entries
    assert "decrypted in memory" in _render(encrypted, None)


def test_the_command_forks_its_workers_and_prints_the_same(tmp_path: Path) -> None:
    """`argoplane render` in a fresh process (Helm's engine not loaded yet) forks its workers
    once 100 renders are coming; the output is the one-process output."""
    repo = ensure(tmp_path / "platform-32", 32)
    outputs = []
    for jobs in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "argoplane", "render", str(repo), "-o",
                               "json", "-j", jobs, "--no-cache"], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert '"applications": 132,' in outputs[0]  # 128 generated, 4 App-of-Apps roots

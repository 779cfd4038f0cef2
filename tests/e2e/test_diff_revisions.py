"""End to end: committed revisions (`render --rev`, `diff`), read without touching the working
tree or the index, the render cache, and the errors a CI job meets (no Git, bad revision,
shallow clone)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_diff_cli import GIT_ENV, SHOP, GitRepo

GIT_GENERATOR = """
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: envs, namespace: argocd}
spec:
  generators:
    - git:
        repoURL: https://git.example.com/platform.git
        revision: HEAD
        directories: [{path: 'envs/*'}]
  template:
    metadata: {name: 'env-{{path.basename}}'}
    spec:
      project: default
      destination: {server: https://kubernetes.default.svc, namespace: '{{path.basename}}'}
      source: {repoURL: https://git.example.com/platform.git, path: '{{path}}'}
"""


def quota(name: str) -> str:
    return f"apiVersion: v1\nkind: ResourceQuota\nmetadata: {{name: {name}}}\n"


def names(result: Any) -> list[str]:
    return [a["name"] for a in result.json()["applications"]]


def test_render_rev_reads_the_commit_and_leaves_the_checkout_alone(
        cli: Any, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "p").write({"apps/envs.yaml": GIT_GENERATOR,
                                          "envs/dev/quota.yaml": quota("dev")})
    repo.commit("base")
    repo.write({"envs/prod/quota.yaml": quota("prod")})  # not committed
    repo.git("add", "envs/prod/quota.yaml")  # staged: the index differs from HEAD
    index = (repo.root / ".git/index").read_bytes()
    status = repo.git("status", "--porcelain")

    committed = cli("render", repo.root, "--rev", "HEAD", "-o", "json")
    assert committed.code == 0, committed.err
    # the git generator sees the revision's tree, not the working tree
    assert names(committed) == ["env-dev"]
    working = cli("render", repo.root, "-o", "json")
    assert names(working) == ["env-dev", "env-prod"]

    assert (repo.root / ".git/index").read_bytes() == index
    assert repo.git("status", "--porcelain") == status
    result = cli("diff", "HEAD", "--repo", repo.root, "-o", "json")
    assert result.code == 0, result.err
    (added,) = result.json()["applications"]
    assert (added["name"], added["action"], added["generated_by"]) == ("env-prod", "added",
                                                                       "envs")


def test_a_folder_inside_a_checkout(cli: Any, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "mono").write({f"platform/{k}": v for k, v in SHOP.items()})
    repo.write({"docs/readme.md": "not part of the platform\n"})
    repo.commit("base")
    repo.write({"platform/charts/shop/staging/tag.yaml": "image: {tag: 1.2.0}\n"})
    repo.commit("bump staging")
    result = cli("diff", "HEAD~1", "HEAD", "--repo", repo.root / "platform", "-o", "json")
    assert result.code == 0, result.err
    assert [a["name"] for a in result.json()["applications"]] == ["shop-staging"]
    repo.write({"docs/readme.md": "the platform is in platform/\n"})
    repo.commit("docs only")
    untouched = cli("diff", "HEAD~1", "HEAD", "--repo", repo.root / "platform", "--exit-code")
    assert (untouched.code, untouched.out.splitlines()[1]) == (
        0, "no differences (2 applications unchanged)")
    missing = cli("diff", "HEAD~1", "--repo", repo.root / "docs")
    assert missing.code == 0  # no Argo CD manifest on either side: nothing to compare
    repo.write({"later/app.yaml": quota("x")})
    repo.commit("a folder that did not exist before")
    gone = cli("render", repo.root / "later", "--rev", "HEAD~1")
    assert gone.code == 2
    assert "this folder (later) does not exist at revision HEAD~1" in gone.err


def test_not_a_git_checkout(cli: Any, tmp_path: Path, repo: Any) -> None:
    plain = repo({"app.yaml": quota("x")})
    for args in (("diff", "HEAD", "--repo", plain), ("render", plain, "--rev", "main")):
        result = cli(*args)
        assert result.code == 2
        assert result.err.startswith(f"argoplane: error: {plain}: not a Git checkout")
        assert "Traceback" not in result.err
    missing = cli("diff", "HEAD", "--repo", tmp_path / "nowhere")
    assert missing.code == 2
    assert "no such directory" in missing.err


def test_bad_revisions(cli: Any, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "p").write(SHOP)
    repo.commit("base")
    for rev, shown in (("no-such-branch", "'no-such-branch'"), ("HEAD~5", "'HEAD~5'"),
                       ("--output=/tmp/x", "'--output=/tmp/x'")):
        result = cli("diff", "--repo", repo.root, "--", rev)
        assert result.code == 2, rev
        assert shown in result.err
        assert result.err.count("\n") == 1  # one line, no traceback
    assert "unknown revision 'HEAD~5': not a branch, tag or commit of" in cli(
        "diff", "HEAD~5", "--repo", repo.root).err
    bad_head = cli("diff", "HEAD", "nope", "--repo", repo.root)
    assert (bad_head.code, "'nope'" in bad_head.err) == (2, True)


def test_shallow_clone_missing_base(cli: Any, tmp_path: Path) -> None:
    origin = GitRepo(tmp_path / "origin").write(SHOP)
    first = origin.commit("base")
    origin.write({"charts/shop/staging/tag.yaml": "image: {tag: 1.2.0}\n"})
    origin.commit("bump")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin.root}", str(clone)],
                   check=True, capture_output=True, env={**os.environ, **GIT_ENV})
    for base in ("HEAD~1", first):
        result = cli("diff", base, "--repo", clone)
        assert result.code == 2
        assert f"revision '{base}' is not in this shallow clone of {clone}" in result.err
        assert "git fetch --unshallow" in result.err
    assert cli("diff", "HEAD", "--repo", clone).code == 0


def test_render_cache_is_reused_ignored_by_git_and_holds_no_plaintext(
        cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOPLANE_CACHE_DIR")  # the per-repository default
    repo = GitRepo(tmp_path / "p").write(SHOP)
    repo.commit("base")
    repo.write({"charts/shop/production/tag.yaml": "image: {tag: 1.0.1}\n"})
    first = cli("diff", "HEAD", "--repo", repo.root, "-o", "json")
    cache = repo.root / ".argoplane/cache"
    entries = sorted(cache.glob("render/*/*.bin"))
    # BASE renders both Applications, HEAD adds the one whose values changed
    assert len(entries) == 3
    assert repo.git("status", "--porcelain") == " M charts/shop/production/tag.yaml\n"
    for entry in entries:
        data = entry.read_bytes()
        assert b"s3cr3t-base" not in data
        assert b"registry.example.com" not in data
    again = cli("diff", "HEAD", "--repo", repo.root, "-o", "json")
    uncached = cli("diff", "HEAD", "--repo", repo.root, "-o", "json", "--no-cache")
    assert first.out == again.out == uncached.out
    assert sorted(cache.glob("render/*/*.bin")) == entries
    # a damaged entry is rendered again, never trusted
    entries[0].write_bytes(b"garbage")
    assert cli("diff", "HEAD", "--repo", repo.root, "-o", "json").out == first.out
    # safe to delete
    shutil.rmtree(cache)
    assert cli("render", repo.root, "--rev", "HEAD", "-o", "json").code == 0
    assert len(list(cache.glob("render/*/*.bin"))) == 2


def test_revision_uses_the_checkouts_offline_chart_cache(cli: Any, tmp_path: Path) -> None:
    import tarfile

    src = tmp_path / "src/redis"
    (src / "templates").mkdir(parents=True)
    (src / "Chart.yaml").write_text("apiVersion: v2\nname: redis\nversion: 1.2.3\n")
    (src / "templates/svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: '{{ .Release.Name }}'}\n")
    repo = GitRepo(tmp_path / "p").write({
        ".argoplane.yaml": "helm: {chartsDir: .argoplane/charts}\n",
        ".gitignore": ".argoplane/\n",
        "apps/redis.yaml": """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: redis, namespace: argocd}
            spec:
              project: default
              destination: {server: https://kubernetes.default.svc, namespace: cache}
              source: {repoURL: https://charts.example.com, chart: redis, targetRevision: 1.2.3}
        """})
    charts = repo.root / ".argoplane/charts"
    charts.mkdir(parents=True)
    with tarfile.open(charts / "redis-1.2.3.tgz", "w:gz") as tar:
        tar.add(src, arcname="redis")
    repo.commit("base")
    assert "redis-1.2.3.tgz" not in repo.git("ls-files")
    result = cli("render", repo.root, "--rev", "HEAD", "-o", "json")
    assert result.code == 0, result.err
    (app,) = result.json()["applications"]
    assert (app["status"], [r["kind"] for r in app["resources"]]) == ("rendered", ["Service"])

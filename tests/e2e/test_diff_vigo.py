"""End to end: the worked example of docs/diff.md on the example platform.

A branch bumps catalog's production image tag and adds a value for India; the diff names
exactly the two production catalog Applications and the lines that change.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.conftest import VIGO
from tests.e2e.test_diff_cli import GitRepo

CATALOG = "applications/vigo/catalog/production"


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    root = tmp_path_factory.mktemp("vigo") / "vigo-platform"
    shutil.copytree(VIGO, root, ignore=shutil.ignore_patterns(".argoplane"))
    repo = GitRepo(root)
    repo.commit("the platform")
    repo.git("switch", "-q", "-c", "bump-catalog")
    tag = root / CATALOG / "tag.yaml"
    tag.write_text(tag.read_text().replace("tag: 1.8.2", "tag: 1.8.3"))
    values = root / CATALOG / "in.values.yaml"
    text = values.read_text()
    assert "    name: catalog\n\nfeatureFlags:" in text
    values.write_text(text.replace("    name: catalog\n\nfeatureFlags:",
                                   "    name: catalog\n  searchPageSize: 48\n\nfeatureFlags:"))
    repo.commit("catalog 1.8.3 in production, bigger search pages in India")
    repo.git("switch", "-q", "main")
    return repo


def test_the_worked_example(cli: Any, branch: GitRepo) -> None:
    result = cli("diff", "main...bump-catalog", "--repo", branch.root, "-o", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["summary"] == {
        "applications": {"added": 0, "removed": 0, "changed": 2, "unchanged": 15},
        "resources": {"added": 0, "removed": 0, "modified": 8, "moved": 0},
    }
    apps = {a["name"]: a for a in data["applications"]}
    assert sorted(apps) == ["catalog-in-production", "catalog-vn-production"]
    for name, app in apps.items():
        assert [r["kind"] for r in app["resources"]] == [
            "Secret", "ConfigMap", "Service", "Deployment"]
        deploy = app["resources"][-1]["diff"]
        assert "-        image: registry.vigo.example/vigo/catalog:1.8.2\n" in deploy, name
        assert "+        image: registry.vigo.example/vigo/catalog:1.8.3\n" in deploy, name
        assert all(r["secret_keys_changed"] == [] for r in app["resources"])
    india = apps["catalog-in-production"]["resources"][1]["diff"]
    assert "-  SEARCH_PAGE_SIZE: '24'\n+  SEARCH_PAGE_SIZE: '48'\n" in india
    assert "SEARCH_PAGE_SIZE" not in apps["catalog-vn-production"]["resources"][1]["diff"]


def test_the_worked_example_as_a_comment(cli: Any, branch: GitRepo) -> None:
    result = cli("diff", "main...bump-catalog", "--repo", branch.root, "-o", "markdown")
    assert result.code == 0, result.err
    md = result.out
    assert "| Applications | 0 | 0 | 2 | 15 |\n| Resources | 0 | 0 | 8 | |\n" in md
    assert md.count("<details>") == 2
    assert "demo-only" not in md  # the decrypted secrets:// values stay masked

"""End to end: `argoplane migrate --phase all --apply` on a copy of examples/microservices.

One migrated copy is shared by the module: the migration runs once, then each test checks
one thing a user of the result would notice.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from argoplane.cli.main import main
from argoplane.diff.normalize import without_tracking
from tests.conftest import EXAMPLES
from tests.e2e.test_init import files, git, git_repo

MICROSERVICES = EXAMPLES / "microservices"


@dataclass
class Migrated:
    original: Path
    repo: Path
    code: int
    report: dict[str, Any]


def run(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def example_copy(root: Path) -> Path:
    """A copy of the example in its own Git repository (the dirty-tree check needs one)."""
    shutil.copytree(MICROSERVICES, root)
    git_repo(root)
    return root


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Migrated:
    repo = example_copy(tmp_path_factory.mktemp("migrate") / "microservices")
    code, out, _ = run("migrate", repo, "--phase", "all", "--apply", "-o", "json")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "migrated")
    return Migrated(MICROSERVICES, repo, code, json.loads(out))


def render_json(repo: Path) -> dict[str, Any]:
    code, out, err = run("render", repo, "-o", "json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_every_phase_is_proved_and_the_files_are_written(migrated: Migrated) -> None:
    assert migrated.code == 0
    summary = migrated.report["summary"]
    assert summary["applied"]
    assert not summary["aborted"]
    proved = {p["phase"]: p["proof"] for p in migrated.report["phases"] if p["proof"]}
    assert set(proved) == {"appsets", "app-of-apps", "environments", "projects"}
    for phase, proof in proved.items():
        assert proof["unintended"] == [], phase
        assert proof["environment"] == "dev"
        assert proof["resources"] == proof["identical"] == 58, phase
    assert (migrated.repo / "argocd/services-appset.yaml").is_file()
    assert not (migrated.repo / "argocd/auth-service.yaml").exists()
    assert (migrated.repo / "applications/auth-service/staging/tag.yaml").read_text().endswith(
        "image:\n  tag: 1.6.3\n")
    assert "tag:" not in (migrated.repo / "applications/auth-service/values.yaml").read_text()


def test_the_intended_changes_are_listed_by_kind(migrated: Migrated) -> None:
    phases = {p["phase"]: p for p in migrated.report["phases"]}
    environments = phases["environments"]["proof"]
    intended = [(i["kind"], i["text"]) for i in environments["intended"]]
    assert ("Application", "renamed: auth-service -> "
            "auth-service-dev, catalog-service -> catalog-service-dev, "
            "common-operations-service -> common-operations-service-dev, ...") in intended
    assert environments["added_resources"] == {"ConfigMap": 32, "Deployment": 32, "Service": 32}
    assert phases["environments"]["renamed"]["payment-service"] == "payment-service-dev"
    skipped = [s for p in phases.values() for s in p["skipped"]]
    assert skipped == []  # every service of the example can be migrated


def test_the_result_renders_and_lints_clean(migrated: Migrated) -> None:
    tree = render_json(migrated.repo)
    assert tree["summary"]["errors"] == 0
    assert tree["summary"]["applications"] == 16 * 3 + 4 + 3  # services x envs, infra, roots
    code, out, _ = run("lint", migrated.repo, "-f", "json")
    findings = json.loads(out)["findings"]
    assert code == 0, [f for f in findings if f["level"] == "error"]
    assert not [f for f in findings if f["level"] == "error"]


def test_the_result_scores_at_least_8(migrated: Migrated) -> None:
    code, out, _ = run("assess", migrated.repo, "-o", "json")
    assert code == 0
    assessment = json.loads(out)
    assert assessment["score"] >= 8
    levels = {p["id"]: p["level"] for p in assessment["practices"]}
    for practice in ("applicationsets", "app-of-apps", "appprojects", "environments",
                     "image-tags", "auto-sync", "renders"):
        assert levels[practice] == "full", practice


def test_dev_deploys_the_same_resources_as_before(migrated: Migrated) -> None:
    """An independent check of the proof: every resource of the original render is deployed
    by the dev Application of the same service, manifest for manifest."""

    def deployed(tree: dict[str, Any], suffix: str) -> dict[tuple[str, str, str, str], Any]:
        out = {}
        for app in tree["applications"]:
            name = app["name"]
            if suffix and name.endswith(("-staging", "-production")):
                continue
            for r in app["resources"]:
                if r["apiVersion"].startswith("argoproj.io/"):
                    continue
                key = (r["kind"], r["namespace"], r["name"], name.removesuffix(suffix))
                out[key] = without_tracking(r["manifest"])
        return out

    before = deployed(render_json(migrated.original), "")
    after = deployed(render_json(migrated.repo), "-dev")
    assert len(before) == 58
    assert after == before


def test_a_second_run_plans_nothing(migrated: Migrated) -> None:
    before = files(migrated.repo)
    code, out, _ = run("migrate", migrated.repo, "--phase", "all", "--apply")
    assert code == 0
    assert "Nothing to do." in out
    assert files(migrated.repo) == before
    assert git(migrated.repo, "status", "--porcelain") == ""


def test_the_plan_lists_every_file_and_writes_nothing(tmp_path: Path) -> None:
    repo = example_copy(tmp_path / "microservices")
    before = files(repo)
    code, out, _ = run("migrate", repo, "--phase", "all")
    assert code == 0
    assert "argoplane migrate microservices: plan, nothing written" in out
    for line in ("  + argocd/services-appset.yaml  16 services",
                 "  - argocd/auth-service.yaml  replaced by ApplicationSet services",
                 "  ~ applications/auth-service/values.yaml  image tag moved to <env>/tag.yaml",
                 "  + applications/warehouse-service/production/tag.yaml",
                 "  + argocd-projects/dev.yaml",
                 "  + root-services.yaml"):
        assert line in out
    assert ("proof: 58 of the 58 resources that the 20 Applications of today deploy come out "
            "exactly as before") in out
    assert "Files: 104 to create, 20 to change, 16 to delete. Every proof holds" in out
    assert files(repo) == before


def test_apply_refuses_a_dirty_tree(tmp_path: Path) -> None:
    repo = example_copy(tmp_path / "microservices")
    values = repo / "applications/auth-service/values.yaml"
    values.write_text(values.read_text().replace("replicaCount: 2", "replicaCount: 3"))
    before = files(repo)
    code, _, err = run("migrate", repo, "--phase", "appsets", "--apply")
    assert code == 2
    assert "uncommitted changes (applications/auth-service/values.yaml)" in err
    assert "--allow-dirty" in err
    assert files(repo) == before
    code, out, _ = run("migrate", repo, "--phase", "appsets", "--apply", "--allow-dirty")
    assert code == 0
    assert "Written: 1 created, 16 deleted (17 files)." in out

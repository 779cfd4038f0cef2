"""Recommendations for the weaker repository: generated for its services, proven by rendering."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from argoplane.assess.layout import Annotator, directory_tree, load_candidates_safe
from argoplane.assess.model import Plan
from argoplane.assess.proposal import propose
from argoplane.assess.repo import Repo
from argoplane.assess.run import assess_repository
from argoplane.assess.verify import verify
from argoplane.core import yamlio
from argoplane.core.snapshot import Snapshot
from tests.conftest import VIGO, write_repo
from tests.unit.test_assess_practices import CONFIG, MICRO, application, appset, chart


@pytest.fixture(scope="module")
def micro() -> Repo:
    return assess_repository(Snapshot.open(MICRO), name="microservices")


@pytest.fixture(scope="module")
def micro_plan(micro: Repo) -> Plan:
    return propose(micro.subject, micro.assessment, frozenset())


def created(plan: Plan, path: str) -> dict[str, object]:
    (f,) = [f for f in plan.files if f.path == path and f.action == "create"]
    data = yamlio.load(f.content, path)
    assert isinstance(data, dict)
    return data


def test_the_appset_lists_the_actual_services(micro_plan: Plan) -> None:
    appset_doc = created(micro_plan, "argocd/services-appset.yaml")
    spec = appset_doc["spec"]
    assert isinstance(spec, dict)
    elements = spec["generators"][0]["list"]["elements"]
    assert len(elements) == 16
    auth = next(e for e in elements if e["name"] == "auth-service")
    assert auth == {"name": "auth-service", "path": "applications/auth-service",
                    "namespace": "support-services", "project": "support-services"}
    template = spec["template"]["spec"]
    assert template["source"]["repoURL"] == "https://gitlab.com/shopwise/argocd.git"
    assert template["source"]["targetRevision"] == "main"
    assert template["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
    assert template["revisionHistoryLimit"] == 3
    deleted = sorted(f.path for f in micro_plan.files if f.action == "delete")
    assert len(deleted) == 16
    assert "argocd/payment-service.yaml" in deleted
    assert not any("infrastructure" in p for p in deleted)


def test_roots_and_projects_are_generated(micro_plan: Plan) -> None:
    services = created(micro_plan, "root-services.yaml")
    assert services["spec"]["source"]["path"] == "argocd"  # type: ignore[index]
    assert services["spec"]["source"]["directory"] == {"include": "*-appset.yaml"}  # type: ignore[index]
    infra = created(micro_plan, "root-infrastructure.yaml")
    assert infra["spec"]["source"]["directory"] == {"include": "*.yaml"}  # type: ignore[index]
    core = created(micro_plan, "argocd-projects/core-business.yaml")
    assert core["spec"]["destinations"] == [  # type: ignore[index]
        {"server": "https://kubernetes.default.svc", "namespace": "core-business"}]
    assert core["spec"]["sourceRepos"] == ["https://gitlab.com/shopwise/argocd.git"]  # type: ignore[index]
    edits = [f for f in micro_plan.files if f.action == "edit"]
    assert sorted(f.path for f in edits) == [
        f"argocd/infrastructure/{n}.yaml" for n in ("consul", "elasticsearch", "postgresql",
                                                    "redis")]
    phases = [(r.phase, r.practice) for r in micro_plan.recommendations]
    assert phases[:3] == [(1, "applicationsets"), (1, "app-of-apps"), (1, "appprojects")]
    assert (3, "secrets-in-git") in phases
    assert (2, "environments") in phases


def test_the_proposal_renders_to_the_same_resources(micro: Repo, micro_plan: Plan) -> None:
    result = verify(micro.subject.inventory.snapshot, micro.tree, micro_plan)
    assert result.problems == []
    assert result.ok
    assert (result.applications, result.identical, result.resources) == (20, 20, 58)
    assert result.generated == 16
    assert result.roots == ["root-infrastructure", "root-services"]


def test_verification_catches_a_proposal_that_changes_what_is_deployed(
        micro: Repo, micro_plan: Plan) -> None:
    broken = dataclasses.replace(micro_plan, recommendations=[
        dataclasses.replace(r, files=[
            dataclasses.replace(f, content=f.content.replace(
                "namespace: core-business\n        project",
                "namespace: core-business-x\n        project", 1))
            if f.path.endswith("services-appset.yaml") else f for f in r.files])
        for r in micro_plan.recommendations])
    result = verify(micro.subject.inventory.snapshot, micro.tree, broken)
    assert not result.ok
    assert "catalog-service: renders different resources than before" in result.problems
    assert any("does not allow destination" in p for p in result.problems)


def test_commands_are_named_only_when_argoplane_has_them(micro: Repo) -> None:
    without = propose(micro.subject, micro.assessment, frozenset())
    assert all(r.command is None for r in without.recommendations)
    plan = propose(micro.subject, micro.assessment, frozenset({"migrate", "set-image"}))
    commands = {r.practice: r.command for r in plan.recommendations}
    assert commands["applicationsets"] == "argoplane migrate --phase appsets"
    assert commands["image-tags"] == "argoplane migrate --phase environments"
    encrypt = propose(micro.subject, micro.assessment, frozenset({"secrets", "secrets encrypt"}))
    by_practice = {r.practice: r.command for r in encrypt.recommendations}
    assert by_practice["secrets-in-git"] == "argoplane secrets encrypt"


def test_an_application_set_up_differently_is_left_as_it_is(tmp_path: Path) -> None:
    files = {".argoplane.yaml": CONFIG, **chart("alpha"), **chart("beta"), **chart("gamma"),
             "services/gamma/extra.yaml": "replicas: 2\n",
             "apps/alpha.yaml": application("alpha", "services/alpha", "alpha"),
             "apps/beta.yaml": application("beta", "services/beta", "beta"),
             "apps/gamma.yaml": application("gamma", "services/gamma", "gamma",
                                            value_files=("extra.yaml",))}
    root = write_repo(tmp_path / "repo", files)
    repo = assess_repository(Snapshot.open(root), name="repo")
    plan = propose(repo.subject, repo.assessment, frozenset())
    sets = next(r for r in plan.recommendations if r.practice == "applicationsets")
    assert sets.bullets == ["left as they are: gamma: its source or destination is set up "
                            "differently from the others"]
    assert "apps/gamma.yaml" not in {f.path for f in plan.files if f.action == "delete"}
    result = verify(repo.subject.inventory.snapshot, repo.tree, plan)
    assert result.ok, result.problems
    assert (result.identical, result.generated) == (3, 2)


def test_a_repository_with_application_sets_only_gets_what_it_lacks(tmp_path: Path) -> None:
    files = {".argoplane.yaml": CONFIG, **chart("alpha"),
             "argocd/alpha.yaml": appset(
                 "alpha", [{"env": "staging"}, {"env": "production"}],
                 app_name="alpha-{{env}}", path="services/alpha", namespace="alpha-{{env}}")}
    root = write_repo(tmp_path / "repo", files)
    repo = assess_repository(Snapshot.open(root), name="repo")
    plan = propose(repo.subject, repo.assessment, frozenset())
    practices = {r.practice for r in plan.recommendations}
    assert "applicationsets" not in practices
    assert {"app-of-apps", "appprojects"} <= practices
    root_file = created(plan, "root-services.yaml")
    assert root_file["spec"]["source"]["directory"] == {"include": "*.yaml"}  # type: ignore[index]
    result = verify(repo.subject.inventory.snapshot, repo.tree, plan)
    assert result.ok, result.problems


def test_directory_trees_fold_what_looks_alike(micro: Repo) -> None:
    inv = micro.subject.inventory
    lines = directory_tree("microservices", micro.subject.files,
                           Annotator(inv, load_candidates_safe(inv)))
    text = "\n".join(lines)
    assert "… 15 more like auth-service/: catalog-service" in text
    assert "# base values, image tag inside" in text
    assert "# Application redis" in text
    vigo = assess_repository(Snapshot.open(VIGO), name="vigo")
    inv = vigo.subject.inventory
    text = "\n".join(directory_tree("vigo", vigo.subject.files,
                                    Annotator(inv, load_candidates_safe(inv))))
    assert "… 2 more like catalog/: checkout, gateway" in text
    assert "# ApplicationSet catalog -> 4 Applications" in text
    assert "tag.yaml" in text
    assert "# image tag" in text
    assert "# secrets, SOPS-encrypted" in text
    assert "# root Application central-releases-vigo" in text

"""End to end: `argoplane init` builds the reference layout from platform.yaml."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from argoplane.core.snapshot import Snapshot
from argoplane.render.model import RenderedTree
from argoplane.render.tree import render_repository
from tests.conftest import VIGO

MINIMAL = """\
# The acme platform: three environments, two regions.
name: acme
repoURL: https://git.example.com/acme/gitops.git
environments:
  - {name: dev, short: dev}
  - {name: staging, short: stag}
  - {name: production, short: prod, production: true}
regions: [eu, us]
groups:
  shop:
    services: [cart, billing]
"""


def files(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under root with its modification time and content."""
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout


def git_repo(root: Path) -> None:
    git(root, "init", "-q")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")


def render(root: Path) -> RenderedTree:
    return render_repository(Snapshot.open(root))


def applications(tree: RenderedTree) -> list[dict[str, Any]]:
    """What must match: names, projects, destinations, sources (inline Helm values aside),
    sync policies, and where each Application comes from."""
    out = []
    for app in tree.apps:
        spec = app.manifest["spec"]
        source = json.loads(json.dumps(spec["source"]))
        for key in ("values", "valuesObject"):
            source.get("helm", {}).pop(key, None)
        out.append({"name": app.name, "project": spec["project"],
                    "destination": spec["destination"], "source": source,
                    "syncPolicy": spec.get("syncPolicy"), "parent": app.parent,
                    "generated_by": app.generated_by, "status": app.status})
    return out


@pytest.fixture(scope="module")
def vigo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example platform rebuilt from its inventory alone."""
    from argoplane.cli.main import main

    root = tmp_path_factory.mktemp("init") / "vigo"
    assert main(["init", str(root), "--from", str(VIGO / "platform.yaml")]) == 0
    return root


def test_init_from_the_example_inventory_deploys_what_the_example_deploys(
        vigo_copy: Path) -> None:
    example, generated = render(VIGO), render(vigo_copy)
    assert applications(generated) == applications(example)
    assert generated.roots == example.roots == ["central-releases-3rd-svc",
                                                "central-releases-vigo"]
    assert [s.name for s in generated.appsets] == ["catalog", "checkout", "gateway"]
    assert sorted(generated.projects) == sorted(example.projects) == ["in-prod", "stag",
                                                                      "vn-prod"]
    assert generated.errors == 0
    for svc in ("catalog", "checkout", "gateway"):
        app = generated.app(f"{svc}-in-production")
        assert app is not None
        kinds = sorted(r.kind for r in app.resources)
        assert {"ConfigMap", "Deployment", "Service", "ServiceAccount"} <= set(kinds)
    gateway = generated.app("gateway-in-production")
    assert gateway is not None
    assert {"HorizontalPodAutoscaler", "Ingress"} <= {r.kind for r in gateway.resources}


def test_the_example_inventory_describes_the_example_exactly(cli: Any) -> None:
    result = cli("init", VIGO, "--dry-run")
    assert result.code == 0, result.err
    assert result.out.strip().endswith("Nothing to do.")


def test_the_rebuilt_example_lints_clean_at_error_level(vigo_copy: Path, cli: Any) -> None:
    result = cli("lint", vigo_copy, "-f", "json")
    assert result.code == 0, result.err
    findings = json.loads(result.out)["findings"]
    assert [f for f in findings if f["level"] == "error"] == []


def test_secrets_are_sops_encrypted_for_each_environment(vigo_copy: Path, cli: Any) -> None:
    staging = (vigo_copy / "applications/vigo/catalog/staging/vn.secrets.yaml").read_text()
    production = (vigo_copy / "applications/vigo/catalog/production/in.secrets.yaml").read_text()
    assert "age1ah2hhxyn9cerh6z54kfapej9v6anedegq3p0vkxs2rrad3m65gfqtfuvru" in staging
    assert "age19dqae9etr2dleyslqkste409ptdtxvc39lld5pr0gz97qz9x69hsmqw2m5" in production
    assert "mac: ENC[" in staging
    assert "(production)" in (vigo_copy / ".sops.yaml").read_text()
    copy = vigo_copy.parent / "with-key"
    shutil.copytree(vigo_copy, copy)
    shutil.copy(VIGO / "demo-only-age-keys.txt", copy)
    result = cli("render", copy)
    assert "12 secrets:// value files decrypted in memory" in result.out


def test_a_minimal_inventory_gives_a_working_platform(tmp_path: Path, cli: Any) -> None:
    (tmp_path / "platform.yaml").write_text(MINIMAL)
    result = cli("init", tmp_path / "acme", "--from", tmp_path / "platform.yaml")
    assert result.code == 0, result.err
    assert "init" in result.out
    assert "2 services, 3 environments" in result.out
    assert "  + applications/shop/cart/  (27 files)" in result.out
    assert "  + argocd-projects/eu-prod.yaml" in result.out
    assert result.out.strip().endswith("Done: created 62 files.")
    root = tmp_path / "acme"
    assert (root / "platform.yaml").read_text() == MINIMAL
    tree = render(root)
    assert len(tree.apps) == 13
    assert all(a.status == "rendered" for a in tree.apps)
    cart = tree.app("cart-us-production")
    assert cart is not None
    assert cart.manifest["spec"]["project"] == "us-prod"
    assert cart.manifest["spec"]["destination"] == {
        "server": "https://kubernetes.default.svc", "namespace": "cart-us-prod"}
    image = next(r for r in cart.resources if r.kind == "Deployment").manifest[
        "spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "registry.example.com/acme/cart:0.1.0"


def test_without_sops_the_secrets_are_placeholders_lint_reports(tmp_path: Path,
                                                                cli: Any) -> None:
    (tmp_path / "platform.yaml").write_text(MINIMAL)
    assert cli("init", tmp_path, "--from", tmp_path / "platform.yaml").code == 0
    placeholder = (tmp_path / "applications/shop/cart/dev/eu.secrets.yaml").read_text()
    assert "ARGOPLANE PLACEHOLDER, not encrypted" in placeholder
    result = cli("lint", tmp_path, "-f", "json")
    errors = [f for f in json.loads(result.out)["findings"] if f["level"] == "error"]
    assert {f["rule"] for f in errors} == {"AP009"}
    assert len(errors) == 12


def test_a_second_run_has_nothing_to_do_and_touches_nothing(tmp_path: Path, cli: Any) -> None:
    (tmp_path / "platform.yaml").write_text(MINIMAL)
    assert cli("init", tmp_path).code == 0
    before = files(tmp_path)
    result = cli("init", tmp_path)
    assert result.code == 0
    assert result.out.strip().endswith("Nothing to do.")
    assert files(tmp_path) == before


def test_dry_run_shows_the_plan_and_writes_nothing(tmp_path: Path, cli: Any) -> None:
    (tmp_path / "platform.yaml").write_text(MINIMAL)
    result = cli("init", tmp_path / "acme", "--from", tmp_path / "platform.yaml", "--dry-run",
                 "--every-file")
    assert result.code == 0
    assert "  + applications/shop/billing/production/us.values.yaml" in result.out
    assert "Dry run: 62 files to create; nothing written." in result.out
    assert not (tmp_path / "acme").exists()


def test_init_keeps_edits_and_brings_owned_parts_in_step(tmp_path: Path, cli: Any) -> None:
    (tmp_path / "platform.yaml").write_text(MINIMAL)
    assert cli("init", tmp_path).code == 0
    values = tmp_path / "applications/shop/cart/dev/eu.values.yaml"
    values.write_text(values.read_text() + "replicaCount: 3  # mine\n")
    appset = tmp_path / "applications/shop/cart/cart-appSet.yaml"
    appset.write_text(appset.read_text().replace("prune: true", "prune: false  # careful"))
    (tmp_path / "platform.yaml").write_text(MINIMAL.replace("[eu, us]", "[eu, us, ap]"))
    result = cli("init", tmp_path)
    assert result.code == 0, result.err
    assert ("  ~ applications/shop/cart/cart-appSet.yaml  ApplicationSet elements "
            "+dev/ap +staging/ap +production/ap") in result.out
    assert "  + argocd-projects/ap-prod.yaml" in result.out
    assert "  ~ argocd-projects/stag.yaml  +1 destination" in result.out
    assert values.read_text().endswith("replicaCount: 3  # mine\n")
    assert "prune: false  # careful" in appset.read_text()
    assert "region: ap" in appset.read_text()
    assert len(render(tmp_path).apps) == 19


@pytest.mark.parametrize(("change", "message"), [
    pytest.param(("{name: dev, short: dev}", "{name: dev, short: dev, regions: [eu, asia]}"),
                 "platform.yaml:5: environments[0] (dev): unknown region 'asia' "
                 "(regions: eu, us)", id="unknown-region"),
    pytest.param(("[cart, billing]", "[cart, cart]"), "platform.yaml:11: groups.shop.services[1]:"
                 " duplicate service 'cart'", id="duplicate-service"),
    pytest.param(("name: acme", "name: Acme Corp"), "platform.yaml:2: platform name 'Acme Corp' "
                 "is not valid", id="bad-name"),
])
def test_a_bad_inventory_exits_2_and_writes_nothing(tmp_path: Path, cli: Any,
                                                   change: tuple[str, str], message: str) -> None:
    (tmp_path / "platform.yaml").write_text(MINIMAL.replace(*change))
    result = cli("init", tmp_path / "out", "--from", tmp_path / "platform.yaml")
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_init_needs_an_inventory(tmp_path: Path, cli: Any) -> None:
    result = cli("init", tmp_path)
    assert result.code == 2
    assert "platform.yaml: no such file; write the platform inventory there" in result.err


def test_init_refuses_a_dirty_git_tree(tmp_path: Path, cli: Any) -> None:
    (tmp_path / "platform.yaml").write_text(MINIMAL)
    assert cli("init", tmp_path).code == 0
    git_repo(tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text() + "local notes\n")
    (tmp_path / "platform.yaml").write_text(MINIMAL.replace("[cart, billing]",
                                                            "[cart, billing, search]"))
    before = files(tmp_path)
    result = cli("init", tmp_path)
    assert result.code == 2
    assert "uncommitted changes (README.md, platform.yaml); commit or stash them first, " \
           "or pass --allow-dirty" in result.err
    assert files(tmp_path) == before
    result = cli("init", tmp_path, "--allow-dirty")
    assert result.code == 0
    assert (tmp_path / "applications/shop/search/search-appSet.yaml").is_file()

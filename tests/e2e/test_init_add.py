"""End to end: `argoplane add service|env|region` grows an initialised platform."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import VIGO
from tests.e2e.test_init import MINIMAL, files, render

COMMENTED = MINIMAL.replace("groups:\n", "# Services by team.\ngroups:\n").replace(
    "    services: [cart, billing]\n", "    services: [cart, billing]  # the shop team\n")


@pytest.fixture
def acme(tmp_path: Path, cli: Any) -> Path:
    root = tmp_path / "acme"
    root.mkdir()
    (root / "platform.yaml").write_text(COMMENTED)
    assert cli("init", root).code == 0
    return root


def test_add_service_writes_its_files_and_keeps_the_inventory_comments(acme: Path,
                                                                      cli: Any) -> None:
    result = cli("add", "service", "search", "--port", "9000", "--image",
                 "ghcr.io/acme/search", "--repo", acme)
    assert result.code == 0, result.err
    assert "  + applications/shop/search/  (27 files)" in result.out
    assert "  ~ platform.yaml  +service search (group shop)" in result.out
    assert (acme / "platform.yaml").read_text() == COMMENTED.replace(
        "[cart, billing]  # the shop team",
        "[cart, billing, {name: search, image: ghcr.io/acme/search, port: 9000}] # the shop team")
    app = render(acme).app("search-eu-production")
    assert app is not None
    assert app.status == "rendered"
    deployment = next(r for r in app.resources if r.kind == "Deployment").manifest
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "ghcr.io/acme/search:0.1.0"
    assert container["ports"][0]["containerPort"] == 9000


def test_adding_again_has_nothing_to_do_and_touches_nothing(acme: Path, cli: Any) -> None:
    assert cli("add", "service", "search", "--repo", acme).code == 0
    before = files(acme)
    result = cli("add", "service", "search", "--repo", acme)
    assert result.code == 0
    assert "  = service search is already in group shop" in result.out
    assert result.out.strip().endswith("Nothing to do.")
    assert files(acme) == before
    for args in (("env", "staging"), ("region", "eu")):
        again = cli("add", *args, "--repo", acme)
        assert again.code == 0
        assert again.out.strip().endswith("Nothing to do.")
    assert files(acme) == before


def test_add_env_fans_every_service_out_to_it(acme: Path, cli: Any) -> None:
    result = cli("add", "env", "qa", "--repo", acme)
    assert result.code == 0, result.err
    assert "  + argocd-projects/qa.yaml" in result.out
    assert ("  ~ applications/shop/cart/cart-appSet.yaml  ApplicationSet elements +qa/eu "
            "+qa/us") in result.out
    assert "  ~ applications/shop/cart/.helmignore  +qa/" in result.out
    envs = [line.strip() for line in (acme / "platform.yaml").read_text().splitlines()
            if line.strip().startswith("- {name")]
    assert envs == ["- {name: dev, short: dev}", "- {name: staging, short: stag}",
                    "- {name: qa, short: qa}",
                    "- {name: production, short: prod, production: true}"]
    assert (acme / "applications/shop/billing/qa/us.values.yaml").is_file()
    tree = render(acme)
    app = tree.app("billing-us-qa")
    assert app is not None
    assert app.manifest["spec"]["project"] == "qa"
    assert len(tree.apps) == 17


def test_add_region_to_a_platform_with_named_clusters(tmp_path: Path, cli: Any) -> None:
    inventory = (VIGO / "platform.yaml").read_text()
    without_sops = inventory[:inventory.index("secrets:")] + inventory[
        inventory.index("groups:"):]
    root = tmp_path / "vigo"
    root.mkdir()
    (root / "platform.yaml").write_text(without_sops)
    assert cli("init", root).code == 0
    before = files(root)
    refused = cli("add", "region", "sg", "--repo", root)
    assert refused.code == 2
    assert ("environment production would deploy to cluster 'sg-prod', which platform.yaml "
            "does not list: pass --server sg-prod=URL to add it") in refused.err
    assert files(root) == before
    result = cli("add", "region", "sg", "--server", "sg-prod=https://sg-prod.k8s.vigo.example",
                 "--repo", root)
    assert result.code == 0, result.err
    assert "  + argocd-projects/sg-prod.yaml" in result.out
    assert "  ~ argocd-projects/stag.yaml  +1 destination" in result.out
    assert "  ~ .argoplane.yaml  +clusters sg-prod" in result.out
    tree = render(root)
    app = tree.app("catalog-sg-production")
    assert app is not None
    assert app.manifest["spec"]["destination"] == {"name": "sg-prod",
                                                   "namespace": "catalog-sg-prod"}
    assert not [m for a in tree.apps for m in a.messages if "not known" in m.text]


def test_add_region_keeps_the_element_names_an_appset_already_uses(tmp_path: Path,
                                                                  cli: Any) -> None:
    root = tmp_path / "vigo"
    shutil.copytree(VIGO, root)
    result = cli("add", "region", "sg", "--server", "sg-prod=https://sg-prod.k8s.vigo.example",
                 "--repo", root)
    assert result.code == 0, result.err
    appset = (root / "applications/vigo/catalog/catalog-appSet.yaml").read_text()
    assert appset.endswith("""\
          - project: in-prod
            env: production
            venture: in
            namespace_suffix: in-prod
          - project: sg-prod
            env: production
            venture: sg
            namespace_suffix: sg-prod
  template:
    metadata:
      name: 'catalog-{{venture}}-{{env}}'
""" + appset.split("name: 'catalog-{{venture}}-{{env}}'\n", 1)[1])
    assert "selfHeal: true  # left off for now" in appset
    tree = render(root)
    app = tree.app("catalog-sg-production")
    assert app is not None
    assert app.manifest["spec"]["destination"] == {"name": "sg-prod",
                                                   "namespace": "catalog-sg-prod"}
    assert tree.app("gateway-sg-staging") is not None
    assert tree.errors == 0


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(("service", "Search"), "service name 'Search' is not valid", id="bad-name"),
    pytest.param(("service", "search", "--group", "ops"),
                 "unknown group 'ops' (groups: shop)", id="unknown-group"),
    pytest.param(("service", "cart", "--port", "9000"),
                 "service 'cart' already exists with port 8080", id="conflicting-service"),
    pytest.param(("env", "qa", "--short", "stag"),
                 "short name 'stag' is already used by environment staging", id="taken-short"),
    pytest.param(("env", "qa", "--region", "asia"), "unknown region 'asia'",
                 id="unknown-region"),
    pytest.param(("region", "ap", "--env", "uat"), "unknown environment 'uat'",
                 id="unknown-environment"),
    pytest.param(("region", "ap", "--server", "nope"), "--server nope: expected CLUSTER=URL",
                 id="bad-server"),
])
def test_bad_additions_exit_2_and_change_nothing(acme: Path, cli: Any, args: tuple[str, ...],
                                                message: str) -> None:
    before = files(acme)
    result = cli("add", *args, "--repo", acme)
    assert result.code == 2
    assert message in result.err
    assert files(acme) == before


def test_add_works_from_inside_the_repository(acme: Path, cli: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(acme / "applications/shop/cart")
    result = cli("add", "service", "search", "--dry-run")
    assert result.code == 0
    assert "Dry run: 27 files to create, 1 to change; nothing written." in result.out
    assert not (acme / "applications/shop/search").exists()

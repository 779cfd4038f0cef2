"""The proof of a migration phase: two renders compared, what was meant to change accepted,
everything else reported with its diff (Secret values masked)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from argoplane.core.snapshot import Snapshot
from argoplane.layout.migrate.model import PhasePlan
from argoplane.layout.migrate.proof import Intents, prove
from argoplane.render.model import RenderedTree
from argoplane.render.tree import render_repository
from tests.conftest import write_repo

APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example.com/shop.git
    path: manifests/{folder}
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
"""
CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cart
data:
  LOG_LEVEL: {level}
"""
SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: cart-db
stringData:
  password: {password}
"""


def tree(root: Path, apps: dict[str, str], level: str = "info",
         password: str = "s3cret-before") -> RenderedTree:
    files = {f"apps/{name}.yaml": APP.format(name=name, folder=folder)
             for name, folder in apps.items()}
    files["manifests/cart/config.yaml"] = CONFIG.format(level=level)
    files["manifests/cart/secret.yaml"] = SECRET.format(password=password)
    files["manifests/other/config.yaml"] = CONFIG.format(level=level)
    return render_repository(Snapshot.open(write_repo(root, files)))


Trees = Callable[..., RenderedTree]


def make(tmp_path: Path) -> Trees:
    count = iter(range(100))

    def build(apps: dict[str, str], **kw: str) -> RenderedTree:
        return tree(tmp_path / f"r{next(count)}", apps, **kw)

    return build


def test_the_same_resources_prove_the_phase(tmp_path: Path) -> None:
    build = make(tmp_path)
    before = build({"cart": "cart"})
    proof = prove(before, build({"cart": "cart"}), Intents.start(before), "dev")
    assert proof.ok
    assert (proof.resources, proof.identical, proof.applications) == (2, 2, 1)


def test_a_renamed_application_that_deploys_the_same_is_intended(tmp_path: Path) -> None:
    build = make(tmp_path)
    before = build({"cart": "cart"})
    intents = Intents.start(before)
    intents.advance(PhasePlan("environments", renames={"cart": "cart-dev"}))
    proof = prove(before, build({"cart-dev": "cart"}), intents, "dev")
    assert proof.ok
    assert [(i.kind, i.text) for i in proof.intended] == [
        ("Application", "renamed: cart -> cart-dev")]
    assert proof.identical == 2


def test_a_changed_value_is_an_unintended_difference_with_its_diff(tmp_path: Path) -> None:
    build = make(tmp_path)
    before = build({"cart": "cart"})
    proof = prove(before, build({"cart": "cart"}, level="debug"), Intents.start(before), "dev")
    assert not proof.ok
    (difference,) = proof.unintended
    assert difference.text == "ConfigMap shop/cart (cart): deployed differently"
    assert "-  LOG_LEVEL: info\n+  LOG_LEVEL: debug" in difference.diff
    assert proof.identical == 1


def test_a_changed_secret_is_reported_without_its_values(tmp_path: Path) -> None:
    build = make(tmp_path)
    before = build({"cart": "cart"})
    proof = prove(before, build({"cart": "cart"}, password="s3cret-after"),
                  Intents.start(before), "dev")
    (difference,) = proof.unintended
    assert difference.text == "Secret shop/cart-db (cart): deployed differently"
    assert "s3cret" not in difference.diff
    assert "++++++++" in difference.diff


def test_an_application_that_is_gone_and_a_resource_deployed_twice(tmp_path: Path) -> None:
    build = make(tmp_path)
    before = build({"cart": "cart", "other": "other"})
    gone = prove(before, build({"cart": "cart"}), Intents.start(before), "dev")
    assert [d.text for d in gone.unintended] == [
        "Application other: no longer deployed",
        "ConfigMap shop/cart (other): no longer deployed"]
    before = build({"cart": "cart"})
    twice = prove(before, build({"cart": "cart", "copy": "cart"}), Intents.start(before), "dev")
    assert "ConfigMap shop/cart is deployed by cart and copy" in [
        d.text for d in twice.unintended]
    assert twice.added_apps == ["copy"]
    assert twice.added_resources == {"ConfigMap": 1, "Secret": 1}

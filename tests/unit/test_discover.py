"""Discovery of Argo CD manifests and of the roots no other Application reaches."""

from __future__ import annotations

from pathlib import Path

from argoplane.core.snapshot import Snapshot
from argoplane.render.discover import discover
from argoplane.render.tree import render_repository
from tests.conftest import VIGO, write_repo

APP = """
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
spec:
  project: default
  destination: {{server: https://kubernetes.default.svc, namespace: {ns}}}
  source:
    repoURL: https://git.example.com/r.git
    path: {path}
"""


def test_example_discovery_skips_helm_templates() -> None:
    candidates, messages = discover(Snapshot.open(VIGO))
    assert messages == []
    files = {c.file for c in candidates}
    assert not any("/templates/" in f for f in files)
    kinds = sorted(c.kind for c in candidates)
    assert kinds.count("ApplicationSet") == 3
    assert kinds.count("AppProject") == 3
    assert kinds.count("Application") == 5  # two roots and three third-party apps


def test_roots_are_the_unreached_manifests(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {
        "root.yaml": APP.format(name="root", ns="argocd", path="apps"),
        "apps/a.yaml": APP.format(name="a", ns="a", path="workloads/a"),
        "apps/b.yaml": APP.format(name="b", ns="b", path="workloads/b"),
        "workloads/a/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
        "workloads/b/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
        "standalone.yaml": APP.format(name="alone", ns="x", path="workloads/a"),
    })
    tree = render_repository(Snapshot.open(root))
    assert tree.roots == ["root", "alone"]
    parents = {a.name: a.parent for a in tree.apps}
    assert parents == {"root": None, "a": "root", "b": "root", "alone": None}
    a = tree.app("a")
    assert a is not None
    assert a.file == "apps/a.yaml"
    assert [(r.kind, r.namespace, r.name) for r in a.resources] == [("ConfigMap", "a", "a")]


def test_include_glob_decides_what_a_root_reaches(tmp_path: Path) -> None:
    root_app = APP.format(name="root", ns="argocd", path="apps").rstrip() + (
        "\n    directory:\n      include: '*-app.yaml'\n")
    root = write_repo(tmp_path, {
        "root.yaml": root_app,
        "apps/a-app.yaml": APP.format(name="a", ns="a", path="w"),
        "apps/b.yaml": APP.format(name="b", ns="b", path="w"),
        "w/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    })
    tree = render_repository(Snapshot.open(root))
    assert tree.roots == ["root", "b"]
    assert {a.name: a.parent for a in tree.apps} == {"b": None, "root": None, "a": "root"}


def test_cycle_without_a_root_is_reported(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {
        "x/app.yaml": APP.format(name="x", ns="argocd", path="y"),
        "y/app.yaml": APP.format(name="y", ns="argocd", path="x"),
    })
    tree = render_repository(Snapshot.open(root))
    assert any("App-of-Apps cycle" in m.text for m in tree.messages)
    x = [a for a in tree.apps if a.name == "x"]
    assert x[-1].status == "error"
    assert "App-of-Apps cycle: x -> y -> x" in x[-1].messages[0].text


def test_self_managed_root_is_not_a_cycle(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {
        "argocd/root.yaml": APP.format(name="root", ns="argocd", path="argocd"),
        "argocd/child.yaml": APP.format(name="child", ns="c", path="w"),
        "w/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    })
    tree = render_repository(Snapshot.open(root))
    assert tree.messages == []
    assert tree.roots == ["root"]
    own = tree.app("root")
    assert own is not None
    assert own.status == "rendered"
    assert [m.text for m in own.messages] == [
        "the Application deploys its own manifest (self-managed)"]
    assert {a.name: a.parent for a in tree.apps} == {"root": None, "child": "root"}

"""Comparing two rendered trees: what counts as a change, and how it is shown."""

from __future__ import annotations

import copy
from typing import Any

from argoplane.diff.compare import DiffOptions, compare
from argoplane.diff.normalize import comparable, mask_pair, without_tracking
from argoplane.render.model import RenderedApp, RenderedTree, Resource
from argoplane.report.diff_text import diff_text

TRACKING = "argocd.argoproj.io/tracking-id"


def app(name: str, *resources: dict[str, Any], project: str = "default",
        namespace: str = "web") -> RenderedApp:
    manifest = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                "metadata": {"name": name, "namespace": "argocd"},
                "spec": {"project": project,
                         "destination": {"server": "https://kubernetes.default.svc",
                                         "namespace": namespace},
                         "source": {"repoURL": "https://git.example.com/p.git", "path": name}}}
    out = RenderedApp(name=name, manifest=manifest, file=f"{name}.yaml")
    for r in resources:
        obj = copy.deepcopy(r)
        obj.setdefault("metadata", {}).setdefault("annotations", {})[TRACKING] = (
            f"{name}:/{obj['kind']}:{namespace}/{obj['metadata']['name']}")
        out.resources.append(Resource(obj, namespace, f"{name}/file.yaml"))
    return out


def tree(*apps: RenderedApp) -> RenderedTree:
    return RenderedTree(repo="/repo", apps=list(apps))


def cm(name: str, **data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def secret(name: str, **data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name},
            "stringData": data}


def test_identical_trees_have_no_differences() -> None:
    result = compare(tree(app("a", cm("x", k="v"))), tree(app("a", cm("x", k="v"))))
    assert (result.changed, result.unchanged) == (False, 1)
    assert diff_text(result).splitlines()[1] == "no differences (1 application unchanged)"


def test_key_order_and_tracking_are_ignored() -> None:
    before = cm("x", a="1", b="2")
    after = {"data": {"b": "2", "a": "1"}, "metadata": {"name": "x"}, "kind": "ConfigMap",
             "apiVersion": "v1"}
    moved_tracking = app("a", after)
    moved_tracking.resources[0].manifest["metadata"]["annotations"][TRACKING] = "other:/x"
    assert not compare(tree(app("a", before)), tree(moved_tracking)).changed


def test_without_tracking_drops_only_tracking_and_empty_maps() -> None:
    manifest = {"metadata": {"name": "x", "annotations": {TRACKING: "t", "keep": "1"},
                             "labels": {"app.kubernetes.io/instance": "a"}}}
    assert without_tracking(manifest) == {"metadata": {
        "name": "x", "annotations": {"keep": "1"}, "labels": {"app.kubernetes.io/instance": "a"}}}
    assert without_tracking(manifest, ("app.kubernetes.io/instance",)) == {
        "metadata": {"name": "x", "annotations": {"keep": "1"}}}
    assert manifest["metadata"]["annotations"] == {TRACKING: "t", "keep": "1"}  # untouched


def test_modified_resource_shows_a_unified_diff_of_sorted_yaml() -> None:
    result = compare(tree(app("a", cm("x", level="info", mode="fast"))),
                     tree(app("a", cm("x", level="debug", mode="fast"))))
    (change,) = result.apps[0].resources
    assert change.action == "modified"
    assert change.diff == ("@@ -1,6 +1,6 @@\n apiVersion: v1\n data:\n-  level: info\n"
                           "+  level: debug\n   mode: fast\n kind: ConfigMap\n metadata:")


def test_multi_line_strings_diff_line_by_line() -> None:
    before = cm("x", script="echo one\necho two\necho three\n")
    after = cm("x", script="echo one\necho 2\necho three\n")
    (change,) = compare(tree(app("a", before)), tree(app("a", after)),
                        DiffOptions(context=0)).apps[0].resources
    assert change.diff.splitlines() == ["@@ -5 +5 @@", "-    echo two", "+    echo 2"]


def test_apps_added_removed_and_changed_fields() -> None:
    base = tree(app("keep", cm("x")), app("gone", cm("y")), app("moves", cm("z")))
    head = tree(app("keep", cm("x")), app("new", cm("y2")),
                app("moves", cm("z"), project="team", namespace="web"))
    result = compare(base, head)
    actions = {a.name: a.action for a in result.apps}
    assert actions == {"gone": "removed", "moves": "changed", "new": "added"}
    assert result.unchanged == 1
    moves = next(a for a in result.apps if a.name == "moves")
    assert moves.fields == ["project"]
    assert "-  project: default\n+  project: team" in moves.spec_diff
    assert [a.name for a in result.apps] == ["gone", "moves", "new"]


def test_resource_moved_between_apps_counts_once() -> None:
    base = tree(app("a", cm("shared", k="1")), app("b"))
    head = tree(app("a"), app("b", cm("shared", k="2")))
    result = compare(base, head)
    assert result.resource_counts() == {"added": 0, "removed": 0, "modified": 0, "moved": 1}
    (move,) = result.resources()
    assert (move.from_app, move.app) == ("a", "b")
    assert "-  k: '1'\n+  k: '2'" in move.diff
    text = diff_text(result)
    assert "    > ConfigMap web/shared  (moved to b)" in text
    assert "    > ConfigMap web/shared  (moved from a)" in text


def test_duplicate_keys_in_one_app_are_compared_in_order() -> None:
    result = compare(tree(app("a", cm("x", n="1"), cm("x", n="2"))),
                     tree(app("a", cm("x", n="1"))))
    (change,) = result.apps[0].resources
    assert change.action == "removed"
    assert "-  n: '2'" in change.diff


def test_secret_values_are_masked_and_changed_keys_named() -> None:
    base = tree(app("a", secret("db", password="old-pass", user="app")))
    head = tree(app("a", secret("db", password="new-pass", user="app", host="db")))
    (change,) = compare(base, head).apps[0].resources
    assert change.secret_keys == ("host", "password")
    assert "pass" not in change.diff.replace("password", "")
    assert change.diff.splitlines() == [
        "@@ -1,6 +1,7 @@", " apiVersion: v1", " data:", "-  password: ++++++++",
        "+  host: ++++++++", "+  password: ++++++++++++", "   user: ++++++++", " kind: Secret",
        " metadata:"]
    (shown,) = compare(base, head, DiffOptions(show_secrets=True)).apps[0].resources
    assert "-  password: old-pass" in shown.diff
    assert "+  password: new-pass" in shown.diff


def test_string_data_and_data_with_the_same_value_are_equal() -> None:
    as_data = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
               "data": {"token": "YWJj"}}
    assert comparable(as_data) == comparable(secret("s", token="abc"))
    masked_base, masked_head, keys = mask_pair(as_data, secret("s", token="abd"))
    assert keys == ("token",)
    assert masked_base == {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                           "data": {"token": "++++++++"}}
    assert masked_head is not None
    assert masked_head["data"] == {"token": "++++++++++++"}


def test_app_glob_limits_the_diff() -> None:
    base = tree(app("web-a", cm("x", v="1")), app("db-a", cm("y", v="1")))
    head = tree(app("web-a", cm("x", v="2")), app("db-a", cm("y", v="2")))
    result = compare(base, head, DiffOptions(app_glob="web-*"))
    assert [a.name for a in result.apps] == ["web-a"]
    assert result.unchanged == 0


def test_status_change_and_head_errors_are_reported() -> None:
    broken = app("a")
    broken.add("error", "helm template failed: boom")
    result = compare(tree(app("a", cm("x"))), tree(broken))
    (change,) = result.apps
    assert change.status == ("rendered", "error")
    assert change.errors == ["helm template failed: boom"]
    assert result.head_errors == ["a: helm template failed: boom"]
    text = diff_text(result)
    assert "    status: rendered -> error" in text
    assert "    error: helm template failed: boom" in text

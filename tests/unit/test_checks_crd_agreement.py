"""AP001's own models of Argo CD's kinds agree with Argo CD's published CRDs.

The CRDs in ../shared/schemas/argocd/ are read here, by the test only, as an oracle: each
openAPIV3Schema becomes a JSON Schema with the API server's structural rules (unknown fields
are refused unless x-kubernetes-preserve-unknown-fields, null fields are pruned before
validation), and `metadata` gets the ObjectMeta checks the API server makes on every object
(a DNS-subdomain name, string labels and annotations). Every Argo CD manifest of the example
repositories, the Applications their ApplicationSets generate, and a set of deliberately
broken variants must get the same verdict from both.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from argoplane.checks.rules.kubeschema import json_value
from argoplane.checks.rules.schema import problems
from argoplane.core.snapshot import Snapshot
from argoplane.render.discover import discover
from argoplane.render.tree import render_repository
from tests.conftest import EXAMPLES, SHARED

CRDS = SHARED / "schemas" / "argocd"
FILES = {"Application": "application-crd.yaml", "ApplicationSet": "applicationset-crd.yaml",
         "AppProject": "appproject-crd.yaml"}

if not CRDS.is_dir():
    pytest.skip(f"no Argo CD CRDs at {CRDS}", allow_module_level=True)

STRINGS = {"type": "object", "additionalProperties": {"type": "string"}}
OBJECT_META = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "maxLength": 253,
                 "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},
        "generateName": {"type": "string"},
        "namespace": {"type": "string"},
        "labels": STRINGS,
        "annotations": STRINGS,
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": {"type": "object"}},
        "uid": {"type": "string"},
        "resourceVersion": {"type": "string"},
        "generation": {"type": "integer"},
        "creationTimestamp": {},
        "deletionTimestamp": {},
        "deletionGracePeriodSeconds": {"type": "integer"},
        "managedFields": {"type": "array", "items": {"type": "object"}},
        "selfLink": {"type": "string"},
    },
}


def structural(schema: Any) -> Any:
    """A CRD schema node as JSON Schema, with the API server's strict field validation."""
    if isinstance(schema, list):
        return [structural(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: structural(v) for k, v in schema.items()
           if k not in ("description", "properties") and not k.startswith("x-kubernetes-")}
    if "properties" in schema:
        out["properties"] = {k: structural(v) for k, v in schema["properties"].items()}
    if (schema.get("type") == "object" and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


@functools.cache
def oracle(kind: str) -> Any:
    crd = yaml.load((CRDS / FILES[kind]).read_text(), Loader=getattr(yaml, "CSafeLoader",
                                                                       yaml.SafeLoader))
    (version,) = [v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1"]
    schema = structural(version["schema"]["openAPIV3Schema"])
    schema["properties"]["metadata"] = OBJECT_META
    schema["properties"]["apiVersion"] = {"const": "argoproj.io/v1alpha1"}
    return jsonschema.Draft7Validator(schema)


def pruned(value: Any) -> Any:
    """Null fields are dropped before validation, as the API server prunes them."""
    if isinstance(value, dict):
        return {k: pruned(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


def crd_verdict(kind: str, manifest: dict[str, Any]) -> list[str]:
    return [e.message for e in oracle(kind).iter_errors(pruned(json_value(manifest)))]


def own_verdict(kind: str, manifest: dict[str, Any]) -> list[str]:
    return [f"{p.where}: {p.message}" for p in problems(kind, manifest)]


def example_manifests() -> list[Any]:
    out = []
    for repo in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        snapshot = Snapshot.open(repo)
        for c in discover(snapshot)[0]:
            out.append(pytest.param(c.kind, c.manifest, id=f"{repo.name}/{c.file}#{c.index}"))
    return out


@pytest.mark.parametrize(("kind", "manifest"), example_manifests())
def test_example_manifests_get_the_crd_verdict(kind: str, manifest: dict[str, Any]) -> None:
    crd, own = crd_verdict(kind, manifest), own_verdict(kind, manifest)
    assert bool(crd) == bool(own), f"CRD says {crd or 'valid'}, argoplane says {own or 'valid'}"


@pytest.mark.parametrize("repo", ["vigo-platform", "broken-platform"])
def test_generated_applications_get_the_crd_verdict(repo: str) -> None:
    tree = render_repository(Snapshot.open(EXAMPLES / repo))
    generated = [a for a in tree.apps if a.generated_by]
    assert generated
    for app in generated:
        manifest = copy.deepcopy(app.manifest)
        assert not crd_verdict("Application", manifest), app.name
        assert not own_verdict("Application", manifest), app.name


def _base(kind: str) -> dict[str, Any]:
    files = {
        "Application": EXAMPLES / "vigo-platform/central-releases-vigo.yaml",
        "ApplicationSet": EXAMPLES / "vigo-platform/applications/vigo/catalog/catalog-appSet.yaml",
        "AppProject": EXAMPLES / "broken-platform/argocd/projects/shop-prod.yaml",
    }
    data: dict[str, Any] = yaml.safe_load(Path(files[kind]).read_text())
    return data


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return apply


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]
    return apply


VARIANTS: list[tuple[str, str, Callable[[dict[str, Any]], None]]] = [
    # Applications
    ("Application", "targetRevision as a number", _set("spec.source.targetRevision", 1.1)),
    ("Application", "typo in a source field", _set("spec.source.targetRevison", "HEAD")),
    ("Application", "unknown spec field", _set("spec.syncPolicies", {})),
    ("Application", "no project", _drop("spec.project")),
    ("Application", "no destination", _drop("spec.destination")),
    ("Application", "source without repoURL", _drop("spec.source.repoURL")),
    ("Application", "history limit as a string", _set("spec.revisionHistoryLimit", "3")),
    ("Application", "history limit as a number", _set("spec.revisionHistoryLimit", 3)),
    ("Application", "syncOptions as a string", _set("spec.syncPolicy.syncOptions",
                                                     "CreateNamespace=true")),
    ("Application", "prune as a string", _set("spec.syncPolicy.automated.prune", "true")),
    ("Application", "automated null", _set("spec.syncPolicy.automated", None)),
    ("Application", "helm values as a mapping", _set("spec.source.helm", {"values": {"a": 1}})),
    ("Application", "helm valuesObject", _set("spec.source.helm", {"valuesObject": {"a": [1]}})),
    ("Application", "helm parameter forceString", _set("spec.source.helm", {
        "parameters": [{"name": "a", "value": "1", "forceString": True}]})),
    ("Application", "kustomize replica count", _set("spec.source.kustomize", {
        "replicas": [{"name": "web", "count": "3"}]})),
    ("Application", "kustomize replica without count", _set("spec.source.kustomize", {
        "replicas": [{"name": "web"}]})),
    ("Application", "ignoreDifferences without kind", _set("spec.ignoreDifferences", [
        {"group": "apps", "jsonPointers": ["/spec/replicas"]}])),
    ("Application", "info without value", _set("spec.info", [{"name": "owner"}])),
    ("Application", "destination unknown field", _set("spec.destination.cluster", "x")),
    ("Application", "upper-case name", _set("metadata.name", "Central-Releases")),
    ("Application", "label as a number", _set("metadata.labels", {"tier": 1})),
    ("Application", "sources without repoURL", _set("spec.sources", [{"path": "x"}])),
    ("Application", "hydrator sync path '.'", _set("spec.sourceHydrator", {
        "drySource": {"repoURL": "r", "targetRevision": "HEAD", "path": "p"},
        "syncSource": {"targetBranch": "env", "path": "."}})),
    ("Application", "hydrator", _set("spec.sourceHydrator", {
        "drySource": {"repoURL": "r", "targetRevision": "HEAD", "path": "p"},
        "syncSource": {"targetBranch": "env", "path": "apps/web"}})),
    ("Application", "retry backoff", _set("spec.syncPolicy.retry", {
        "limit": 5, "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"}})),
    ("Application", "wrong apiVersion", _set("apiVersion", "argoproj.io/v1beta1")),
    # ApplicationSets
    ("ApplicationSet", "misspelled generator", _set("spec.generators.0.lists", {})),
    ("ApplicationSet", "scalar list elements", _set("spec.generators.0.list.elements",
                                                   ["a", 1, {"b": [2]}])),
    ("ApplicationSet", "git generator without revision", _set("spec.generators", [
        {"git": {"repoURL": "https://git.example.com/r.git", "directories": [{"path": "*"}]}}])),
    ("ApplicationSet", "matrix with a free-form nested matrix", _set("spec.generators", [
        {"matrix": {"generators": [{"matrix": {"generators": [{"anything": 1}]}},
                                   {"list": {"elements": []}}]}}])),
    ("ApplicationSet", "matrix child typo", _set("spec.generators", [
        {"matrix": {"generators": [{"clusters": {"selectr": {}}}]}}])),
    ("ApplicationSet", "merge without mergeKeys", _set("spec.generators", [
        {"merge": {"generators": [{"list": {"elements": []}}]}}])),
    ("ApplicationSet", "generator template without spec", _set(
        "spec.generators.0.list.template", {"metadata": {"name": "x"}})),
    ("ApplicationSet", "template without spec", _drop("spec.template.spec")),
    ("ApplicationSet", "goTemplate as a string", _set("spec.goTemplate", "true")),
    ("ApplicationSet", "applicationsSync enum", _set("spec.syncPolicy", {
        "applicationsSync": "create-and-delete"})),
    ("ApplicationSet", "applicationsSync ok", _set("spec.syncPolicy", {
        "applicationsSync": "create-update"})),
    ("ApplicationSet", "rolling sync", _set("spec.strategy", {
        "type": "RollingSync", "rollingSync": {"steps": [{"matchExpressions": [
            {"key": "env", "operator": "In", "values": ["staging"]}], "maxUpdate": "25%"}]}})),
    ("ApplicationSet", "templatePatch as a mapping", _set("spec.templatePatch", {"a": 1})),
    ("ApplicationSet", "pull request generator", _set("spec.generators", [
        {"pullRequest": {"github": {"owner": "o", "repo": "r", "tokenRef": {
            "secretName": "s", "key": "k"}}, "requeueAfterSeconds": 60}}])),
    ("ApplicationSet", "scm provider without organization", _set("spec.generators", [
        {"scmProvider": {"github": {"allBranches": True}}}])),
    ("ApplicationSet", "template spec history limit as a string", _set(
        "spec.template.spec.revisionHistoryLimit", "{{limit}}")),
    # AppProjects
    ("AppProject", "sourceRepos as a string", _set("spec.sourceRepos", "*")),
    ("AppProject", "destination unknown field", _set("spec.destinations.0.cluster", "x")),
    ("AppProject", "description too long", _set("spec.description", "x" * 256)),
    ("AppProject", "role without name", _set("spec.roles", [{"policies": ["p"]}])),
    ("AppProject", "whitelist item without kind", _set("spec.clusterResourceWhitelist",
                                                       [{"group": "*"}])),
    ("AppProject", "sync window manualSync as a string", _set("spec.syncWindows", [
        {"kind": "allow", "schedule": "* * * * *", "duration": "1h", "manualSync": "yes"}])),
    ("AppProject", "orphaned resources", _set("spec.orphanedResources", {
        "warn": True, "ignore": [{"kind": "ConfigMap"}]})),
    ("AppProject", "no spec", _drop("spec")),
]


@pytest.mark.parametrize(("kind", "change"), [pytest.param(k, c, id=f"{k}: {d}")
                                              for k, d, c in VARIANTS])
def test_variants_get_the_crd_verdict(kind: str, change: Callable[[dict[str, Any]], None]
                                      ) -> None:
    manifest = _base(kind)
    change(manifest)
    crd, own = crd_verdict(kind, manifest), own_verdict(kind, manifest)
    assert bool(crd) == bool(own), f"CRD says {crd or 'valid'}, argoplane says {own or 'valid'}"


def test_variants_cover_both_verdicts() -> None:
    verdicts = set()
    for kind, _, change in VARIANTS:
        manifest = _base(kind)
        change(manifest)
        verdicts.add(bool(own_verdict(kind, manifest)))
    assert verdicts == {True, False}

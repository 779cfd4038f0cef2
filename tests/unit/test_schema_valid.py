"""The quick schema check agrees with jsonschema on every object, valid or not."""

from __future__ import annotations

import copy
import random
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from argoplane.checks.rules.kubeschema import KubeSchemas, schema_version
from argoplane.checks.schema.valid import Compiler

DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}, "annotations": {"a": "b"}},
    "spec": {
        "replicas": 3,
        "revisionHistoryLimit": 2.0,
        "selector": {"matchLabels": {"app": "web"}},
        "strategy": {"type": "RollingUpdate",
                     "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "containers": [{
                    "name": "web",
                    "image": "nginx:1.27",
                    "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                    "env": [{"name": "A", "value": "1"},
                            {"name": "B", "valueFrom": {"secretKeyRef": {"name": "s",
                                                                         "key": "k"}}}],
                    "resources": {"limits": {"cpu": "500m", "memory": 1024},
                                  "requests": {"cpu": 0.25}},
                    "livenessProbe": {"httpGet": {"path": "/", "port": "http"}},
                    "securityContext": {"runAsNonRoot": True, "runAsUser": 1000},
                }],
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}],
            },
        },
    },
}

SERVICE: dict[str, Any] = {
    "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
    "spec": {"type": "ClusterIP", "selector": {"app": "web"},
             "ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
}

CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {"group": "example.com", "names": {"kind": "Widget", "plural": "widgets"},
             "scope": "Namespaced",
             "versions": [{"name": "v1", "served": True, "storage": True, "schema": {
                 "openAPIV3Schema": {"type": "object", "properties": {
                     "spec": {"type": "object", "properties": {
                         "size": {"type": "integer", "minimum": 1},
                         "items": {"type": "array", "items": {"type": "string"}}}}}}}}]},
}

OTHER_VALUES: list[Any] = ["x", "", 7, 0, -1, 2.5, 3.0, True, False, None, [], ["a"], {},
                           {"k": "v"}, {"unknownField": 1}]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, (*path, i))
    return out


def _mutations(obj: dict[str, Any], rng: random.Random, count: int) -> list[dict[str, Any]]:
    paths = [p for p in _paths(obj) if p]
    out: list[dict[str, Any]] = []
    for _ in range(count):
        mutated = copy.deepcopy(obj)
        path = rng.choice(paths)
        parent: Any = mutated
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.15 and isinstance(parent, dict):
            del parent[path[-1]]
        elif action < 0.3 and isinstance(parent, dict):
            parent[rng.choice(["extra", "Name", "spec", "items"])] = rng.choice(OTHER_VALUES)
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(OTHER_VALUES))
        out.append(mutated)
    return out


@pytest.fixture(scope="module")
def schemas() -> KubeSchemas:
    return KubeSchemas(schema_version("1.31"))


@pytest.mark.parametrize("obj", [DEPLOYMENT, SERVICE, CRD], ids=["deployment", "service", "crd"])
def test_agrees_with_jsonschema_on_valid_and_mutated_objects(schemas: KubeSchemas,
                                                             obj: dict[str, Any]) -> None:
    validator = schemas.validator(obj["apiVersion"], obj["kind"])
    assert validator is not None
    assert validator.valid is not None
    assert validator.valid(obj)
    assert not list(validator.full.iter_errors(obj))
    rng = random.Random(f"{obj['kind']}-mutations")
    disagreements = []
    invalid = 0
    for mutated in _mutations(obj, rng, 250):
        expected = not list(validator.full.iter_errors(mutated))
        invalid += not expected
        if validator.valid(mutated) != expected:
            disagreements.append(mutated)
    assert not disagreements, disagreements[:2]
    assert invalid > 60  # the mutations exercise the invalid side too


def test_every_bundled_builtin_kind_gets_a_quick_check(schemas: KubeSchemas) -> None:
    for api_version, kind in [("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "Pod"),
                              ("apps/v1", "StatefulSet"), ("batch/v1", "CronJob"),
                              ("networking.k8s.io/v1", "Ingress"),
                              ("autoscaling/v2", "HorizontalPodAutoscaler"),
                              ("rbac.authorization.k8s.io/v1", "ClusterRole"),
                              ("policy/v1", "PodDisruptionBudget")]:
        validator = schemas.validator(api_version, kind)
        assert validator is not None, kind
        assert validator.valid is not None, kind


def test_a_keyword_outside_the_subset_gives_no_quick_check() -> None:
    assert Compiler({}).compile({"type": "object", "patternProperties": {"^x": {}}}) is None
    assert Compiler({}).compile({"type": "string", "minLength": 3}) is None
    assert Compiler({}).compile({"$ref": "other.json#/x"}) is None


def test_recursive_references_and_json_equality() -> None:
    tree = {"$id": "https://example.com/tree.json", "$defs": {"node": {
        "type": "object", "additionalProperties": False,
        "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                       "flag": {"enum": [1, "on"]}}}}}
    check = Compiler({"https://example.com/tree.json": tree}).compile(
        {"$id": "https://example.com/root.json", "$ref": "tree.json#/$defs/node"})
    assert check is not None
    assert check({"kids": [{"kids": []}, {"flag": 1}]})
    assert not check({"kids": [{"kids": [{"other": 1}]}]})
    assert not check({"flag": True})  # true is not 1 in JSON Schema
    full = jsonschema.Draft202012Validator({"enum": [1, "on"]})
    assert not full.is_valid(True)

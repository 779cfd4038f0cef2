"""The cluster generator: one param set per cluster Argo CD knows, plus `in-cluster`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoplane.argocd.generators.base import Cluster, GeneratorContext, ParamSet
from argoplane.argocd.generators.params import (
    append_values,
    compile_selector,
    sanitize_name,
    string_map,
)
from argoplane.core.errors import GeneratorError

IN_CLUSTER_NAME = "in-cluster"
IN_CLUSTER_SERVER = "https://kubernetes.default.svc"
SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"
SECRET_TYPE_CLUSTER = "cluster"


def secret_labels(cluster: Cluster) -> dict[str, str]:
    """The labels of the cluster's Secret. Every cluster Secret carries
    `argocd.argoproj.io/secret-type: cluster`; a configured cluster that does not list it
    gets it, as its Secret in Argo CD would have it."""
    labels = dict(cluster.labels)
    labels.setdefault(SECRET_TYPE_LABEL, SECRET_TYPE_CLUSTER)
    return labels


def cluster_params(cluster: Cluster, go_template: bool) -> ParamSet:
    """The params of one cluster Secret (`getClusterParameters`)."""
    params: ParamSet = {
        "name": cluster.name,
        "nameNormalized": sanitize_name(cluster.name),
        "server": cluster.server,
        "project": cluster.project or "",
    }
    labels = secret_labels(cluster)
    annotations = dict(cluster.annotations)
    if go_template:
        meta: dict[str, Any] = {}
        if annotations:
            meta["annotations"] = annotations
        if labels:
            meta["labels"] = labels
        params["metadata"] = meta
    else:
        for key, value in annotations.items():
            params[f"metadata.annotations.{key}"] = value
        for key, value in labels.items():
            params[f"metadata.labels.{key}"] = value
    return params


def generate(spec: Mapping[str, Any], ctx: GeneratorContext) -> list[ParamSet]:
    selector = spec.get("selector")
    if selector is None:
        selector = {}
    if not isinstance(selector, Mapping):
        raise GeneratorError("clusters generator: `selector` must be a label selector object",
                             file=ctx.file)
    # a non-empty selector drops the local cluster: it has no Secret, hence no labels
    ignore_local = bool(selector.get("matchExpressions")) or bool(selector.get("matchLabels"))
    try:
        matches = compile_selector(selector)
    except GeneratorError as exc:
        raise GeneratorError(f"error getting cluster secrets: error converting label selector: "
                             f"{exc.message}", file=ctx.file) from None
    values = string_map(spec.get("values"), "clusters generator: values")
    flat = spec.get("flatList")

    # Secrets are collected by cluster name: a later Secret with the same name replaces an
    # earlier one. Argo's order is Go map order (random); argoplane keeps the given order.
    secrets: dict[str, Cluster] = {}
    for cluster in ctx.clusters:
        labels = secret_labels(cluster)
        if labels.get(SECRET_TYPE_LABEL) != SECRET_TYPE_CLUSTER or not matches(labels):
            continue
        secrets[cluster.name] = cluster

    out: list[ParamSet] = []
    for cluster in secrets.values():
        params = cluster_params(cluster, ctx.go_template)
        out.append(_with_values(values, params, ctx, "cluster"))
    if not ignore_local and not any(c.server == IN_CLUSTER_SERVER for c in secrets.values()):
        params = {"name": IN_CLUSTER_NAME, "nameNormalized": IN_CLUSTER_NAME,
                  "server": IN_CLUSTER_SERVER, "project": ""}
        out.append(_with_values(values, params, ctx, "local cluster"))
    if flat is True:
        return [{"clusters": out}]
    return out


def _with_values(values: Mapping[str, str], params: ParamSet, ctx: GeneratorContext,
                 what: str) -> ParamSet:
    try:
        return append_values(values, params, ctx.go_template, ctx.go_template_options)
    except GeneratorError as exc:
        raise GeneratorError(f"error appending templated values for {what}: {exc.message}",
                             file=ctx.file) from None

"""Evaluators for the glob and AppProject permission vectors (glob.json,
project_permissions.json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from argoplane.argocd.glob import gobwas_match
from argoplane.argocd.projects import (
    destination_permitted,
    glob_match_list,
    group_kind_permitted,
    project_glob_match,
    source_permitted,
)


def _separators(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return "".join(str(v) for v in value)


def _glob_match(inp: dict[str, Any]) -> dict[str, Any]:
    return {"match": gobwas_match(inp["pattern"], inp["text"], _separators(inp.get("separators")))}


def _glob_match_list(inp: dict[str, Any]) -> dict[str, Any]:
    return {"match": glob_match_list(inp["list"] or [], inp["item"], inp["mode"])}


def _source_permitted(inp: dict[str, Any]) -> dict[str, Any]:
    return {"permitted": source_permitted(inp.get("sourceRepos") or [], inp["repoURL"])}


def _destination_permitted(inp: dict[str, Any]) -> dict[str, Any]:
    cluster = inp.get("cluster") or {}
    permitted = destination_permitted(
        inp.get("destinations") or [],
        cluster.get("server") or "",
        cluster.get("name") or "",
        inp.get("namespace") or "",
        permit_only_project_scoped_clusters=bool(inp.get("permitOnlyProjectScopedClusters")),
        project_clusters=inp.get("projectClusters") or [],
    )
    return {"permitted": permitted}


def _group_kind_permitted(inp: dict[str, Any]) -> dict[str, Any]:
    permitted = group_kind_permitted(
        inp.get("project_spec") or {},
        inp.get("group") or "",
        inp["kind"],
        inp.get("name") or "",
        bool(inp["namespaced"]),
    )
    return {"permitted": permitted}


def _project_glob_match(inp: dict[str, Any]) -> dict[str, Any]:
    match = project_glob_match(inp["pattern"], inp["value"], bool(inp.get("allowNegation")))
    return {"match": match}


KINDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "glob_match": _glob_match,
    "glob_match_list": _glob_match_list,
    "source_permitted": _source_permitted,
    "destination_permitted": _destination_permitted,
    "group_kind_permitted": _group_kind_permitted,
    "project_glob_match": _project_glob_match,
}

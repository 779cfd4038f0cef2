"""AP001: Argo CD manifests that the API server would refuse (schema, types, unknown fields)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from argoplane.argocd.objects import argo_kind, name_of
from argoplane.checks.context import LintContext
from argoplane.checks.locate import field_line
from argoplane.checks.model import Hit, Rule
from argoplane.checks.schema.argocd import SCHEMAS
from argoplane.checks.schema.nodes import Problem, check
from argoplane.render.model import RenderedApp

API_VERSION = "argoproj.io/v1alpha1"


def problems(kind: str, manifest: Mapping[str, Any]) -> list[Problem]:
    """Why the API server would refuse this Argo CD manifest (empty when it is valid)."""
    out = check(SCHEMAS[kind], manifest)
    if manifest.get("apiVersion") != API_VERSION:
        out.insert(0, Problem(("apiVersion",), f"{kind} is served as {API_VERSION}, not "
                                               f"{manifest.get('apiVersion')!r}"))
    return out


def _message(kind: str, manifest: Mapping[str, Any], problem: Problem) -> str:
    name = name_of(manifest) or "(unnamed)"
    return f"{kind} {name}: {problem.where}: {problem.message}"


def _check(ctx: LintContext) -> Iterator[Hit]:
    apps: dict[tuple[str, str], RenderedApp] = {
        (a.file, a.name): a for a in ctx.tree.apps if a.file is not None}
    for c in ctx.candidates:
        found = problems(c.kind, c.manifest)
        if not found:
            continue
        doc = ctx.locator.document(c.file, index=c.index)
        app = apps.get((c.file, name_of(c.manifest))) if c.kind == "Application" else None
        for problem in found:
            line = field_line(doc, problem.path) if doc is not None else None
            yield Hit(_message(c.kind, c.manifest, problem), app=app, file=c.file, line=line,
                      manifest=c.manifest)
    # Argo CD manifests produced by templates (Helm App-of-Apps) are not files of the repo
    for app in ctx.tree.apps:
        for res in app.resources:
            kind = argo_kind(res.manifest)
            if kind is None or ctx.resource_site(res).line is not None:
                continue
            for problem in problems(kind, res.manifest):
                yield Hit(_message(kind, res.manifest, problem), app=app, file=res.origin,
                          manifest=res.manifest)


RULES = [
    Rule(
        "AP001", "argocd-schema", "Argo CD manifest does not match its schema", "error",
        """An Application, ApplicationSet or AppProject has a field the API does not know (often
a typo such as `targetRevison`), a value of the wrong type (`targetRevision: 1.10` is a number
in YAML, and `revisionHistoryLimit: "3"` a string), or lacks a required field (`spec.project`,
`spec.destination`, a source's `repoURL`, `metadata.name`). The Kubernetes API server refuses
the whole object, so Argo CD never sees it, or the App-of-Apps that deploys it fails to sync.

Fix: correct the field named in the message; quote values that must be strings, and write
numbers and booleans without quotes where the API expects them.""",
        _check,
    ),
]

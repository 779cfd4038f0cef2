"""AP009: secrets committed in plaintext: Secret manifests, `*.secrets.yaml`, `secrets://`
files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from argoplane.argocd.objects import name_of, sources_of
from argoplane.checks.context import LintContext
from argoplane.checks.model import Hit, Rule
from argoplane.checks.rules.values import chart_folder, ref_roots
from argoplane.core import yamlio
from argoplane.core.errors import ArgoplaneError
from argoplane.render.discover import manifest_files
from argoplane.render.helm.source import argocd_env
from argoplane.render.helm.values import SECRETS_SCHEME, resolve_value_files
from argoplane.render.model import RenderedApp

SECRETS_FILE = re.compile(r"^(?:.+\.secrets|secrets|secrets\..+)\.(?:ya?ml|json)$")


def is_sops_encrypted(data: Any) -> bool:
    """A SOPS document: a top-level `sops` mapping with its `mac`."""
    return isinstance(data, Mapping) and isinstance(data.get("sops"), Mapping) and bool(
        data["sops"].get("mac"))


def _has_value(data: Any) -> bool:
    if isinstance(data, Mapping):
        return any(_has_value(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_value(v) for v in data)
    return data is not None and data != ""


def _load(ctx: LintContext, file: str) -> list[Any] | None:
    try:
        text = ctx.snapshot.read_text(file)
        if file.endswith(".json"):
            return [yamlio.load_json_or_yaml(text, file)]
        return yamlio.load_all(text, file)
    except ArgoplaneError:
        return None


def _plaintext_secret(doc: Any) -> bool:
    if not isinstance(doc, Mapping) or doc.get("kind") != "Secret" or doc.get("apiVersion") != "v1":
        return False
    return not is_sops_encrypted(doc) and (_has_value(doc.get("data"))
                                           or _has_value(doc.get("stringData")))


def _secret_manifests(ctx: LintContext, files: list[str]) -> Iterator[Hit]:
    for file in files:
        if SECRETS_FILE.match(posixpath.basename(file)):
            continue
        try:
            text = ctx.snapshot.read_text(file)
        except ArgoplaneError:
            continue
        if "Secret" not in text:
            continue
        docs = _load(ctx, file) or []
        for index, doc in enumerate(docs):
            if not _plaintext_secret(doc):
                continue
            field = "stringData" if _has_value(doc.get("stringData")) else "data"
            name = name_of(doc) or "(unnamed)"
            yield Hit(f"Secret {name} is committed with its values in plaintext ({field}); "
                      "anyone who can read the repository can read it", None, file,
                      ctx.locator.line(file, (field,), index=index), manifest=doc)


def _referenced(ctx: LintContext) -> dict[str, list[RenderedApp]]:
    """Repository files referenced as `secrets://` value files -> the apps referencing them."""
    out: dict[str, list[RenderedApp]] = {}
    for app in ctx.tree.apps:
        sources = sources_of(app.manifest)
        refs = ref_roots(ctx, sources)
        for source in sources:
            helm = source.get("helm")
            entries = helm.get("valueFiles") if isinstance(helm, Mapping) else None
            if not isinstance(entries, list):
                continue
            folder = chart_folder(ctx, source)
            for entry in entries:
                text = str(entry)
                if not SECRETS_SCHEME.match(text) or (folder is None and "$" not in text):
                    continue
                try:
                    files = resolve_value_files(
                        [text], app_dir=folder or ctx.snapshot.root, repo_root=ctx.snapshot.root,
                        env=argocd_env(app.manifest, source), refs=refs,
                        allowed_schemes=ctx.snapshot.config.values_file_schemes,
                        ignore_missing=True, realpaths=ctx.snapshot.realpaths)
                except ArgoplaneError:
                    continue
                for vf in files:
                    if vf.path is not None and vf.path.is_file():
                        rel = ctx.snapshot.relpath(vf.path)
                        apps = out.setdefault(rel, [])
                        if app not in apps:
                            apps.append(app)
    return out


def _secret_files(ctx: LintContext, files: list[str]) -> Iterator[Hit]:
    referenced = _referenced(ctx)
    candidates = [f for f in files if SECRETS_FILE.match(posixpath.basename(f))]
    candidates += [f for f in referenced if f not in candidates]
    for file in sorted(candidates):
        docs = _load(ctx, file)
        if docs is None or any(is_sops_encrypted(d) for d in docs):
            continue
        if not any(_has_value(d) for d in docs):
            continue
        apps = referenced.get(file, [])
        how = (f"; referenced as secrets:// by {len(apps)} Application"
               f"{'s' if len(apps) != 1 else ''}" if apps else "")
        first = docs[0] if isinstance(docs[0], Mapping) else None
        yield Hit(f"{posixpath.basename(file)} holds secret values in plaintext, not "
                  f"SOPS-encrypted{how}",
                  apps[0] if apps else None, file, ctx.locator.line(file), manifest=first)


def _check(ctx: LintContext) -> Iterator[Hit]:
    files = manifest_files(ctx.snapshot)
    yield from _secret_manifests(ctx, files)
    yield from _secret_files(ctx, files)


RULES = [
    Rule(
        "AP009", "plaintext-secret", "Plaintext secret in Git", "error",
        """A secret is committed in plaintext: a Kubernetes `Secret` manifest with `data` or
`stringData`, a `*.secrets.yaml` (or `secrets.yaml`, `secrets.*.yaml`) file, or a file an
Application reads through helm-secrets' `secrets://` scheme, that is not SOPS-encrypted (a SOPS
file has a top-level `sops` block with a `mac`). Everyone with read access to the repository, its
forks and CI caches can read the values, and Git keeps them in history.

Fix: encrypt the file with SOPS (`sops --encrypt --in-place FILE`, with the age or KMS keys of
`.sops.yaml`), or replace the Secret with a SealedSecret or an ExternalSecret; then rotate the
exposed values, since they stay in the Git history.""",
        _check,
    ),
]

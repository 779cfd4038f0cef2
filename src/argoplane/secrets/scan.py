"""What the secrets rules look at, read from a repository and its rendered tree."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from argoplane.argocd.objects import Destination, sources_of
from argoplane.core import command
from argoplane.core.errors import ArgoplaneError, InputError, ToolError
from argoplane.core.snapshot import Snapshot
from argoplane.render.helm.source import argocd_env
from argoplane.render.helm.values import SECRETS_SCHEME, resolve_value_files
from argoplane.render.model import RenderedTree
from argoplane.secrets import keys, sealed
from argoplane.secrets.checks import (
    DeployedSealedSecret,
    Finding,
    RepoFile,
    ValueFileRef,
    check_all,
)

MAX_BYTES = 1 << 20  # larger files are not text a person wrote
SKIP_DIRS = frozenset({".git", ".argoplane", "node_modules", ".venv", "__pycache__"})


def _git_files(root: Path) -> list[str] | None:
    """Files Git tracks or would add (ignored ones left out), relative to `root`."""
    try:
        inside = command.run(["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
                             timeout=10).stdout.strip()
        if inside != "true":
            return None
        out = command.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others",
                           "--exclude-standard"], timeout=60).stdout
    except ToolError:
        return None
    return sorted({p for p in out.split("\0") if p})


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        rel = os.path.relpath(folder, root)
        found += [n if rel == "." else f"{Path(rel).as_posix()}/{n}" for n in sorted(names)]
    return found


def repo_files(snapshot: Snapshot) -> list[RepoFile]:
    """The repository's files (what Git would commit, when it is a Git checkout), with their
    text when they are UTF-8 text of a reasonable size."""
    paths = _git_files(snapshot.root)
    if paths is None:
        paths = _walk(snapshot.root)
    out: list[RepoFile] = []
    for rel in paths:
        path = snapshot.root / rel
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
                out.append(RepoFile(rel))
                continue
            data = path.read_bytes()
        except OSError:
            out.append(RepoFile(rel))
            continue
        try:
            text = None if b"\0" in data else data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        out.append(RepoFile(rel, text))
    return out


def value_refs(snapshot: Snapshot, tree: RenderedTree) -> list[ValueFileRef]:
    """Every value file the rendered Applications' Helm sources reference in this repository."""
    out: dict[tuple[str, str, str | None], ValueFileRef] = {}
    root = snapshot.root
    for app in tree.apps:
        sources = sources_of(app.manifest)
        refs = {f"${s['ref']}": root for s in sources
                if s.get("ref") and snapshot.is_this_repo(str(s.get("repoURL") or ""))}
        for source in sources:
            helm = source.get("helm")
            entries = helm.get("valueFiles") if isinstance(helm, Mapping) else None
            if not isinstance(entries, list) or not entries:
                continue
            assert isinstance(helm, Mapping)
            local = not source.get("chart") and snapshot.is_this_repo(
                str(source.get("repoURL") or ""))
            try:
                chart_dir = snapshot.resolve(str(source.get("path") or "")) if local else root
            except ArgoplaneError:
                continue
            env = argocd_env(app.manifest, source)
            optional = bool(helm.get("ignoreMissingValueFiles"))
            for entry in (str(e) for e in entries):
                if not local and not any(entry.split("://", 1)[-1].startswith(r) for r in refs):
                    continue  # relative to a remote chart: not a file of this repository
                is_secret = SECRETS_SCHEME.match(entry) is not None
                try:
                    resolved = resolve_value_files(
                        [entry], app_dir=chart_dir, repo_root=root, env=env,
                        allowed_schemes=snapshot.config.values_file_schemes, refs=refs,
                        realpaths=snapshot.realpaths)
                except ArgoplaneError:
                    if is_secret:
                        out[(app.name, entry, None)] = ValueFileRef(
                            app.name, entry, None, False, True, optional)
                    continue
                for vf in resolved:
                    if vf.path is None:
                        continue
                    rel = snapshot.relpath(vf.path)
                    exists = vf.path.is_file() and not vf.missing
                    out[(app.name, entry, rel)] = ValueFileRef(app.name, entry, rel, exists,
                                                               vf.secrets, optional)
    return list(out.values())


def deployed_sealed(tree: RenderedTree) -> list[DeployedSealedSecret]:
    out: list[DeployedSealedSecret] = []
    for app in tree.apps:
        dest = Destination.of(app.manifest)
        for r in app.resources:
            if sealed.is_sealed_secret(r.manifest):
                out.append(DeployedSealedSecret(
                    app.name, r.origin, r.manifest, r.namespace, dest.namespace,
                    dest.name or dest.server, app.generated_by))
    return out


def cert_sizes(snapshot: Snapshot) -> dict[str, int]:
    """Cluster -> RSA modulus bytes of the certificate `.argoplane.yaml` configures for it
    (an expired certificate still says which key sealed the existing values)."""
    sizes: dict[str, int] = {}
    for cluster, rel in snapshot.config.sealed_secrets_certs.items():
        path = snapshot.root / rel
        try:
            data = path.read_bytes()
        except OSError:
            raise InputError(f"secrets.sealedSecrets.certs.{cluster}: cannot read {rel}",
                             file=".argoplane.yaml") from None
        blocks = [b for kind, b in keys.pem_blocks(data) if kind == "CERTIFICATE"]
        key: Any = None
        if blocks:
            try:
                key = x509.load_pem_x509_certificate(blocks[0]).public_key()
            except ValueError:
                key = None
        if not isinstance(key, rsa.RSAPublicKey):
            raise InputError(f"secrets.sealedSecrets.certs.{cluster}: {rel} is not an RSA "
                             "certificate", file=".argoplane.yaml")
        sizes[cluster] = keys.modulus_bytes(key)
    return sizes


def check_repository(snapshot: Snapshot, tree: RenderedTree) -> list[Finding]:
    """Every secrets rule (AP020-AP029) over a repository and its rendered tree."""
    return check_all(repo_files(snapshot), value_refs(snapshot, tree), deployed_sealed(tree),
                     cert_sizes(snapshot))

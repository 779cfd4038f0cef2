"""`secrets seal` and `secrets verify` inputs: Secrets from files or literals, the controller's
certificate from a file or `.argoplane.yaml`, key files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from argoplane.core import yamlio
from argoplane.core.config import CONFIG_FILE, Config
from argoplane.core.errors import InputError
from argoplane.secrets import keys, sealed
from argoplane.secrets.sealed import Scope, SealRequest


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=str(path)) from None


def certificate(cert: Path | None, cluster: str | None, root: Path, config: Config,
                now: datetime) -> tuple[rsa.RSAPublicKey, str]:
    """The controller's public key and where it came from: `--cert`, else the certificate
    `.argoplane.yaml` configures for `--cluster` (or its only one)."""
    if cert is not None:
        return keys.load_certificate(read_bytes(cert), str(cert), now), str(cert)
    certs = config.sealed_secrets_certs
    if cluster is None:
        if len(certs) != 1:
            choices = f" (configured: {', '.join(sorted(certs))})" if certs else ""
            raise InputError("no certificate: pass --cert CERT.pem, or --cluster NAME with "
                             f"secrets.sealedSecrets.certs in {CONFIG_FILE}{choices}")
        cluster = next(iter(certs))
    if cluster not in certs:
        raise InputError(f"--cluster {cluster}: no secrets.sealedSecrets.certs entry for it in "
                         f"{root / CONFIG_FILE}")
    path = root / certs[cluster]
    label = f"{certs[cluster]} (cluster {cluster})"
    return keys.load_certificate(read_bytes(path), label, now), label


def private_keys(paths: Sequence[Path]) -> list[rsa.RSAPrivateKey]:
    found: list[rsa.RSAPrivateKey] = []
    for path in paths:
        found += keys.load_private_keys(read_bytes(path), str(path))
    return found


def literal_items(literals: Sequence[str], files: Sequence[str]) -> dict[str, bytes]:
    """`--from-literal key=value` and `--from-file [key=]path`, as kubectl reads them."""
    items: dict[str, bytes] = {}
    for literal in literals:
        key, sep, value = literal.partition("=")
        if not sep or not key:
            raise InputError(f"--from-literal {key or literal}: expected KEY=VALUE")
        items[key] = value.encode()
    for spec in files:
        key, sep, source = spec.partition("=")
        if not sep:
            key, source = Path(spec).name, spec
        if not key or not source:
            raise InputError(f"--from-file {spec}: expected [KEY=]PATH")
        items[key] = read_bytes(Path(source))
    return items


def requests_from_file(text: str, file: str, *, scope: Scope | None, name: str | None,
                       namespace: str | None) -> list[SealRequest]:
    docs = [d for d in yamlio.load_all(text, file) if isinstance(d, dict)]
    secrets: list[Any] = []
    for doc in docs:
        if doc.get("kind") == "List":
            secrets += [i for i in doc.get("items") or [] if isinstance(i, dict)]
        else:
            secrets.append(doc)
    secrets = [s for s in secrets if s.get("kind") == "Secret"]
    if not secrets:
        raise InputError("no Secret found", file=file)
    if name and len(secrets) > 1:
        raise InputError("--name with several Secrets in one file", file=file)
    return [SealRequest.from_secret(s, file, scope=scope, name=name, namespace=namespace)
            for s in secrets]


def load_sealed(path: Path) -> list[dict[str, Any]]:
    text = read_bytes(path).decode("utf-8", errors="replace")
    docs = [d for d in yamlio.load_all(text, str(path)) if sealed.is_sealed_secret(d)]
    if not docs:
        raise InputError("no SealedSecret found", file=str(path))
    return docs


def merge_request(original: dict[str, Any], request: SealRequest, explicit_scope: Scope | None,
                  file: str) -> SealRequest:
    """The request resealed for `original`'s name, namespace and scope (as kubeseal
    --merge-into does); a different explicit --scope is refused."""
    meta = original.get("metadata") or {}
    scope = sealed.sealed_scope(original)
    if explicit_scope is not None and explicit_scope is not scope:
        raise InputError(f"--scope {explicit_scope}: the SealedSecret is {scope}; its items "
                         "must be sealed the same way", file=file)
    request.name = str(meta.get("name") or request.name)
    request.namespace = str(meta.get("namespace") or request.namespace)
    request.scope = scope
    return request


def seal_raw(requests: Sequence[SealRequest], public_key: rsa.RSAPublicKey) -> str:
    """kubeseal --raw: one value sealed for the request's label, as base64."""
    if len(requests) != 1 or len(requests[0].items) != 1:
        raise InputError("--raw seals exactly one value (one --from-literal or --from-file)")
    (request,) = requests
    if request.scope is not Scope.CLUSTER_WIDE and not request.namespace:
        raise InputError(f"--raw with {request.scope} scope needs --namespace")
    if request.scope is Scope.STRICT and not request.name:
        raise InputError("--raw with strict scope needs --name")
    (value,) = request.items.values()
    return sealed.encode(sealed.seal_value(public_key, value, request.label))


def seal_into(path: Path, requests: Sequence[SealRequest], explicit_scope: Scope | None,
              public_key: rsa.RSAPublicKey, key_files: Sequence[Path]
              ) -> tuple[dict[str, Any], list[str], list[str]]:
    """kubeseal --merge-into: the merged SealedSecret, the items sealed anew, and the items
    whose ciphertext was kept because their value did not change (known with `key_files`)."""
    if len(requests) != 1:
        raise InputError("--merge-into takes exactly one Secret")
    text = read_bytes(path).decode("utf-8", errors="replace")
    docs = yamlio.load_all(text, str(path))
    if len(docs) != 1 or not sealed.is_sealed_secret(docs[0]):
        raise InputError("--merge-into needs a file holding exactly one SealedSecret (it would "
                         "be rewritten whole)", file=str(path))
    original = docs[0]
    request = merge_request(original, requests[0], explicit_scope, str(path))
    keep = sealed.unchanged_items(original, request.items, private_keys(key_files))
    merged = sealed.merge(original, sealed.seal(request, public_key), keep)
    return merged, sorted(set(request.items) - keep), sorted(keep)


def seal_requests(secret_text: str | None, file: str | None, *, name: str | None,
                  namespace: str | None, scope: Scope | None, secret_type: str | None,
                  literals: Sequence[str], files: Sequence[str], raw: bool
                  ) -> list[SealRequest]:
    """What to seal: the Secrets of a file (or stdin), or one built from literals and files
    as `kubectl create secret generic` would."""
    if secret_text is not None and (literals or files):
        raise InputError("give either SECRET.yaml or --from-literal/--from-file, not both")
    if secret_text is None:
        items = literal_items(literals, files)
        if not items:
            raise InputError("nothing to seal: give SECRET.yaml or --from-literal/--from-file")
        return [SealRequest(name=name or "", namespace=namespace or "", items=items,
                            scope=scope or Scope.STRICT,
                            type=None if raw else (secret_type or "Opaque"))]
    return requests_from_file(secret_text, file or "-", scope=scope, name=name,
                              namespace=namespace)

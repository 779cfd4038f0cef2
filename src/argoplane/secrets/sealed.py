"""The Sealed Secrets format, as the controller reads and kubeseal writes it.

Each item of `spec.encryptedData` is base64 (standard alphabet) of:
    2-byte big-endian length N | RSA-OAEP(SHA-256) of a fresh 32-byte AES key (N bytes)
    | AES-256-GCM of the value with a zero 12-byte nonce (ciphertext and 16-byte tag).
The OAEP label binds the item to where it may be unsealed: `namespace/name` (strict),
`namespace` (namespace-wide) or empty (cluster-wide). The scope comes from the SealedSecret's
own annotations, and an annotation counts only when its value is exactly "true".
"""

from __future__ import annotations

import base64
import binascii
import copy
import os
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from argoplane.core.errors import InputError
from argoplane.secrets.keys import modulus_bytes

API_GROUP = "bitnami.com"
API_VERSION = "bitnami.com/v1alpha1"
KIND = "SealedSecret"
CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide"
NAMESPACE_WIDE = "sealedsecrets.bitnami.com/namespace-wide"
SCOPE_ANNOTATIONS = (CLUSTER_WIDE, NAMESPACE_WIDE)
SESSION_KEY_BYTES = 32
NONCE = bytes(12)
GCM_TAG_BYTES = 16
LAST_APPLIED = ("kubectl.kubernetes.io/last-applied-configuration",
                "kubecfg.ksonnet.io/last-applied-configuration")
READ_ONLY_META = ("selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
                  "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
                  "managedFields")


class Scope(StrEnum):
    STRICT = "strict"
    NAMESPACE_WIDE = "namespace-wide"
    CLUSTER_WIDE = "cluster-wide"


class SealedSecretError(InputError):
    """A SealedSecret or a sealed value that cannot be used."""


class MalformedItem(ValueError):
    """An encryptedData item that is not in the sealed format at all."""


def scope_of(annotations: Any) -> Scope:
    """The scope the controller derives from annotations: only the exact string "true" counts,
    cluster-wide first."""
    annotations = annotations if isinstance(annotations, Mapping) else {}
    if annotations.get(CLUSTER_WIDE) == "true":
        return Scope.CLUSTER_WIDE
    if annotations.get(NAMESPACE_WIDE) == "true":
        return Scope.NAMESPACE_WIDE
    return Scope.STRICT


def label_for(scope: Scope, namespace: str, name: str) -> bytes:
    if scope is Scope.CLUSTER_WIDE:
        return b""
    if scope is Scope.NAMESPACE_WIDE:
        return namespace.encode()
    return f"{namespace}/{name}".encode()


def with_scope(annotations: Mapping[str, Any] | None, scope: Scope) -> dict[str, Any]:
    """Annotations that say `scope`: both scope annotations removed, the right one set."""
    out = {k: v for k, v in (annotations or {}).items() if k not in SCOPE_ANNOTATIONS}
    if scope is Scope.NAMESPACE_WIDE:
        out[NAMESPACE_WIDE] = "true"
    elif scope is Scope.CLUSTER_WIDE:
        out[CLUSTER_WIDE] = "true"
    return out


def _oaep(label: bytes) -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(),
                        label=label or None)


# -- one item ---------------------------------------------------------------------------------
def seal_value(public_key: rsa.RSAPublicKey, plaintext: bytes, label: bytes) -> bytes:
    session_key = os.urandom(SESSION_KEY_BYTES)
    wrapped = public_key.encrypt(session_key, _oaep(label))
    return struct.pack(">H", len(wrapped)) + wrapped + AESGCM(session_key).encrypt(
        NONCE, plaintext, None)


def encode(blob: bytes) -> str:
    return base64.b64encode(blob).decode("ascii")


def decode(text: Any) -> bytes:
    """An item's bytes; base64 with the standard alphabet and padding, as Go decodes it."""
    if not isinstance(text, str):
        raise MalformedItem("is not a string")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedItem("is not valid base64") from None


@dataclass(frozen=True)
class Parts:
    wrapped_key: bytes  # RSA-OAEP of the session key
    ciphertext: bytes  # AES-GCM ciphertext and tag


def split(blob: bytes) -> Parts:
    """The two parts of a sealed value; MalformedItem when the length prefix does not fit."""
    if len(blob) < 2:
        raise MalformedItem(f"is {len(blob)} bytes, too short to hold a length prefix")
    (size,) = struct.unpack(">H", blob[:2])
    if len(blob) < 2 + size:
        raise MalformedItem(f"its length prefix says {size} bytes of wrapped key but only "
                            f"{len(blob) - 2} bytes follow")
    parts = Parts(blob[2:2 + size], blob[2 + size:])
    if len(parts.ciphertext) < GCM_TAG_BYTES:
        raise MalformedItem(f"has {len(parts.ciphertext)} bytes after the wrapped key, fewer "
                            f"than the {GCM_TAG_BYTES}-byte AES-GCM tag")
    return parts


class UnsealFailed(Exception):
    """An item that the controller would not unseal; the message says why."""


def _unwrap(keys: Sequence[rsa.RSAPrivateKey], wrapped: bytes, label: bytes) -> bytes | None:
    for key in keys:
        try:
            return key.decrypt(wrapped, _oaep(label))
        except ValueError:
            continue
    return None


def unseal_value(keys: Sequence[rsa.RSAPrivateKey], blob: bytes, label: bytes) -> bytes:
    """The plaintext, as the controller computes it (every key tried in turn)."""
    try:
        parts = split(blob)
    except MalformedItem as exc:
        raise UnsealFailed(f"malformed: {exc}") from None
    sizes = {modulus_bytes(k) for k in keys}
    if len(parts.wrapped_key) not in sizes:
        raise UnsealFailed(
            f"its wrapped key is {len(parts.wrapped_key)} bytes but the key(s) given make "
            f"{'/'.join(str(s) for s in sorted(sizes))}-byte ones: sealed with another key")
    session_key = _unwrap(keys, parts.wrapped_key, label)
    if session_key is None:
        raise UnsealFailed("the wrapped key does not open with the key(s) given for label "
                           f"{label.decode(errors='replace')!r}")
    try:
        return AESGCM(session_key).decrypt(NONCE, parts.ciphertext, None)
    except (InvalidTag, ValueError):
        raise UnsealFailed("the encrypted value was changed after sealing (AES-GCM "
                           "authentication failed)") from None


# -- SealedSecret manifests ---------------------------------------------------------------------
def is_sealed_secret(manifest: Any) -> bool:
    if not isinstance(manifest, Mapping) or manifest.get("kind") != KIND:
        return False
    api_version = str(manifest.get("apiVersion") or "")
    return api_version.split("/", 1)[0] == API_GROUP


def _meta(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = manifest.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def template_meta(sealed: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = sealed.get("spec")
    template = spec.get("template") if isinstance(spec, Mapping) else None
    meta = template.get("metadata") if isinstance(template, Mapping) else None
    return meta if isinstance(meta, Mapping) else {}


def encrypted_data(sealed: Mapping[str, Any]) -> dict[str, Any]:
    spec = sealed.get("spec")
    data = spec.get("encryptedData") if isinstance(spec, Mapping) else None
    return dict(data) if isinstance(data, Mapping) else {}


def sealed_scope(sealed: Mapping[str, Any]) -> Scope:
    """The scope the controller unseals with: from the SealedSecret's own metadata."""
    return scope_of(_meta(sealed).get("annotations"))


def sealed_label(sealed: Mapping[str, Any], namespace: str | None = None) -> bytes:
    """The OAEP label the controller uses; `namespace` stands in when the manifest has none
    (Argo CD puts it in the destination namespace)."""
    meta = _meta(sealed)
    ns = str(meta.get("namespace") or namespace or "")
    return label_for(sealed_scope(sealed), ns, str(meta.get("name") or ""))


def secret_items(secret: Mapping[str, Any], file: str) -> dict[str, bytes]:
    """A Secret's values: `data` (base64) then `stringData` (wins, as in Kubernetes)."""
    items: dict[str, bytes] = {}
    data = secret.get("data") or {}
    string_data = secret.get("stringData") or {}
    if not isinstance(data, Mapping) or not isinstance(string_data, Mapping):
        raise SealedSecretError("data and stringData must be mappings", file=file)
    for key, value in data.items():
        try:
            items[str(key)] = base64.b64decode(str(value), validate=True)
        except (binascii.Error, ValueError):
            raise SealedSecretError(f"data.{key} is not valid base64", file=file) from None
    for key, value in string_data.items():
        items[str(key)] = ("" if value is None else str(value)).encode()
    return items


def _sorted(value: Any) -> Any:
    """Keys in order, as kubeseal's output (JSON of Go maps and structs, turned into YAML)."""
    if isinstance(value, Mapping):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


@dataclass
class SealRequest:
    """A Secret to seal: where it goes, its metadata and its values."""

    name: str
    namespace: str
    items: dict[str, bytes] = field(repr=False)
    scope: Scope = Scope.STRICT
    labels: dict[str, Any] = field(default_factory=dict)
    annotations: dict[str, Any] = field(default_factory=dict)
    type: str | None = None
    immutable: bool | None = None
    extra_meta: dict[str, Any] = field(default_factory=dict)  # other template metadata

    @classmethod
    def from_secret(cls, secret: Mapping[str, Any], file: str, *, scope: Scope | None = None,
                    name: str | None = None, namespace: str | None = None) -> SealRequest:
        if secret.get("kind") != "Secret" or str(secret.get("apiVersion") or "v1") != "v1":
            raise SealedSecretError("not a v1 Secret", file=file)
        meta = dict(_meta(secret))
        secret_ns = str(meta.get("namespace") or "")
        if namespace and secret_ns and namespace != secret_ns:
            raise SealedSecretError(f"namespace mismatch: the Secret is in {secret_ns!r} but "
                                    f"--namespace is {namespace!r}", file=file)
        annotations = {k: v for k, v in dict(meta.get("annotations") or {}).items()
                       if k not in LAST_APPLIED}
        chosen = scope if scope is not None else scope_of(annotations)
        extra = {k: v for k, v in meta.items() if k not in (
            "name", "namespace", "labels", "annotations", *READ_ONLY_META)}
        immutable = secret.get("immutable")
        return cls(
            name=str(name or meta.get("name") or ""),
            namespace=namespace or secret_ns,
            items=secret_items(secret, file),
            scope=chosen,
            labels=dict(meta.get("labels") or {}),
            annotations=annotations,
            type=str(secret["type"]) if secret.get("type") else None,
            immutable=immutable if isinstance(immutable, bool) else None,
            extra_meta=extra,
        )

    def check(self, file: str | None = None) -> None:
        if not self.name:
            raise SealedSecretError("the Secret has no name (metadata.name or --name)", file=file)
        if self.scope is not Scope.CLUSTER_WIDE and not self.namespace:
            raise SealedSecretError(f"a {self.scope} SealedSecret needs a namespace "
                                    "(metadata.namespace or --namespace)", file=file)
        if not self.items:
            raise SealedSecretError("the Secret has no data to seal", file=file)

    @property
    def label(self) -> bytes:
        return label_for(self.scope, self.namespace, self.name)


def seal(request: SealRequest, public_key: rsa.RSAPublicKey) -> dict[str, Any]:
    """A SealedSecret manifest in kubeseal's shape: scope annotations on the SealedSecret and
    in its template, the Secret's metadata in the template, every item sealed on its own."""
    request.check()
    label = request.label
    template_meta: dict[str, Any] = {**request.extra_meta, "creationTimestamp": None,
                                     "name": request.name}
    annotations = with_scope(request.annotations, request.scope)
    if annotations:
        template_meta["annotations"] = annotations
    if request.labels:
        template_meta["labels"] = request.labels
    if request.namespace:
        template_meta["namespace"] = request.namespace
    template: dict[str, Any] = {"metadata": template_meta}
    if request.type:
        template["type"] = request.type
    if request.immutable is not None:
        template["immutable"] = request.immutable
    meta: dict[str, Any] = {"creationTimestamp": None, "name": request.name}
    if request.namespace:
        meta["namespace"] = request.namespace
    top = with_scope(None, request.scope)
    if top:
        meta["annotations"] = top
    sealed = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": meta,
        "spec": {
            "encryptedData": {k: encode(seal_value(public_key, v, label))
                              for k, v in request.items.items()},
            "template": template,
        },
    }
    return _sorted(sealed)  # type: ignore[no-any-return]


def merge(original: Mapping[str, Any], update: Mapping[str, Any],
          keep: frozenset[str] = frozenset()) -> dict[str, Any]:
    """`original` with `update`'s items and template labels/annotations, as kubeseal
    --merge-into does; items in `keep` and items `update` does not have keep their ciphertext."""
    merged = copy.deepcopy(dict(original))
    spec = merged.setdefault("spec", {})
    data = spec.setdefault("encryptedData", {})
    for key, value in encrypted_data(update).items():
        if key not in keep or key not in data:
            data[key] = value
    template = spec.setdefault("template", {})
    tmeta = template.setdefault("metadata", {})
    new_meta = template_meta(update)
    for field_name in ("annotations", "labels"):
        if new_meta.get(field_name):
            tmeta[field_name] = {**(tmeta.get(field_name) or {}), **new_meta[field_name]}
    return _sorted(merged)  # type: ignore[no-any-return]


# -- unsealing, as the controller does it ---------------------------------------------------------
@dataclass(frozen=True)
class ItemResult:
    key: str
    value: bytes | None = field(default=None, repr=False)  # None when it did not unseal
    problem: str = ""


@dataclass(frozen=True)
class Unsealed:
    name: str
    namespace: str
    scope: Scope
    label: bytes
    items: tuple[ItemResult, ...]
    templated: tuple[str, ...]  # spec.template.data keys (Go templates over the items)
    secret: dict[str, Any] = field(repr=False)  # the Secret the controller would create

    @property
    def ok(self) -> bool:
        return all(i.value is not None for i in self.items) and bool(self.items)


def _scope_hint(manifest: Mapping[str, Any], keys: Sequence[rsa.RSAPrivateKey], blob: bytes,
                namespace: str, name: str) -> str:
    """Why a value does not unseal: when it opens under another scope, say which."""
    try:
        parts = split(blob)
    except MalformedItem:
        return ""
    actual = sealed_scope(manifest)
    annotations = _meta(manifest).get("annotations")
    annotations = annotations if isinstance(annotations, Mapping) else {}
    for scope in Scope:
        if scope is actual or _unwrap(keys, parts.wrapped_key,
                                      label_for(scope, namespace, name)) is None:
            continue
        hint = f"; it was sealed {scope}, but the SealedSecret's annotations make it {actual}"
        ignored = [f"{a}: {annotations[a]!r}" for a in SCOPE_ANNOTATIONS
                   if a in annotations and annotations[a] != "true"]
        if ignored:
            hint += (f" (the controller ignores {', '.join(ignored)}: only the exact string "
                     '"true" counts)')
        return hint
    return (": the name, namespace or scope differs from when it was sealed, it was sealed "
            "for another controller, or its wrapped key was changed")


def unseal(sealed: Mapping[str, Any], keys: Sequence[rsa.RSAPrivateKey],
           file: str | None = None, namespace: str | None = None) -> Unsealed:
    """Every item of a SealedSecret unsealed as the controller would, with a reason for each
    one that fails; `namespace` stands in for a manifest without one."""
    if not is_sealed_secret(sealed):
        raise SealedSecretError("not a SealedSecret (bitnami.com/v1alpha1)", file=file)
    if not keys:
        raise SealedSecretError("no private key given", file=file)
    meta = _meta(sealed)
    spec = sealed.get("spec") if isinstance(sealed.get("spec"), Mapping) else {}
    assert isinstance(spec, Mapping)
    if spec.get("data") is not None and not spec.get("encryptedData"):
        raise SealedSecretError("uses the deprecated spec.data format, which the controller "
                                "refuses by default; seal it again", file=file)
    name = str(meta.get("name") or "")
    ns = str(meta.get("namespace") or namespace or "")
    scope = sealed_scope(sealed)
    label = label_for(scope, ns, name)
    results: list[ItemResult] = []
    for key, text in sorted(encrypted_data(sealed).items()):
        try:
            blob = decode(text)
            results.append(ItemResult(str(key), unseal_value(keys, blob, label)))
        except MalformedItem as exc:
            results.append(ItemResult(str(key), problem=f"malformed: {exc}"))
        except UnsealFailed as exc:
            reason = str(exc)
            if reason.startswith("the wrapped key does not open"):
                reason += _scope_hint(sealed, keys, blob, ns, name)
            results.append(ItemResult(str(key), problem=reason))
    template = spec.get("template") if isinstance(spec.get("template"), Mapping) else {}
    assert isinstance(template, Mapping)
    templated = tuple(sorted(str(k) for k in (template.get("data") or {})))
    secret_meta = {k: v for k, v in dict(template_meta(sealed)).items()
                   if k not in ("creationTimestamp",)}
    secret_meta.update({"name": name, "namespace": ns} if ns else {"name": name})
    secret: dict[str, Any] = {"apiVersion": "v1", "kind": "Secret", "metadata": secret_meta}
    if template.get("type"):
        secret["type"] = template["type"]
    if template.get("immutable") is not None:
        secret["immutable"] = template["immutable"]
    secret["data"] = {r.key: encode(r.value) for r in results if r.value is not None}
    return Unsealed(name, ns, scope, label, tuple(results), templated, secret)


def unchanged_items(original: Mapping[str, Any], items: Mapping[str, bytes],
                    keys: Sequence[rsa.RSAPrivateKey]) -> frozenset[str]:
    """Items of `original` that already hold these exact values (checked by unsealing)."""
    if not keys:
        return frozenset()
    label = sealed_label(original)
    same: set[str] = set()
    for key, text in encrypted_data(original).items():
        if key not in items:
            continue
        try:
            if unseal_value(keys, decode(text), label) == items[key]:
                same.add(str(key))
        except (MalformedItem, UnsealFailed):
            continue
    return frozenset(same)

"""Sealed Secrets keys: the controller's certificate (to seal) and private keys (to unseal)."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

from argoplane.core import yamlio
from argoplane.core.errors import InputError

_PEM = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n.*?-----END \1-----", re.S)
KEY_LABEL = "sealedsecrets.bitnami.com/sealed-secrets-key"


def pem_blocks(data: bytes) -> list[tuple[str, bytes]]:
    return [(m.group(1).decode(), m.group(0)) for m in _PEM.finditer(data)]


def _key_type(key: Any) -> str:
    kinds = ((ec.EllipticCurvePublicKey, "EC"), (ec.EllipticCurvePrivateKey, "EC"),
             (ed25519.Ed25519PublicKey, "Ed25519"), (ed25519.Ed25519PrivateKey, "Ed25519"),
             (ed448.Ed448PublicKey, "Ed448"), (ed448.Ed448PrivateKey, "Ed448"),
             (dsa.DSAPublicKey, "DSA"), (dsa.DSAPrivateKey, "DSA"))
    return next((name for cls, name in kinds if isinstance(key, cls)), type(key).__name__)


def load_certificate(data: bytes, file: str, now: datetime) -> rsa.RSAPublicKey:
    """The RSA public key of the controller's certificate (the first one in the file), as
    kubeseal takes it; a certificate that has expired or holds another kind of key is refused."""
    certs = [block for kind, block in pem_blocks(data) if kind == "CERTIFICATE"]
    if not certs:
        raise InputError("not a PEM certificate (expected the controller's cert.pem, as "
                         "`kubeseal --fetch-cert` prints it)", file=file)
    try:
        cert = x509.load_pem_x509_certificate(certs[0])
    except ValueError as exc:
        raise InputError(f"not a valid certificate: {exc}", file=file) from None
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise InputError(f"the certificate holds an {_key_type(key)} key; Sealed Secrets seals "
                         "with RSA keys only", file=file)
    expiry = cert.not_valid_after_utc
    if now > expiry:
        raise InputError(f"the certificate expired on {expiry:%Y-%m-%d}; fetch the controller's "
                         "current one (kubeseal --fetch-cert)", file=file)
    return key


def _private_key(pem: bytes, file: str) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise InputError(f"not a usable private key: {exc}", file=file) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InputError(f"an {_key_type(key)} private key; Sealed Secrets uses RSA keys",
                         file=file)
    return key


def _backup_keys(doc: Any, file: str) -> list[rsa.RSAPrivateKey]:
    if not isinstance(doc, dict):
        return []
    if doc.get("kind") == "List" or (doc.get("kind") is None and "items" in doc):
        return [k for item in doc.get("items") or [] for k in _backup_keys(item, file)]
    if doc.get("kind") != "Secret":
        return []
    data = doc.get("data") or {}
    encoded = data.get("tls.key") if isinstance(data, dict) else None
    if not isinstance(encoded, str):
        meta = doc.get("metadata")
        name = (meta.get("name") if isinstance(meta, dict) else None) or "a Secret"
        raise InputError(f"{name} has no data.tls.key (not a sealed-secrets key)", file=file)
    try:
        pem = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InputError("data.tls.key is not valid base64", file=file) from None
    return [_private_key(pem, file)]


def load_private_keys(data: bytes, file: str) -> list[rsa.RSAPrivateKey]:
    """RSA private keys from a PEM file (PKCS#1 or PKCS#8, one or more) or a sealed-secrets
    key backup (a Secret with `tls.key`, or a List of them, as `kubectl get -o yaml` gives)."""
    blocks = [block for kind, block in pem_blocks(data) if kind.endswith("PRIVATE KEY")]
    if blocks:
        return [_private_key(b, file) for b in blocks]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("neither a PEM private key nor a key backup", file=file) from None
    keys = [k for doc in yamlio.load_all(text, file) for k in _backup_keys(doc, file)]
    if not keys:
        raise InputError("no RSA private key found (expected a PEM key, or a sealed-secrets key "
                         "backup with tls.key)", file=file)
    return keys


def modulus_bytes(key: rsa.RSAPublicKey | rsa.RSAPrivateKey) -> int:
    """The size of an RSA-OAEP ciphertext made with this key."""
    return (key.key_size + 7) // 8

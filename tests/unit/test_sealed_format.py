"""The Sealed Secrets format: sealing, unsealing as the controller does, tampering, interop."""

from __future__ import annotations

import base64
import struct
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from argoplane.core.errors import InputError
from argoplane.secrets import keys, sealed
from argoplane.secrets.sealed import Scope, SealRequest
from tests.conftest import SHARED

VECTOR = SHARED / "vectors/sealed-secrets/upstream-kubeseal-v0.14.1"
NOW = datetime.now(UTC)


@cache
def controller_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@cache
def vector_keys() -> list[rsa.RSAPrivateKey]:
    """The key of the controller that sealed the vector (loading a 4096-bit key is slow)."""
    return keys.load_private_keys((VECTOR / "sealing-key.yaml").read_bytes(), "sealing-key.yaml")


def certificate_pem(key: Any, *, days: int = 3650, expired: bool = False) -> bytes:
    """A self-signed certificate like the controller's (`kubeseal --fetch-cert`)."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sealed-secret")])
    start = NOW - timedelta(days=days + 10 if expired else 1)
    end = NOW - timedelta(days=1) if expired else NOW + timedelta(days=days)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7).not_valid_before(start)
            .not_valid_after(end).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def request(scope: Scope = Scope.STRICT, **items: str) -> SealRequest:
    values = {k: v.encode() for k, v in (items or {"password": "hunter2"}).items()}
    return SealRequest(name="db", namespace="shop", items=values, scope=scope, type="Opaque")


def only_item(manifest: dict[str, Any]) -> bytes:
    (text,) = sealed.encrypted_data(manifest).values()
    return base64.b64decode(text)


# -- scope and label --------------------------------------------------------------------------
@pytest.mark.parametrize(("annotations", "scope"), [
    (None, Scope.STRICT),
    ({sealed.NAMESPACE_WIDE: "true"}, Scope.NAMESPACE_WIDE),
    ({sealed.CLUSTER_WIDE: "true"}, Scope.CLUSTER_WIDE),
    ({sealed.CLUSTER_WIDE: "true", sealed.NAMESPACE_WIDE: "true"}, Scope.CLUSTER_WIDE),
    ({sealed.CLUSTER_WIDE: "True"}, Scope.STRICT),
    ({sealed.CLUSTER_WIDE: "yes", sealed.NAMESPACE_WIDE: "true"}, Scope.NAMESPACE_WIDE),
    ({sealed.NAMESPACE_WIDE: True}, Scope.STRICT),
    ({sealed.NAMESPACE_WIDE: "true "}, Scope.STRICT),
])
def test_scope_counts_only_the_exact_string_true(annotations: Any, scope: Scope) -> None:
    assert sealed.scope_of(annotations) is scope


def test_labels_per_scope() -> None:
    assert sealed.label_for(Scope.STRICT, "shop", "db") == b"shop/db"
    assert sealed.label_for(Scope.NAMESPACE_WIDE, "shop", "db") == b"shop"
    assert sealed.label_for(Scope.CLUSTER_WIDE, "shop", "db") == b""


# -- the format -------------------------------------------------------------------------------
def test_item_layout_is_length_prefix_wrapped_key_then_gcm() -> None:
    key = controller_key()
    blob = sealed.seal_value(key.public_key(), b"hunter2", b"shop/db")
    (size,) = struct.unpack(">H", blob[:2])
    assert size == 256  # a 2048-bit key wraps the 32-byte AES key into 256 bytes
    parts = sealed.split(blob)
    assert len(parts.ciphertext) == len(b"hunter2") + 16  # GCM adds its 16-byte tag
    assert sealed.unseal_value([key], blob, b"shop/db") == b"hunter2"
    other = sealed.seal_value(key.public_key(), b"hunter2", b"shop/db")
    assert other != blob  # a fresh session key every time


def test_seal_writes_kubeseals_shape() -> None:
    key = controller_key()
    out = sealed.seal(request(Scope.NAMESPACE_WIDE, password="p", user="u"), key.public_key())
    assert list(out) == ["apiVersion", "kind", "metadata", "spec"]
    assert out["apiVersion"] == "bitnami.com/v1alpha1"
    assert out["kind"] == "SealedSecret"
    assert out["metadata"] == {"annotations": {sealed.NAMESPACE_WIDE: "true"},
                               "creationTimestamp": None, "name": "db", "namespace": "shop"}
    assert list(out["spec"]["encryptedData"]) == ["password", "user"]
    assert out["spec"]["template"] == {"metadata": {
        "annotations": {sealed.NAMESPACE_WIDE: "true"}, "creationTimestamp": None,
        "name": "db", "namespace": "shop"}, "type": "Opaque"}


@pytest.mark.parametrize("scope", list(Scope))
def test_round_trip_in_every_scope(scope: Scope) -> None:
    key = controller_key()
    manifest = sealed.seal(request(scope, password="hunter2", user="app"), key.public_key())
    result = sealed.unseal(manifest, [key])
    assert result.ok
    assert result.scope is scope
    assert {i.key: i.value for i in result.items} == {"password": b"hunter2", "user": b"app"}
    assert result.secret["data"] == {"password": "aHVudGVyMg==", "user": "YXBw"}
    assert result.secret["metadata"]["name"] == "db"


def test_every_flipped_byte_is_caught() -> None:
    key = controller_key()
    blob = sealed.seal_value(key.public_key(), b"hunter2", b"shop/db")
    reasons = set()
    for i in range(len(blob)):
        tampered = bytearray(blob)
        tampered[i] ^= 0x01
        with pytest.raises(sealed.UnsealFailed) as exc:
            sealed.unseal_value([key], bytes(tampered), b"shop/db")
        reasons.add(str(exc.value).split(":")[0].split(" (")[0])
    assert reasons == {  # the two bytes of the length prefix, the wrapped key, the value
        "its wrapped key is 0 bytes but the key(s) given make 256-byte ones",
        "its wrapped key is 257 bytes but the key(s) given make 256-byte ones",
        "the wrapped key does not open with the key(s) given for label 'shop/db'",
        "the encrypted value was changed after sealing",
    }


@pytest.mark.parametrize(("change", "reason"), [
    (lambda m: m["metadata"].update(name="db2"), "label 'shop/db2'"),
    (lambda m: m["metadata"].update(namespace="other"), "label 'other/db'"),
    (lambda m: m["metadata"].update(annotations={sealed.NAMESPACE_WIDE: "true"}),
     "it was sealed strict, but the SealedSecret's annotations make it namespace-wide"),
    (lambda m: m["metadata"].update(annotations={sealed.CLUSTER_WIDE: "true"}),
     "it was sealed strict, but the SealedSecret's annotations make it cluster-wide"),
], ids=["renamed", "moved", "namespace-wide", "cluster-wide"])
def test_name_namespace_and_scope_are_bound(change: Any, reason: str) -> None:
    key = controller_key()
    manifest = sealed.seal(request(), key.public_key())
    change(manifest)
    result = sealed.unseal(manifest, [key])
    assert not result.ok
    (item,) = result.items
    assert item.value is None
    assert reason in item.problem


def test_a_scope_annotation_that_is_not_exactly_true_is_explained() -> None:
    key = controller_key()
    manifest = sealed.seal(request(Scope.CLUSTER_WIDE), key.public_key())
    manifest["metadata"]["annotations"] = {sealed.CLUSTER_WIDE: "True"}
    (item,) = sealed.unseal(manifest, [key]).items
    assert "it was sealed cluster-wide, but the SealedSecret's annotations make it strict" in (
        item.problem)
    assert "'True'" in item.problem
    assert 'only the exact string "true" counts' in item.problem


def test_malformed_and_foreign_items() -> None:
    key = controller_key()
    manifest = sealed.seal(request(), key.public_key())
    data = manifest["spec"]["encryptedData"]
    data["b64"] = "not base64!"
    data["short"] = base64.b64encode(b"\x01").decode()
    data["prefix"] = base64.b64encode(b"\x02\x00" + bytes(40)).decode()
    data["foreign"] = sealed.encode(sealed.seal_value(controller_key(1024).public_key(), b"x",
                                                      b"shop/db"))
    problems = {i.key: i.problem for i in sealed.unseal(manifest, [key]).items}
    assert problems["password"] == ""
    assert problems["b64"] == "malformed: is not valid base64"
    assert "too short" in problems["short"]
    assert "length prefix says 512 bytes" in problems["prefix"]
    assert "wrapped key is 128 bytes" in problems["foreign"]
    assert "sealed with another key" in problems["foreign"]


# -- keys and certificates --------------------------------------------------------------------
def test_certificates_that_are_refused(tmp_path: Path) -> None:
    key = controller_key()
    assert isinstance(keys.load_certificate(certificate_pem(key), "c", NOW), rsa.RSAPublicKey)
    with pytest.raises(InputError, match=r"expired on \d{4}-\d\d-\d\d"):
        keys.load_certificate(certificate_pem(key, expired=True), "c.pem", NOW)
    with pytest.raises(InputError, match="holds an EC key; Sealed Secrets seals with RSA"):
        keys.load_certificate(certificate_pem(ec.generate_private_key(ec.SECP256R1())), "c", NOW)
    with pytest.raises(InputError, match="not a PEM certificate"):
        keys.load_certificate(private_pem(key), "c", NOW)


def test_private_keys_from_pem_and_key_backups() -> None:
    key = controller_key()
    pem = private_pem(key)
    assert keys.load_private_keys(pem, "k")[0].private_numbers() == key.private_numbers()
    secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
              "metadata": {"name": "sealed-secrets-keyabc", "namespace": "kube-system",
                           "labels": {keys.KEY_LABEL: "active"}},
              "data": {"tls.key": base64.b64encode(pem).decode(), "tls.crt": ""}}
    backup = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [secret, secret]})
    assert len(keys.load_private_keys(backup.encode(), "backup.yaml")) == 2
    with pytest.raises(InputError, match="no RSA private key found"):
        keys.load_private_keys(b"kind: ConfigMap\n", "x.yaml")


# -- merge ------------------------------------------------------------------------------------
def test_merge_keeps_ciphertext_of_untouched_and_unchanged_items() -> None:
    key = controller_key()
    original = sealed.seal(request(password="hunter2", user="app", token="t0"), key.public_key())
    update = request(password="hunter2", token="t1")
    keep = sealed.unchanged_items(original, update.items, [key])
    assert keep == {"password"}
    merged = sealed.merge(original, sealed.seal(update, key.public_key()), keep)
    before, after = original["spec"]["encryptedData"], merged["spec"]["encryptedData"]
    assert after["password"] == before["password"]  # same value: same ciphertext
    assert after["user"] == before["user"]  # not in the update: untouched
    assert after["token"] != before["token"]
    values = {i.key: i.value for i in sealed.unseal(merged, [key]).items}
    assert values == {"password": b"hunter2", "user": b"app", "token": b"t1"}
    assert sealed.unchanged_items(original, update.items, []) == frozenset()


# -- the real kubeseal, and an independent implementation -------------------------------------
def test_unseals_what_the_real_kubeseal_sealed() -> None:
    manifest = yaml.safe_load((VECTOR / "sealed-secret.yaml").read_text())
    result = sealed.unseal(manifest, vector_keys())
    assert result.ok
    assert result.scope is Scope.STRICT
    assert result.label == b"foo/credentials"
    (item,) = result.items
    assert (item.key, item.value) == ("token", b"sealed-secrets-example")
    assert len(sealed.split(base64.b64decode(manifest["spec"]["encryptedData"]["token"]))
               .wrapped_key) == 512


@pytest.mark.parametrize("change", [
    lambda m: m["metadata"].update(name="credentials2"),
    lambda m: m["metadata"].update(namespace="bar"),
    lambda m: m["metadata"].update(annotations={sealed.NAMESPACE_WIDE: "true"}),
    lambda m: m["metadata"].update(annotations={sealed.CLUSTER_WIDE: "true"}),
    lambda m: m["spec"]["encryptedData"].update(token=sealed.encode(
        bytes([b ^ (1 if i == 300 else 0) for i, b in enumerate(
            base64.b64decode(m["spec"]["encryptedData"]["token"]))]))),
    lambda m: m["spec"]["encryptedData"].update(token=sealed.encode(
        base64.b64decode(m["spec"]["encryptedData"]["token"])[:-1] + b"\0")),
], ids=["renamed", "moved", "namespace-wide", "cluster-wide", "rsa byte", "aes byte"])
def test_the_real_vector_refuses_every_tampering(change: Any) -> None:
    manifest = yaml.safe_load((VECTOR / "sealed-secret.yaml").read_text())
    change(manifest)
    assert not sealed.unseal(manifest, vector_keys()).ok


@pytest.mark.parametrize("scope", list(Scope))
def test_kubesealpy_unseals_what_argoplane_seals(scope: Scope) -> None:
    from kubesealpy import SealedSecret as KSealed
    from kubesealpy import Unsealer

    key = controller_key()
    manifest = sealed.seal(request(scope, password="hunter2", user="app"), key.public_key())
    theirs = Unsealer([key]).unseal(KSealed.from_yaml(yaml.safe_dump(manifest)))
    assert theirs.get_data_decoded() == {"password": b"hunter2", "user": b"app"}


@pytest.mark.parametrize("scope", list(Scope))
def test_argoplane_unseals_what_kubesealpy_seals(scope: Scope) -> None:
    from kubesealpy import Sealer
    from kubesealpy.scopes import SealingScope

    key = controller_key()
    theirs = Sealer(key.public_key()).seal(
        name="db", namespace="shop", data={"password": b"hunter2", "user": b"app"},
        scope=SealingScope(scope.value))
    manifest = yaml.safe_load(theirs.to_yaml())
    result = sealed.unseal(manifest, [key])
    assert result.ok
    assert result.scope is scope
    assert {i.key: i.value for i in result.items} == {"password": b"hunter2", "user": b"app"}

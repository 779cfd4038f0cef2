"""End to end: `argoplane secrets seal` and `verify`, offline, with the controller's keys."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa

from argoplane.secrets import sealed
from tests.conftest import SHARED
from tests.unit.test_sealed_format import certificate_pem, controller_key, private_pem

VECTOR = SHARED / "vectors/sealed-secrets/upstream-kubeseal-v0.14.1"


@pytest.fixture
def controller(tmp_path: Path) -> dict[str, Any]:
    """A controller's certificate and private key, written where kubeseal users keep them."""
    key = controller_key()
    folder = tmp_path / "controller"
    folder.mkdir()
    (folder / "cert.pem").write_bytes(certificate_pem(key))
    (folder / "key.pem").write_bytes(private_pem(key))
    (folder / "expired.pem").write_bytes(certificate_pem(key, expired=True))
    return {"key": key, "cert": folder / "cert.pem", "private": folder / "key.pem",
            "expired": folder / "expired.pem"}


def test_seal_literals_then_verify(cli: Any, controller: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "db.sealed.yaml"
    result = cli("secrets", "seal", "--cert", controller["cert"], "--name", "db", "-n", "shop",
                 "--from-literal", "password=hunter2", "--from-literal", "user=app")
    assert result.code == 0, result.err
    assert "hunter2" not in result.out + result.err
    manifest = yaml.safe_load(result.out)
    assert manifest["kind"] == "SealedSecret"
    assert manifest["spec"]["template"]["type"] == "Opaque"
    out.write_text(result.out)
    verified = cli("secrets", "verify", out, "--key", controller["private"])
    assert verified.code == 0, verified.err
    assert verified.out.splitlines() == [
        "SealedSecret shop/db: strict scope, label 'shop/db'",
        "  ok      password", "  ok      user", "  2 of 2 items unseal"]
    shown = cli("secrets", "verify", out, "--key", controller["private"], "--show-secrets")
    assert "  ok      password = hunter2" in shown.out.splitlines()


def test_seal_a_secret_manifest_from_stdin(cli: Any, controller: dict[str, Any],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/basic-auth",
              "metadata": {"name": "registry", "namespace": "ci", "labels": {"team": "build"},
                           "annotations": {
                               "kubectl.kubernetes.io/last-applied-configuration": "{...}"}},
              "data": {"username": base64.b64encode(b"robot").decode()},
              "stringData": {"password": "pa55"}}
    monkeypatch.setattr("sys.stdin", io.StringIO(yaml.safe_dump(secret)))
    result = cli("secrets", "seal", "-", "--cert", controller["cert"], "--scope",
                 "namespace-wide", "-o", "json")
    assert result.code == 0, result.err
    manifest = json.loads(result.out)
    assert manifest["metadata"]["annotations"] == {sealed.NAMESPACE_WIDE: "true"}
    template = manifest["spec"]["template"]
    assert template["type"] == "kubernetes.io/basic-auth"
    assert template["metadata"]["labels"] == {"team": "build"}
    assert template["metadata"]["annotations"] == {sealed.NAMESPACE_WIDE: "true"}
    unsealed = sealed.unseal(manifest, [controller["key"]])
    assert {i.key: i.value for i in unsealed.items} == {"username": b"robot", "password": b"pa55"}


def test_raw_seals_one_value_for_a_template(cli: Any, controller: dict[str, Any],
                                            tmp_path: Path) -> None:
    (tmp_path / "token").write_bytes(b"t0ken\n")
    result = cli("secrets", "seal", "--raw", "--cert", controller["cert"], "--name", "api",
                 "-n", "web", "--from-file", tmp_path / "token")
    assert result.code == 0, result.err
    blob = base64.b64decode(result.out.strip())
    assert sealed.unseal_value([controller["key"]], blob, b"web/api") == b"t0ken\n"
    missing = cli("secrets", "seal", "--raw", "--cert", controller["cert"], "-n", "web",
                  "--from-literal", "a=b")
    assert missing.code == 2
    assert "--raw with strict scope needs --name" in missing.err
    two = cli("secrets", "seal", "--raw", "--cert", controller["cert"], "-n", "web",
              "--scope", "namespace-wide", "--from-literal", "a=b", "--from-literal", "c=d")
    assert two.code == 2
    assert "exactly one value" in two.err


def test_merge_into_changes_only_what_changed(cli: Any, controller: dict[str, Any],
                                              tmp_path: Path) -> None:
    target = tmp_path / "db.sealed.yaml"
    first = cli("secrets", "seal", "--cert", controller["cert"], "--name", "db", "-n", "shop",
                "--from-literal", "password=hunter2", "--from-literal", "user=app")
    target.write_text(first.out)
    before = yaml.safe_load(first.out)["spec"]["encryptedData"]
    result = cli("secrets", "seal", "--cert", controller["cert"], "--merge-into", target,
                 "--key", controller["private"], "--from-literal", "password=hunter2",
                 "--from-literal", "token=new")
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err.strip() == f"{target}: sealed token; kept password (unchanged)"
    after = yaml.safe_load(target.read_text())
    data = after["spec"]["encryptedData"]
    assert data["password"] == before["password"]
    assert data["user"] == before["user"]
    assert set(data) == {"password", "user", "token"}
    assert after["metadata"]["name"] == "db"  # the original's name and namespace
    verified = cli("secrets", "verify", target, "--key", controller["private"])
    assert verified.code == 0
    assert "3 of 3 items unseal" in verified.out
    wrong = cli("secrets", "seal", "--cert", controller["cert"], "--merge-into", target,
                "--scope", "cluster-wide", "--from-literal", "x=y")
    assert wrong.code == 2
    assert "--scope cluster-wide: the SealedSecret is strict" in wrong.err


def test_certificate_per_cluster_from_argoplane_yaml(cli: Any, controller: dict[str, Any],
                                                     tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "certs").mkdir()
    (repo / "certs/prod.pem").write_bytes(controller["cert"].read_bytes())
    (repo / "certs/old.pem").write_bytes(controller["expired"].read_bytes())
    (repo / ".argoplane.yaml").write_text(
        "secrets:\n  sealedSecrets:\n    certs:\n      prod: certs/prod.pem\n"
        "      legacy: certs/old.pem\n")
    ok = cli("secrets", "seal", "--repo", repo, "--cluster", "prod", "--name", "db", "-n", "a",
             "--from-literal", "k=v")
    assert ok.code == 0, ok.err
    assert sealed.unseal(yaml.safe_load(ok.out), [controller["key"]]).ok
    expired = cli("secrets", "seal", "--repo", repo, "--cluster", "legacy", "--name", "db",
                  "-n", "a", "--from-literal", "k=v")
    assert expired.code == 2
    assert "certs/old.pem (cluster legacy): the certificate expired on" in expired.err
    ambiguous = cli("secrets", "seal", "--repo", repo, "--name", "db", "-n", "a",
                    "--from-literal", "k=v")
    assert ambiguous.code == 2
    assert "(configured: legacy, prod)" in ambiguous.err


def test_refused_inputs(cli: Any, controller: dict[str, Any], tmp_path: Path) -> None:
    no_ns = cli("secrets", "seal", "--cert", controller["cert"], "--name", "db",
                "--from-literal", "k=v")
    assert no_ns.code == 2
    assert "a strict SealedSecret needs a namespace" in no_ns.err
    expired = cli("secrets", "seal", "--cert", controller["expired"], "--name", "db", "-n", "a",
                  "--from-literal", "k=v")
    assert expired.code == 2
    assert "the certificate expired on" in expired.err
    assert "Traceback" not in expired.err
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    (tmp_path / "other.pem").write_bytes(private_pem(small))
    sealed_file = tmp_path / "s.yaml"
    sealed_file.write_text(cli("secrets", "seal", "--cert", controller["cert"], "--name", "db",
                               "-n", "a", "--from-literal", "k=v").out)
    foreign = cli("secrets", "verify", sealed_file, "--key", tmp_path / "other.pem")
    assert foreign.code == 1
    assert "sealed with another key" in foreign.out


@pytest.mark.parametrize(("edit", "problem"), [
    (lambda t: t.replace("name: db\n", "name: db-renamed\n", 1), "label 'a/db-renamed'"),
    (lambda t: t.replace("namespace: a\n", "namespace: b\n", 1), "label 'b/db'"),
    (lambda t: t.replace("metadata:\n", "metadata:\n  annotations:\n    "
                         "sealedsecrets.bitnami.com/cluster-wide: \"true\"\n", 1),
     "it was sealed strict, but the SealedSecret's annotations make it cluster-wide"),
], ids=["renamed", "moved", "scope"])
def test_verify_says_why_a_tampered_sealed_secret_fails(
        cli: Any, controller: dict[str, Any], tmp_path: Path, edit: Any, problem: str) -> None:
    text = cli("secrets", "seal", "--cert", controller["cert"], "--name", "db", "-n", "a",
               "--from-literal", "k=v").out
    path = tmp_path / "s.yaml"
    path.write_text(edit(text))
    result = cli("secrets", "verify", path, "--key", controller["private"])
    assert result.code == 1
    assert "  FAILED  k: the wrapped key does not open with the key(s) given" in result.out
    assert problem in result.out
    assert "0 of 1 item unseal" in result.out


def test_verify_the_real_kubeseal_vector(cli: Any) -> None:
    result = cli("secrets", "verify", VECTOR / "sealed-secret.yaml", "--key",
                 VECTOR / "sealing-key.yaml", "-o", "yaml")
    assert result.code == 0, result.err
    (secret,) = yaml.safe_load_all(result.out)
    assert secret["metadata"] == {"name": "credentials", "namespace": "foo"}
    assert secret["data"] == {"token": "++++++++"}
    shown = cli("secrets", "verify", VECTOR / "sealed-secret.yaml", "--key",
                VECTOR / "sealing-key.yaml", "-o", "yaml", "--show-secrets")
    (secret,) = yaml.safe_load_all(shown.out)
    assert secret["data"] == {"token": "c2VhbGVkLXNlY3JldHMtZXhhbXBsZQ=="}


def test_merge_into_refuses_a_file_with_more_than_one_document(
        cli: Any, controller: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "all.yaml"
    one = cli("secrets", "seal", "--cert", controller["cert"], "--name", "db", "-n", "a",
              "--from-literal", "k=v").out
    target.write_text(one + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    before = target.read_text()
    result = cli("secrets", "seal", "--cert", controller["cert"], "--merge-into", target,
                 "--from-literal", "k=w")
    assert result.code == 2
    assert "exactly one SealedSecret" in result.err
    assert target.read_text() == before

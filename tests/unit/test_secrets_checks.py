"""The secrets rules AP020-AP029: each one fires on what it is about, and only there."""

from __future__ import annotations

import base64
import textwrap
from typing import Any

import pytest
import yaml

from argoplane.secrets import checks, sealed
from argoplane.secrets.checks import DeployedSealedSecret, Finding, RepoFile, ValueFileRef
from argoplane.secrets.sealed import Scope, SealRequest
from tests.unit.test_sealed_format import controller_key, private_pem

ENC = "ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]"
SOPS_BLOCK = """
sops:
    age:
        - recipient: age1ah2hhxyn9cerh6z54kfapej9v6anedegq3p0vkxs2rrad3m65gfqtfuvru
    mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
    version: 3.11.0
"""


def run(path: str, text: str, **kw: Any) -> list[Finding]:
    return checks.check_file(RepoFile(path, textwrap.dedent(text).lstrip()), **kw)


def rules(found: list[Finding]) -> list[str]:
    return [f.rule for f in found]


def sealed_manifest(scope: Scope = Scope.STRICT, name: str = "db", namespace: str = "shop",
                    bits: int = 2048) -> dict[str, Any]:
    request = SealRequest(name=name, namespace=namespace, items={"password": b"x"}, scope=scope)
    return sealed.seal(request, controller_key(bits).public_key())


# -- AP020 plaintext secrets files ------------------------------------------------------------
def test_ap020_plaintext_secrets_file() -> None:
    found = run("charts/api/prod.secrets.yaml", "secrets:\n  PASSWORD: hunter2\n")
    assert rules(found) == ["AP020"]
    assert found[0].line == 1
    assert "hunter2" not in found[0].message
    encrypted = run("charts/api/prod.secrets.yaml", f"secrets:\n  PASSWORD: {ENC}\n{SOPS_BLOCK}")
    assert "AP020" not in rules(encrypted)
    assert run("charts/api/templates/app.secrets.yaml", "a: b\n") == []  # a chart template
    assert run("charts/api/prod.secrets.yaml", "secrets: {}\n") == []  # nothing in it


def test_ap020_and_ap021_for_secrets_references() -> None:
    plain = RepoFile("charts/api/creds.yaml", "db:\n  password: hunter2\n")
    refs = [ValueFileRef("api", "secrets://creds.yaml", "charts/api/creds.yaml", True, True),
            ValueFileRef("api", "secrets://gone.yaml", "charts/api/gone.yaml", False, True),
            ValueFileRef("web", "secrets://opt.yaml", "charts/web/opt.yaml", False, True, True)]
    found = checks.check_value_refs(refs, {plain.path: plain})
    assert [(f.rule, f.level, f.app) for f in found] == [
        ("AP020", "error", "api"), ("AP021", "error", "api"), ("AP021", "warning", "web")]
    assert "ignoreMissingValueFiles hides it" in found[2].message
    sops = RepoFile("charts/api/creds.yaml", f"db:\n  password: {ENC}\n{SOPS_BLOCK}")
    assert checks.check_value_refs(refs[:1], {sops.path: sops}) == []


# -- AP022, AP023: SOPS files -----------------------------------------------------------------
def test_ap022_enc_values_without_metadata() -> None:
    found = run("prod.secrets.yaml", f"secrets:\n  A: {ENC}\n  B: {ENC}\n")
    assert rules(found) == ["AP022"]
    assert found[0].line == 2
    assert found[0].message.startswith("2 ENC[...] values but no sops metadata block")
    assert run("prod.secrets.yaml", f"secrets:\n  A: {ENC}\n{SOPS_BLOCK}") == []


def test_ap023_cleartext_secret_inside_a_sops_file() -> None:
    found = run("prod.secrets.yaml", f"""\
        secrets:
          API_TOKEN: {ENC}
          DB_PASSWORD_unencrypted: hunter2
          existingSecretName: db-credentials
          replicas: "3"
        {SOPS_BLOCK}""")
    assert [(f.rule, f.line) for f in found] == [("AP023", 3)]
    assert found[0].message.startswith("secrets.DB_PASSWORD_unencrypted looks like a secret")
    assert "hunter2" not in found[0].message


# -- AP024, AP025: leftovers and keys ---------------------------------------------------------
@pytest.mark.parametrize("name", ["prod.secrets.yaml.dec", "prod.secrets.dec.yaml",
                                  "values.decrypted.yaml", "creds.dec"])
def test_ap024_decrypted_leftovers(name: str) -> None:
    assert rules(run(f"charts/api/{name}", "secrets:\n  A: b\n")) == ["AP024"]


def test_ap024_not_for_encrypted_or_ordinary_files() -> None:
    assert run("charts/api/prod.secrets.yaml.dec", f"a: {ENC}\n{SOPS_BLOCK}") == []
    assert run("charts/api/decorations.yaml", "a: b\n") == []


def test_ap025_private_keys_identities_and_key_backups() -> None:
    pem = private_pem(controller_key()).decode()
    assert rules(run("certs/controller.pem", pem)) == ["AP025"]
    identity = "AGE-SECRET-KEY-1" + "Q" * 58
    found = run("keys.txt", f"# created: today\n{identity}\n")
    assert found[0].message.startswith("holds an age identity")
    labels = {"sealedsecrets.bitnami.com/sealed-secrets-key": "active"}
    backup = {"apiVersion": "v1", "kind": "List", "items": [{
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "sealed-secrets-keyx", "labels": labels},
        "data": {"tls.key": base64.b64encode(pem.encode()).decode(), "tls.crt": "eA=="}}]}
    found = run("backup/main.key.yaml", yaml.safe_dump(backup))
    assert rules(found) == ["AP025"]
    assert "a sealed-secrets key backup" in found[0].message
    demo = run("demo.agekey", f"# argoplane:allow-committed-key\n{identity}\n")
    assert [(f.rule, f.level) for f in demo] == [("AP025", "info")]
    assert run("certs/controller.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END "
                                       "CERTIFICATE-----\n") == []


# -- AP026, AP027: SealedSecret manifests in files --------------------------------------------
def test_ap026_scope_annotations_must_be_exactly_true() -> None:
    manifest = sealed_manifest(Scope.CLUSTER_WIDE)
    assert run("sealed/db.yaml", yaml.safe_dump(manifest)) == []
    manifest["metadata"]["annotations"][sealed.CLUSTER_WIDE] = "True"
    found = run("sealed/db.yaml", yaml.safe_dump(manifest, sort_keys=False))
    assert rules(found) == ["AP026"]
    assert "sealedsecrets.bitnami.com/cluster-wide is 'True' in metadata" in found[0].message
    assert found[0].line == 5
    template_only = sealed_manifest()
    template_only["spec"]["template"]["metadata"]["annotations"] = {sealed.NAMESPACE_WIDE: "true"}
    found = run("sealed/db.yaml", yaml.safe_dump(template_only))
    assert "metadata.annotations make it strict but spec.template.metadata says namespace-wide" \
        in found[0].message


def test_ap027_malformed_items_and_foreign_keys() -> None:
    manifest = sealed_manifest()
    data = manifest["spec"]["encryptedData"]
    data["b64"] = "%%%"
    data["prefix"] = base64.b64encode(b"\x03\x00" + bytes(64)).decode()
    data["odd"] = base64.b64encode(b"\x00\x05" + bytes(5) + bytes(16)).decode()
    found = run("sealed/db.yaml", yaml.safe_dump(manifest))
    assert [(f.rule, f.message.split(" ", 1)[0]) for f in found] == [
        ("AP027", "encryptedData.b64"), ("AP027", "encryptedData.odd"),
        ("AP027", "encryptedData.prefix")]
    assert "length prefix says 768 bytes of wrapped key but only 64 bytes follow" in (
        found[2].message)
    good = sealed_manifest()
    assert run("sealed/db.yaml", yaml.safe_dump(good), key_size=256) == []
    found = run("sealed/db.yaml", yaml.safe_dump(good), key_size=512)
    assert "sealed with a 2048-bit key, but the configured certificate is 4096-bit" in (
        found[0].message)


# -- AP028: where SealedSecrets are deployed --------------------------------------------------
def deployed(manifest: dict[str, Any], app: str, namespace: str, *,
             origin: str = "sealed/db.yaml", generated_by: str | None = "api",
             cluster: str = "prod") -> DeployedSealedSecret:
    return DeployedSealedSecret(app, origin, manifest, namespace, namespace, cluster,
                                generated_by)


def test_ap028_fanned_out_into_several_namespaces() -> None:
    manifest = sealed_manifest()
    del manifest["metadata"]["namespace"]
    found = checks.check_deployed_sealed(
        [deployed(manifest, "api-eu", "shop"), deployed(manifest, "api-us", "shop-us")], {})
    (f,) = found
    assert f.rule == "AP028"
    assert f.message.startswith("the same strict SealedSecret db is deployed into 2 namespaces "
                                "(shop, shop-us) by ApplicationSet api")
    cluster_wide = sealed_manifest(Scope.CLUSTER_WIDE)
    del cluster_wide["metadata"]["namespace"]
    assert checks.check_deployed_sealed(
        [deployed(cluster_wide, "api-eu", "shop"), deployed(cluster_wide, "api-us", "x")],
        {}) == []


def test_ap028_strict_name_templated_per_app() -> None:
    first = sealed_manifest()
    second = yaml.safe_load(yaml.safe_dump(first))
    second["metadata"]["name"] = "db-canary"
    found = checks.check_deployed_sealed(
        [deployed(first, "api", "shop", origin="charts/api/templates/sealed.yaml"),
         deployed(second, "api-canary", "shop", origin="charts/api/templates/sealed.yaml")], {})
    assert [f.rule for f in found] == ["AP028"]
    assert "deployed under 2 names (db, db-canary)" in found[0].message
    wide = sealed_manifest(Scope.NAMESPACE_WIDE)
    renamed = yaml.safe_load(yaml.safe_dump(wide))
    renamed["metadata"]["name"] = "db-canary"
    assert checks.check_deployed_sealed(
        [deployed(wide, "api", "shop"), deployed(renamed, "api-canary", "shop")], {}) == []


def test_ap028_namespace_differs_from_the_destination() -> None:
    manifest = sealed_manifest(namespace="payments")
    d = DeployedSealedSecret("api", "sealed/db.yaml", manifest, "payments", "shop", "prod")
    (f,) = checks.check_deployed_sealed([d], {})
    assert (f.rule, f.level, f.app) == ("AP028", "warning", "api")
    assert "deployed to namespace payments, not the Application's destination namespace shop" in (
        f.message)
    moved = sealed_manifest()
    del moved["metadata"]["namespace"]  # sealed for shop, lands in billing
    (f,) = checks.check_deployed_sealed([deployed(moved, "api", "billing")], {})
    assert "was sealed for shop/db (its template says so) but is deployed as billing/db" in (
        f.message)
    assert checks.check_deployed_sealed([deployed(sealed_manifest(), "api", "shop")], {}) == []


def test_ap027_against_the_destination_clusters_certificate() -> None:
    manifest = sealed_manifest()
    ok = checks.check_deployed_sealed([deployed(manifest, "a", "shop", cluster="prod")],
                                      {"prod": 256, "stag": 512})
    assert ok == []
    (f,) = checks.check_deployed_sealed([deployed(manifest, "a", "shop", cluster="stag")],
                                        {"prod": 256, "stag": 512})
    assert f.rule == "AP027"
    assert f.message.endswith("sealed for another controller (cluster stag)")


# -- AP029: credentials in plain values files -------------------------------------------------
@pytest.mark.parametrize(("value", "kind"), [
    ("AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
    ("ghp_" + "a1B2c3D4e5" * 4, "a GitHub token"),
    ("postgres://app:s3cret@db:5432/app", "a URL with a password"),
    ("xoxb-123456789012-abcdefABCDEF", "a Slack token"),
    ("Zx9qL2mN8pR4tV6wY1bC3dF5gH7jK0sA", "a high-entropy literal"),
])
def test_ap029_flags_credentials(value: str, kind: str) -> None:
    (f,) = run("charts/api/values.yaml", f"config:\n  upstream: {value!r}\n")
    assert (f.rule, f.line) == ("AP029", 2)
    assert kind in f.message
    assert value not in f.message


def test_ap029_secret_looking_key_with_a_literal() -> None:
    (f,) = run("prod.values.yaml", "db:\n  password: Tr0ub4dor&3x\n")
    assert "under a secret-looking key (password)" in f.message


@pytest.mark.parametrize("text", [
    "image:\n  digest: sha256:" + "ab12" * 16 + "\n",
    "auth:\n  existingSecret: postgres-credentials\n",
    "config:\n  url: https://catalog.in.vigo.example\n",
    "db:\n  password: '{{ .Values.global.password }}'\n",
    "ingress:\n  tls:\n    secretName: gateway-tls\n",
    "config:\n  corsAllowedOrigins: 'https://*.local.vigo.example'\n",
    "image:\n  repository: registry.example.com/bench/svc0003\n",
    "image:\n  repository: ghcr.io/acme-platform/payments-api:2024.11.3\n",
    "config:\n  caFile: /etc/ssl/certs/internal-ca-bundle-2024.pem\n",
])
def test_ap029_leaves_ordinary_values_alone(text: str) -> None:
    assert run("charts/api/values.yaml", text) == []


def test_referenced_values_files_with_other_names_are_checked_too() -> None:
    file = RepoFile("env/prod.yaml", "token: AKIAIOSFODNN7EXAMPLE\n")
    ref = ValueFileRef("api", "/env/prod.yaml", "env/prod.yaml", True, False)
    assert rules(checks.check_value_refs([ref], {file.path: file})) == ["AP029"]
    assert checks.check_file(file) == []  # by name alone it is not a values file


def test_findings_are_unique_and_ordered() -> None:
    a = checks.finding("AP024", "b.dec", None, "x")
    b = checks.finding("AP020", "a.secrets.yaml", 1, "y")
    assert checks.sort_findings([a, b, a]) == [b, a]
    assert set(checks.RULES) == {f"AP02{i}" for i in range(10)}

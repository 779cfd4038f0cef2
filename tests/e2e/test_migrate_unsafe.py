"""End to end: a repository argoplane cannot migrate whole. Three services of
examples/microservices plus what real repositories also hold: a Kustomize app, a chart from a
Helm repository with inline values, a chart whose values hold plaintext credentials, and a
plain Secret manifest.

What cannot be migrated safely is reported Application by Application with the reason; the
rest migrates. Plaintext secrets become SOPS files (or a SealedSecret, with --sealed) and no
secret value is ever printed.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from argoplane.secrets import sealed
from tests.e2e.test_init import git, git_repo
from tests.e2e.test_migrate_microservices import MICROSERVICES, run
from tests.unit.test_sealed_format import certificate_pem, controller_key

API_KEY = "sk_live_51HxQ2eLkdIwHu7ixoQ8bH2v"
WEBHOOK = "whsec_9f8e7d6c5b4a39281706f5e4"
DB_PASSWORD = "correct-horse-battery-staple"

EXTRA = {
    "argocd/legacy-web.yaml": """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: legacy-web
          namespace: argocd
        spec:
          project: default
          source:
            repoURL: https://gitlab.com/shopwise/argocd.git
            targetRevision: main
            path: apps/legacy-web
          destination:
            server: https://kubernetes.default.svc
            namespace: core-business
        """,
    "apps/legacy-web/kustomization.yaml": """\
        resources:
          - deployment.yaml
        images:
          - name: registry.gitlab.com/shopwise/legacy-web
            newTag: "3.2.1"
        """,
    "apps/legacy-web/deployment.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: legacy-web
        spec:
          selector:
            matchLabels: {app: legacy-web}
          template:
            metadata:
              labels: {app: legacy-web}
            spec:
              containers:
                - name: web
                  image: registry.gitlab.com/shopwise/legacy-web:3.2.0
        """,
    "argocd/infrastructure/podinfo.yaml": """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: podinfo
          namespace: argocd
        spec:
          project: default
          source:
            repoURL: https://stefanprodan.github.io/podinfo
            chart: podinfo
            targetRevision: 6.5.4
            helm:
              values: |
                replicaCount: 2
          destination:
            server: https://kubernetes.default.svc
            namespace: infrastructure
        """,
    "applications/payment-service/templates/secret.yaml": """\
        apiVersion: v1
        kind: Secret
        metadata:
          name: {{ include "service.fullname" . }}-provider
        type: Opaque
        stringData:
          {{- range $key, $value := .Values.providerSecrets }}
          {{ $key }}: {{ $value | quote }}
          {{- end }}
        """,
    "infrastructure/postgresql/secret.yaml": f"""\
        apiVersion: v1
        kind: Secret
        metadata:
          name: postgresql-admin
        type: Opaque
        stringData:
          password: {DB_PASSWORD}
        """,
}


KEPT = ("auth-service", "payment-service", "user-service")


def messy_copy(root: Path) -> Path:
    """Three of the example's services (fewer files to encrypt, faster) and the extras."""
    shutil.copytree(MICROSERVICES, root)
    for app in (root / "argocd").glob("*-service.yaml"):
        if app.stem not in KEPT:
            app.unlink()
            shutil.rmtree(root / "applications" / app.stem)
    for rel, text in EXTRA.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    values = root / "applications/payment-service/values.yaml"
    values.write_text(values.read_text() + "\n# The payment provider's credentials\n"
                      f"providerSecrets:\n  api-key: {API_KEY}\n  webhook-secret: {WEBHOOK}\n")
    git_repo(root)
    return root


def age_key(folder: Path) -> Path:
    """An age identity made the way users make one: `argoplane secrets keygen`."""
    key = folder / "key.txt"
    code, out, err = run("secrets", "keygen", key)
    assert code == 0, err
    assert out.strip().startswith("age1")
    return key


def every_text(root: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(root.rglob("*"))
                     if p.is_file() and ".git" not in p.parts)


@dataclass
class Migrated:
    repo: Path
    key: Path
    code: int
    out: str
    err: str
    plan_out: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.out)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Migrated:
    base = tmp_path_factory.mktemp("messy")
    repo = messy_copy(base / "shop")
    key = age_key(base)
    _, plan_out, _ = run("migrate", repo, "--phase", "all", "--age-key-file", key)
    code, out, err = run("migrate", repo, "--phase", "all", "--apply", "--age-key-file", key,
                         "-o", "json")
    return Migrated(repo, key, code, out, err, plan_out)


def skipped(report: dict[str, Any]) -> dict[str, str]:
    return {s["app"]: s["reason"] for p in report["phases"] for s in p["skipped"]}


def test_what_cannot_be_migrated_is_reported_app_by_app(migrated: Migrated) -> None:
    assert migrated.code == 0, migrated.err
    reasons = skipped(migrated.report)
    assert reasons["legacy-web"].startswith("a Kustomize source: ")
    assert reasons["podinfo"].startswith("a chart from a Helm repository with inline values: ")
    assert reasons["postgresql"].startswith(
        "infrastructure/postgresql/secret.yaml: a plain Secret manifest; Argo CD cannot decrypt")
    assert "not migrated: legacy-web: a Kustomize source" in migrated.plan_out


def test_the_rest_migrates(migrated: Migrated) -> None:
    summary = migrated.report["summary"]
    assert summary["applied"]
    assert summary["ok"]
    repo = migrated.repo
    assert (repo / "argocd/legacy-web.yaml").is_file()
    assert (repo / "argocd/infrastructure/podinfo.yaml").is_file()
    assert not (repo / "argocd/payment-service.yaml").exists()
    appset = (repo / "argocd/services-appset.yaml").read_text()
    assert "- name: payment-service\n" in appset
    assert "legacy-web" not in appset
    assert "- secrets://{{env}}/secrets.yaml" in appset


def test_secret_values_are_encrypted_and_never_printed(migrated: Migrated) -> None:
    for output in (migrated.out, migrated.err, migrated.plan_out):
        assert API_KEY not in output
        assert WEBHOOK not in output
    text = every_text(migrated.repo)
    assert API_KEY not in text
    assert WEBHOOK not in text
    secrets = migrated.repo / "applications/payment-service/dev/secrets.yaml"
    assert "ENC[AES256_GCM," in secrets.read_text()
    assert "providerSecrets" not in (
        migrated.repo / "applications/payment-service/values.yaml").read_text()
    phases = {p["phase"]: p for p in migrated.report["phases"]}
    assert phases["secrets"]["proof"]["unintended"] == []


def test_the_secret_renders_as_before(migrated: Migrated, monkeypatch: pytest.MonkeyPatch
                                      ) -> None:
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(migrated.key))
    code, out, err = run("render", migrated.repo, "--app", "payment-service-*", "-o", "json",
                         "--show-secrets")
    assert code == 0, err
    found = {app["name"]: r["manifest"] for app in json.loads(out)["applications"]
             for r in app["resources"] if r["kind"] == "Secret"}
    assert set(found) == {"payment-service-dev", "payment-service-staging",
                          "payment-service-production"}
    for manifest in found.values():
        assert manifest["stringData"] == {"api-key": API_KEY, "webhook-secret": WEBHOOK}


def test_sealed_turns_the_plain_secret_into_a_sealedsecret(tmp_path: Path) -> None:
    repo = messy_copy(tmp_path / "shop")
    controller = controller_key()
    cert = tmp_path / "cert.pem"
    cert.write_bytes(certificate_pem(controller))
    code, out, err = run("migrate", repo, "--phase", "secrets", "--sealed", "--cert", cert,
                         "--apply")
    assert code == 0, err
    assert DB_PASSWORD not in out + err
    assert ("intended  Secret: infrastructure/postgresql-admin becomes a SealedSecret "
            "(keys: password)") in out
    assert ("not migrated: payment-service: its Helm values feed a Secret in plaintext; "
            "they move into secrets:// files once the service is generated") in out
    manifest = (repo / "infrastructure/postgresql/secret.yaml").read_text()
    assert DB_PASSWORD not in manifest
    document = yaml.safe_load(manifest)
    assert document["kind"] == "SealedSecret"
    unsealed = sealed.unseal(document, [controller], namespace="infrastructure")
    assert {i.key: i.value for i in unsealed.items} == {"password": DB_PASSWORD.encode()}
    assert git(repo, "status", "--porcelain").split() == [
        "M", "infrastructure/postgresql/secret.yaml"]

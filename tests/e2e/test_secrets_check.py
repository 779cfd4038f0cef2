"""End to end: `argoplane secrets check` on repositories that get secrets right and wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from argoplane.secrets import sealed
from argoplane.secrets.sealed import SealRequest
from tests.conftest import VIGO
from tests.unit.test_sealed_format import certificate_pem, controller_key


def sealed_secret_yaml() -> str:
    request = SealRequest(name="db", namespace="shop", items={"password": b"hunter2"})
    manifest = sealed.seal(request, controller_key().public_key())
    del manifest["metadata"]["namespace"]  # "so the ApplicationSet can reuse it"
    return yaml.safe_dump(manifest)


def broken_repo(repo: Any) -> Path:
    root: Path = repo({
        ".argoplane.yaml": """
            repoURLs: [https://git.example.com/shop.git]
            clusters:
              - {name: prod, server: https://prod.example}
            secrets:
              sealedSecrets:
                certs: {prod: certs/prod.pem}
            """,
        "appsets/db.yaml": """
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            metadata: {name: db, namespace: argocd}
            spec:
              generators:
                - list:
                    elements: [{ns: shop}, {ns: shop-eu}]
              template:
                metadata: {name: 'db-{{ns}}'}
                spec:
                  project: default
                  destination: {name: prod, namespace: '{{ns}}'}
                  source:
                    repoURL: https://git.example.com/shop.git
                    path: sealed
            """,
        "sealed/db.yaml": sealed_secret_yaml(),
        "charts/api/prod.secrets.yaml": "secrets:\n  TOKEN: plain-token-value\n",
        "charts/api/prod.secrets.yaml.dec": "secrets:\n  TOKEN: plain-token-value\n",
    })
    (root / "certs").mkdir()
    (root / "certs/prod.pem").write_bytes(certificate_pem(controller_key()))
    return root


def test_check_finds_what_is_wrong(cli: Any, repo: Any) -> None:
    root = broken_repo(repo)
    result = cli("secrets", "check", root)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("charts/api/prod.secrets.yaml:1: error AP020 ")
    assert lines[1].startswith("charts/api/prod.secrets.yaml.dec: error AP024 ")
    assert lines[2].startswith("sealed/db.yaml:1: error AP028 the same strict SealedSecret db "
                               "is deployed into 2 namespaces (shop, shop-eu) by "
                               "ApplicationSet db")
    assert len(lines) == 3
    assert result.err.strip() == "3 errors, 0 warnings, 0 info"
    assert "plain-token-value" not in result.out + result.err
    data = cli("secrets", "check", root, "-f", "json").json()
    assert data["summary"] == {"errors": 3, "warnings": 0, "info": 0}
    assert set(data["findings"][0]) == {"rule", "level", "app", "file", "line", "message"}


def test_check_the_example_platform(cli: Any) -> None:
    result = cli("secrets", "check", VIGO)
    assert result.code == 0, result.out
    assert result.out.splitlines() == [
        "demo-only-age-keys.txt: info AP025 holds an age identity (AGE-SECRET-KEY), "
        "acknowledged as demo-only (argoplane:allow-committed-key); never use it for real "
        "secrets"]

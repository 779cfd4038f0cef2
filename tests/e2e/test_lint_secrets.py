"""The secrets rules (AP021-AP029) also run as part of `argoplane lint`."""

from __future__ import annotations

from typing import Any

APP = """
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: web}
  source: {repoURL: https://git.example.com/p.git, path: m}
"""


def test_lint_reports_decrypted_leftovers_and_committed_keys(cli: Any, repo: Any) -> None:
    root = repo({
        "app.yaml": APP,
        "m/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        "values/prod.secrets.yaml.dec": "password: hunter2-not-real\n",
        "keys/age.txt": "AGE-SECRET-KEY-1" + "Q" * 58 + "\n",
    })
    result = cli("lint", root, "-f", "json")
    assert result.code == 1
    rules = {(f["rule"], f["file"]) for f in result.json()["findings"]}
    assert ("AP024", "values/prod.secrets.yaml.dec") in rules
    assert ("AP025", "keys/age.txt") in rules
    assert "hunter2" not in result.out


def test_explain_covers_the_secrets_rules(cli: Any) -> None:
    result = cli("lint", "--explain", "AP028")
    assert result.code == 0
    assert "namespace" in result.out
    assert "Seal one per destination" in result.out

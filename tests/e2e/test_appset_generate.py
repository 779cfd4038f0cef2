"""`argoplane appset generate` on the example ApplicationSets."""

from __future__ import annotations

from typing import Any

from tests.conftest import VIGO

CATALOG = VIGO / "applications/vigo/catalog/catalog-appSet.yaml"


def test_generates_the_four_catalog_applications(cli: Any) -> None:
    result = cli("appset", "generate", CATALOG, "-o", "json")
    assert result.code == 0, result.err
    apps = result.json()
    assert [a["metadata"]["name"] for a in apps] == [
        "catalog-vn-staging", "catalog-in-staging", "catalog-vn-production",
        "catalog-in-production"]
    prod = apps[3]
    assert prod["metadata"]["namespace"] == "argocd"
    assert prod["spec"]["destination"] == {"name": "in-prod", "namespace": "catalog-in-prod"}
    assert prod["spec"]["source"]["helm"]["valueFiles"][2] == (
        "secrets://production/in.secrets.yaml")


def test_params_shows_what_each_generator_produced(cli: Any) -> None:
    result = cli("appset", "generate", CATALOG, "--params", "-o", "json")
    assert result.code == 0
    (entry,) = result.json()
    assert entry["kind"] == "list"
    assert entry["generator"] == 0
    assert entry["params"][0] == {"project": "stag", "env": "staging", "venture": "vn",
                                  "namespace_suffix": "vn-stag"}


def test_yaml_output_is_a_document_stream(cli: Any) -> None:
    result = cli("appset", "generate", CATALOG)
    assert result.code == 0
    assert result.out.count("---\n") == 4
    assert "name: catalog-in-production" in result.out


def test_file_without_an_applicationset(cli: Any) -> None:
    result = cli("appset", "generate", VIGO / "argocd-projects/stag.yaml")
    assert result.code == 2
    assert "stag.yaml: no ApplicationSet in this file" in result.err


def test_generator_error_exits_2(cli: Any, repo: Any) -> None:
    root = repo({"set.yaml": """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata: {name: s}
        spec:
          generators:
            - scmProvider: {github: {organization: acme}}
          template:
            metadata: {name: x}
            spec: {project: default, destination: {namespace: x}, source: {repoURL: r, path: .}}
    """})
    result = cli("appset", "generate", root / "set.yaml")
    assert result.code == 2
    assert "the scmProvider generator cannot be evaluated offline" in result.err

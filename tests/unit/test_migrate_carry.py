"""`argoplane migrate` on small repositories built for each case: per-service differences
carried as ApplicationSet elements, Applications set up differently, a namespace per
service, and a phase whose proof finds an unintended difference (nothing is written)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from argoplane.core import yamlio
from tests.conftest import Run

REPO_URL = "https://git.example.com/shop.git"

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: {svc}\nversion: 0.1.0\n",
    "values.yaml": """\
        image:
          repository: registry.example.com/{svc}
          tag: "1.0.0"
        redis:
          db: 0
        appName: ""
        """,
    "templates/configmap.yaml": """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{{{ .Release.Name }}}}
        data:
          image: "{{{{ .Values.image.repository }}}}:{{{{ .Values.image.tag }}}}"
          redis.json: {{{{ toJson .Values.redis | quote }}}}
          app: {{{{ .Values.appName | quote }}}}
        """,
}



def shop(services: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, str]:
    """Files of a repository: {service: (namespace, helm block of its Application)}."""
    files = {".argoplane.yaml": f"repoURLs: [{REPO_URL}]\n"}
    for svc, (namespace, helm) in services.items():
        for rel, text in CHART.items():
            files[f"charts/{svc}/{rel}"] = text.format(svc=svc)
        source: dict[str, Any] = {"repoURL": REPO_URL, "targetRevision": "HEAD",
                                  "path": f"charts/{svc}"}
        if helm:
            source["helm"] = helm
        files[f"apps/{svc}.yaml"] = yamlio.dump({
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": svc, "namespace": "argocd"},
            "spec": {"project": "default", "source": source,
                     "destination": {"server": "https://kubernetes.default.svc",
                                     "namespace": namespace}}})
    return files


def report(result: Run) -> dict[str, Any]:
    assert result.code in (0, 1), result.err
    return result.json()  # type: ignore[no-any-return]


def test_per_service_values_become_generator_elements(
        cli: Callable[..., Run], repo: Callable[[dict[str, str]], Path]) -> None:
    root = repo(shop({
        svc: ("shop", {"valuesObject": {"redis": {"db": db}},
                       "parameters": [{"name": "image.tag", "value": f"1.{db}.0"}]})
        for svc, db in (("cart", 4), ("billing", 7), ("search", 12))}))
    result = report(cli("migrate", root, "--phase", "appsets", "--apply", "-o", "json"))
    (phase,) = result["phases"]
    assert phase["proof"]["unintended"] == []
    assert phase["proof"]["identical"] == 3
    created = next(c for c in phase["changes"] if c["action"] == "create")
    assert created["summary"] == "3 services; per service: image_tag, redis_db"
    appset = yamlio.load((root / "apps/services-appset.yaml").read_text(), "appset")
    elements = appset["spec"]["generators"][0]["list"]["elements"]
    assert [(e["name"], e["redis_db"], e["image_tag"]) for e in elements] == [
        ("billing", "7", "1.7.0"), ("cart", "4", "1.4.0"), ("search", "12", "1.12.0")]
    helm = appset["spec"]["template"]["spec"]["source"]["helm"]
    assert helm["values"] == "redis:\n  db: {{redis_db}}\n"
    assert helm["parameters"] == [{"name": "image.tag", "value": "{{image_tag}}"}]
    again = cli("migrate", root, "--phase", "appsets")
    assert again.code == 0
    assert "Nothing to do." in again.out


def test_applications_set_up_differently_are_left_with_the_reason(
        cli: Callable[..., Run], repo: Callable[[dict[str, str]], Path]) -> None:
    root = repo(shop({"cart": ("shop", {}), "billing": ("shop", {}), "search": ("shop", {})}))
    text = (root / "apps/search.yaml").read_text().replace(
        "  destination:", "  ignoreDifferences:\n    - kind: ConfigMap\n"
        "      jsonPointers: [/data]\n  destination:")
    (root / "apps/search.yaml").write_text(text)
    result = report(cli("migrate", root, "--phase", "appsets", "-o", "json"))
    (phase,) = result["phases"]
    assert phase["skipped"] == [{"app": "search", "reason": "set up differently from billing "
                                 "(spec.ignoreDifferences); one template cannot make both"}]
    assert phase["title"].startswith("2 service Applications become 1 ApplicationSet")


def test_a_namespace_per_service_is_an_intended_change_listed_by_kind(
        cli: Callable[..., Run], repo: Callable[[dict[str, str]], Path]) -> None:
    root = repo(shop({"cart": ("shop", {}), "billing": ("shop", {})}))
    result = cli("migrate", root, "--phase", "appsets", "--namespace-per-service")
    assert result.code == 0
    assert "intended  ConfigMap: moved to the namespace of its service (2)" in result.out
    assert "unintended: none" in result.out


def test_an_unintended_difference_aborts_the_apply(
        cli: Callable[..., Run], repo: Callable[[dict[str, str]], Path]) -> None:
    """The chart is told the Application's name; the environments phase renames the
    Applications (cart -> cart-dev), so what cart deploys would change: nothing is written."""
    helm = {"parameters": [{"name": "appName", "value": "$ARGOCD_APP_NAME"}]}
    root = repo(shop({"cart": ("shop", helm), "billing": ("shop", helm)}))
    assert cli("migrate", root, "--phase", "appsets", "--apply").code == 0
    before = {p: p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}
    result = cli("migrate", root, "--phase", "environments", "--apply")
    assert result.code == 1
    assert "UNINTENDED  ConfigMap shop/cart (cart-dev): deployed differently" in result.out
    assert '-  app: cart\n' in result.out.replace("        ", "")
    assert '+  app: cart-dev\n' in result.out.replace("        ", "")
    assert ("Nothing written: the proof of environments found unintended differences"
            in result.out)
    assert {p: p.read_text() for p in sorted(root.rglob("*")) if p.is_file()} == before
    plan = cli("migrate", root, "--phase", "environments", "-o", "json")
    assert plan.code == 1
    assert plan.json()["summary"] == {"create": 12, "update": 3, "delete": 0, "ok": False,
                                      "applied": False, "aborted": False}


@pytest.mark.parametrize(("args", "message"), [
    (("--phase", "appsets", "--envs", "dev,dev"), "--envs dev,dev: a name is given twice"),
    (("--phase", "appsets", "--envs", ""), "--envs: give at least one environment"),
    (("--phase", "secrets", "--age-key-file", "missing.txt"), "missing.txt: no such file"),
])
def test_bad_options_are_refused_with_one_line(cli: Callable[..., Run],
                                               repo: Callable[[dict[str, str]], Path],
                                               args: tuple[str, ...], message: str) -> None:
    root = repo(shop({"cart": ("shop", {})}))
    result = cli("migrate", root, *args)
    assert result.code == 2
    assert result.err.strip() == f"argoplane: error: {message}"
    assert json.dumps(result.out) == '""'

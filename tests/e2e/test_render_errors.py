"""End to end: bad input is reported with exit 2 and a precise, one-line reason."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CHART = {
    "chart/Chart.yaml": """
        apiVersion: v2
        name: web
        version: 0.1.0
    """,
    "chart/values.yaml": "replicas: 1\n",
    "chart/templates/cm.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}
        data:
          replicas: "{{ .Values.replicas }}"
    """,
}


def app(name: str, source: str, dest_ns: str = "web") -> str:
    return f"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: {name}
          namespace: argocd
        spec:
          project: default
          destination:
            server: https://kubernetes.default.svc
            namespace: {dest_ns}
{source}
    """


def helm_source(*value_files: str) -> str:
    lines = ["          source:", "            repoURL: https://git.example.com/repo.git",
             "            path: chart", "            helm:", "              valueFiles:"]
    lines += [f"                - {v}" for v in value_files]
    return "\n".join(lines)


def test_malformed_yaml_names_file_and_line(cli: Any, repo: Any) -> None:
    root = repo({
        "apps/broken.yaml": """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: broken
            spec:
              source: [unclosed
        """,
    })
    result = cli("render", root)
    assert result.code == 2
    assert "apps/broken.yaml:6: invalid YAML" in result.out + result.err
    assert "Traceback" not in result.err


def test_missing_value_file_marks_the_app_error(cli: Any, repo: Any) -> None:
    root = repo({**CHART, "web.yaml": app("web", helm_source("missing.yaml")),
                 "ok.yaml": app("ok", helm_source("values.yaml"))})
    result = cli("render", root, "-o", "json")
    assert result.code == 2
    data = result.json()
    web = next(a for a in data["applications"] if a["name"] == "web")
    assert web["status"] == "error"
    assert web["messages"][0]["text"] == "value file 'missing.yaml' not found (chart/missing.yaml)"
    ok = next(a for a in data["applications"] if a["name"] == "ok")
    assert ok["status"] == "rendered"
    assert len(ok["resources"]) == 1
    assert result.err.strip() == ("argoplane: error: web.yaml: web: value file 'missing.yaml' "
                                  "not found (chart/missing.yaml)")


def test_ignore_missing_value_files(cli: Any, repo: Any) -> None:
    source = helm_source("missing.yaml") + "\n              ignoreMissingValueFiles: true"
    root = repo({**CHART, "web.yaml": app("web", source)})
    result = cli("render", root, "-o", "json")
    assert result.code == 0
    assert result.json()["applications"][0]["status"] == "rendered"


def test_value_file_escaping_the_repo_is_refused(cli: Any, repo: Any) -> None:
    root = repo({**CHART, "web.yaml": app("web", helm_source("../../etc/passwd"))})
    result = cli("render", root, "-o", "json")
    assert result.code == 2
    (web,) = result.json()["applications"]
    assert web["status"] == "error"
    assert web["messages"][0]["text"] == (
        "file '../../etc/passwd' resolved to outside repository root")
    assert "root:" not in result.out  # nothing of /etc/passwd was read


def test_symlinked_value_file_pointing_outside_is_refused(
    cli: Any, repo: Any, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("replicas: 99\n")
    root = repo({**CHART, "web.yaml": app("web", helm_source("link.yaml"))})
    os.symlink(outside, root / "chart/link.yaml")
    result = cli("render", root, "-o", "json")
    assert result.code == 2
    (web,) = result.json()["applications"]
    assert "resolved to outside repository root" in web["messages"][0]["text"]
    assert "99" not in result.out


def test_symlinked_manifest_pointing_outside_is_refused(
    cli: Any, repo: Any, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stolen\n")
    source = ("          source:\n            repoURL: https://git.example.com/repo.git\n"
              "            path: manifests")
    root = repo({"web.yaml": app("web", source), "manifests/cm.yaml":
                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n"})
    os.symlink(outside, root / "manifests/link.yaml")
    result = cli("render", root, "-o", "json")
    assert result.code == 2
    (web,) = result.json()["applications"]
    assert web["status"] == "error"
    assert "points outside the repository" in web["messages"][0]["text"]
    assert "stolen" not in result.out


def test_app_of_apps_cycle(cli: Any, repo: Any) -> None:
    def dir_app(name: str, path: str) -> str:
        return app(name, "          source:\n            repoURL: https://git.example.com/r.git"
                         f"\n            path: {path}", dest_ns="argocd")

    root = repo({"a/app.yaml": dir_app("a", "b"), "b/app.yaml": dir_app("b", "a")})
    result = cli("render", root, "-o", "json")
    assert result.code == 2
    assert "App-of-Apps cycle" in result.err
    names = [a["name"] for a in result.json()["applications"]]
    assert names[:3] == ["a", "b", "a"]


def test_application_without_source(cli: Any, repo: Any) -> None:
    root = repo({**CHART, "web.yaml": app("web", ""),
                 "ok.yaml": app("ok", helm_source("values.yaml"))})
    result = cli("render", root, "-o", "json")
    assert result.code == 2
    assert "web: the Application has no source (spec.source or spec.sources)" in result.err
    statuses = {a["name"]: a["status"] for a in result.json()["applications"]}
    assert statuses == {"ok": "rendered", "web": "error"}


def test_unknown_generator(cli: Any, repo: Any) -> None:
    root = repo({"set.yaml": """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: things
        spec:
          generators:
            - magic: {}
          template:
            metadata:
              name: x
            spec:
              project: default
              destination: {server: https://kubernetes.default.svc, namespace: x}
              source: {repoURL: https://git.example.com/r.git, path: .}
    """})
    result = cli("render", root, "-o", "json")
    assert result.code == 2
    assert "set.yaml: ApplicationSet things: generators[0]: unknown generator 'magic'" in result.err


def test_repo_that_does_not_exist(cli: Any, tmp_path: Path) -> None:
    result = cli("render", tmp_path / "nope")
    assert result.code == 2
    assert result.err.count("\n") <= 4
    assert "Traceback" not in result.err


def test_bad_helm_template_is_an_app_error(cli: Any, repo: Any) -> None:
    root = repo({**CHART, "chart/templates/bad.yaml": "{{ .Values.nope.deeper }}\n",
                 "web.yaml": app("web", helm_source("values.yaml"))})
    result = cli("render", root, "-o", "json")
    assert result.code == 2
    (web,) = result.json()["applications"]
    assert web["status"] == "error"
    assert "helm template failed" in web["messages"][0]["text"]
    assert "bad.yaml" in web["messages"][0]["text"]


def test_jsonnet_is_reported_not_dropped(cli: Any, repo: Any) -> None:
    source = ("          source:\n            repoURL: https://git.example.com/repo.git\n"
              "            path: manifests")
    root = repo({"web.yaml": app("web", source), "manifests/main.jsonnet": "{}\n"})
    result = cli("render", root, "-o", "json")
    assert result.code == 2
    assert "manifests/main.jsonnet: jsonnet is not supported" in result.err

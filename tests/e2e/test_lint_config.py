"""End to end: lint settings in .argoplane.yaml, the ignore annotation, and exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.unit.test_checks_support import CONFIG, app, base_files, config_map, deployment, write


def _lint(cli: Any, root: Path, *args: str) -> tuple[int, list[tuple[str, str, str | None]]]:
    result = cli("lint", root, "-f", "json", *args)
    assert result.code in (0, 1), result.err
    findings = [(f["rule"], f["level"], f["app"]) for f in result.json()["findings"]]
    return result.code, sorted(findings, key=lambda f: (f[0], f[2] or ""))


def _config(**lint: Any) -> dict[str, Any]:
    return {**CONFIG, "lint": lint}


SECRET = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
          "stringData": {"password": "demo-only"}}


def _repo(tmp_path: Path, **extra: Any) -> Path:
    files = base_files(**{
        "apps/web.yaml": app("web", spec={"revisionHistoryLimit": None}),
        "legacy/secret.yaml": SECRET,
        **extra,
    })
    return write(tmp_path / "repo", files)


def test_defaults(cli: Any, tmp_path: Path) -> None:
    code, findings = _lint(cli, _repo(tmp_path))
    assert code == 1
    assert findings == [("AP009", "error", None), ("AP014", "info", "web")]


def test_disable_level_and_path_ignores(cli: Any, tmp_path: Path) -> None:
    root = _repo(tmp_path, **{".argoplane.yaml": _config(
        disable=["AP014"], level={"AP009": "warning"})})
    assert _lint(cli, root) == (0, [("AP009", "warning", None)])
    root = _repo(tmp_path, **{".argoplane.yaml": _config(
        level={"AP014": "off", "AP009": "error"}, ignore={"legacy/**": ["AP009"]})})
    assert _lint(cli, root) == (0, [])
    root = _repo(tmp_path, **{".argoplane.yaml": _config(ignore={"apps/": ["ALL"]})})
    assert _lint(cli, root) == (1, [("AP009", "error", None)])


def test_bad_settings_are_input_errors(cli: Any, tmp_path: Path) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"disable": ["AP404"]}, "lint: disable: unknown rule AP404"),
        ({"level": {"AP010": "fatal"}}, "lint: level.AP010 must be error, warning, info or off"),
        ({"ignore": ["AP010"]}, "lint: ignore must map path globs to lists of rule ids"),
        ({"severity": "error"}, "lint: unknown setting severity"),
    ]
    for lint, message in cases:
        root = _repo(tmp_path, **{".argoplane.yaml": _config(**lint)})
        result = cli("lint", root)
        assert result.code == 2
        assert result.err.startswith(f"argoplane: error: .argoplane.yaml: {message}"), \
            result.err


def test_ignore_annotation_on_applications_appsets_and_resources(cli: Any, tmp_path: Path
                                                                 ) -> None:
    appset = {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
        "metadata": {"name": "fleet", "namespace": "argocd",
                     "annotations": {"argoplane.io/ignore": "AP014"}},
        "spec": {"generators": [{"list": {"elements": [{"n": "a"}, {"n": "b"}]}}],
                 "template": {"metadata": {"name": "fleet-{{n}}"}, "spec": {
                     "project": "team",
                     "destination": {"name": "dev", "namespace": "team-{{n}}"},
                     "source": {"repoURL": CONFIG["repoURLs"][0], "path": "manifests/web"},
                     "syncPolicy": {"automated": {},
                                    "syncOptions": ["CreateNamespace=true"]}}}},
    }
    quiet = app("quiet", spec={"revisionHistoryLimit": None}, path="manifests/quiet",
                metadata={"annotations": {"argoplane.io/ignore": "ap014, AP017"}})
    secret = {**SECRET, "metadata": {"name": "token",
                                     "annotations": {"argoplane.io/ignore": "AP009"}}}
    root = _repo(tmp_path, **{
        "apps/fleet.yaml": appset, "apps/quiet.yaml": quiet,
        "manifests/quiet/deploy.yaml": deployment(replicas="1"),
        "manifests/quiet/cm.yaml": config_map("quiet"),
        "legacy/token.yaml": secret,
    })
    code, findings = _lint(cli, root)
    assert code == 1
    assert findings == [("AP009", "error", None), ("AP014", "info", "web")]


def test_warnings_alone_exit_zero_and_kube_version_flag(cli: Any, tmp_path: Path) -> None:
    old = {"apiVersion": "autoscaling/v2beta2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web"},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                       "name": "web"}, "maxReplicas": 3}}
    root = write(tmp_path / "repo", base_files(**{
        "apps/web.yaml": app("web-prod", cluster="prod", revision="main"),
        "manifests/web/hpa.yaml": old,
    }))
    code, findings = _lint(cli, root, "--kube-version", "1.25")
    assert (code, findings) == (0, [("AP018", "warning", "web-prod")])
    code, findings = _lint(cli, root, "--kube-version", "v1.26.3")
    assert code == 1
    assert ("AP017", "error", "web-prod") in findings


def test_missing_repository_is_bad_input(cli: Any, tmp_path: Path) -> None:
    result = cli("lint", tmp_path / "nope")
    assert result.code == 2
    assert "no such directory" in result.err

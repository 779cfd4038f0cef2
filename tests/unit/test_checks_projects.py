"""Lint rules about Argo CD objects and their projects: AP001-AP008, each positive and negative."""

from __future__ import annotations

import os
from pathlib import Path

from tests.unit.test_checks_support import (
    REPO_URL,
    app,
    base_files,
    config_map,
    lint_repo,
    only,
    project,
)


# -- AP001 ---------------------------------------------------------------------------------
def test_ap001_typo_points_at_the_field(tmp_path: Path) -> None:
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: team
  destination: {name: dev, namespace: team-web}
  source:
    repoURL: https://git.example.com/team/deploy.git
    targetRevison: HEAD
    path: manifests/web
  syncPolicy: {automated: {}, syncOptions: [CreateNamespace=true]}
  revisionHistoryLimit: 3
"""
    (hit,) = only(lint_repo(tmp_path, base_files(**{"apps/web.yaml": text})), "AP001")
    assert (hit.file, hit.line, hit.app, hit.level) == ("apps/web.yaml", 11, "web", "error")
    assert "spec.source.targetRevison: unknown field (did you mean 'targetRevision'?)" in \
        hit.message


def test_ap001_numbers_where_strings_belong(tmp_path: Path) -> None:
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: team
  destination: {name: dev, namespace: team-web}
  source: {repoURL: 'https://git.example.com/team/deploy.git', path: manifests/web,
           targetRevision: 1.10}
  revisionHistoryLimit: "3"
"""
    hits = only(lint_repo(tmp_path, base_files(**{"apps/web.yaml": text})), "AP001")
    messages = sorted(h.message for h in hits)
    assert len(messages) == 2
    assert "spec.revisionHistoryLimit: must be an integer, not string '3'" in messages[0]
    assert "spec.source.targetRevision: must be a string, not number 1.1 (quote it" in messages[1]


def test_ap001_projects_and_appsets_without_required_fields(tmp_path: Path) -> None:
    appset = {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
        "metadata": {"name": "fleet", "namespace": "argocd"},
        "spec": {"generators": [{"list": {"elements": [{"n": "a"}]}}],
                 "template": {"metadata": {"name": "{{n}}"}, "spec": {"project": "team"}}},
    }
    bad_project = project("other")
    bad_project["spec"]["roles"] = [{"policies": ["p, proj:other:ci, applications, get, *"]}]
    hits = only(lint_repo(tmp_path, base_files(**{"apps/fleet.yaml": appset,
                                                  "projects/other.yaml": bad_project})), "AP001")
    assert sorted((h.file, h.message.split(": ", 1)[1]) for h in hits) == [
        ("apps/fleet.yaml", "spec.template.spec.destination: is required"),
        ("projects/other.yaml", "spec.roles[0].name: is required"),
    ]


def test_ap001_valid_manifests_pass(tmp_path: Path) -> None:
    files = base_files(**{"apps/web.yaml": app("web")})
    assert only(lint_repo(tmp_path, files), "AP001") == []


# -- AP002 ---------------------------------------------------------------------------------
def test_ap002_same_name_twice(tmp_path: Path) -> None:
    files = base_files(**{"apps/a.yaml": app("web"),
                          "apps/b.yaml": app("web", namespace="team-web2")})
    (hit,) = only(lint_repo(tmp_path, files), "AP002")
    assert hit.file == "apps/b.yaml"
    assert hit.line == 4
    assert "apps/a.yaml:4" in hit.message


def test_ap002_same_name_in_other_namespaces_is_fine(tmp_path: Path) -> None:
    other = app("web", namespace="team-web2", metadata={"namespace": "team-apps"})
    files = base_files(**{"apps/a.yaml": app("web"), "apps/b.yaml": other})
    assert only(lint_repo(tmp_path, files), "AP002") == []


# -- AP003 ---------------------------------------------------------------------------------
def test_ap003_undefined_project_and_default(tmp_path: Path) -> None:
    files = base_files(**{"apps/a.yaml": app("a", project="ghost"),
                          "apps/b.yaml": app("b", project="default"),
                          "apps/c.yaml": app("c")})
    hits = only(lint_repo(tmp_path, files), "AP003")
    assert sorted((h.app, h.level, h.line) for h in hits) == [("a", "error", 7),
                                                            ("b", "warning", 7)]


# -- AP004 ---------------------------------------------------------------------------------
def test_ap004_deny_entry_and_unknown_cluster(tmp_path: Path) -> None:
    proj = project(destinations=[{"name": "*", "namespace": "team-*"},
                                 {"server": "https://dev.k8s.example",
                                  "namespace": "!team-secret"}])
    files = base_files(**{
        "projects/team.yaml": proj,
        "apps/ok.yaml": app("ok"),
        "apps/denied.yaml": app("denied", namespace="team-secret"),
        "apps/outside.yaml": app("outside", namespace="payments"),
        "apps/nowhere.yaml": app("nowhere", cluster="mars"),
        "apps/both.yaml": app("both", spec={"destination": {"server": "https://x"}}),
    })
    hits = only(lint_repo(tmp_path, files), "AP004")
    by_app = {h.app: h.message for h in hits}
    # a `!` entry matches every namespace but the one it names: `payments` is admitted
    assert set(by_app) == {"denied", "nowhere", "both"}
    assert "dev/team-secret is not permitted in project 'team'" in by_app["denied"]
    assert "'mars' is not one of the clusters" in by_app["nowhere"]
    assert "both name and server" in by_app["both"]


def test_ap004_resource_namespace_outside_the_project(tmp_path: Path) -> None:
    files = base_files(**{
        "apps/web.yaml": app("web"),
        "manifests/web/cm.yaml": [config_map("a"), config_map("b", namespace="kube-system")],
    })
    (hit,) = only(lint_repo(tmp_path, files), "AP004")
    assert (hit.file, hit.line) == ("manifests/web/cm.yaml", 12)
    assert "ConfigMap b goes to namespace kube-system" in hit.message


# -- AP005 ---------------------------------------------------------------------------------
def test_ap005_source_repos(tmp_path: Path) -> None:
    proj = project(sourceRepos=[REPO_URL, "https://charts.example.com/*"])
    chart = {"repoURL": "https://charts.example.com/stable", "chart": "redis",
             "targetRevision": "1.0.0"}
    files = base_files(**{
        "projects/team.yaml": proj,
        "apps/web.yaml": app("web"),
        "apps/chart.yaml": app("cache", spec={"source": chart}),
        "apps/other.yaml": app("other", spec={"source": {"repoURL":
                                                         "https://github.com/x/y.git"}}),
    })
    (hit,) = only(lint_repo(tmp_path, files), "AP005")
    assert hit.app == "other"
    assert "https://github.com/x/y.git is not permitted in project 'team'" in hit.message


# -- AP006 ---------------------------------------------------------------------------------
CLUSTER_ROLE = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                "metadata": {"name": "reader"}, "rules": []}


def test_ap006_cluster_scoped_kind_and_create_namespace(tmp_path: Path) -> None:
    no_namespaces = project("locked", clusterResourceWhitelist=[])
    files = base_files(**{
        "projects/locked.yaml": no_namespaces,
        "manifests/web/role.yaml": CLUSTER_ROLE,
        "apps/web.yaml": app("web"),
        "apps/api.yaml": app("api", project="locked", path="manifests/api"),
        "manifests/api/cm.yaml": config_map("api"),
    })
    hits = only(lint_repo(tmp_path, files), "AP006")
    assert sorted((h.app, h.file) for h in hits) == [("api", "apps/api.yaml"),
                                                     ("web", "manifests/web/role.yaml")]
    assert any("CreateNamespace=true creates Namespace team-api" in h.message for h in hits)


def test_ap006_whitelisted_kinds_and_custom_cluster_scoped_kinds(tmp_path: Path) -> None:
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.example.com"},
           "spec": {"group": "example.com", "scope": "Cluster",
                    "names": {"kind": "Widget", "plural": "widgets"}, "versions": []}}
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    proj = project(clusterResourceWhitelist=[{"group": "", "kind": "Namespace"},
                                             {"group": "rbac.authorization.k8s.io",
                                              "kind": "*"},
                                             {"group": "apiextensions.k8s.io", "kind": "*"}])
    files = base_files(**{"projects/team.yaml": proj, "apps/web.yaml": app("web"),
                          "manifests/web/role.yaml": CLUSTER_ROLE,
                          "manifests/web/crd.yaml": crd, "manifests/web/widget.yaml": widget})
    (hit,) = only(lint_repo(tmp_path, files), "AP006")
    assert "Widget w (cluster-scoped example.com/Widget)" in hit.message


# -- AP007 / AP008 -------------------------------------------------------------------------
CHART = {
    "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    "chart/values.yaml": "name: web\n",
    "chart/templates/cm.yaml": ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                "  name: {{ .Release.Name }}\ndata:\n  n: {{ .Values.name }}\n"),
    "chart/dev.yaml": "name: dev\n",
}


def helm_app(name: str, *value_files: str, **helm: object) -> dict[str, object]:
    return app(name, path="chart", spec={"source": {"helm": {"valueFiles": list(value_files),
                                                             **helm}}})


def test_ap007_missing_value_file_and_empty_glob(tmp_path: Path) -> None:
    files = base_files(**CHART, **{
        "apps/ok.yaml": helm_app("ok", "dev.yaml"),
        "apps/missing.yaml": helm_app("missing", "dev.yaml", "prod.yaml"),
        "apps/glob.yaml": helm_app("glob", "envs/*.yaml"),
        "apps/optional.yaml": helm_app("optional", "prod.yaml", ignoreMissingValueFiles=True),
    })
    findings = lint_repo(tmp_path, files)
    hits = only(findings, "AP007")
    assert sorted((h.app, h.file, h.line) for h in hits) == [
        ("glob", "apps/glob.yaml", 17), ("missing", "apps/missing.yaml", 18)]
    assert "value file 'prod.yaml' does not exist (chart/prod.yaml)" in \
        next(h.message for h in hits if h.app == "missing")
    assert only(findings, "AP016") == []  # the render failure is not reported twice


def test_ap008_paths_leaving_the_repository(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "values.yaml").write_text("name: x\n")

    def link(root: Path) -> None:
        os.symlink(outside, root / "chart" / "shared")

    files = base_files(**CHART, **{
        "apps/up.yaml": helm_app("up", "../../values.yaml"),
        "apps/link.yaml": helm_app("link", "shared/values.yaml"),
        "apps/path.yaml": app("path", path="../elsewhere"),
        "apps/fine.yaml": helm_app("fine", "/chart/dev.yaml"),
    })
    findings = lint_repo(tmp_path / "repo", files, prepare=link)
    hits = only(findings, "AP008")
    assert sorted(str(h.app) for h in hits) == ["link", "path", "up"]
    assert all(h.level == "error" and h.file and h.line for h in hits)
    assert {h.app for h in only(findings, "AP016")} == set()


def test_ap004_destination_outside_every_entry(tmp_path: Path) -> None:
    files = base_files(**{"apps/web.yaml": app("web", namespace="payments")})
    (hit,) = only(lint_repo(tmp_path, files), "AP004")
    assert (hit.app, hit.file, hit.line) == ("web", "apps/web.yaml", 8)
    assert "destination dev/payments is not permitted in project 'team'" in hit.message


def test_malformed_manifests_are_reported_not_crashed_on(tmp_path: Path) -> None:
    weird = app("weird", spec={"destination": "prod", "syncPolicy": ["automated"],
                               "sources": "nope", "revisionHistoryLimit": "ten",
                               "source": {"helm": {"valueFiles": "values.yaml"}}},
                metadata={"annotations": {"argoplane.io/ignore": 7}})
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": ["x"], "data": {"a": "Yg=="}}
    files = base_files(**{"apps/weird.yaml": weird, "manifests/web/secret.yaml": secret,
                          "manifests/web/list.yaml": [None, "text", 3]})
    findings = lint_repo(tmp_path, files)
    schema = only(findings, "AP001")
    assert {h.message.split(": ")[1] for h in schema} == {
        "spec.destination", "spec.syncPolicy", "spec.sources", "spec.revisionHistoryLimit",
        "spec.source.helm.valueFiles", "metadata.annotations.argoplane.io/ignore"}
    assert [h.file for h in only(findings, "AP009")] == ["manifests/web/secret.yaml"]

"""Each practice detector on both examples and on small repositories that have it partly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from argoplane.assess.model import Assessment, Practice
from argoplane.assess.run import assess_repository
from argoplane.core.snapshot import Snapshot
from tests.conftest import EXAMPLES, VIGO, write_repo

MICRO = EXAMPLES / "microservices"
REPO_URL = "https://git.example.com/platform.git"
CONFIG = f"repoURLs: [{REPO_URL}]\n"

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: 1
  selector:
    matchLabels: {app: "{{ .Release.Name }}"}
  template:
    metadata:
      labels: {app: "{{ .Release.Name }}"}
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- with .Values.secretName }}
          env:
            - name: PASSWORD
              valueFrom:
                secretKeyRef: {name: "{{ . }}", key: password}
          {{- end }}
"""
SECRET_TEMPLATE = """\
{{- if .Values.secrets }}
apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-env
stringData:
  {{- toYaml .Values.secrets | nindent 2 }}
{{- end }}
"""


def chart(name: str, *, tag: str | None = "1.0.0", secret: str | None = None,
          folder: str = "services") -> dict[str, str]:
    """A small real Helm chart for one service."""
    values = [f"image:\n  repository: registry.example.com/{name}\n"]
    values.append(f"  tag: \"{tag}\"\n" if tag else "  tag: latest\n")
    if secret:
        values.append(f"secretName: {secret}\n")
    return {
        f"{folder}/{name}/Chart.yaml": f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n",
        f"{folder}/{name}/values.yaml": "".join(values),
        f"{folder}/{name}/templates/deployment.yaml": DEPLOYMENT,
        f"{folder}/{name}/templates/secret.yaml": SECRET_TEMPLATE,
    }


def application(name: str, path: str, namespace: str, *, project: str = "default",
                extra: str = "", value_files: tuple[str, ...] = (),
                destination: str = "server: https://kubernetes.default.svc") -> str:
    helm = ""
    if value_files:
        helm = "    helm:\n      valueFiles:\n" + "".join(f"        - {v}\n"
                                                          for v in value_files)
    return (f"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n"
            f"  namespace: argocd\nspec:\n  project: {project}\n  source:\n"
            f"    repoURL: {REPO_URL}\n    targetRevision: main\n    path: {path}\n{helm}"
            f"  destination:\n    {destination}\n    namespace: {namespace}\n{extra}")


def appset(name: str, elements: list[dict[str, str]], *, app_name: str, path: str,
           namespace: str, project: str = "default", extra: str = "",
           value_files: tuple[str, ...] = ()) -> str:
    lines = [f"          - {{{', '.join(f'{k}: {v}' for k, v in e.items())}}}"
             for e in elements]
    helm = ""
    if value_files:
        helm = "        helm:\n          valueFiles:\n" + "".join(
            f"            - '{v}'\n" for v in value_files)
    return (f"apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n"
            f"  name: {name}\n  namespace: argocd\nspec:\n  generators:\n    - list:\n"
            f"        elements:\n" + "\n".join(lines) + "\n"
            f"  template:\n    metadata:\n      name: '{app_name}'\n    spec:\n"
            f"      project: '{project}'\n      source:\n        repoURL: {REPO_URL}\n"
            f"        targetRevision: main\n        path: {path}\n{helm}"
            f"      destination:\n        server: https://kubernetes.default.svc\n"
            f"        namespace: '{namespace}'\n{extra}")


def root(name: str, path: str, include: str = "*.yaml") -> str:
    return (f"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n"
            f"  namespace: argocd\nspec:\n  project: default\n  source:\n"
            f"    repoURL: {REPO_URL}\n    targetRevision: main\n    path: {path}\n"
            f"    directory:\n      include: '{include}'\n  destination:\n"
            "    server: https://kubernetes.default.svc\n    namespace: argocd\n")


def project(name: str) -> str:
    return (f"apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: {name}\n"
            f"  namespace: argocd\nspec:\n  sourceRepos: ['*']\n  destinations:\n"
            "    - {server: '*', namespace: '*'}\n")


def assess_files(tmp_path: Path, files: dict[str, str]) -> Assessment:
    root_dir = write_repo(tmp_path / "repo", {".argoplane.yaml": CONFIG, **files})
    return assess_repository(Snapshot.open(root_dir), name="repo").assessment


@pytest.fixture(scope="module")
def examples() -> dict[str, Assessment]:
    return {
        "vigo": assess_repository(Snapshot.open(VIGO), name="vigo").assessment,
        "micro": assess_repository(Snapshot.open(MICRO), name="micro").assessment,
    }


def practice(a: Assessment, practice_id: str) -> Practice:
    return a.practice(practice_id)


def texts(p: Practice) -> str:
    return "\n".join([p.summary, *(e.text for e in p.evidence), *p.notes])


# -- the two examples ------------------------------------------------------------------------
VIGO_LEVELS = {
    "renders": "full", "helm-charts": "full", "documentation": "partial",
    "environments": "full", "secrets-in-git": "full", "auto-sync": "full",
    "image-tags": "full", "applicationsets": "full", "app-of-apps": "full",
    "appprojects": "full", "namespace-per-service": "full", "multi-region": "full",
    "revision-history": "full",
}
MICRO_LEVELS = {
    "renders": "full", "helm-charts": "full", "documentation": "full",
    "environments": "none", "secrets-in-git": "none", "auto-sync": "none",
    "image-tags": "partial", "applicationsets": "none", "app-of-apps": "none",
    "appprojects": "none", "namespace-per-service": "partial", "multi-region": "none",
    "revision-history": "none",
}


@pytest.mark.parametrize("practice_id", list(VIGO_LEVELS))
def test_vigo_example_levels(examples: dict[str, Assessment], practice_id: str) -> None:
    assert practice(examples["vigo"], practice_id).level == VIGO_LEVELS[practice_id]


@pytest.mark.parametrize("practice_id", list(MICRO_LEVELS))
def test_microservices_example_levels(examples: dict[str, Assessment], practice_id: str) -> None:
    assert practice(examples["micro"], practice_id).level == MICRO_LEVELS[practice_id]


def test_scores_follow_the_reference_verdicts(examples: dict[str, Assessment]) -> None:
    vigo, micro = examples["vigo"].score, examples["micro"].score
    assert 8.5 <= vigo <= 9.5  # the reference document: about 9/10
    assert 5.5 <= micro <= 6.5  # the reference document: about 6/10
    assert vigo - micro >= 2.5
    assert examples["vigo"].grade == "production-ready"


def test_vigo_evidence_names_the_files(examples: dict[str, Assessment]) -> None:
    vigo = examples["vigo"]
    sets = practice(vigo, "applicationsets")
    assert {e.file for e in sets.evidence} >= {
        "applications/vigo/catalog/catalog-appSet.yaml",
        "applications/vigo/gateway/gateway-appSet.yaml"}
    tags = practice(vigo, "image-tags")
    assert any(e.file == "applications/vigo/catalog/production/tag.yaml" for e in tags.evidence)
    secrets = practice(vigo, "secrets-in-git")
    assert "SOPS-encrypted" in texts(secrets)
    assert any((e.file or "").endswith(".secrets.yaml") for e in secrets.evidence)
    sync = practice(vigo, "auto-sync")
    assert "ingress-nginx, postgres, sealed-secrets" in texts(sync)  # manual on purpose
    assert practice(vigo, "multi-region").summary.endswith("(in, vn)")
    assert practice(vigo, "environments").summary.endswith("(production, staging)")


def test_vigo_facts(examples: dict[str, Assessment]) -> None:
    f = examples["vigo"].facts
    assert f.services == ["catalog", "checkout", "gateway"]
    assert f.infrastructure == ["ingress-nginx", "postgres", "sealed-secrets"]
    assert (f.environments, f.regions) == (["production", "staging"], ["in", "vn"])
    assert f.projects == ["in-prod", "stag", "vn-prod"]
    assert f.roots == ["central-releases-3rd-svc", "central-releases-vigo"]
    assert (f.applications, f.applicationsets, f.charts) == (17, 3, 3)
    assert {"stag", "in-prod", "vn-prod"} <= set(f.clusters)


def test_microservices_facts_and_evidence(examples: dict[str, Assessment]) -> None:
    micro = examples["micro"]
    f = micro.facts
    assert len(f.services) == 16
    assert "common-operations-service" in f.services
    assert f.infrastructure == ["consul", "elasticsearch", "postgresql", "redis"]
    assert f.namespaces == ["core-business", "infrastructure", "support-services"]
    assert (f.environments, f.regions, f.projects) == ([], [], [])
    assert (f.applications, f.applicationsets, f.resources) == (20, 0, 58)
    assert "payment-service-secrets created by hand" in texts(practice(micro, "secrets-in-git"))
    shared = texts(practice(micro, "namespace-per-service"))
    assert "core-business: shared by 11 services" in shared
    assert "support-services: shared by 5 services" in shared
    assert "inside the values (1.6.3)" in texts(practice(micro, "image-tags"))


# -- small repositories that have a practice in part -----------------------------------------
def two_services(tmp_path: Path, **extra: str) -> Assessment:
    """`alpha` generated by an ApplicationSet (staging, production), `beta` one Application."""
    files = {
        **chart("alpha"), **chart("beta"),
        "argocd/alpha-appset.yaml": appset(
            "alpha", [{"env": "staging"}, {"env": "production"}], app_name="alpha-{{env}}",
            path="services/alpha", namespace="alpha-{{env}}", extra=extra.get("alpha", "")),
        "argocd/beta.yaml": application("beta", "services/beta", "beta",
                                        extra=extra.get("beta", "")),
    }
    return assess_files(tmp_path, files)


def test_applicationsets_for_some_services_only(tmp_path: Path) -> None:
    a = two_services(tmp_path)
    p = practice(a, "applicationsets")
    assert p.level == "partial"
    assert p.summary == "1 of 2 services are generated by 1 ApplicationSet"
    assert any(e.text == "beta: individual Application" and e.file == "argocd/beta.yaml"
               for e in p.evidence)


def test_environments_for_some_services_only(tmp_path: Path) -> None:
    p = practice(two_services(tmp_path), "environments")
    assert p.level == "partial"
    assert "alpha: production, staging (2 Applications)" in texts(p)
    assert "beta: one environment, not named" in texts(p)


def test_environments_from_value_file_folders(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {
        **chart("web"),
        "services/web/staging/values.yaml": "replicas: 1\n",
        "services/web/prod/values.yaml": "replicas: 3\n",
        "apps/web-a.yaml": application("web-a", "services/web", "web-a",
                                       value_files=("staging/values.yaml",)),
        "apps/web-b.yaml": application("web-b", "services/web", "web-b",
                                       value_files=("prod/values.yaml",)),
    })
    p = practice(a, "environments")
    assert p.level == "full"
    assert p.summary.endswith("(production, staging)")


def test_auto_sync_for_some_services_only(tmp_path: Path) -> None:
    automated = "      syncPolicy:\n        automated: {prune: true}\n"
    a = two_services(tmp_path, alpha=automated, beta="  syncPolicy: {}\n")
    p = practice(a, "auto-sync")
    assert p.level == "partial"
    assert p.summary.startswith("2 of 3 service Applications sync automatically")
    assert "beta: synced by hand (empty syncPolicy)" in texts(p)
    assert any("selfHeal is off" in n for n in p.notes)


def test_auto_sync_disabled_explicitly_is_manual(tmp_path: Path) -> None:
    off = "  syncPolicy:\n    automated: {enabled: false}\n"
    a = assess_files(tmp_path, {**chart("web"),
                                "apps/web.yaml": application("web", "services/web", "web",
                                                             extra=off)})
    assert practice(a, "auto-sync").level == "none"


def test_revision_history_for_some_services_only(tmp_path: Path) -> None:
    a = two_services(tmp_path, beta="  revisionHistoryLimit: 3\n")
    p = practice(a, "revision-history")
    assert p.level == "partial"
    assert "beta: revisionHistoryLimit 3" in texts(p)
    assert "alpha: not set (Argo CD keeps 10)" in texts(p)


def test_app_of_apps_for_some_applications_only(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {
        **chart("alpha"), **chart("beta"),
        "root.yaml": root("root", "managed"),
        "managed/alpha.yaml": application("alpha", "services/alpha", "alpha"),
        "loose/beta.yaml": application("beta", "services/beta", "beta"),
    })
    p = practice(a, "app-of-apps")
    assert p.level == "partial"
    assert p.summary == "1 of 2 Applications are deployed by 1 root Application"
    assert any(e.text == "root deploys 1 Application" and e.file == "root.yaml"
               for e in p.evidence)
    assert any(e.text.startswith("beta: applied by hand") for e in p.evidence)


def test_appprojects_for_some_applications_only(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {
        **chart("alpha"), **chart("beta"), **chart("gamma"),
        "projects/team-a.yaml": project("team-a"),
        "apps/alpha.yaml": application("alpha", "services/alpha", "alpha", project="team-a"),
        "apps/beta.yaml": application("beta", "services/beta", "beta", project="team-b"),
        "apps/gamma.yaml": application("gamma", "services/gamma", "gamma"),
    })
    p = practice(a, "appprojects")
    assert p.level == "partial"
    assert p.summary.startswith("2 of 3 Applications use 2 AppProjects other than default")
    assert any(e.file == "projects/team-a.yaml" for e in p.evidence)
    assert p.notes == ["project team-b is used but not defined in the repository"]


def test_namespace_per_service_levels(tmp_path: Path) -> None:
    shared = assess_files(tmp_path / "shared", {
        **chart("alpha"), **chart("beta"),
        "apps/alpha.yaml": application("alpha", "services/alpha", "default"),
        "apps/beta.yaml": application("beta", "services/beta", "default"),
    })
    assert practice(shared, "namespace-per-service").level == "none"
    mixed = assess_files(tmp_path / "mixed", {
        **chart("alpha"), **chart("beta"), **chart("gamma"),
        "apps/alpha.yaml": application("alpha", "services/alpha", "alpha"),
        "apps/beta.yaml": application("beta", "services/beta", "shop"),
        "apps/gamma.yaml": application("gamma", "services/gamma", "shop"),
    })
    p = practice(mixed, "namespace-per-service")
    assert p.level == "partial"
    assert "shop: shared by 2 services (beta, gamma)" in texts(p)


def test_multi_region_for_some_services_only(tmp_path: Path) -> None:
    regions = [{"env": "production", "region": "eu"}, {"env": "production", "region": "us"}]
    a = assess_files(tmp_path, {
        **chart("alpha"), **chart("beta"),
        "argocd/alpha.yaml": appset("alpha", regions, app_name="alpha-{{region}}",
                                    path="services/alpha", namespace="alpha-{{region}}"),
        "argocd/beta.yaml": application("beta", "services/beta", "beta"),
    })
    p = practice(a, "multi-region")
    assert p.level == "partial"
    assert p.summary == "1 of 2 services deploy to two or more regions (eu, us)"


def test_regions_from_value_files_that_differ_within_an_environment(tmp_path: Path) -> None:
    files = {**chart("shop")}
    for region in ("in", "vn"):
        files[f"services/shop/production/{region}.values.yaml"] = "replicas: 2\n"
    elements = [{"region": r} for r in ("in", "vn")]
    files["argocd/shop.yaml"] = appset(
        "shop", elements, app_name="shop-{{region}}-production", path="services/shop",
        namespace="shop-{{region}}-prod", value_files=("production/{{region}}.values.yaml",))
    files["argocd/shop.yaml"] = files["argocd/shop.yaml"].replace("region:", "zone_name:")
    files["argocd/shop.yaml"] = files["argocd/shop.yaml"].replace("{{region}}", "{{zone_name}}")
    a = assess_files(tmp_path, files)
    assert a.facts.regions == ["in", "vn"]
    assert practice(a, "multi-region").level == "full"


def test_image_tags_in_a_tag_file_for_some_services(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {
        **chart("alpha", tag=None), **chart("beta"),
        "services/alpha/dev/tag.yaml": "image:\n  tag: 2.0.1\n",
        "apps/alpha.yaml": application("alpha", "services/alpha", "alpha",
                                       value_files=("dev/tag.yaml",)),
        "apps/beta.yaml": application("beta", "services/beta", "beta"),
    })
    p = practice(a, "image-tags")
    assert p.level == "partial"
    assert "alpha: own tag file (2.0.1)" in texts(p)
    assert any(e.file == "services/alpha/dev/tag.yaml" for e in p.evidence)
    assert "beta: inside the values (1.0.0)" in texts(p)


def test_image_tags_as_application_parameters_count_as_their_own_place(tmp_path: Path) -> None:
    params = ("    helm:\n      parameters:\n        - {name: image.tag, value: 3.1.4}\n")
    app = application("web", "services/web", "web").replace(
        "    path: services/web\n", "    path: services/web\n" + params)
    a = assess_files(tmp_path, {**chart("web", tag=None), "apps/web.yaml": app})
    p = practice(a, "image-tags")
    assert p.level == "full"
    assert "web: Application parameters (3.1.4)" in texts(p)


def test_image_tags_unpinned_everywhere(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {**chart("web", tag=None),
                                "apps/web.yaml": application("web", "services/web", "web")})
    p = practice(a, "image-tags")
    assert p.level == "none"
    assert p.notes == ["mutable tag `latest`: web"]


def test_helm_charts_for_some_services_only(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {
        **chart("alpha"),
        "manifests/beta/deployment.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: beta}\nspec:\n"
            "  selector: {matchLabels: {app: beta}}\n  template:\n"
            "    metadata: {labels: {app: beta}}\n    spec:\n"
            "      containers: [{name: beta, image: 'registry.example.com/beta:1.2.0'}]\n"),
        "apps/alpha.yaml": application("alpha", "services/alpha", "alpha"),
        "apps/beta.yaml": application("beta", "manifests/beta", "beta"),
    })
    p = practice(a, "helm-charts")
    assert p.level == "partial"
    assert "beta: directory source, no chart" in texts(p)
    assert "beta: in the manifests (1.2.0)" in texts(practice(a, "image-tags"))


def test_secrets_sealed_for_some_services_by_hand_for_others(tmp_path: Path) -> None:
    sealed = ("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n"
              "  name: alpha-db\n  namespace: alpha\nspec:\n  encryptedData:\n"
              "    password: AgBy3i4OJSWK+PiTySYZZA==\n")
    a = assess_files(tmp_path, {
        **chart("alpha", secret="alpha-db"), **chart("beta", secret="beta-db"),
        "sealed/alpha-db.yaml": sealed,
        "apps/alpha.yaml": application("alpha", "services/alpha", "alpha"),
        "apps/alpha-secrets.yaml": application("alpha-secrets", "sealed", "alpha"),
        "apps/beta.yaml": application("beta", "services/beta", "beta"),
    })
    p = practice(a, "secrets-in-git")
    assert p.level == "partial"
    assert "SealedSecret alpha-db" in texts(p)
    assert "beta: expects beta-db created by hand" in texts(p)


def test_secrets_in_plain_text_in_git_are_partial(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {
        **chart("web"),
        "services/web/prod/secrets.yaml": "secrets:\n  PASSWORD: hunter2\n",
        "apps/web.yaml": application("web", "services/web", "web",
                                     value_files=("secrets://prod/secrets.yaml",)),
    })
    p = practice(a, "secrets-in-git")
    assert p.level == "partial"
    assert "1 plaintext secrets:// file" in texts(p)
    assert "hunter2" not in texts(p)


def test_secrets_sops_encrypted_value_files_are_in_git(tmp_path: Path) -> None:
    encrypted = (VIGO / "applications/vigo/catalog/staging/in.secrets.yaml").read_text()
    assert "sops:" in encrypted
    a = assess_files(tmp_path, {
        **chart("web"),
        "services/web/prod/secrets.yaml": encrypted,
        "apps/web.yaml": application("web", "services/web", "web",
                                     value_files=("secrets://prod/secrets.yaml",)),
    })
    p = practice(a, "secrets-in-git")
    assert p.level == "full"
    assert "web: 1 SOPS-encrypted value file" in texts(p)


def test_secrets_not_used_are_not_applicable(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {**chart("web"),
                                "apps/web.yaml": application("web", "services/web", "web")})
    assert practice(a, "secrets-in-git").level == "n/a"
    assert not practice(a, "secrets-in-git").applicable


def test_documentation_levels(tmp_path: Path) -> None:
    files = {**chart("alpha"), **chart("beta"),
             "apps/alpha.yaml": application("alpha", "services/alpha", "alpha"),
             "apps/beta.yaml": application("beta", "services/beta", "beta")}
    assert practice(assess_files(tmp_path / "none", files), "documentation").level == "none"
    files["README.md"] = "# Platform\n\nHow we deploy.\n"
    assert practice(assess_files(tmp_path / "readme", files), "documentation").level == \
        "partial"
    files["services/alpha/README.md"] = "# alpha\n"
    p = practice(assess_files(tmp_path / "services", files), "documentation")
    assert p.level == "full"
    assert "1 of 2 services with a README" in p.summary


def test_renders_partly_when_an_application_fails(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {
        **chart("alpha"), **chart("beta"),
        "apps/alpha.yaml": application("alpha", "services/alpha", "alpha"),
        "apps/beta.yaml": application("beta", "services/beta", "beta",
                                      value_files=("missing.yaml",)),
    })
    p = practice(a, "renders")
    assert p.level == "partial"
    assert p.summary == "2 Applications: 1 rendered, 0 skipped offline, 1 failed"
    assert any(e.text.startswith("beta fails: ") and e.file == "apps/beta.yaml"
               for e in p.evidence)
    assert a.errors
    assert a.errors[0].startswith("beta: ")


def test_score_leaves_out_what_does_not_apply(tmp_path: Path) -> None:
    a = assess_files(tmp_path, {**chart("web"),
                                "apps/web.yaml": application("web", "services/web", "web")})
    applicable = [p for p in a.practices if p.applicable]
    earned = sum(p.points for p in applicable)
    assert a.score == pytest.approx(round(10 * earned / sum(p.weight for p in applicable), 1),
                                    abs=0.051)


def test_infrastructure_is_told_apart_from_services(tmp_path: Path) -> None:
    remote = application("postgres", "", "db").replace(
        f"    repoURL: {REPO_URL}\n    targetRevision: main\n    path: \n",
        "    repoURL: https://charts.example.com\n    chart: postgresql\n"
        "    targetRevision: 1.0.0\n")
    a = assess_files(tmp_path, {
        **chart("web"), **chart("redis", folder="infrastructure"),
        "apps/web.yaml": application("web", "services/web", "web"),
        "apps/redis.yaml": application("redis", "infrastructure/redis", "cache"),
        "apps/postgres.yaml": remote,
    })
    assert a.facts.services == ["web"]
    assert a.facts.infrastructure == ["postgres", "redis"]


def test_examples_are_not_changed_by_assessing(tmp_path: Path) -> None:
    copy = tmp_path / "micro"
    shutil.copytree(MICRO, copy)
    before = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*"))
    assess_repository(Snapshot.open(copy), name="micro")
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*")) == before

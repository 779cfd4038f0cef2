"""End to end: `argoplane diff` on small Git repositories built in temporary folders.

Each test commits a base, changes the repository the way merge requests do, and checks the
exact diff a reviewer would read (text) or a pipeline would parse (JSON).
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run

GIT_ENV = {
    "GIT_AUTHOR_NAME": "dev", "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "dev", "GIT_COMMITTER_EMAIL": "dev@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


class GitRepo:
    """A real Git repository in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        result = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True,
                                text=True, check=True, env={**os.environ, **GIT_ENV})
        return result.stdout

    def write(self, files: dict[str, str]) -> GitRepo:
        for rel, content in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return self

    def remove(self, *rels: str) -> GitRepo:
        for rel in rels:
            (self.root / rel).unlink()
        return self

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


APPSET = """
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: shop, namespace: argocd}
spec:
  generators:
    - list:
        elements:
          - {env: staging}
          - {env: production}
  template:
    metadata: {name: 'shop-{{env}}'}
    spec:
      project: default
      destination: {server: https://kubernetes.default.svc, namespace: 'shop-{{env}}'}
      source:
        repoURL: https://git.example.com/platform.git
        path: charts/shop
        helm:
          valueFiles: ['{{env}}/tag.yaml']
"""

SHOP = {
    "apps/shop.yaml": APPSET,
    "charts/shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
    "charts/shop/.helmignore": "staging/\nproduction/\n",
    "charts/shop/values.yaml": """
        image: {repository: registry.example.com/shop, tag: latest}
        replicas: 1
        password: s3cr3t-base
    """,
    "charts/shop/templates/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}
          labels: {app: shop, tier: web}
        spec:
          replicas: {{ .Values.replicas }}
          template:
            spec:
              containers:
                - name: shop
                  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
    """,
    "charts/shop/templates/secret.yaml": """
        apiVersion: v1
        kind: Secret
        metadata: {name: {{ .Release.Name }}-db}
        stringData:
          password: {{ .Values.password | quote }}
          user: shop
    """,
    "charts/shop/staging/tag.yaml": "image: {tag: 1.1.0}\n",
    "charts/shop/production/tag.yaml": "image: {tag: 1.0.0}\n",
}


@pytest.fixture
def shop(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "platform").write(SHOP)
    repo.commit("base")
    return repo


def diff(cli: Any, repo: GitRepo, *args: str) -> Run:
    return cli("diff", *args, "--repo", repo.root)  # type: ignore[no-any-return]


def summary(result: Run) -> dict[str, Any]:
    return result.json()["summary"]  # type: ignore[no-any-return]


# -- the changes that matter -------------------------------------------------------------------
def test_tag_bump_changes_one_application(cli: Any, shop: GitRepo) -> None:
    shop.write({"charts/shop/production/tag.yaml": "image: {tag: 1.0.1}\n"})
    result = diff(cli, shop, "HEAD")
    assert result.code == 0, result.err
    head = shop.git("rev-parse", "--short=7", "HEAD").strip()
    assert result.out == textwrap.dedent(f"""\
        argoplane diff: HEAD ({head}) -> working tree
        applications: 1 changed, 0 added, 0 removed, 1 unchanged; resources: 0 added, 0 removed, 1 modified, 0 moved

        ~ shop-production  (project default, from ApplicationSet shop)
            ~ Deployment shop-production/shop-production
              @@ -10,5 +10,5 @@
                 template:
                   spec:
                     containers:
              -      - image: registry.example.com/shop:1.0.0
              +      - image: registry.example.com/shop:1.0.1
                       name: shop
        """)  # noqa: E501
    data = diff(cli, shop, "HEAD", "-o", "json").json()
    assert data["summary"] == {
        "applications": {"added": 0, "removed": 0, "changed": 1, "unchanged": 1},
        "resources": {"added": 0, "removed": 0, "modified": 1, "moved": 0},
    }
    (app,) = data["applications"]
    assert (app["name"], app["action"], app["generated_by"]) == (
        "shop-production", "changed", "shop")
    (res,) = app["resources"]
    assert {k: res[k] for k in ("action", "apiVersion", "kind", "namespace", "name")} == {
        "action": "modified", "apiVersion": "apps/v1", "kind": "Deployment",
        "namespace": "shop-production", "name": "shop-production"}
    assert "-      - image: registry.example.com/shop:1.0.0\n" in res["diff"]
    assert "+      - image: registry.example.com/shop:1.0.1\n" in res["diff"]
    assert data["base"]["revision"] == "HEAD"
    assert data["head"] == {"label": "working tree", "revision": None, "commit": None}


def test_value_file_added_to_the_generator(cli: Any, shop: GitRepo) -> None:
    shop.write({
        "apps/shop.yaml": APPSET.replace("valueFiles: ['{{env}}/tag.yaml']",
                                         "valueFiles: ['{{env}}/tag.yaml', '{{env}}/size.yaml']"),
        "charts/shop/staging/size.yaml": "replicas: 1\n",
        "charts/shop/production/size.yaml": "replicas: 3\n",
    })
    shop.commit("size per environment")
    result = diff(cli, shop, "HEAD~1", "HEAD", "-o", "json")
    assert result.code == 0, result.err
    data = result.json()
    apps = {a["name"]: a for a in data["applications"]}
    assert sorted(apps) == ["shop-production", "shop-staging"]
    assert apps["shop-staging"]["fields_changed"] == ["source"]
    assert apps["shop-staging"]["resources"] == []  # same replicas: only the source changed
    assert "+    - '{{env}}/size.yaml'" not in apps["shop-staging"]["spec_diff"]
    assert "+      - staging/size.yaml\n" in apps["shop-staging"]["spec_diff"]
    (deploy,) = apps["shop-production"]["resources"]
    assert deploy["kind"] == "Deployment"
    assert "-  replicas: 1\n+  replicas: 3" in deploy["diff"]
    # the ApplicationSet is a root manifest, not something an Application deploys
    assert summary(result)["applications"]["unchanged"] == 0


def test_appset_element_removed_removes_the_application(cli: Any, shop: GitRepo) -> None:
    shop.write({"apps/shop.yaml": APPSET.replace("          - {env: staging}\n", "")})
    shop.commit("retire staging")
    result = diff(cli, shop, "HEAD~1", "HEAD")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[1] == ("applications: 0 changed, 0 added, 1 removed, 1 unchanged; "
                        "resources: 0 added, 2 removed, 0 modified, 0 moved")
    assert "- shop-staging  (removed; project default, from ApplicationSet shop)" in lines
    assert "    - Deployment shop-staging/shop-staging  (removed)" in lines
    assert "    - Secret shop-staging/shop-staging-db  (removed)" in lines
    data = diff(cli, shop, "HEAD~1", "HEAD", "-o", "json").json()
    (app,) = data["applications"]
    assert (app["name"], app["action"]) == ("shop-staging", "removed")
    assert [r["action"] for r in app["resources"]] == ["removed", "removed"]


def test_chart_template_change_changes_every_application_of_the_chart(
        cli: Any, shop: GitRepo) -> None:
    template = SHOP["charts/shop/templates/deployment.yaml"]
    shop.write({"charts/shop/templates/deployment.yaml":
                template.replace("labels: {app: shop, tier: web}",
                                 "labels: {app: shop, tier: web, team: payments}")})
    result = diff(cli, shop, "main", "-o", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert [a["name"] for a in data["applications"]] == ["shop-production", "shop-staging"]
    for app in data["applications"]:
        (res,) = app["resources"]
        assert (res["kind"], res["action"]) == ("Deployment", "modified")
        assert res["diff"].splitlines()[1:] == [
            " metadata:", "   labels:", "     app: shop", "+    team: payments", "     tier: web",
            "   name: " + app["name"], " spec:"]


def test_renamed_resource_is_removed_and_added(cli: Any, shop: GitRepo) -> None:
    secret = SHOP["charts/shop/templates/secret.yaml"]
    shop.write({"charts/shop/templates/secret.yaml":
                secret.replace("{{ .Release.Name }}-db", "{{ .Release.Name }}-database")})
    shop.commit("rename the secret")
    data = diff(cli, shop, "HEAD~1", "HEAD", "-o", "json").json()
    assert data["summary"]["resources"] == {"added": 2, "removed": 2, "modified": 0,
                                            "moved": 0}
    for app in data["applications"]:
        env = app["name"].removeprefix("shop-")
        assert [(r["action"], r["name"]) for r in app["resources"]] == [
            ("added", f"shop-{env}-database"), ("removed", f"shop-{env}-db")]
        added = app["resources"][0]
        assert added["secret_keys_changed"] == ["password", "user"]
        assert "s3cr3t-base" not in added["diff"]
        assert "+  password: ++++++++\n" in added["diff"]


def test_secret_value_change_is_masked_and_names_the_key(cli: Any, shop: GitRepo) -> None:
    shop.write({"charts/shop/values.yaml": SHOP["charts/shop/values.yaml"].replace(
        "s3cr3t-base", "n3w-s3cr3t")})
    result = diff(cli, shop, "HEAD", "--app", "shop-staging")
    assert result.code == 0, result.err
    assert "s3cr3t" not in result.out + result.err
    head = shop.git("rev-parse", "--short=7", "HEAD").strip()
    assert result.out == textwrap.dedent(f"""\
        argoplane diff: HEAD ({head}) -> working tree
        applications: 1 changed, 0 added, 0 removed, 0 unchanged; resources: 0 added, 0 removed, 1 modified, 0 moved

        ~ shop-staging  (project default, from ApplicationSet shop)
            ~ Secret shop-staging/shop-staging-db
              Secret keys changed: password
              @@ -1,6 +1,6 @@
               apiVersion: v1
               data:
              -  password: ++++++++
              +  password: ++++++++++++
                 user: ++++++++
               kind: Secret
               metadata:
        """)  # noqa: E501
    for output in ("json", "markdown"):
        shown = diff(cli, shop, "HEAD", "-o", output)
        assert "s3cr3t" not in shown.out
    revealed = diff(cli, shop, "HEAD", "--app", "shop-staging", "--show-secrets").out
    assert "-  password: s3cr3t-base\n" in revealed.replace("      ", "")
    assert "+  password: n3w-s3cr3t\n" in revealed.replace("      ", "")


def test_resource_moved_between_applications(cli: Any, tmp_path: Path) -> None:
    def team(name: str) -> str:
        return f"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {{name: team-{name}, namespace: argocd}}
            spec:
              project: default
              destination: {{server: https://kubernetes.default.svc, namespace: shared}}
              source: {{repoURL: https://git.example.com/platform.git, path: teams/{name}}}
        """
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits}\ndata: {max: '10'}\n"
    repo = GitRepo(tmp_path / "teams").write({
        "apps/a.yaml": team("a"), "apps/b.yaml": team("b"),
        "teams/a/limits.yaml": config,
        "teams/b/quota.yaml": "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\n",
    })
    repo.commit("base")
    repo.remove("teams/a/limits.yaml").write({"teams/b/limits.yaml": config})
    result = diff(cli, repo, "HEAD")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == [
        "applications: 2 changed, 0 added, 0 removed, 0 unchanged; "
        "resources: 0 added, 0 removed, 0 modified, 1 moved",
        "",
        "~ team-a  (project default)",
        "    > ConfigMap shared/limits  (moved to team-b)",
        "",
        "~ team-b  (project default)",
        "    > ConfigMap shared/limits  (moved from team-a)",
    ]
    (moved,) = [r for a in diff(cli, repo, "HEAD", "-o", "json").json()["applications"]
                for r in a["resources"] if a["name"] == "team-b"]
    assert (moved["action"], moved["from_app"], moved["app"], moved["diff"]) == (
        "moved", "team-a", "team-b", "")


def test_key_order_is_not_a_change(cli: Any, shop: GitRepo) -> None:
    shop.write({"charts/shop/templates/deployment.yaml": """
        kind: Deployment
        spec:
          template:
            spec:
              containers:
                - image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
                  name: shop
          replicas: {{ .Values.replicas }}
        metadata:
          labels: {tier: web, app: shop}
          name: {{ .Release.Name }}
        apiVersion: apps/v1
    """})
    result = diff(cli, shop, "HEAD", "--exit-code")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[1] == "no differences (2 applications unchanged)"


def test_renamed_application_moves_resources_without_tracking_noise(
        cli: Any, shop: GitRepo) -> None:
    # a new Application name changes every resource's tracking id, and nothing else
    shop.write({"apps/shop.yaml": APPSET.replace("name: 'shop-{{env}}'", "name: 'store-{{env}}'")
                .replace("valueFiles:", "releaseName: 'shop-{{env}}'\n          valueFiles:")})
    data = diff(cli, shop, "HEAD", "-o", "json").json()
    assert data["summary"] == {
        "applications": {"added": 2, "removed": 2, "changed": 0, "unchanged": 0},
        "resources": {"added": 0, "removed": 0, "modified": 0, "moved": 4},
    }
    store = next(a for a in data["applications"] if a["name"] == "store-production")
    assert [(r["action"], r["kind"], r["from_app"], r["diff"]) for r in store["resources"]] == [
        ("moved", "Secret", "shop-production", ""), ("moved", "Deployment", "shop-production", "")]


# -- exit codes and formats --------------------------------------------------------------------
def test_exit_code_reports_differences_only_when_asked(cli: Any, shop: GitRepo) -> None:
    assert diff(cli, shop, "HEAD", "--exit-code").code == 0
    shop.write({"charts/shop/staging/tag.yaml": "image: {tag: 2.0.0}\n"})
    assert diff(cli, shop, "HEAD").code == 0
    assert diff(cli, shop, "HEAD", "--exit-code").code == 1
    assert diff(cli, shop, "HEAD", "--exit-code", "--app", "shop-production").code == 0


def test_markdown_comment_structure(cli: Any, shop: GitRepo) -> None:
    shop.write({"charts/shop/production/tag.yaml": "image: {tag: 1.0.1}\n",
                "apps/shop.yaml": APPSET.replace("- {env: production}",
                                                 "- {env: production}\n          - {env: qa}"),
                "charts/shop/qa/tag.yaml": "image: {tag: 1.2.0-rc.1}\n"})
    result = diff(cli, shop, "HEAD", "-o", "markdown")
    assert result.code == 0, result.err
    md = result.out
    assert md.startswith("### argoplane diff\n")
    assert ("| | Added | Removed | Changed | Unchanged |\n|---|---:|---:|---:|---:|\n"
            "| Applications | 1 | 0 | 1 | 1 |\n| Resources | 2 | 0 | 1 | |\n") in md
    assert md.count("<details>") == md.count("</details>") == 2
    assert md.count("```diff\n") == 2
    assert ("<summary><code>+</code> <b>shop-qa</b> · added · 2 resources: 2 added</summary>"
            in md)
    assert ("<summary><code>~</code> <b>shop-production</b> · changed · "
            "1 resource: 1 modified</summary>") in md
    assert "# ~ Deployment shop-production/shop-production (modified)\n" in md
    assert "Cut to stay under" not in md


def test_markdown_stays_under_the_size_limit(cli: Any, shop: GitRepo) -> None:
    big = "\n".join(f"  key{i:04d}: value-{i}" for i in range(2000))
    shop.write({"charts/shop/templates/big.yaml":
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n" + big + "\n",
                "charts/shop/production/tag.yaml": "image: {tag: 1.0.1}\n"})
    full = diff(cli, shop, "HEAD", "-o", "markdown").out
    assert len(full) > 60_000
    result = diff(cli, shop, "HEAD", "-o", "markdown", "--max-size", "20000")
    assert result.code == 0, result.err
    md = result.out
    assert len(md) <= 20_000
    # the small diff stays whole; the two large ones are cut and named
    assert "+      - image: registry.example.com/shop:1.0.1" in md
    assert "> Cut to stay under the comment size limit: 2 diffs truncated" in md
    assert "> - shop-production: + ConfigMap shop-production/big (added), " in md
    assert "> - shop-staging: + ConfigMap shop-staging/big (added), " in md
    assert md.count("<details>") == md.count("</details>") == 2
    assert md.count("```diff\n") == 2


def test_context_lines(cli: Any, shop: GitRepo) -> None:
    shop.write({"charts/shop/production/tag.yaml": "image: {tag: 1.0.1}\n"})
    (res,) = diff(cli, shop, "HEAD", "-o", "json", "--context", "0").json()[
        "applications"][0]["resources"]
    assert res["diff"] == ("@@ -13 +13 @@\n-      - image: registry.example.com/shop:1.0.0\n"
                           "+      - image: registry.example.com/shop:1.0.1")


def test_range_forms(cli: Any, shop: GitRepo) -> None:
    shop.git("checkout", "-q", "-b", "feature")
    shop.write({"charts/shop/production/tag.yaml": "image: {tag: 1.0.1}\n"})
    shop.commit("bump")
    shop.git("checkout", "-q", "main")
    shop.write({"charts/shop/staging/tag.yaml": "image: {tag: 9.9.9}\n"})
    shop.commit("unrelated change on main")
    two_dots = diff(cli, shop, "main..feature", "-o", "json").json()
    assert [a["name"] for a in two_dots["applications"]] == ["shop-production", "shop-staging"]
    # what the merge request changes: from where feature forked off main
    three_dots = diff(cli, shop, "main...feature", "-o", "json").json()
    assert [a["name"] for a in three_dots["applications"]] == ["shop-production"]
    assert three_dots["base"]["label"].startswith("merge-base of main and feature (")


def test_head_that_fails_to_render_exits_2(cli: Any, shop: GitRepo) -> None:
    shop.write({"charts/shop/templates/deployment.yaml": "{{ .Values.nope.deeper }}\n"})
    result = diff(cli, shop, "HEAD", "-o", "json")
    assert result.code == 2
    assert result.json()["errors"]["head"]
    assert "argoplane: error: shop-" in result.err
    assert "nil pointer" in result.err or "deeper" in result.err

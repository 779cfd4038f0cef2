"""Cluster, git, matrix and merge generators: behaviour the Argo CD vectors do not pin down."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from argoplane.argocd.appset import expand, generator_params, validate_applications
from argoplane.argocd.generators.base import Cluster, GeneratorContext, ParamSet
from argoplane.argocd.generators.git import git_file_params
from argoplane.argocd.generators.merge import merge_key_index
from argoplane.argocd.generators.params import go_json, go_path_dir, sanitize_name
from argoplane.argocd.generators.repos import CheckoutRepos
from argoplane.argocd.generators.transform import interpolate_generator
from argoplane.core.errors import GeneratorError

URL = "https://git.example.com/platform/repo.git"
CLUSTERS = (
    Cluster("dev", "https://dev.example", {"env": "dev"}),
    Cluster("prod", "https://prod.example", {"env": "prod"}, {"owner": "sre"}, "team-a"),
)


def write(root: Path, files: Mapping[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def ctx(root: Path | None = None, **kw: Any) -> GeneratorContext:
    return GeneratorContext(appset_name="s", repo_dir=lambda _url: root, **kw)


def params(entry: Mapping[str, Any], context: GeneratorContext) -> list[ParamSet]:
    return generator_params(entry, context)


def git_files(pattern: str, exclude: str | None = None) -> dict[str, Any]:
    files: list[dict[str, Any]] = [{"path": pattern}]
    if exclude:
        files.append({"path": exclude, "exclude": True})
    return {"git": {"repoURL": URL, "files": files}}


def paths(result: list[ParamSet]) -> list[str]:
    return [f"{p['path']}/{p['path.filename']}" for p in result]


# -- clusters ------------------------------------------------------------------------------
def test_clusters_keep_the_given_order_with_in_cluster_last() -> None:
    result = params({"clusters": {}}, ctx(clusters=CLUSTERS))
    assert [p["name"] for p in result] == ["dev", "prod", "in-cluster"]
    assert result[1]["project"] == "team-a"
    assert result[1]["metadata.annotations.owner"] == "sre"
    # a configured cluster gets the label every cluster Secret has
    assert result[0]["metadata.labels.argocd.argoproj.io/secret-type"] == "cluster"
    assert not any(k.startswith("metadata.") for k in result[2])


def test_clusters_with_the_same_name_collapse_later_wins() -> None:
    clusters = (*CLUSTERS, Cluster("dev", "https://dev-2.example", {"env": "dev"}))
    result = params({"clusters": {}}, ctx(clusters=clusters))
    assert [(p["name"], p["server"]) for p in result] == [
        ("dev", "https://dev-2.example"), ("prod", "https://prod.example"),
        ("in-cluster", "https://kubernetes.default.svc")]


def test_no_in_cluster_entry_when_a_secret_has_its_server() -> None:
    local = Cluster("local", "https://kubernetes.default.svc", {})
    result = params({"clusters": {}}, ctx(clusters=(local,)))
    assert [p["name"] for p in result] == ["local"]


def test_cluster_selector_matches_secret_labels() -> None:
    entry = {"clusters": {"selector": {"matchLabels": {"env": "prod"}}}}
    assert [p["name"] for p in params(entry, ctx(clusters=CLUSTERS))] == ["prod"]
    entry = {"clusters": {"selector": {"matchLabels": {"env": "qa"}}}}
    assert params(entry, ctx(clusters=CLUSTERS)) == []


def test_cluster_flat_list_and_go_template_metadata() -> None:
    (flat,) = params({"clusters": {"flatList": True}},
                     ctx(clusters=CLUSTERS, go_template=True))
    assert [c["name"] for c in flat["clusters"]] == ["dev", "prod", "in-cluster"]
    assert flat["clusters"][1]["metadata"] == {
        "annotations": {"owner": "sre"},
        "labels": {"env": "prod", "argocd.argoproj.io/secret-type": "cluster"}}
    assert flat["clusters"][0]["metadata"] == {
        "labels": {"env": "dev", "argocd.argoproj.io/secret-type": "cluster"}}


def test_cluster_values_are_rendered_per_cluster_not_against_each_other() -> None:
    entry = {"clusters": {"values": {"ns": "apps-{{metadata.labels.env}}",
                                     "again": "{{values.ns}}"}}}
    result = params(entry, ctx(clusters=CLUSTERS[:1]))
    assert result[0]["values.ns"] == "apps-dev"
    assert result[0]["values.again"] == "{{values.ns}}"
    assert result[1]["values.ns"] == "apps-{{metadata.labels.env}}"  # in-cluster: no labels


def test_values_must_be_strings() -> None:
    with pytest.raises(GeneratorError, match="must be a string"):
        params({"clusters": {"values": {"replicas": 3}}}, ctx())


# -- git directories -----------------------------------------------------------------------
def test_directory_listing_is_preorder_and_skips_hidden_and_symlinked_dirs(
        tmp_path: Path) -> None:
    root = write(tmp_path, {"a/x/f": "", "a-b/f": "", ".hidden/y/f": "", "b/.cache/f": ""})
    (root / "link").symlink_to(root / "a", target_is_directory=True)
    assert CheckoutRepos(lambda _u: root).directories(URL, "") == ["a", "a/x", "a-b", "b"]


def test_directory_patterns_use_path_match(tmp_path: Path) -> None:
    root = write(tmp_path, {"apps/web/f": "", "apps/web/overlay/f": "", "apps/api/f": ""})
    entry = {"git": {"repoURL": URL, "directories": [{"path": "apps/*"},
                                                     {"path": "apps/api", "exclude": True}]}}
    result = params(entry, ctx(root))
    assert result == [{"path": "apps/web", "path.basename": "web",
                       "path.basenameNormalized": "web", "path[0]": "apps", "path[1]": "web"}]


def test_git_repository_not_available_offline() -> None:
    entry = {"git": {"repoURL": URL, "revision": "v1", "directories": [{"path": "*"}]}}
    with pytest.raises(GeneratorError, match=r"repository '.*repo.git' \(revision v1\) is "
                                             r"not available offline"):
        params(entry, ctx(None))


def test_git_generator_needs_directories_or_files() -> None:
    with pytest.raises(GeneratorError, match="ApplicationSet is empty"):
        params({"git": {"repoURL": URL}}, ctx())


# -- git files -----------------------------------------------------------------------------
def test_old_globbing_star_crosses_slash_new_globbing_does_not(tmp_path: Path) -> None:
    root = write(tmp_path, {"conf/a.json": "{}", "conf/deep/b.json": "{}", "c.json": "{}"})
    old = params(git_files("conf/*.json"), ctx(root))
    new = params(git_files("conf/*.json"), ctx(root, new_git_file_globbing=True))
    assert paths(old) == ["conf/a.json", "conf/deep/b.json"]
    assert paths(new) == ["conf/a.json"]
    # `**/x`: git needs the slash, doublestar also matches a top-level file
    assert paths(params(git_files("**/c.json"), ctx(root))) == []
    assert paths(params(git_files("**/c.json"), ctx(root, new_git_file_globbing=True))) == [
        "./c.json"]


def test_a_pattern_without_wildcards_is_a_folder_prefix_in_old_globbing(
        tmp_path: Path) -> None:
    root = write(tmp_path, {"p1/a.yaml": "", "p1/q/b.yaml": "", "p10/c.yaml": ""})
    assert paths(params(git_files("p1", exclude="p1/q"), ctx(root))) == ["p1/a.yaml"]


def test_new_globbing_fails_on_a_matching_directory_like_argo(tmp_path: Path) -> None:
    root = write(tmp_path, {"conf/a/x.json": "{}"})
    with pytest.raises(GeneratorError, match="is a directory"):
        params(git_files("conf/*"), ctx(root, new_git_file_globbing=True))


@pytest.mark.parametrize("pattern", ["../secrets/*.json", "/etc/*.json", "a/../../x.json"])
def test_files_patterns_may_not_leave_the_repository(tmp_path: Path, pattern: str) -> None:
    root = write(tmp_path / "repo", {"a.json": "{}"})
    with pytest.raises(GeneratorError, match="outside the repository"):
        params(git_files(pattern), ctx(root))


def test_symlinked_file_outside_the_repository(tmp_path: Path) -> None:
    root = write(tmp_path / "repo", {"in.json": "{}"})
    write(tmp_path, {"secret.json": '{"token": "x"}'})
    (root / "leak.json").symlink_to(tmp_path / "secret.json")
    with pytest.raises(GeneratorError, match="points outside the repository"):
        params(git_files("*.json"), ctx(root))
    new = params(git_files("*.json"), ctx(root, new_git_file_globbing=True))
    assert paths(new) == ["./in.json"]  # doublestar globbing drops it, as Argo does


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_work_tree_lists_files_like_git_ls_files(tmp_path: Path) -> None:
    root = write(tmp_path, {".gitignore": "build/\n", "conf/a.json": "{}",
                            "build/b.json": "{}", "new/c.json": "{}"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", ".gitignore", "conf"], check=True)
    result = params(git_files("*.json"), ctx(root))
    # tracked and untracked files are seen, ignored ones are not
    assert paths(result) == ["conf/a.json", "new/c.json"]


def test_file_content_is_flattened_with_go_formatting() -> None:
    content = ('{"n": 1000000, "f": 1.5, "small": 0.00001, "b": true, "z": null, '
               '"list": ["a", {"k": 2}], "empty": {}, "path": "overwritten"}')
    (result,) = git_file_params("config.json", content, {}, go_template=False)
    assert result == {
        "n": "1e+06", "f": "1.5", "small": "1e-05", "b": "true", "z": "<nil>",
        "list.0": "a", "list.1.k": "2",
        "path": ".", "path.basename": ".", "path.filename": "config.json",
        "path.basenameNormalized": "", "path.filenameNormalized": "config.json",
        "path[0]": "."}


def test_go_template_keeps_numbers_as_go_float64() -> None:
    (result,) = git_file_params("a/b.yaml", "replicas: 1000000\nname: x\n", {"r": "{{.replicas}}"},
                                go_template=True)
    assert result["replicas"] == 1000000.0
    assert isinstance(result["replicas"], float)
    assert result["values"] == {"r": "1e+06"}  # how Go's text/template prints a float64
    assert result["path"]["segments"] == ["a"]


def test_yaml_dates_and_non_string_keys_become_strings() -> None:
    (result,) = git_file_params("x.yaml", "released: 2024-03-05\n1: one\n", {},
                                go_template=True)
    assert result["released"] == "2024-03-05"
    assert result["1"] == "one"


@pytest.mark.parametrize(("content", "count"), [("[]", 0), ("- a: '1'\n- null\n", 2),
                                                ("\n", 1)])
def test_file_lists_and_empty_files(content: str, count: int) -> None:
    assert len(git_file_params("x.yaml", content, {}, go_template=False)) == count


def test_a_list_of_scalars_is_not_a_param_file() -> None:
    with pytest.raises(GeneratorError, match="unable to parse file"):
        git_file_params("x.yaml", "- a\n- b\n", {}, go_template=False)


def test_file_errors_name_the_file_and_repository(tmp_path: Path) -> None:
    root = write(tmp_path, {"c/ok.yaml": "a: '1'\n", "c/bad.yaml": "a: [\n"})
    with pytest.raises(GeneratorError, match=r"unable to process file 'c/bad.yaml' from "
                                             r"repository 'https://git.example.com"):
        params(git_files("c/*.yaml"), ctx(root))


# -- matrix --------------------------------------------------------------------------------
def test_matrix_interpolates_the_second_child_per_row(tmp_path: Path) -> None:
    root = write(tmp_path, {"envs/dev/c.json": '{"replicas": 1}',
                            "envs/prod/c.json": '{"replicas": 3}'})
    entry = {"matrix": {"generators": [
        {"list": {"elements": [{"env": "prod"}, {"env": "dev"}]}},
        {"git": {"repoURL": URL, "files": [{"path": "envs/{{env}}/c.json"}]}},
    ]}}
    result = params(entry, ctx(root))
    assert [(p["env"], p["replicas"]) for p in result] == [("prod", "3"), ("dev", "1")]


def test_matrix_fasttemplate_conflict_and_agreement() -> None:
    same = {"matrix": {"generators": [{"list": {"elements": [{"a": "1", "b": "x"}]}},
                                      {"list": {"elements": [{"a": "1", "c": "y"}]}}]}}
    assert params(same, ctx()) == [{"a": "1", "b": "x", "c": "y"}]
    clash = {"matrix": {"generators": [{"list": {"elements": [{"a": "1"}]}},
                                       {"list": {"elements": [{"a": "2"}]}}]}}
    with pytest.raises(GeneratorError, match="found duplicate key a with different value, "
                                             "a: 1 ,b: 2"):
        params(clash, ctx())


def test_matrix_go_template_deep_merge_first_child_wins() -> None:
    entry = {"matrix": {"generators": [
        {"list": {"elements": [{"m": {"x": 1, "shared": "first"}}]}},
        {"list": {"elements": [{"m": {"y": 2, "shared": "second"}, "other": True}]}},
    ]}}
    assert params(entry, ctx(go_template=True)) == [
        {"m": {"y": 2, "shared": "first", "x": 1}, "other": True}]


def test_matrix_child_selector_and_empty_child() -> None:
    entry = {"matrix": {"generators": [
        {"list": {"elements": [{"a": "1"}, {"a": "2"}]}, "selector": {"matchLabels": {"a": "2"}}},
        {"list": {"elements": [{"b": "x"}]}},
    ]}}
    assert params(entry, ctx()) == [{"a": "2", "b": "x"}]
    empty = {"matrix": {"generators": [{"list": {"elements": []}},
                                       {"list": {"elements": [{"b": "x"}]}}]}}
    assert params(empty, ctx()) == []


@pytest.mark.parametrize(("children", "message"), [
    ([{"list": {"elements": []}}] * 3, "found more than two generators, Matrix support only two"),
    ([{"list": {"elements": [{"a": "1"}]}}, {"selector": {}}],
     "child generator generated no parameters"),
    ([{"list": {"elements": [{"a": "1"}]}}, {"lists": {}}],
     "child generator generated no parameters (unknown generator type: lists)"),
    ([{"list": {"elements": [{"a": "1"}]}}, {"scmProvider": {"github": {}}}],
     "the scmProvider generator cannot be evaluated offline"),
])
def test_matrix_errors(children: list[Any], message: str) -> None:
    with pytest.raises(GeneratorError) as info:
        params({"matrix": {"generators": children}}, ctx())
    assert message in info.value.message


def test_matrix_and_merge_nest_two_levels_only() -> None:
    leaf = {"list": {"elements": [{"a": "1"}]}}
    two = {"matrix": {"generators": [{"matrix": {"generators": [leaf, {"list": {
        "elements": [{"b": "2"}]}}]}}, {"list": {"elements": [{"c": "3"}]}}]}}
    assert params(two, ctx()) == [{"a": "1", "b": "2", "c": "3"}]
    three = {"matrix": {"generators": [
        {"matrix": {"generators": [{"merge": {"mergeKeys": ["a"], "generators": [leaf, leaf]}},
                                   leaf]}},
        leaf]}}
    with pytest.raises(GeneratorError, match="nested only two levels deep"):
        params(three, ctx())


def test_matrix_template_of_the_entry_is_used_children_templates_are_not() -> None:
    appset = {"metadata": {"name": "m"}, "spec": {
        "generators": [{"matrix": {
            "template": {"metadata": {"name": "from-matrix-{{a}}-{{b}}"}},
            "generators": [{"list": {"elements": [{"a": "1"}],
                                     "template": {"metadata": {"name": "child-{{a}}"}}}},
                           {"list": {"elements": [{"b": "2"}]}}]}}],
        "template": {"metadata": {"name": "base"},
                     "spec": {"project": "p", "destination": {"namespace": "x"}}}}}
    result = expand(appset, ctx(), "argocd")
    assert [a["metadata"]["name"] for a in result.applications] == ["from-matrix-1-2"]


def test_values_pre_resolution_keeps_missing_keys_and_reports_other_errors() -> None:
    entry = {"clusters": {"values": {"env": "{{.path.basename}}", "self": "{{.name}}"}}}
    out = interpolate_generator(entry, {"path": {"basename": "web"}}, True, ("missingkey=zero",))
    assert out == {"clusters": {"values": {"env": "web", "self": "{{.name}}"}}}
    broken = {"git": {"values": {"x": "{{ .a | nosuchfunc }}"}}}
    with pytest.raises(GeneratorError, match='failed to pre-resolve Values key "x"'):
        interpolate_generator(broken, {"a": "b"}, True)
    # nothing is rendered with an empty param set
    assert interpolate_generator({"list": {"elements": [{"x": "{{y}}"}]}}, {}, False) == {
        "list": {"elements": [{"x": "{{y}}"}]}}


def test_generator_overrides_in_the_context_reach_nested_children() -> None:
    def fake_git(spec: Mapping[str, Any], context: GeneratorContext) -> list[ParamSet]:
        assert spec == {"repoURL": "nowhere"}
        assert context.nesting == 1
        return [{"path": "x"}]

    entry = {"matrix": {"generators": [{"git": {"repoURL": "nowhere"}},
                                       {"list": {"elements": [{"b": "{{path}}"}]}}]}}
    assert params(entry, ctx(generators={"git": fake_git})) == [{"path": "x", "b": "x"}]


# -- merge ---------------------------------------------------------------------------------
def test_merge_is_a_left_join_in_first_child_order() -> None:
    entry = {"merge": {"mergeKeys": ["name"], "generators": [
        {"list": {"elements": [{"name": "b", "v": "1"}, {"name": "a", "v": "1"}]}},
        {"list": {"elements": [{"name": "a", "v": "2"}, {"name": "zzz", "v": "9"}]}},
    ]}}
    assert params(entry, ctx()) == [{"name": "b", "v": "1"}, {"name": "a", "v": "2"}]


def test_merge_go_template_deep_merge_later_wins() -> None:
    entry = {"merge": {"mergeKeys": ["name"], "generators": [
        {"list": {"elements": [{"name": "a", "m": {"x": 1, "y": 1}}]}},
        {"list": {"elements": [{"name": "a", "m": {"y": 2}}]}},
    ]}}
    assert params(entry, ctx(go_template=True)) == [{"name": "a", "m": {"x": 1, "y": 2}}]


def test_merge_go_template_nested_keys_are_not_looked_up() -> None:
    entry = {"merge": {"mergeKeys": ["path.basename"], "generators": [
        {"list": {"elements": [{"path": {"basename": "a"}}, {"path": {"basename": "b"}}]}},
        {"list": {"elements": [{"x": "1"}]}},
    ]}}
    with pytest.raises(GeneratorError, match=r'Duplicate key was \{"path.basename":null\}'):
        params(entry, ctx(go_template=True))


def test_merge_errors() -> None:
    one = {"merge": {"mergeKeys": ["a"], "generators": [{"list": {"elements": []}}]}}
    with pytest.raises(GeneratorError, match="found less than two generators, Merge requires"):
        params(one, ctx())
    no_keys: dict[str, Any] = {"merge": {"generators": [{"list": {"elements": []}}] * 2}}
    with pytest.raises(GeneratorError, match="no merge keys were specified"):
        params(no_keys, ctx())


def test_merge_key_json_is_go_json() -> None:
    index = merge_key_index(["k"], [{"k": "<a&b>"}, {"k": 1e21}, {"k": 3.0}, {"k": 1e-7}])
    assert list(index) == ['{"k":"\\u003ca\\u0026b\\u003e"}', '{"k":1e+21}', '{"k":3}',
                           '{"k":1e-7}']
    assert go_json({"b": [True, None], "a": "é\n"}) == '{"a":"é\\n","b":[true,null]}'


# -- helpers and validation ----------------------------------------------------------------
@pytest.mark.parametrize(("name", "normalized"), [
    ("-.--CLUSTER/name  -./.-", "cluster-name"), ("production_01/west", "production-01-west"),
    ("a" * 300, "a" * 253)])
def test_sanitize_name(name: str, normalized: str) -> None:
    assert sanitize_name(name) == normalized


@pytest.mark.parametrize(("path", "directory"), [("a/b/c.json", "a/b"), ("c.json", "."),
                                                 ("./x//y/c", "x/y")])
def test_go_path_dir(path: str, directory: str) -> None:
    assert go_path_dir(path) == directory


def test_validate_applications_destinations() -> None:
    def app(app_name: str, **destination: str) -> dict[str, Any]:
        return {"metadata": {"name": app_name, "namespace": "argocd"},
                "spec": {"project": "default", "destination": destination}}

    clusters = (*CLUSTERS, Cluster("twin", "https://t1"), Cluster("twin", "https://t2"))
    errors = validate_applications("set", [
        app("ok-name", name="prod"), app("ok-server", server="https://prod.example/"),
        app("ok-local", name="in-cluster"), app("unknown", server="https://nope"),
        app("twin", name="twin"), app("none"), app("ok-name", name="dev"),
        {"metadata": {"name": "lost"}, "spec": {"project": "nope",
                                                "destination": {"name": "dev"}}},
    ], projects={"default"}, clusters=clusters)
    assert errors == {
        "argocd/unknown": 'application destination spec is invalid: error getting cluster '
                          'by server "https://nope": rpc error: code = NotFound desc = '
                          'cluster "https://nope" not found',
        "argocd/twin": "application destination spec is invalid: there are 2 clusters with "
                       "the same name: [https://t1 https://t2]",
        "argocd/none": "application destination spec is invalid: Destination server missing "
                       "from app spec",
        "argocd/ok-name": "ApplicationSet set contains applications with duplicate name: "
                          "ok-name",
        "lost": "application references project nope which does not exist",
    }

"""Argo CD behaviours fixed alongside the vector suite that the vectors do not pin down."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from argoplane.argocd.appset import (
    apply_template_patch,
    expand,
    flatten_params,
    go_sprint,
    select_params,
)
from argoplane.argocd.generators.base import GeneratorContext
from argoplane.argocd.templating.fasttemplate import replace
from argoplane.argocd.tracking import set_app_instance, truncate_label
from argoplane.core.config import Config
from argoplane.core.errors import GeneratorError, RenderError
from argoplane.render.directory import parse_manifest_file
from argoplane.render.helm.backends import template_args
from argoplane.render.helm.source import helm_request, ref_sources
from argoplane.render.helm.values import envsubst
from argoplane.render.sources import source_type

CTX = GeneratorContext(appset_name="s")


# -- selector ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "text"),
    [(1000000, "1e+06"), (1234567, "1.234567e+06"), (123456, "123456"), (1.5, "1.5"),
     (0.00001, "1e-05"), (True, "true"), (None, "<nil>"), ("x", "x")],
)
def test_selector_values_print_like_go(value: Any, text: str) -> None:
    assert go_sprint(value) == text


def test_selector_flattens_nested_params() -> None:
    assert flatten_params({"a": {"b": [1, {"c": None}], "empty": {}}, "s": "x"}) == {
        "a.b.0": "1", "a.b.1.c": "<nil>", "s": "x"}


def test_selector_operators() -> None:
    params = [{"env": "prod"}, {"env": "dev"}, {"other": "x"}]
    not_in = {"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["dev"]}]}
    assert select_params(params, not_in) == [{"env": "prod"}, {"other": "x"}]
    exists = {"matchExpressions": [{"key": "env", "operator": "Exists"}]}
    assert select_params(params, exists) == [{"env": "prod"}, {"env": "dev"}]
    assert select_params(params, {}) == params
    assert select_params(params, {"matchLabels": {"env": "prod"}}) == [{"env": "prod"}]


def test_selector_keys_are_validated_but_values_are_not() -> None:
    url = {"matchLabels": {"server": "https://kubernetes.default.svc"}}
    assert select_params([{"server": "https://kubernetes.default.svc"}], url)
    with pytest.raises(GeneratorError, match="error parsing label selector"):
        select_params([{}], {"matchLabels": {"bad key": "x"}})
    with pytest.raises(GeneratorError, match="values set can't be empty"):
        select_params([{}], {"matchExpressions": [{"key": "a", "operator": "In"}]})


def test_expand_applies_the_selector() -> None:
    appset = {"metadata": {"name": "s", "namespace": "ns"}, "spec": {
        "generators": [{"list": {"elements": [{"c": "a"}, {"c": "b"}]},
                        "selector": {"matchLabels": {"c": "b"}}}],
        "template": {"metadata": {"name": "{{c}}"}, "spec": {"project": "p"}}}}
    result = expand(appset, CTX, "ns")
    assert [a["metadata"]["name"] for a in result.applications] == ["b"]
    assert result.params == [[{"c": "b"}]]


# -- templatePatch -------------------------------------------------------------------------
def test_template_patch_is_rendered_and_merged() -> None:
    appset = {"metadata": {"name": "s", "namespace": "ns"}, "spec": {
        "generators": [{"list": {"elements": [{"c": "a", "v": "prod"}]}}],
        "template": {"metadata": {"name": "{{c}}"},
                     "spec": {"project": "p", "source": {"repoURL": "r", "path": "x"}}},
        "templatePatch": "metadata:\n  labels:\n    env: '{{v}}'\nspec:\n  project: other\n"
                         "  source:\n    helm:\n      valueFiles: ['{{v}}.yaml']\n"}}
    (app,) = expand(appset, CTX, "ns").applications
    assert app["metadata"]["labels"] == {"env": "prod"}
    assert app["spec"]["source"] == {"repoURL": "r", "path": "x",
                                     "helm": {"valueFiles": ["prod.yaml"]}}
    assert app["spec"]["project"] == "p"  # the patch cannot change the project


def test_template_patch_null_deletes_and_lists_are_replaced() -> None:
    app = {"metadata": {"name": "a", "finalizers": ["x", "y"]},
           "spec": {"project": "p", "syncPolicy": {"automated": {}}}}
    patched = apply_template_patch(
        app, '{"metadata": {"finalizers": ["z"]}, "spec": {"syncPolicy": null}}', {"k": "v"},
        go_template=False)
    assert patched["metadata"]["finalizers"] == ["z"]
    assert "syncPolicy" not in patched["spec"]


# -- templating, list ----------------------------------------------------------------------
def test_fasttemplate_empty_tag_is_never_substituted() -> None:
    assert replace("{{ }}-{{}}", {"": "x"}) == "{{ }}-{{}}"


def test_list_null_element_is_an_empty_param_set() -> None:
    appset = {"metadata": {"name": "s"}, "spec": {
        "generators": [{"list": {"elements": [None]}}],
        "template": {"metadata": {"name": "fixed"}, "spec": {}}}}
    assert expand(appset, CTX, "argocd").params == [[{}]]


# -- tracking ------------------------------------------------------------------------------
def test_short_label_values_are_not_stripped() -> None:
    assert truncate_label("app-") == "app-"
    assert truncate_label("a" * 62 + "-" + "b" * 5) == "a" * 62


def test_unknown_tracking_method_falls_back_to_annotation() -> None:
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "m"}}
    set_app_instance(obj, "app", method="bogus", namespace="ns")
    assert obj["metadata"]["annotations"] == {
        "argocd.argoproj.io/tracking-id": "app:/ConfigMap:ns/m"}


# -- directory -----------------------------------------------------------------------------
def test_parse_errors_name_the_file_like_argo() -> None:
    with pytest.raises(RenderError) as info:
        parse_manifest_file("apps/x/list.json", '{"kind": "A"} {"kind": "B"}')
    assert info.value.message.startswith('Found multiple objects in "list.json".')
    assert info.value.file == "apps/x/list.json"


def test_all_default_tool_blocks_do_not_force_a_type(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("name: c\n")
    assert source_type({"directory": {"recurse": False}}, tmp_path) == "helm"
    assert source_type({"directory": {"include": "*.yaml"}}, tmp_path) == "directory"
    assert source_type({"helm": {"valueFiles": []}}, tmp_path) == "helm"
    (tmp_path / "Chart.yaml").unlink()
    assert source_type({"helm": {}}, tmp_path) == "directory"
    assert source_type({"helm": {"releaseName": "r"}}, tmp_path) == "helm"
    with pytest.raises(RenderError, match="multiple application sources defined: Kustomize,Helm"):
        source_type({"helm": {"releaseName": "r"}, "kustomize": {"namePrefix": "p"}}, tmp_path)


# -- helm ----------------------------------------------------------------------------------
def test_envsubst_names_are_ascii() -> None:
    assert envsubst("$K-x", {"K": "k"}) == "k-x"
    assert envsubst("$\u212a", {"\u212a": "x"}) == "$\u212a"  # KELVIN SIGN is not a name
    assert envsubst("$$A ${B", {"A": "a"}) == "$A B"


def _request(tmp_path: Path, helm: dict[str, Any], schemes: tuple[str, ...] = ("https", "http")
             ) -> Any:
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
    app = {"metadata": {"name": "app"}, "spec": {"destination": {"namespace": "ns"}}}
    return helm_request(app, {"path": ".", "helm": helm}, chart_dir=tmp_path,
                        repo_root=tmp_path, config=Config(values_file_schemes=schemes),
                        warn=lambda _t: None)


def test_set_flags_come_before_set_string(tmp_path: Path) -> None:
    request = _request(tmp_path, {"parameters": [
        {"name": "a", "value": "1", "forceString": True}, {"name": "b", "value": "x,y"},
        {"name": "a", "value": "2"}, {"name": "b", "value": "z"}]})
    args = template_args(request)
    assert args[:6] == ["template", ".", "--name-template", "app", "--namespace", "ns"]
    # Go map order: any order within --set, every name once with its last value
    assert sorted([args[7], args[9]]) == ["a=2", "b=z"]
    assert [args[6], args[8], *args[10:]] == ["--set", "--set", "--set-string", "a=1",
                                             "--include-crds"]


def test_file_parameters_expand_env_once(tmp_path: Path) -> None:
    (tmp_path / "$HOME.txt").write_text("x")
    request = _request(tmp_path, {"fileParameters": [{"name": "f", "path": "$$HOME.txt"}]})
    assert request.set_files == (("f", tmp_path / "$HOME.txt"),)


def test_url_value_file_without_a_helm_getter_fails(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"open s3://b/v\.yaml: no such file or directory"):
        _request(tmp_path, {"valueFiles": ["s3://b/v.yaml"]}, schemes=("s3",))


def test_ref_sources_are_validated(tmp_path: Path) -> None:
    sources = [{"repoURL": "a", "path": "."}, {"repoURL": "b", "ref": "values"}]
    assert ref_sources(sources, lambda _url: tmp_path) == {"$values": tmp_path}
    with pytest.raises(RenderError, match="cannot contain any special characters"):
        ref_sources([*sources, {"repoURL": "c", "ref": "a.b"}], lambda _url: tmp_path)
    with pytest.raises(RenderError, match="multiple sources had the same `ref` key"):
        ref_sources([*sources, {"repoURL": "c", "ref": "values"}], lambda _url: tmp_path)

"""ApplicationSet expansion with the list generator and fasttemplate."""

from __future__ import annotations

from typing import Any

import pytest

from argoplane.argocd.appset import expand, render_application
from argoplane.argocd.generators.base import GeneratorContext
from argoplane.argocd.templating.fasttemplate import replace
from argoplane.core.errors import TemplateError


def appset(elements: list[Any], name: str = "{{svc}}-{{env}}", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
        "metadata": {"name": "svc", "namespace": "team-argocd"},
        "spec": {
            "generators": [{"list": {"elements": elements}}],
            "template": {
                "metadata": {"name": name, "namespace": "ignored", "labels": {"env": "{{env}}"}},
                "spec": {"project": "{{project}}",
                         "destination": {"name": "{{env}}", "namespace": "{{svc}}-{{env}}"},
                         "source": {"repoURL": "r", "path": "charts/{{svc}}",
                                    "helm": {"valueFiles": ["{{env}}/values.yaml"]}}},
            },
            **spec,
        },
    }


CTX = GeneratorContext(appset_name="svc")


def test_list_fans_out_in_element_order() -> None:
    result = expand(appset([{"svc": "api", "env": "dev", "project": "dev"},
                            {"svc": "api", "env": "prod", "project": ""}]), CTX, "team-argocd")
    assert result.errors == []
    names = [a["metadata"]["name"] for a in result.applications]
    assert names == ["api-dev", "api-prod"]
    dev, prod = result.applications
    assert dev["metadata"]["namespace"] == "team-argocd"  # forced to the set's namespace
    assert dev["metadata"]["labels"] == {"env": "dev"}
    assert dev["metadata"]["finalizers"] == ["resources-finalizer.argocd.argoproj.io"]
    assert dev["spec"]["source"]["helm"]["valueFiles"] == ["dev/values.yaml"]
    assert prod["spec"]["project"] == "default"  # empty project becomes default


def test_unknown_params_stay_verbatim() -> None:
    result = expand(appset([{"svc": "api", "env": "dev"}]), CTX, "argocd")
    assert result.applications[0]["spec"]["project"] == "{{project}}"


def test_duplicate_names_keep_the_first() -> None:
    result = expand(appset([{"svc": "a", "env": "x", "project": "p1"},
                            {"svc": "a", "env": "x", "project": "p2"}]), CTX, "argocd")
    assert [a["spec"]["project"] for a in result.applications] == ["p1"]
    assert result.errors == ["ApplicationSet svc contains applications with duplicate name: a-x"]


def test_non_string_values_fail_in_fasttemplate_mode() -> None:
    result = expand(appset([{"svc": "a", "env": "x", "replicas": 3}]), CTX, "argocd")
    assert result.applications == []
    assert "error parsing value as string" in result.errors[0]


def test_go_template_mode_keeps_types_in_params() -> None:
    spec = appset([{"svc": "a", "env": "x", "replicas": 3}])
    spec["spec"]["goTemplate"] = True
    spec["spec"]["template"]["metadata"]["name"] = "fixed"
    result = expand(spec, CTX, "argocd")
    assert result.params == [[{"svc": "a", "env": "x", "replicas": 3}]]


def test_preserve_resources_on_deletion_drops_the_finalizer() -> None:
    app = render_application({"metadata": {"name": "{{n}}"}, "spec": {}}, {"n": "a"},
                             go_template=False,
                             sync_policy={"preserveResourcesOnDeletion": True})
    assert "finalizers" not in app["metadata"]


def test_empty_params_return_the_template_unrendered() -> None:
    app = render_application({"metadata": {"name": "{{n}}"}, "spec": {}}, {},
                             go_template=False)
    assert app["metadata"] == {"name": "{{n}}"}


@pytest.mark.parametrize(("template", "params", "expected"), [
    ("{{ a }}", {"a": "1"}, "1"),
    ("{{a}}-{{b}}", {"a": "1"}, "1-{{b}}"),
    ("{{path.basename}}", {"path.basename": "x"}, "x"),
    ("{{n}}", {"n": 3}, "{{n}}"),
    ("{{\na}}", {"a": "1"}, "{{\na}}"),  # a tag spanning lines alone is left alone
    ("{{a}} {{\na}}", {"a": "1"}, "1 1"),
])
def test_fasttemplate(template: str, params: dict[str, Any], expected: str) -> None:
    assert replace(template, params) == expected


def test_fasttemplate_unclosed_tag() -> None:
    with pytest.raises(TemplateError, match="invalid template"):
        replace("{{a}} {{b}", {"a": "1"})


def test_go_template_list_numbers_are_json_floats() -> None:
    spec = appset([{"svc": "a", "replicas": 3}])
    spec["spec"]["goTemplate"] = True
    spec["spec"]["template"] = {
        "metadata": {"name": '{{ .svc }}-{{ .replicas }}-{{ printf "%T" .replicas }}'},
        "spec": {"project": "default"},
    }
    result = expand(spec, CTX, "argocd")
    assert result.errors == []
    assert [a["metadata"]["name"] for a in result.applications] == ["a-3-float64"]


def test_go_template_mode_rejects_fasttemplate_tags() -> None:
    spec = appset([{"svc": "a", "env": "x"}])
    spec["spec"]["goTemplate"] = True
    result = expand(spec, CTX, "argocd")
    assert result.applications == []
    assert 'function "svc" not defined' in result.errors[0]

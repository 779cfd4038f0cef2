"""Generated YAML reads back as written; edited YAML keeps everything it does not change."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from argoplane.layout import merge
from argoplane.layout.roundtrip import Indent, guess_indent
from argoplane.layout.yamltext import block, scalar


@pytest.mark.parametrize("value", [
    "1.8.2", "1.10", "0.13", "v1.2.3", "1e3", "on", "off", "yes", "no", "null", "~", "true",
    "0x1F", "0o17", "012", "1_000", "12:30", "", " lead", "a: b", "a #b", "*-eu-dev",
    "{{env}}/tag.yaml", "git@gitlab.com:vigo/argocd.git", "https://x.example/a?b=c", "-x",
    "it's", 'say "hi"', "@at", "%pct", "line\nbreak",
])
def test_scalars_read_back_as_the_same_string(value: str) -> None:
    assert yaml.safe_load(f"key: {scalar(value)}") == {"key": value}


def test_version_like_tags_are_plain_when_unambiguous() -> None:
    assert scalar("1.8.2") == "1.8.2"
    assert scalar("1.10") == '"1.10"'
    assert scalar("on") == '"on"'


def test_blocks_indent_sequences_under_their_key() -> None:
    data = {"a": {"b": [1, {"c": "d", "e": ["f"]}], "g": {}}, "h": "multi\nline\n"}
    text = block(data)
    assert text == textwrap.dedent("""\
        a:
          b:
            - 1
            - c: d
              e:
                - f
          g: {}
        h: |
          multi
          line
        """)
    assert yaml.safe_load(text) == data


@pytest.mark.parametrize(("text", "indent"), [
    ("a:\n  b: 1\n  c:\n    - x\n", Indent(2, 4, 2)),
    ("a:\n  b: 1\n  c:\n  - x\n", Indent(2, 2, 0)),
    ("a:\n    b:\n        - x\n", Indent(4, 6, 4)),
    ("image:\n  tag: 1.8.2\n", Indent(2, 4, 2)),
])
def test_indentation_is_taken_from_the_file(text: str, indent: Indent) -> None:
    assert guess_indent(text) == indent


APPSET = """\
# catalog: my own notes stay
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: catalog
spec:
  generators:
    - list:
        elements:
          # staging first
          - env: staging
            region: vn
            project: stag
            namespace_suffix: vn-stag
  template:
    metadata:
      name: 'catalog-{{region}}-{{env}}'   # the name
    spec:
      project: '{{project}}'
"""


def test_appset_elements_are_added_and_everything_else_kept() -> None:
    desired = [
        {"env": "staging", "region": "vn", "project": "stag", "namespace_suffix": "vn-stag"},
        {"env": "staging", "region": "sg", "project": "stag", "namespace_suffix": "sg-stag"},
    ]
    text, summary = merge.appset_elements(desired)(APPSET, "catalog-appSet.yaml")
    assert summary == "ApplicationSet elements +staging/sg"
    assert text == APPSET.replace(
        "            namespace_suffix: vn-stag\n",
        "            namespace_suffix: vn-stag\n"
        "          - env: staging\n"
        "            region: sg\n"
        "            project: stag\n"
        "            namespace_suffix: sg-stag\n")
    again, summary = merge.appset_elements(desired)(text, "catalog-appSet.yaml")
    assert (again, summary) == (text, "")


def test_an_appset_without_a_list_generator_is_refused_by_name() -> None:
    with pytest.raises(Exception, match=r"catalog-appSet.yaml: ApplicationSet: "
                                        r"spec.generators\[0\].list is missing"):
        merge.appset_elements([])(APPSET.replace("- list:", "- git:"), "catalog-appSet.yaml")


def test_project_entries_are_added_never_removed() -> None:
    project = textwrap.dedent("""\
        kind: AppProject
        spec:
          sourceRepos:
            - https://git.example.com/acme.git
            - https://charts.example.com   # added by hand
          destinations:
            - name: in-cluster
              namespace: '*-eu-dev'
        """)
    spec = {"sourceRepos": ["https://git.example.com/acme.git"],
            "destinations": [{"name": "in-cluster", "namespace": "*-eu-dev"},
                             {"name": "in-cluster", "namespace": "*-us-dev"}]}
    text, summary = merge.project_entries(spec)(project, "dev.yaml")
    assert summary == "+1 destination"
    assert "https://charts.example.com   # added by hand" in text
    assert text.endswith("    - name: in-cluster\n      namespace: '*-us-dev'\n")

"""Value files and ApplicationSets edited in place by `argoplane migrate`: what moves, what
stays, and that everything else (comments included) is kept as written."""

from __future__ import annotations

import pytest

from argoplane.core import yamlio
from argoplane.layout.migrate import servicesets as sets
from argoplane.layout.migrate.servicesets import ServiceSet, recognise
from argoplane.layout.migrate.valuefiles import nested, remove_leaves, tag_path, text_of
from argoplane.layout.roundtrip import Document
from argoplane.render.model import RenderedAppSet

VALUES = """\
# catalog: everything in one file
replicaCount: 2

image:
  repository: registry.example.com/catalog
  tag: "2.1.0"   # bumped by CI
  pullPolicy: IfNotPresent

# credentials (plaintext for now)
credentials:
  password: hunter2
"""


def test_a_moved_leaf_leaves_every_other_line_as_it_was() -> None:
    out = remove_leaves(VALUES, "values.yaml", [("image", "tag")])
    assert out == VALUES.replace('  tag: "2.1.0"   # bumped by CI\n', "")


def test_a_mapping_left_empty_goes_too() -> None:
    out = remove_leaves(VALUES, "values.yaml", [("credentials", "password")])
    assert "credentials:" not in out
    assert "hunter2" not in out
    assert out.startswith("# catalog: everything in one file\nreplicaCount: 2\n")
    assert "  pullPolicy: IfNotPresent\n" in out


def test_removing_what_is_not_there_changes_nothing() -> None:
    assert remove_leaves(VALUES, "values.yaml", [("image", "digest")]) is VALUES


@pytest.mark.parametrize(("data", "found"), [
    ({"image": {"repository": "r", "tag": "2.1.0"}}, ("image", "tag")),
    ({"images": {"api": {"tag": "2.1.0"}}}, ("images", "api", "tag")),
    ({"imageTag": "2.1.0"}, ("imageTag",)),
    ({"version": "2.1.0"}, None),  # a version that is not an image's
    ({"image": {"tag": "2.0.0"}}, None),
])
def test_the_tag_is_found_where_charts_keep_it(data: dict[str, object],
                                               found: tuple[str, ...] | None) -> None:
    assert tag_path(data, "2.1.0") == found


def test_new_value_files_read_back_as_the_same_values() -> None:
    text = text_of("catalog in dev: the image tag", nested([(("image", "tag"), "2.10")]))
    assert text == '# catalog in dev: the image tag\nimage:\n  tag: "2.10"\n'
    assert yamlio.load(text, "tag.yaml") == {"image": {"tag": "2.10"}}
    assert text_of("nothing yet", {}) == "# nothing yet\n{}\n"


APPSET = """\
# one Application per service
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: services
spec:
  generators:
    - list:
        elements:
          - name: cart   # the first one
            path: charts/cart
            namespace: shop
  template:
    metadata:
      name: '{{name}}'
    spec:
      project: default
      source:
        repoURL: https://git.example.com/shop.git
        path: '{{path}}'
        helm:
          valueFiles:
            - secrets://secrets.yaml
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{namespace}}'
"""


def appset(text: str) -> RenderedAppSet:
    manifest = yamlio.load(text, "services-appset.yaml")
    return RenderedAppSet("services", manifest, "services-appset.yaml", None)


def test_a_service_list_is_recognised_and_grown_in_place() -> None:
    found = recognise(appset(APPSET), APPSET)
    assert isinstance(found, ServiceSet)
    assert found.axis is None
    assert found.app_name(found.services[0]) == "cart"
    doc = Document(APPSET, "services-appset.yaml")
    sets.set_axis(doc.data, [{"env": "dev", "ns_suffix": ""}, {"env": "prod",
                                                                 "ns_suffix": "-prod"}])
    sets.insert_value_files(doc.data, ["{{env}}/tag.yaml", "{{env}}/values.yaml"])
    text = doc.text()
    assert "# one Application per service\n" in text
    assert "- name: cart # the first one\n" in text
    assert ("          - list:\n"
            "              elements:\n"
            "                - env: dev\n"
            "                  ns_suffix: ''\n"
            "                - env: prod\n"
            "                  ns_suffix: -prod\n") in text
    assert text.index("{{env}}/values.yaml") < text.index("secrets://secrets.yaml")
    grown = recognise(appset(text), text)
    assert isinstance(grown, ServiceSet)
    assert grown.envs == ["dev", "prod"]
    assert grown.app_name(grown.services[0], grown.axis[1] if grown.axis else None,
                          "{{name}}-{{env}}") == "cart-prod"


@pytest.mark.parametrize(("change", "reason"), [
    (("  generators:\n", "  goTemplate: true\n  generators:\n"), "it uses Go templates"),
    (("path: '{{path}}'", "path: charts/cart"), "its template's source path is not {{path}}"),
    (("name: '{{name}}'", "name: cart"), "does not name the Applications after {{name}}"),
    (("            path: charts/cart\n", ""), "do not each give a name and a path"),
])
def test_other_applicationsets_are_left_with_the_reason(change: tuple[str, str],
                                                       reason: str) -> None:
    text = APPSET.replace(*change)
    found = recognise(appset(text), text)
    assert isinstance(found, str)
    assert reason in found

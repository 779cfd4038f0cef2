"""Positions for findings (document and field lines) and the small parsers lint relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from argoplane.checks.locate import Locator
from argoplane.checks.schema.nodes import Int, Obj, Str, check, obj
from argoplane.checks.settings import LintSettings, parse_ignore_annotation
from argoplane.core import yamlio
from argoplane.core.snapshot import Snapshot

STREAM = """\
# leading comment
---
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
data:
  key: value
---

# second
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: x}
data:
  list:
    - one
    - two
"""


def test_document_lines_skip_empty_documents_like_load_all() -> None:
    assert yamlio.document_lines(STREAM, "f.yaml") == [4, 13]
    assert len(yamlio.load_all(STREAM, "f.yaml")) == 2


def test_locator_finds_documents_and_fields(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(STREAM)
    locator = Locator(Snapshot.open(tmp_path))
    assert locator.line("cm.yaml", kind="ConfigMap", name="b") == 13
    assert locator.line("cm.yaml", ("data", "key"), kind="ConfigMap", name="a") == 9
    assert locator.line("cm.yaml", ("data", "list", 1), index=1) == 19
    # a field that does not exist: its deepest existing parent
    assert locator.line("cm.yaml", ("data", "missing"), kind="ConfigMap", name="a") == 8
    assert locator.line("cm.yaml", kind="ConfigMap", name="b", namespace="y") is None
    assert locator.line("nope.yaml") is None


def test_ignore_annotation_values() -> None:
    assert parse_ignore_annotation("AP010,AP014") == {"AP010", "AP014"}
    assert parse_ignore_annotation(" ap010 , AP014 AP009") == {"AP009", "AP010", "AP014"}
    assert parse_ignore_annotation(None) == frozenset()


@pytest.mark.parametrize(("pattern", "file", "ignored"), [
    ("legacy/**", "legacy/a/b.yaml", True), ("legacy/", "legacy/b.yaml", True),
    ("legacy", "legacy/b.yaml", True), ("**/*.secrets.yaml", "a/prod.secrets.yaml", True),
    ("*.yaml", "a/b.yaml", False), ("legacy/**", "apps/legacy.yaml", False),
])
def test_path_ignores(pattern: str, file: str, ignored: bool) -> None:
    settings = LintSettings(ignores=((pattern, frozenset({"AP009"})),))
    assert settings.ignored_at("AP009", file) is ignored
    assert not settings.ignored_at("AP010", file)


def test_structural_schema_semantics() -> None:
    schema = obj(("name",), name=Str(), spec=Obj({"replicas": Int()}))
    assert check(schema, {"name": "a", "spec": {"replicas": 2.0}}) == []
    problems = check(schema, {"name": None, "spec": {"replica": True}, "extra": 1})
    assert [(p.where, p.message) for p in problems] == [
        ("name", "is required"),
        ("spec.replica", "unknown field (did you mean 'replicas'?)"),
        ("extra", "unknown field"),
    ]
    (problem,) = check(schema, {"name": True})
    assert problem.message == "must be a string, not boolean True (quote it in YAML)"

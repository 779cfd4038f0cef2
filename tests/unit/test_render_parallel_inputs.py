"""What the fast render path relies on reads inputs exactly as before: YAML documents built
from parse events, and directory include/exclude patterns refused early."""

from __future__ import annotations

import random

import pytest
import yaml

from argoplane.argocd.glob import gobwas_compile
from argoplane.core import yamlio
from argoplane.core.errors import YAMLError
from argoplane.render.directory import glob_matcher, literal_tails
from tests.conftest import EXAMPLES

STREAMS = {
    "manifest": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {x: 'y'}}\n"
                "data:\n  k: v\n  n: '1'\n",
    "scalars": "a: yes\nb: No\nc: ~\nd: null\ne: 0x1F\nf: 0o17\ng: 017\nh: 1_000\ni: -3\n"
               "j: 1.5e3\nk: .inf\nl: -.Inf\nm: 3:25:45\nn: ''\no: \"true\"\np: |\n  text\n"
               "q: >-\n  folded\nr: 1.0\ns: +12\nt: 0b101\n",
    "sequences": "- a\n- [1, 2, {x: y}]\n- - nested\n  - 2\n- {}\n- []\n",
    "documents": "---\na: 1\n---\n---\n# only a comment\n---\n- x\n...\n---\nb: 2\n",
    "anchors": "base: &b {x: 1}\nother: *b\nmerged:\n  <<: *b\n  y: 2\n",
    "unused anchor": "a: &x 1\nb: 2\n",
    "timestamps": "when: 2024-01-02\nat: 2024-01-02T03:04:05Z\n",
    "tags": "a: !!str 12\nb: !!int '7'\nc: !!binary aGk=\nd: !!set {x, y}\n",
    "merge string": "'<<': literal\nkey: '='\n",
    "empty": "",
    "null document": "~\n",
    "scalar document": "just text\n",
    "duplicate keys": "a: 1\na: 2\n",
    "unicode": "name: caf\u00e9\nemoji: \"\\U0001F600\"\n",
    "nan": "v: .nan\n",
}
BROKEN = {
    "unclosed": "a: [1, 2\nb: 3\n",
    "bad indent": "a:\n  b: 1\n c: 2\n",
    "late error": "a: 1\n---\nb: [\n",
    "undefined alias": "a: *nope\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\n",
    "unhashable": "? [a]\n: 1\n? {b: c}\n: 2\n? [[1]]\n: 3\n? {[x]: y}\n: z\n",
    "value tag": "a: =\n",
    "unknown tag": "a: !custom x\n",
}


def _safe_all(text: str) -> list[object]:
    return [d for d in yaml.load_all(text, Loader=yaml.CSafeLoader) if d is not None]


@pytest.mark.parametrize("name", list(STREAMS))
def test_documents_are_what_the_safe_loader_builds(name: str) -> None:
    text = STREAMS[name]
    assert repr(yamlio.load_all(text, "f.yaml")) == repr(_safe_all(text))
    assert repr(list(yamlio.iter_documents(text, "f.yaml"))) == repr(_safe_all(text))
    docs = _safe_all(text)
    if len(list(yaml.compose_all(text, Loader=yaml.CSafeLoader))) <= 1:
        assert repr(yamlio.load(text, "f.yaml")) == repr(docs[0] if docs else None)


@pytest.mark.parametrize("name", list(BROKEN))
def test_errors_are_the_safe_loaders(name: str) -> None:
    text = BROKEN[name]
    with pytest.raises(yaml.YAMLError) as expected:
        _safe_all(text)
    with pytest.raises(YAMLError) as got:
        yamlio.load_all(text, "f.yaml")
    assert got.value.file == "f.yaml"
    mark = getattr(expected.value, "problem_mark", None)
    if mark is not None and got.value.line is not None:
        assert abs(got.value.line - (mark.line + 1)) <= 1
    assert (getattr(expected.value, "problem", None) or "") in got.value.message


def test_a_second_document_is_refused_by_load() -> None:
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.load("a: 1\n---\nb: 2\n", Loader=yaml.CSafeLoader)
    with pytest.raises(YAMLError, match="found another document") as got:
        yamlio.load("a: 1\n---\nb: 2\n", "f.yaml")
    assert got.value.line == expected.value.problem_mark.line + 1  # type: ignore[attr-defined]


def test_documents_after_good_ones_fail_where_the_safe_loader_fails() -> None:
    docs = yamlio.iter_documents("a: 1\n---\nb: *nope\n", "f.yaml")
    assert next(docs) == {"a": 1}
    with pytest.raises(YAMLError):
        next(docs)


def test_every_yaml_file_of_the_examples_reads_the_same() -> None:
    files = [p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".yml")]
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            expected = _safe_all(text)
        except yaml.YAMLError:
            continue
        assert yamlio.load_all(text, str(path)) == expected, path


def test_parsed_files_are_shared_by_content() -> None:
    parsed = yamlio.ParsedFiles()
    first = parsed.load_all("a: 1\n", "one.yaml")
    assert parsed.load_all("a: 1\n", "two.yaml") is first
    with pytest.raises(YAMLError) as err:
        parsed.load("a: [\n", "bad.yaml")
    assert err.value.file == "bad.yaml"


@pytest.mark.parametrize(("pattern", "tails"), [
    ("*-appSet.yaml", ("-appSet.yaml",)),
    ("{*-appSet.yaml,*-app.yaml}", ("-appSet.yaml", "-app.yaml")),
    ("apps/*.y?ml", ("ml",)),
    ("*", None),
    ("[ab]*.yaml", None),
    ("{a,{b,c}}", None),
])
def test_literal_tails(pattern: str, tails: tuple[str, ...] | None) -> None:
    assert literal_tails(pattern) == tails


def test_include_patterns_match_as_gobwas_does() -> None:
    rng = random.Random(7)
    alphabet = "ab*?{},.-/"
    checked = matched = 0
    for _ in range(3000):
        pattern = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        exact = gobwas_compile(pattern)
        fast = glob_matcher(pattern)
        assert (exact is None) == (fast is None), pattern
        if exact is None or fast is None:
            continue
        for _ in range(8):
            text = "".join(rng.choice("ab.-,/{}") for _ in range(rng.randint(0, 8)))
            if rng.random() < 0.5:  # often a text the pattern matches
                text = pattern.replace("*", text[:3]).replace("?", "a").replace(
                    "{", "").replace("}", "").split(",")[0]
            checked += 1
            matched += exact(text)
            assert fast(text) == exact(text), (pattern, text)
    assert checked > 5000
    assert matched > 500

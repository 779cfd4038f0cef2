"""The render cache behind `diff` and `render`: what its key covers, and what it keeps."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from argoplane.render.cache import (
    RenderCache,
    cache_folder,
    chart_fingerprint,
    helmignore_rules,
    is_ignored,
    prune,
)
from argoplane.render.helm.backends import Rendered, SdkBackend
from argoplane.render.helm.request import HelmRequest, SetParam


class Counting:
    """The real in-process backend, counting the renders it is asked for."""

    name = "sdk"

    def __init__(self) -> None:
        self.inner = SdkBackend()
        self.calls = 0

    def render(self, request: HelmRequest) -> Rendered:
        self.calls += 1
        return self.inner.render(request)


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


CHART = {
    "Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    ".helmignore": "prod/\n*.md\n",
    "values.yaml": "password: change-me\ntag: '1'\n",
    "templates/secret.yaml": "apiVersion: v1\nkind: Secret\n"
                             "metadata: {name: '{{ .Release.Name }}'}\n"
                             "stringData: {password: '{{ .Values.password }}'}\n",
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"
                         "data: {tag: '{{ .Values.tag }}'}\n",
    "prod/values.yaml": "password: prod-secret-value\n",
    "README.md": "docs\n",
}


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    return write(tmp_path / "web", CHART)


def request(chart: Path, **changes: Any) -> HelmRequest:
    return replace(HelmRequest(chart_dir=chart, release_name="web", namespace="apps"), **changes)


@pytest.mark.parametrize(("rules", "path", "is_dir", "ignored"), [
    ("*.md\n", "README.md", False, True),
    ("*.md\n", "docs/guide.md", False, True),  # no slash: the base name anywhere
    ("prod/\n", "prod", True, True),
    ("prod/\n", "prod", False, False),  # trailing slash: directories only
    ("/values.yaml\n", "values.yaml", False, True),
    ("/values.yaml\n", "sub/values.yaml", False, False),
    ("templates/*.txt\n", "templates/a.txt", False, True),
    ("templates/*.txt\n", "templates/x/a.txt", False, False),  # `*` stops at `/`
    ("", "templates/.hidden.yaml", False, True),  # helm's own default rule
    ("!keep.yaml\n", "other.yaml", False, True),  # helm: a negation that does not match ignores
    ("!keep.yaml\n", "keep.yaml", False, False),
    ("[a-c]*.yaml\n", "b.yaml", False, True),
])
def test_helmignore_as_helm_reads_it(rules: str, path: str, is_dir: bool, ignored: bool) -> None:
    assert is_ignored(helmignore_rules(rules), path, is_dir) is ignored


def test_fingerprint_covers_what_helm_loads(chart: Path) -> None:
    before = chart_fingerprint(chart)
    (chart / "prod/values.yaml").write_text("password: rotated\n")
    (chart / "README.md").write_text("new docs\n")
    assert chart_fingerprint(chart) == before  # helmignored: helm never sees them
    (chart / "templates/cm.yaml").write_text((chart / "templates/cm.yaml").read_text() + "\n")
    assert chart_fingerprint(chart) != before


def test_same_inputs_render_once_and_any_input_change_renders_again(chart: Path,
                                                                    tmp_path: Path) -> None:
    backend = Counting()
    cache = RenderCache(backend, None)
    first = cache.render(request(chart))
    first[0][1]["metadata"]["name"] = "mutated by a caller"
    again = cache.render(request(chart))
    assert backend.calls == 1
    assert again == backend.inner.render(request(chart))  # callers get their own copy
    copy = write(tmp_path / "elsewhere" / "web", CHART)
    cache.render(request(copy))  # the same chart in another folder (another revision)
    assert backend.calls == 1
    values = write(tmp_path / "v", {"a.yaml": "tag: '2'\n"})
    for changed in (request(chart, namespace="other"), request(chart, release_name="w2"),
                    request(chart, value_files=(values / "a.yaml",),
                            value_layers=({"tag": "2"},)),
                    request(chart, set_params=(SetParam("tag", "3"),)),
                    request(chart, inline_values={"tag": "4"})):
        cache.render(changed)
    assert backend.calls == 6
    (values / "a.yaml").write_text("tag: '5'\n")  # value files count by content
    cache.render(request(chart, value_files=(values / "a.yaml",), value_layers=({"tag": "5"},)))
    assert backend.calls == 7


def test_disk_entries_serve_later_runs_and_hold_no_plaintext(chart: Path,
                                                             tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    secret = {"password": "decrypted-secret-value"}
    first = Counting()
    cache = RenderCache(first, folder)
    rendered = cache.render(request(chart, value_layers=(secret,), inline_values=secret))
    cache.close()
    assert (folder / ".gitignore").read_text().endswith("*\n")
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06")
    (entry,) = folder.glob("render/*/*.bin")
    assert b"decrypted-secret-value" not in entry.read_bytes()
    later = Counting()
    assert RenderCache(later, folder).render(
        request(chart, value_layers=(secret,), inline_values=secret)) == rendered
    assert later.calls == 0
    entry.write_bytes(entry.read_bytes()[:-1] + b"x")  # damaged: rendered again, replaced
    assert RenderCache(later, folder).render(
        request(chart, value_layers=(secret,), inline_values=secret)) == rendered
    assert later.calls == 1


def test_renders_json_cannot_hold_exactly_are_not_cached(tmp_path: Path) -> None:
    chart = write(tmp_path / "dates", {
        "Chart.yaml": "apiVersion: v2\nname: dates\nversion: 0.1.0\n",
        "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n"
                             "data: {day: 2024-01-31}\n"})
    backend = Counting()
    cache = RenderCache(backend, tmp_path / "cache")
    for _ in range(2):
        (_, obj), = cache.render(request(chart))
        assert str(obj["data"]["day"]) == "2024-01-31"
    assert backend.calls == 2
    assert not list((tmp_path / "cache").glob("render/*/*.bin"))


def test_prune_keeps_the_folder_bounded(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    for i in range(10):
        entry = folder / "render" / f"{i:02d}" / f"{i:02d}entry.bin"
        entry.parent.mkdir(parents=True)
        entry.write_bytes(b"x" * 1000)
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
    assert prune(folder, 20_000) == 0
    assert prune(folder, 5_000) == 6  # down to 80%: the least recently used go
    assert sorted(p.name for p in folder.glob("render/*/*.bin")) == [
        "06entry.bin", "07entry.bin", "08entry.bin", "09entry.bin"]


def test_cache_folder_defaults_to_the_repository(tmp_path: Path) -> None:
    assert cache_folder(tmp_path, {}) == tmp_path / ".argoplane/cache"
    assert cache_folder(tmp_path, {"ARGOPLANE_CACHE_DIR": "/ci/cache"}) == Path("/ci/cache")


def test_renders_from_decrypted_secrets_never_reach_the_disk(chart: Path,
                                                             tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    secrets_file = tmp_path / "in.secrets.yaml"
    backend = Counting()
    cache = RenderCache(backend, folder)
    sensitive = request(chart, value_layers=({"password": "s3cr3t"},),
                        sensitive_files=(secrets_file,))
    first = cache.render(sensitive)
    assert cache.render(sensitive) == first  # still served from memory within the run
    cache.close()
    assert backend.calls == 1
    assert not list(folder.glob("render/*/*.bin"))
    later = Counting()
    RenderCache(later, folder).render(sensitive)
    assert later.calls == 1

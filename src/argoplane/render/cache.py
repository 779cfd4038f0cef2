"""A content-addressed cache of Helm renders, wrapped around any `HelmBackend`.

The key is what decides helm's output: the chart's files (as helm loads them, `.helmignore`
applied), every field of the `HelmRequest` with value files by content, the backend and the
code of argoplane's Helm layer. Two layers share it:

- in memory, for one run: the two revisions of a diff render an Application whose chart and
  effective values did not change once;
- on disk, under `.argoplane/cache/` of the repository, for later runs. Renders that used
  decrypted `secrets://` values are never written there; the other entries are encrypted
  with a key derived from their inputs. The folder is bounded
  (least recently used entries go first), ignores itself in Git, and is safe to delete.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from argoplane import __version__
from argoplane.argocd.glob import go_filepath_match
from argoplane.render.helm.backends import HelmBackend, Rendered
from argoplane.render.helm.request import HelmRequest

CACHE_DIR = ".argoplane/cache"
ENV_CACHE_DIR = "ARGOPLANE_CACHE_DIR"  # one folder for every repository (CI caches, tests)
MAX_BYTES = 256 * 1024 * 1024
FORMAT = b"argoplane-render-cache-1"
_MAGIC = b"APC1"


def cache_folder(repo: Path, environ: Mapping[str, str]) -> Path:
    """Where a repository's renders are cached: `$ARGOPLANE_CACHE_DIR`, else
    `<repo>/.argoplane/cache`."""
    override = environ.get(ENV_CACHE_DIR)
    return Path(override) if override else repo / CACHE_DIR


# -- the chart as helm loads it ------------------------------------------------------------
@dataclass(frozen=True)
class _Rule:
    pattern: str
    negate: bool
    must_dir: bool
    anchored: bool  # matches the whole relative path (the rule has a `/`)

    def match(self, name: str) -> bool:
        """Go's `filepath.Match`; plain `*` / `?` patterns through an equivalent regex."""
        regex = _simple_regex(self.pattern)
        if regex is None:
            return go_filepath_match(self.pattern, name)
        return regex.fullmatch(name) is not None


@lru_cache(maxsize=512)
def _simple_regex(pattern: str) -> re.Pattern[str] | None:
    if "[" in pattern or "\\" in pattern:
        return None  # classes and escapes: the exact Go matcher
    parts = ["[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in pattern]
    return re.compile("".join(parts), re.DOTALL)


def helmignore_rules(text: str) -> list[_Rule]:
    """`.helmignore` lines as helm parses them, then helm's default `templates/.?*`."""
    rules: list[_Rule] = []
    for line in [*text.splitlines(), "templates/.?*"]:
        rule = line.strip()
        if not rule or rule.startswith("#"):
            continue
        if "**" in rule:
            return []  # helm refuses the chart; hash every file
        negate = rule.startswith("!")
        rule = rule.removeprefix("!")
        must_dir = rule.endswith("/")
        rule = rule.removesuffix("/")
        anchored = "/" in rule
        rules.append(_Rule(rule.removeprefix("/"), negate, must_dir, anchored))
    return rules


def is_ignored(rules: list[_Rule], path: str, is_dir: bool) -> bool:
    """helm's `Rules.Ignore`: the first matching rule decides; a negated rule that does not
    match ignores the path."""
    for rule in rules:
        name = path if rule.anchored else path.rsplit("/", 1)[-1]
        if rule.negate:
            if (rule.must_dir and not is_dir) or not rule.match(name):
                return True
            continue
        if rule.must_dir and not is_dir:
            continue
        if rule.match(name):
            return True
    return False


def chart_fingerprint(chart_dir: Path) -> str:
    """sha256 over the files helm loads from a chart folder (paths and contents)."""
    ignore = chart_dir / ".helmignore"
    rules = helmignore_rules(ignore.read_text(encoding="utf-8", errors="replace")
                             if ignore.is_file() else "")
    digest = hashlib.sha256()
    seen: set[str] = set()
    for folder, dirs, names in os.walk(chart_dir, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        rel = Path(folder).relative_to(chart_dir).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        dirs[:] = sorted(d for d in dirs if not is_ignored(rules, prefix + d, True))
        for name in sorted(names):
            path = prefix + name
            if is_ignored(rules, path, False):
                continue
            digest.update(path.encode() + b"\0")
            try:
                digest.update(hashlib.sha256(Path(folder, name).read_bytes()).digest())
            except OSError as exc:
                digest.update(f"unreadable:{exc.errno}".encode())
    return digest.hexdigest()


# -- keys -------------------------------------------------------------------------------------
def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def _canonical(value: Any) -> Any:
    """A JSON-able form of a request field; files by content, never by path."""
    if isinstance(value, Path):
        return {"file": _file_digest(value)}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {k if isinstance(k, str) else f"{type(k).__name__}:{k}": _canonical(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return {"type": type(value).__qualname__, "repr": repr(value)}


def _code_fingerprint() -> str:
    """argoplane's own Helm layer: a change to it invalidates every entry."""
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve()
    for path in [here, *sorted((here.parent / "helm").glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + _file_digest(path).encode())
    return digest.hexdigest()


def _backend_identity(backend: HelmBackend) -> dict[str, Any]:
    identity: dict[str, Any] = {"name": backend.name}
    binary = getattr(backend, "binary", None)
    if isinstance(binary, str):
        try:
            stat = os.stat(binary)
            identity["binary"] = [binary, stat.st_size, stat.st_mtime_ns]
        except OSError:
            identity["binary"] = [binary]
    if backend.name == "sdk":
        from importlib import metadata

        try:
            identity["sdk"] = metadata.version("helm-python-sdk")
        except metadata.PackageNotFoundError:
            identity["sdk"] = "unknown"
    return identity


# -- entries ----------------------------------------------------------------------------------
def _encode(rendered: Rendered) -> bytes | None:
    """The render as JSON, or None when JSON cannot hold it exactly (dates, NaN, huge ints,
    non-string keys); such renders are simply not cached."""
    plain = [[source, obj] for source, obj in rendered]
    try:
        blob = orjson.dumps(plain, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except (TypeError, orjson.JSONEncodeError):
        return None
    return blob if orjson.loads(blob) == plain else None


def _decode(blob: bytes) -> Rendered:
    return [(str(source), obj) for source, obj in orjson.loads(blob)]


class RenderCache:
    """A `HelmBackend` that renders through `backend` only what it has not seen.

    `folder` None keeps the memory layer only. Call `close()` at the end of a run to keep
    the folder within `max_bytes`.
    """

    def __init__(self, backend: HelmBackend, folder: Path | None = None,
                 max_bytes: int = MAX_BYTES) -> None:
        self.backend = backend
        self.name = backend.name
        self.folder = folder
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._memory: dict[str, bytes] = {}
        self._charts: dict[Path, str] = {}
        self._written = 0
        self._disk_ok = folder is not None
        self._prefix = json.dumps({"code": _code_fingerprint(),
                                   "backend": _backend_identity(backend)}).encode()

    # -- the backend interface -----------------------------------------------------------
    def render(self, request: HelmRequest) -> Rendered:
        material = self._material(request)
        key = hashlib.sha256(FORMAT + b"\0id\0" + material).hexdigest()
        # a render that used decrypted secrets stays in memory: neither its output nor a
        # name derived from its inputs ever reaches the disk
        disk = self._disk_ok and not request.sensitive_files
        blob = self._memory.get(key)
        if blob is None and disk:
            blob = self._read(key, material)
            if blob is not None:
                self._memory[key] = blob
        if blob is not None:
            self.hits += 1
            return _decode(blob)
        self.misses += 1
        rendered = self.backend.render(request)
        blob = _encode(rendered)
        if blob is not None:
            self._memory[key] = blob
            if disk:
                self._write(key, material, blob)
        return rendered

    def _material(self, request: HelmRequest) -> bytes:
        chart = self._charts.get(request.chart_dir)
        if chart is None:
            chart = self._charts[request.chart_dir] = chart_fingerprint(request.chart_dir)
        inputs = {f.name: _canonical(getattr(request, f.name)) for f in fields(request)
                  if f.name != "chart_dir"}
        body = json.dumps({"chart": chart, "inputs": inputs}, sort_keys=True,
                          separators=(",", ":"), ensure_ascii=False)
        return self._prefix + b"\0" + body.encode("utf-8")

    # -- disk ----------------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / "render" / key[:2] / f"{key}.bin"

    @staticmethod
    def _cipher_key(material: bytes) -> bytes:
        return hashlib.sha256(FORMAT + b"\0key\0" + material).digest()

    def _read(self, key: str, material: bytes) -> bytes | None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            if not data.startswith(_MAGIC):
                raise ValueError("not a cache entry")
            nonce, sealed = data[4:16], data[16:]
            blob = zlib.decompress(AESGCM(self._cipher_key(material)).decrypt(
                nonce, sealed, key.encode()))
        except (InvalidTag, ValueError, zlib.error):
            path.unlink(missing_ok=True)  # damaged or foreign: render again
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used
        return blob

    def _write(self, key: str, material: bytes, blob: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        path = self._path(key)
        nonce = os.urandom(12)
        data = _MAGIC + nonce + AESGCM(self._cipher_key(material)).encrypt(
            nonce, zlib.compress(blob, 1), key.encode())
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            self._disk_ok = False  # a read-only or full disk only costs speed
            return
        self._written += len(data)

    def _prepare(self) -> None:
        assert self.folder is not None
        if (self.folder / ".gitignore").is_file():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("# argoplane's render cache, safe to delete\n*\n")
        (self.folder / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# argoplane's render cache; see https://bford.info/cachedir/\n")

    def close(self) -> None:
        """Keep the folder under `max_bytes`: the least recently used entries go first."""
        if not self._written or self.folder is None:
            return
        self._written = 0
        prune(self.folder, self.max_bytes)


def prune(folder: Path, max_bytes: int) -> int:
    """Delete the least recently used entries until the cache holds at most 80% of
    `max_bytes` (when it holds more than `max_bytes`). Returns how many were deleted."""
    entries: list[tuple[float, int, Path]] = []
    for path in (folder / "render").glob("*/*.bin"):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    if total <= max_bytes:
        return 0
    deleted = 0
    for _, size, path in sorted(entries, key=lambda e: e[0]):
        if total <= max_bytes * 0.8:
            break
        path.unlink(missing_ok=True)
        total -= size
        deleted += 1
    return deleted

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
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from argoplane import __version__
from argoplane.argocd.glob import go_filepath_match
from argoplane.core.errors import RenderError
from argoplane.render.helm.backends import HelmBackend, Rendered
from argoplane.render.helm.pool import HelmPool, Outcome, outcome_of
from argoplane.render.helm.request import HelmRequest

CACHE_DIR = ".argoplane/cache"
ENV_CACHE_DIR = "ARGOPLANE_CACHE_DIR"  # one folder for every repository (CI caches, tests)
MAX_BYTES = 256 * 1024 * 1024
# fewer renders than this are made in process: starting workers costs more than they save
MIN_PARALLEL = 100
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


def _canonical(value: Any, digest: Callable[[Path], str] = _file_digest) -> Any:
    """A JSON-able form of a request field; files by content, never by path."""
    if isinstance(value, Path):
        return {"file": digest(value)}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name), digest) for f in fields(value)}
    if isinstance(value, Mapping):
        return {k if isinstance(k, str) else f"{type(k).__name__}:{k}": _canonical(v, digest)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v, digest) for v in value]
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
def encode_render(rendered: Rendered) -> bytes | None:
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


def write_entry(path: Path, key: str, material: bytes, blob: bytes) -> int:
    """Write one entry (encrypted with a key derived from its inputs) atomically; its size.
    Worker processes write the entries of their renders themselves."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    cipher = hashlib.sha256(FORMAT + b"\0key\0" + material).digest()
    data = _MAGIC + nonce + AESGCM(cipher).encrypt(nonce, zlib.compress(blob, 1), key.encode())
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)


class RenderCache:
    """A `HelmBackend` that renders through `backend` only what it has not seen.

    `folder` None keeps the memory layer only. With a `pool`, `prefetch` hands renders to
    worker processes ahead of `render` (once at least `min_parallel` renders were asked
    for: a small repository is rendered in process). Call `close()` at the end of a run: it
    ends the workers and keeps the folder within `max_bytes`.
    """

    def __init__(self, backend: HelmBackend, folder: Path | None = None,
                 max_bytes: int = MAX_BYTES, *, pool: HelmPool | None = None,
                 min_parallel: int = MIN_PARALLEL, background: bool = False) -> None:
        self.backend = backend
        self.name = backend.name
        self.folder = folder
        self.max_bytes = max_bytes
        self.pool = pool if backend.name == "sdk" else None
        self.min_parallel = min_parallel
        self.background = background  # write entries in a thread (done by `close()`)
        self._writer: list[ThreadPoolExecutor] = []
        self._writes: list[Future[None]] = []
        self.hits = 0
        self.misses = 0
        self._memory: dict[str, bytes] = {}
        self._charts: dict[Path, str] = {}
        self._digests: dict[Path, str] = {}
        self._layers: dict[int, tuple[dict[str, Any], Any]] = {}
        # keys of requests seen by `prefetch`, until `render` takes them (by identity)
        self._keys: dict[int, tuple[HelmRequest, str, bytes]] = {}
        self._pending: dict[str, tuple[Future[Outcome], HelmRequest]] = {}
        self._stealable: list[str] = []  # pending renders, oldest first
        self._asked = 0
        self._parallel = False  # enough renders were asked for: workers render
        self._written = 0
        self._disk_ok = folder is not None
        self._ready = False  # the folder holds its .gitignore and CACHEDIR.TAG
        self._prefix = json.dumps({"code": _code_fingerprint(),
                                   "backend": _backend_identity(backend)}).encode()

    # -- the backend interface -----------------------------------------------------------
    def render(self, request: HelmRequest) -> Rendered:
        key, material = self._key(request, take=True)
        # a render that used SOPS-encrypted values stays in memory: neither its output nor a
        # name derived from its inputs ever reaches the disk
        disk = self._disk_ok and not request.keep_off_disk
        blob = self._memory.get(key)
        pending = self._pending.pop(key, None)
        if blob is None and pending is None and disk:
            blob = self._read(key, material)
            if blob is not None:
                self._memory[key] = blob
        if blob is not None:
            self.hits += 1
            return _decode(blob)
        self.misses += 1
        stored = False
        if pending is not None:
            blob, rendered, stored = self._collect(pending[0], request)
        else:
            rendered = self.backend.render(request)
            blob = encode_render(rendered)
        if blob is not None:
            self._memory[key] = blob
            if stored:
                self._written += len(blob)  # by the worker
            elif disk:
                self._write(key, material, blob)
        return rendered

    def prefetch(self, requests: Sequence[HelmRequest], upcoming: int = 0) -> None:
        """Start rendering these requests in the workers (the walk will `render` each one
        later); those cached already, or asked for already, are left alone. `upcoming`: how
        many more the walk expects to ask for (workers start only for enough renders)."""
        if self.pool is None or self.pool.failed:
            return
        todo: dict[str, HelmRequest] = {}
        for request in requests:
            key, material = self._key(request)
            if key in self._memory or key in self._pending or key in todo:
                continue
            if self._disk_ok and not request.keep_off_disk:
                blob = self._read(key, material)
                if blob is not None:
                    self._memory[key] = blob
                    continue
            todo[key] = request
        self._asked += len(todo)
        if not self._parallel and self._asked + upcoming < self.min_parallel:
            return  # rendered in process when the walk gets there
        self._parallel = True
        store = self._disk_ok
        if store and todo:
            try:
                self._prepare()
            except OSError:
                store = False
        for key, request in todo.items():
            _key, material = self._key(request)
            where = (self._path(key), key, material) if store and not request.keep_off_disk \
                else None
            future = self.pool.submit(request, where)
            if future is None:
                return
            self._pending[key] = (future, request)
            self._stealable.append(key)

    def expect(self, renders: int) -> None:
        """The caller foresees about this many renders: when that is enough to use workers,
        they start now, and get ready while the caller works out what to render."""
        if self.pool is not None and renders >= self.min_parallel:
            self._parallel = True
            self.pool.start()

    def prepare_workers(self) -> None:
        """Start the workers now if that is cheap (before the caller starts threads); they
        are used only when enough renders come, as always."""
        if self.pool is not None:
            self.pool.start_while_cheap()

    def _collect(self, future: Future[Outcome], request: HelmRequest
                 ) -> tuple[bytes | None, Rendered, bool]:
        """A worker's render: (its JSON, the objects); in process when the workers failed.
        While it is not ready, this process renders what no worker has started yet."""
        while not future.done() and self._steal():
            pass
        try:
            outcome = future.result()
        except Exception:  # a worker died, or the pool was shut down
            if self.pool is not None:
                self.pool.fail()
            rendered = self.backend.render(request)
            return encode_render(rendered), rendered, False
        if outcome[0] == "error":
            raise RenderError(outcome[1])
        if outcome[0] == "objects":
            return None, outcome[1], False
        return outcome[1], _decode(outcome[1]), outcome[0] == "stored"

    def _steal(self) -> bool:
        """Render here the newest render no worker has started (workers take the oldest
        first); False when there is none."""
        while self._stealable:
            key = self._stealable.pop()
            pending = self._pending.get(key)
            if pending is None:
                continue  # taken by the walk already
            if not pending[0].cancel():
                self._stealable.clear()  # started: so were all older ones
                return False
            done: Future[Outcome] = Future()
            done.set_result(outcome_of(self.backend, pending[1]))
            self._pending[key] = (done, pending[1])
            return True
        return False

    def _key(self, request: HelmRequest, *, take: bool = False) -> tuple[str, bytes]:
        known = (self._keys.pop if take else self._keys.get)(id(request), None)
        if known is not None and known[0] is request:
            return known[1], known[2]
        material = self._material(request)
        key = hashlib.sha256(FORMAT + b"\0id\0" + material).hexdigest()
        if not take:
            self._keys[id(request)] = (request, key, material)
        return key, material

    def _layer(self, layer: dict[str, Any]) -> Any:
        """A value file's canonical form; parsed value files are shared objects (by content,
        also between the two sides of a diff), so each is worked out once."""
        known = self._layers.get(id(layer))
        if known is None or known[0] is not layer:
            known = self._layers[id(layer)] = (layer, _canonical(layer, self._digest))
        return known[1]

    def _digest(self, path: Path) -> str:
        digest = self._digests.get(path)
        if digest is None:
            digest = self._digests[path] = _file_digest(path)
        return digest

    def _material(self, request: HelmRequest) -> bytes:
        chart = self._charts.get(request.chart_dir)
        if chart is None:
            chart = self._charts[request.chart_dir] = chart_fingerprint(request.chart_dir)
        inputs = {f.name: _canonical(getattr(request, f.name), self._digest)
                  for f in fields(request)
                  if f.name not in ("chart_dir", "value_layers", "value_files", "value_digests")}
        inputs["value_layers"] = [self._layer(layer) for layer in request.value_layers]
        digests = request.value_digests
        if len(digests) != len(request.value_files):
            digests = tuple(self._digest(path) for path in request.value_files)
        inputs["value_files"] = [{"file": digest} for digest in digests]
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
        if self.background:
            if not self._writer:
                self._writer.append(ThreadPoolExecutor(max_workers=1,
                                                       thread_name_prefix="argoplane-cache"))
            self._writes.append(self._writer[0].submit(self._write_now, key, material, blob))
            return
        self._write_now(key, material, blob)

    def _write_now(self, key: str, material: bytes, blob: bytes) -> None:
        if not self._disk_ok:
            return
        try:
            self._prepare()
            written = write_entry(self._path(key), key, material, blob)
        except OSError:
            self._disk_ok = False  # a read-only or full disk only costs speed
            return
        self._written += written

    def _prepare(self) -> None:
        assert self.folder is not None
        if self._ready or (self.folder / ".gitignore").is_file():
            self._ready = True
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("# argoplane's render cache, safe to delete\n*\n")
        (self.folder / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# argoplane's render cache; see https://bford.info/cachedir/\n")
        self._ready = True

    def close(self) -> None:
        """End the workers; keep the folder under `max_bytes` (the least recently used entries
        go first)."""
        if self.pool is not None:
            self.pool.close()
        for writer in self._writer:
            writer.shutdown(wait=True)
        self._writer.clear()
        writes, self._writes = self._writes, []
        for write in writes:
            write.result()  # a disk error only stopped writing; anything else is a bug
        self._pending.clear()
        self._stealable.clear()
        self._keys.clear()
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

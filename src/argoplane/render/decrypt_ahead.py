"""`secrets://` files decrypted ahead of the walk, several sops processes side by side.

Each decryption runs the sops binary, tens of milliseconds of its own work. When the walk
plans a batch of Applications, the SOPS-encrypted files their Helm sources read are handed
to a few threads, each running sops, and the walk's own decryption then takes the result.
What is decrypted, and every message about it, stays the walk's: only the sops runs move
(and only those with the repository's own keys).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from argoplane.secrets.sops import KeySources, Sops

MIN_AHEAD = 2  # fewer files than this are decrypted when the walk gets to them


@dataclass(frozen=True)
class SopsAhead(Sops):
    """sops whose decryptions can be started ahead; `decrypt` takes one that was started
    with the same keys, and runs sops itself otherwise."""

    threads: int = 2
    owner: KeySources | None = field(default=None, compare=False, repr=False)
    _started: dict[Path, Future[str]] = field(default_factory=dict, compare=False, repr=False)
    _pool: list[ThreadPoolExecutor] = field(default_factory=list, compare=False, repr=False)

    def start(self, files: Sequence[tuple[Path, Sequence[str]]]) -> None:
        """Start decrypting these (file, its age recipients) in threads."""
        todo = [(p, r) for p, r in files if p not in self._started]
        if len(todo) < MIN_AHEAD and not self._pool:
            return
        if not self._pool:
            self._pool.append(ThreadPoolExecutor(max_workers=self.threads,
                                                 thread_name_prefix="argoplane-sops"))
        for path, recipients in todo:
            self._started[path] = self._pool[0].submit(
                Sops.decrypt, self, path, recipients=list(recipients))

    def decrypt(self, path: Path, *, recipients: Sequence[str] = ()) -> str:
        future = self._started.pop(path, None) if self.keys is self.owner else None
        if future is not None and not future.cancel():
            return future.result()  # the same text, or the same error, sops gave
        return super().decrypt(path, recipients=recipients)

    def close(self) -> None:
        for pool in self._pool:
            pool.shutdown(wait=True, cancel_futures=True)
        self._pool.clear()
        self._started.clear()


def sops_ahead(root: Path, keys: KeySources, threads: int) -> SopsAhead | None:
    """sops for a render with decryptions ahead; None when sops is not installed (the walk
    then reports it where a file needs it)."""
    from argoplane.core.errors import InputError

    try:
        return SopsAhead(root, keys, threads=threads, owner=keys)
    except InputError:
        return None

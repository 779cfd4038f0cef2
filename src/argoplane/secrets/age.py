"""age identities (X25519): generate, read key files, derive recipients."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from argoplane.core.errors import InputError
from argoplane.core.files import write_atomic

IDENTITY = re.compile(r"AGE-SECRET-KEY-1[0-9A-Z]{58}")
RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")


@dataclass(frozen=True)
class Identity:
    recipient: str  # the public key, `age1...`
    secret: str = field(repr=False)  # `AGE-SECRET-KEY-1...`


def generate() -> Identity:
    import pyrage  # type: ignore[import-untyped]

    identity = pyrage.x25519.Identity.generate()
    return Identity(str(identity.to_public()), str(identity))


def recipient_of(secret: str) -> str:
    import pyrage

    try:
        return str(pyrage.x25519.Identity.from_str(secret).to_public())
    except Exception:  # pyrage raises its own IdentityError types
        raise InputError("not a valid age identity") from None


def identities(text: str) -> list[str]:
    """The identities of an age key file: lines holding `AGE-SECRET-KEY-1...`, comments skipped."""
    found: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and IDENTITY.fullmatch(line):
            found.append(line)
    return found


def recipients_of_file(path: Path) -> list[str]:
    """The public keys of the identities in an age key file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the age key file: {exc.strerror}", file=str(path)) from None
    return [recipient_of(s) for s in identities(text)]


def key_file_text(identity: Identity, created: datetime, comments: Sequence[str] = ()) -> str:
    """An identity in age-keygen's file format, with optional leading comment lines."""
    lines = [f"# {c}" if c else "#" for c in comments]
    lines += [f"# created: {created.isoformat(timespec='seconds')}",
              f"# public key: {identity.recipient}", identity.secret]
    return "\n".join(lines) + "\n"


def write_identity(path: Path, identity: Identity, created: datetime) -> None:
    """Write a new key file readable by its owner only; an existing file is never replaced."""
    if path.exists():
        raise InputError("already exists; not overwriting a key file", file=str(path))
    if not path.parent.is_dir():
        raise InputError("no such folder", file=str(path.parent))
    try:
        write_atomic(path, key_file_text(identity, created), mode=0o600, exclusive=True)
    except FileExistsError:
        raise InputError("already exists; not overwriting a key file", file=str(path)) from None

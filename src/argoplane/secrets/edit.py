"""`secrets edit`: decrypt to a private temporary file, run the editor, encrypt again.

The plaintext exists on disk only while the editor runs, in a folder only the user can read,
and is removed however the edit ends.
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from argoplane.core import command, yamlio
from argoplane.core.errors import ArgoplaneError, InputError
from argoplane.core.files import write_atomic
from argoplane.secrets import sopsfile
from argoplane.secrets.sops import Sops


@dataclass(frozen=True)
class EditResult:
    changed: bool
    recipients: tuple[str, ...]


def editor_command(environ: Mapping[str, str]) -> list[str]:
    """$VISUAL, then $EDITOR, then vi, split as a shell would."""
    text = environ.get("VISUAL") or environ.get("EDITOR") or "vi"
    argv = shlex.split(text)
    if not argv:
        raise InputError("$EDITOR is empty")
    return argv


def edit_file(sops: Sops, path: Path, environ: Mapping[str, str],
              retry: Callable[[str], bool] = lambda _reason: False) -> EditResult:
    """Edit an encrypted file in place; returns whether it changed.

    `retry(reason)` is asked when the edited text is not valid YAML: True opens the editor
    again on the same text, False gives up (the file is left as it was).
    """
    label = sops.rel(path)
    original = yamlio.load(path.read_text(encoding="utf-8"), label)
    if not sopsfile.is_encrypted(original):
        raise InputError("not a SOPS file (it has no sops metadata); encrypt it first with "
                         "`argoplane secrets encrypt`", file=label)
    recipients = tuple(sopsfile.age_recipients(original))
    plaintext = sops.decrypt(path, recipients=recipients)
    folder = Path(tempfile.mkdtemp(prefix="argoplane-edit-"))  # mode 0700
    try:
        scratch = folder / path.name
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(plaintext)
        while True:
            code = command.run_interactive([*editor_command(environ), str(scratch)])
            if code != 0:
                raise InputError(f"the editor exited with code {code}; {label} is unchanged")
            edited = scratch.read_text(encoding="utf-8")
            if edited == plaintext:
                return EditResult(False, recipients)
            try:
                yamlio.load(edited, label)
            except ArgoplaneError as exc:
                if retry(str(exc)):
                    continue
                raise InputError(f"{exc}; {label} is unchanged") from None
            break
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # the file keeps its own recipients and clear-text selection, as `sops edit` does
    if recipients and not sopsfile.other_key_types(original):
        ciphertext = sops.encrypt(edited, path, recipients=recipients,
                                  flags=sopsfile.selection_flags(original), rules=False)
    else:
        ciphertext = sops.encrypt(edited, path)
    write_atomic(path, ciphertext)
    return EditResult(True, recipients)

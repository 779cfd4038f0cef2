"""`secrets encrypt`: a plaintext file replaced by its SOPS encryption, in place."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from argoplane.core import yamlio
from argoplane.core.errors import InputError
from argoplane.core.files import write_atomic
from argoplane.secrets import sopsfile
from argoplane.secrets.sops import Sops

STRUCTURED = (".yaml", ".yml", ".json")


def encrypt_file(sops: Sops, path: Path, recipients: Sequence[str] = ()) -> list[str]:
    """Encrypt `path` in place (rules from `.sops.yaml` unless `recipients` are given);
    returns the age recipients it is now encrypted for."""
    label = sops.rel(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", file=label) from None
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", file=label) from None
    if path.suffix in STRUCTURED:
        data = yamlio.load_json_or_yaml(text, label)
        if sopsfile.is_encrypted(data):
            raise InputError("already encrypted (use `argoplane secrets edit` to change it)",
                             file=label)
        if sopsfile.has_enc_values(data):
            raise InputError("holds ENC[...] values without sops metadata: it was encrypted "
                             "and its metadata lost; restore it from a trusted revision",
                             file=label)
    ciphertext = sops.encrypt(text, path, recipients=recipients)
    write_atomic(path, ciphertext)
    if path.suffix in STRUCTURED:
        return sopsfile.age_recipients(yamlio.load_json_or_yaml(ciphertext, label))
    return list(recipients)

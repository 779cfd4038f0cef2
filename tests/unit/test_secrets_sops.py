"""SOPS with age, through the real sops binary: keys, encryption, decryption, edit, errors."""

from __future__ import annotations

import os
import stat
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from argoplane.core import yamlio
from argoplane.core.errors import InputError
from argoplane.secrets import age, sopsfile
from argoplane.secrets.edit import edit_file
from argoplane.secrets.encrypt import encrypt_file
from argoplane.secrets.sops import KeySources, Sops, SopsError, SopsKeyError, key_sources

PLAIN = "secrets:\n  DB_PASSWORD: s3cr3t-in-memory-only\n  PORT: 5432\n  DEBUG: true\n"


@pytest.fixture(autouse=True)
def no_user_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests see only the keys they set up: no SOPS_* variables, an empty home."""
    for name in ("SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY_CMD",
                 "SOPS_AGE_SSH_PRIVATE_KEY_FILE", "SOPS_AGE_RECIPIENTS", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def env() -> dict[str, str]:
    return dict(os.environ)


@pytest.fixture
def repo(tmp_path: Path) -> dict[str, Any]:
    """A repository with a staging and a production recipient in .sops.yaml."""
    root = tmp_path / "repo"
    (root / "staging").mkdir(parents=True)
    (root / "production").mkdir()
    ids = {name: age.generate() for name in ("staging", "production")}
    (root / ".sops.yaml").write_text(textwrap.dedent(f"""\
        creation_rules:
          - path_regex: ^staging/.*\\.secrets\\.yaml$
            age: {ids["staging"].recipient}
          - path_regex: ^production/.*\\.secrets\\.yaml$
            age: {ids["production"].recipient}
        """))
    keys = {}
    for name, identity in ids.items():
        keys[name] = tmp_path / f"{name}.agekey"
        age.write_identity(keys[name], identity, datetime.now(UTC))
    return {"root": root, "ids": ids, "keys": keys}


def sops_with(root: Path, key: Path | None) -> Sops:
    environ = env()
    if key is not None:
        environ["SOPS_AGE_KEY_FILE"] = str(key)
    return Sops(root, KeySources(environ))


def encrypted(repo: dict[str, Any], rel: str = "staging/api.secrets.yaml",
              text: str = PLAIN) -> Path:
    path = repo["root"] / rel
    path.write_text(text)
    encrypt_file(sops_with(repo["root"], None), path)
    return path


# -- the file model ---------------------------------------------------------------------------
def test_placeholders_keep_keys_and_types_and_drop_the_metadata() -> None:
    data = {
        "secrets": {
            "A": "ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:str]",
            "N": "ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:int]",
            "F": "ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:float]",
            "B": "ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:bool]",
            "list": ["ENC[AES256_GCM,data:abc=,iv:x=,tag:y=,type:str]"],
            "host_unencrypted": "db.example",
        },
        "sops": {"mac": "ENC[...]", "age": [{"recipient": "age1x"}]},
    }
    assert sopsfile.placeholders(data) == {"secrets": {
        "A": "sops-placeholder:secrets.A", "N": 0, "F": 0.0, "B": False,
        "list": ["sops-placeholder:secrets.list[0]"], "host_unencrypted": "db.example"}}
    assert sopsfile.is_encrypted(data)
    assert sopsfile.age_recipients(data) == ["age1x"]
    assert not sopsfile.is_encrypted({"secrets": {"A": "x"}})
    assert sopsfile.has_enc_values({"a": ["ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]"]})


def test_age_identity_round_trip_and_key_file(tmp_path: Path) -> None:
    identity = age.generate()
    assert age.RECIPIENT.fullmatch(identity.recipient)
    assert age.IDENTITY.fullmatch(identity.secret)
    assert identity.secret not in repr(identity)
    assert age.recipient_of(identity.secret) == identity.recipient
    key = tmp_path / "me.agekey"
    age.write_identity(key, identity, datetime(2025, 1, 2, tzinfo=UTC))
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    text = key.read_text()
    assert f"# public key: {identity.recipient}" in text
    assert age.identities(text) == [identity.secret]
    assert age.recipients_of_file(key) == [identity.recipient]
    with pytest.raises(InputError, match="already exists"):
        age.write_identity(key, age.generate(), datetime.now(UTC))
    assert age.identities(text) == [identity.secret]  # the first key is still there


# -- sops -------------------------------------------------------------------------------------
def test_encrypt_follows_the_creation_rule_per_environment(repo: dict[str, Any]) -> None:
    staging = encrypted(repo, "staging/api.secrets.yaml")
    production = encrypted(repo, "production/api.secrets.yaml")
    for path, env_name in ((staging, "staging"), (production, "production")):
        text = path.read_text()
        assert "s3cr3t-in-memory-only" not in text
        data = yamlio.load(text, str(path))
        assert sopsfile.age_recipients(data) == [repo["ids"][env_name].recipient]
        assert set(data["secrets"]) == {"DB_PASSWORD", "PORT", "DEBUG"}
    plain = sops_with(repo["root"], repo["keys"]["staging"]).decrypt(staging)
    assert yamlio.load(plain, "x") == {"secrets": {"DB_PASSWORD": "s3cr3t-in-memory-only",
                                                   "PORT": 5432, "DEBUG": True}}


def test_a_staging_key_cannot_read_production(repo: dict[str, Any]) -> None:
    production = encrypted(repo, "production/api.secrets.yaml")
    with pytest.raises(SopsKeyError) as exc:
        sops_with(repo["root"], repo["keys"]["staging"]).decrypt(production)
    message = str(exc.value)
    assert message.startswith("production/api.secrets.yaml: no available age key can decrypt")
    assert repo["ids"]["production"].recipient in message
    assert "s3cr3t" not in message


def test_no_key_at_all(repo: dict[str, Any]) -> None:
    path = encrypted(repo)
    with pytest.raises(SopsKeyError, match=r"set SOPS_AGE_KEY_FILE or secrets\.ageKeyFile"):
        sops_with(repo["root"], None).decrypt(path)


@pytest.mark.parametrize(("tamper", "expected"), [
    (lambda t: t.replace("    mac: ENC[AES256_GCM,data:", "    mac: ENC[AES256_GCM,data:AA", 1),
     "MAC mismatch: the file was changed outside sops"),
    (lambda t: "\n".join(ln for ln in t.splitlines() if not ln.startswith("    mac:")),
     "MAC mismatch"),
    (lambda t: t.replace("DB_PASSWORD: ENC[AES256_GCM,data:", "DB_PASSWORD: ENC[AES256_GCM,data:AA",
                         1), "a value does not decrypt: its ciphertext was changed"),
], ids=["mac changed", "mac removed", "value changed"])
def test_tampered_files_fail_with_a_clear_reason(repo: dict[str, Any], tamper: Any,
                                                 expected: str) -> None:
    path = encrypted(repo)
    path.write_text(tamper(path.read_text()))
    with pytest.raises(SopsError, match=expected):
        sops_with(repo["root"], repo["keys"]["staging"]).decrypt(path)


def test_sops_refusals_in_the_users_terms(repo: dict[str, Any]) -> None:
    sops = sops_with(repo["root"], repo["keys"]["staging"])
    plain = repo["root"] / "staging" / "plain.secrets.yaml"
    plain.write_text(PLAIN)
    with pytest.raises(SopsError, match="not a SOPS file"):
        sops.decrypt(plain)
    with pytest.raises(SopsError, match="no such file"):
        sops.decrypt(repo["root"] / "staging" / "missing.secrets.yaml")
    elsewhere = repo["root"] / "values.secrets.yaml"
    elsewhere.write_text(PLAIN)
    with pytest.raises(SopsError, match=r"no creation rule in \.sops\.yaml matches it"):
        encrypt_file(sops, elsewhere)
    assert elsewhere.read_text() == PLAIN  # left as it was
    done = encrypted(repo)
    with pytest.raises(InputError, match="already encrypted"):
        encrypt_file(sops, done)
    broken = repo["root"] / "staging" / "broken.secrets.yaml"
    broken.write_text("a: [1\n")
    with pytest.raises(InputError, match="invalid YAML"):
        encrypt_file(sops, broken)


def test_explicit_recipient_without_a_creation_rule(repo: dict[str, Any]) -> None:
    path = repo["root"] / "values.secrets.yaml"
    path.write_text(PLAIN)
    who = repo["ids"]["staging"].recipient
    assert encrypt_file(sops_with(repo["root"], None), path, [who]) == [who]
    assert "s3cr3t" not in path.read_text()


def test_configured_key_file_joins_the_users_keys(repo: dict[str, Any], tmp_path: Path) -> None:
    path = encrypted(repo, "production/api.secrets.yaml")
    environ = env() | {"SOPS_AGE_KEY_FILE": str(repo["keys"]["staging"])}
    rel = os.path.relpath(repo["keys"]["production"], repo["root"])
    keys = key_sources(repo["root"], rel, environ)
    assert keys.available()
    assert repo["ids"]["production"].secret in keys.env()["SOPS_AGE_KEY"]
    assert "s3cr3t" in Sops(repo["root"], keys).decrypt(path)
    missing = key_sources(repo["root"], "nope.agekey", env())
    assert not missing.available()
    assert "secrets.ageKeyFile nope.agekey does not exist" in missing.hint()


# -- edit -------------------------------------------------------------------------------------
EDITOR = """\
import pathlib, sys
path = pathlib.Path(sys.argv[1])
pathlib.Path({record!r}).write_text(str(path))
mode = "{mode}"
if mode == "fail":
    sys.exit(3)
if mode == "change":
    path.write_text(path.read_text().replace("s3cr3t-in-memory-only", "rotated-value"))
if mode == "break":
    path.write_text("secrets: [unclosed\\n")
"""


def editor(tmp_path: Path, mode: str) -> tuple[dict[str, str], Path]:
    record = tmp_path / f"edited-{mode}.txt"
    script = tmp_path / f"editor-{mode}.py"
    script.write_text(EDITOR.format(record=str(record), mode=mode))
    return env() | {"EDITOR": f"{sys.executable} {script}"}, record


def test_edit_reencrypts_for_the_same_recipients_and_removes_the_plaintext(
        repo: dict[str, Any], tmp_path: Path) -> None:
    path = encrypted(repo)
    environ, record = editor(tmp_path, "change")
    sops = sops_with(repo["root"], repo["keys"]["staging"])
    result = edit_file(sops, path, environ)
    assert result.changed
    scratch = Path(record.read_text())
    assert not scratch.exists()
    assert not scratch.parent.exists()
    data = yamlio.load(path.read_text(), "x")
    assert sopsfile.age_recipients(data) == [repo["ids"]["staging"].recipient]
    assert "rotated-value" not in path.read_text()
    assert "DB_PASSWORD: rotated-value" in sops.decrypt(path)


@pytest.mark.parametrize("mode", ["fail", "break", "nothing"])
def test_edit_leaves_the_file_alone_and_removes_the_plaintext(
        repo: dict[str, Any], tmp_path: Path, mode: str) -> None:
    path = encrypted(repo)
    before = path.read_bytes()
    environ, record = editor(tmp_path, mode)
    sops = sops_with(repo["root"], repo["keys"]["staging"])
    if mode == "nothing":
        assert not edit_file(sops, path, environ).changed
    else:
        message = "exited with code 3" if mode == "fail" else "invalid YAML"
        with pytest.raises(InputError, match=message) as exc:
            edit_file(sops, path, environ)
        assert "is unchanged" in str(exc.value)
    assert path.read_bytes() == before
    assert not Path(record.read_text()).parent.exists()


def test_edit_refuses_a_plaintext_file(repo: dict[str, Any], tmp_path: Path) -> None:
    path = repo["root"] / "staging" / "plain.secrets.yaml"
    path.write_text(PLAIN)
    environ, record = editor(tmp_path, "change")
    with pytest.raises(InputError, match="not a SOPS file"):
        edit_file(sops_with(repo["root"], None), path, environ)
    assert not record.exists()  # the editor never ran

"""End to end: SOPS `secrets://` value files, from keygen to render, with and without the key."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from argoplane.core import command
from tests.conftest import VIGO, Run, write_repo

GIT = ["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev",
       "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]

CONFIG = "repoURLs: [https://git.example.com/platform.git]\n"
CHART = {
    ".argoplane.yaml": CONFIG,
    "charts/api/Chart.yaml": """
        apiVersion: v2
        name: api
        version: 1.0.0
        """,
    "charts/api/values.yaml": """
        secrets: {}
        """,
    "charts/api/templates/secret.yaml": """
        apiVersion: v1
        kind: Secret
        metadata:
          name: {{ .Release.Name }}
        stringData:
          DB_PASSWORD: {{ required "DB_PASSWORD" .Values.secrets.DB_PASSWORD | quote }}
          API_TOKEN: {{ .Values.secrets.API_TOKEN | quote }}
        """,
    "charts/api/templates/configmap.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}
        data:
          POOL_SIZE: {{ .Values.secrets.POOL_SIZE | int | quote }}
        """,
    "apps/api.yaml": """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: api
          namespace: argocd
        spec:
          project: default
          destination: {server: https://kubernetes.default.svc, namespace: api}
          source:
            repoURL: https://git.example.com/platform.git
            path: charts/api
            helm:
              valueFiles: [secrets://secrets/prod.secrets.yaml]
        """,
    "charts/api/secrets/prod.secrets.yaml": """
        secrets:
          DB_PASSWORD: pw-7Hq2-only-in-memory
          API_TOKEN: tok-Zk81-only-in-memory
          POOL_SIZE: 12
        """,
}
PLAINTEXT = ("pw-7Hq2-only-in-memory", "tok-Zk81-only-in-memory")


@pytest.fixture(autouse=True)
def no_user_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY_CMD",
                 "SOPS_AGE_SSH_PRIVATE_KEY_FILE", "SOPS_AGE_RECIPIENTS", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def secret_of(data: dict[str, Any], app: str = "api") -> dict[str, Any]:
    (a,) = [x for x in data["applications"] if x["name"] == app]
    (secret,) = [r["manifest"] for r in a["resources"] if r["kind"] == "Secret"]
    return secret  # type: ignore[no-any-return]


@pytest.fixture
def clone(cli: Any, tmp_path: Path) -> dict[str, Any]:
    """keygen, .sops.yaml, encrypt, commit; then a fresh clone of it and the key."""
    origin = write_repo(tmp_path / "origin", CHART)
    key = tmp_path / "keys" / "me.agekey"
    key.parent.mkdir()
    made = cli("secrets", "keygen", key)
    assert made.code == 0, made.err
    recipient = made.out.strip()
    assert recipient.startswith("age1")
    assert "AGE-SECRET-KEY" not in made.out + made.err
    (origin / ".sops.yaml").write_text(
        f"creation_rules:\n  - path_regex: \\.secrets\\.yaml$\n    age: {recipient}\n")
    secrets_file = origin / "charts/api/secrets/prod.secrets.yaml"
    done = cli("secrets", "encrypt", secrets_file)
    assert done.code == 0, done.err
    assert f"encrypted charts/api/secrets/prod.secrets.yaml for {recipient}" in done.err
    assert not any(p in secrets_file.read_text() for p in PLAINTEXT)
    command.run([*GIT, "init", "-q", str(origin)])
    command.run([*GIT, "-C", str(origin), "add", "-A"])
    command.run([*GIT, "-C", str(origin), "commit", "-q", "-m", "platform"])
    fresh = tmp_path / "clone"
    command.run([*GIT, "clone", "-q", str(origin), str(fresh)])
    return {"repo": fresh, "key": key, "recipient": recipient}


def test_round_trip_from_a_fresh_clone(cli: Any, clone: dict[str, Any],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = clone["repo"]
    # without the key: still renders, with a warning and placeholder values
    without: Run = cli("render", repo, "-o", "json", "--show-secrets")
    assert without.code == 0, without.err
    data = without.json()
    (app,) = data["applications"]
    assert app["status"] == "rendered"
    assert [m["text"] for m in app["messages"]] == [
        "charts/api/secrets/prod.secrets.yaml is SOPS-encrypted and no age key is available "
        "(set SOPS_AGE_KEY_FILE or secrets.ageKeyFile in .argoplane.yaml); rendered with "
        "placeholder values"]
    assert secret_of(data)["stringData"] == {
        "DB_PASSWORD": "sops-placeholder:secrets.DB_PASSWORD",
        "API_TOKEN": "sops-placeholder:secrets.API_TOKEN"}
    (configmap,) = [r["manifest"] for r in app["resources"] if r["kind"] == "ConfigMap"]
    assert configmap["data"] == {"POOL_SIZE": "0"}  # an int stays an int
    # with the key: decrypted in memory, masked
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(clone["key"]))
    masked = cli("render", repo, "-o", "json")
    assert masked.code == 0, masked.err
    data = masked.json()
    assert secret_of(data)["stringData"] == {"DB_PASSWORD": "++++++++", "API_TOKEN": "++++++++"}
    assert data["summary"]["warnings"] == 0
    assert data["messages"] == [{"level": "info", "text": (
        "1 secrets:// value file decrypted in memory with $SOPS_AGE_KEY_FILE; Secret values "
        "are masked unless --show-secrets")}]
    assert not any(p in masked.out + masked.err for p in PLAINTEXT)
    shown = cli("render", repo, "-o", "json", "--show-secrets")
    data = shown.json()
    assert secret_of(data)["stringData"] == dict(zip(("DB_PASSWORD", "API_TOKEN"), PLAINTEXT,
                                                     strict=True))
    (configmap,) = [r["manifest"] for r in data["applications"][0]["resources"]
                    if r["kind"] == "ConfigMap"]
    assert configmap["data"] == {"POOL_SIZE": "12"}
    # decrypt prints to stdout only, and the repository holds no plaintext
    plain = cli("secrets", "decrypt", repo / "charts/api/secrets/prod.secrets.yaml")
    assert plain.code == 0, plain.err
    assert "DB_PASSWORD: pw-7Hq2-only-in-memory" in plain.out
    status = command.run(["git", "-C", str(repo), "status", "--porcelain"]).stdout
    assert status == ""


def test_the_key_from_argoplane_yaml(cli: Any, clone: dict[str, Any]) -> None:
    repo = clone["repo"]
    shutil.copy(clone["key"], repo / "ci.agekey")
    (repo / ".argoplane.yaml").write_text(CONFIG + "secrets:\n  ageKeyFile: ci.agekey\n")
    result = cli("render", repo, "-o", "json")
    assert result.code == 0
    assert "decrypted in memory with ci.agekey (secrets.ageKeyFile)" in (
        result.json()["messages"][0]["text"])
    (repo / ".argoplane.yaml").write_text(CONFIG + "secrets:\n  ageKeyFile: gone.agekey\n")
    result = cli("render", repo, "-o", "json")
    (app,) = result.json()["applications"]
    assert "secrets.ageKeyFile gone.agekey does not exist" in app["messages"][0]["text"]


def test_the_wrong_key_renders_placeholders_and_says_whose_file_it_is(
        cli: Any, clone: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    other = tmp_path / "other.agekey"
    assert cli("secrets", "keygen", other).code == 0
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(other))
    result = cli("render", clone["repo"], "-o", "json", "--show-secrets")
    (app,) = result.json()["applications"]
    (warning,) = [m["text"] for m in app["messages"]]
    assert warning.startswith("charts/api/secrets/prod.secrets.yaml: no available age key can "
                              f"decrypt it (encrypted for {clone['recipient']}")
    assert secret_of(result.json())["stringData"]["DB_PASSWORD"].startswith("sops-placeholder")


def test_a_tampered_secrets_file_fails_its_application(cli: Any, clone: dict[str, Any],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = clone["repo"] / "charts/api/secrets/prod.secrets.yaml"
    text = path.read_text()
    path.write_text(text.replace("DB_PASSWORD: ENC[AES256_GCM,data:",
                                 "DB_PASSWORD: ENC[AES256_GCM,data:QQ", 1))
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(clone["key"]))
    result = cli("render", clone["repo"], "-o", "json")
    assert result.code == 2
    assert ("api: charts/api/secrets/prod.secrets.yaml: a value does not decrypt: its "
            "ciphertext was changed (tampered with or corrupted)") in result.err
    data = yaml.safe_load(text)
    del data["sops"]  # the metadata lost in a bad merge
    path.write_text(yaml.safe_dump(data))
    result = cli("render", clone["repo"], "-o", "json")
    assert result.code == 2
    assert "holds ENC[...] values but no sops metadata" in result.err


def test_secrets_age_import_uses_a_key_inside_the_repository(
        cli: Any, clone: dict[str, Any]) -> None:
    repo = clone["repo"]
    shutil.copy(clone["key"], repo / "charts/api/keys.txt")
    app = repo / "apps/api.yaml"
    app.write_text(app.read_text().replace(
        "secrets://secrets/prod.secrets.yaml", "secrets+age-import://keys.txt?secrets/prod.secrets.yaml"))
    result = cli("render", repo, "-o", "json")
    assert result.code == 0, result.err
    assert secret_of(result.json())["stringData"]["DB_PASSWORD"] == "++++++++"
    assert "keys.txt (secrets+age-import)" in result.json()["messages"][0]["text"]


def test_plaintext_secrets_file_is_used_but_warned(cli: Any, repo: Any) -> None:
    root = repo(CHART)
    result = cli("render", root, "-o", "json", "--show-secrets")
    (app,) = result.json()["applications"]
    assert app["messages"] == [{"level": "warning", "text": (
        "charts/api/secrets/prod.secrets.yaml is referenced as secrets:// but is not "
        "encrypted: plaintext secrets in Git")}]
    assert secret_of(result.json())["stringData"]["DB_PASSWORD"] == PLAINTEXT[0]


def test_cli_errors_name_the_file(cli: Any, clone: dict[str, Any]) -> None:
    repo = clone["repo"]
    result = cli("secrets", "decrypt", repo / "charts/api/secrets/prod.secrets.yaml")
    assert result.code == 2
    assert result.err.startswith("argoplane: error: charts/api/secrets/prod.secrets.yaml: no "
                                 f"available age key can decrypt it (encrypted for "
                                 f"{clone['recipient']})")
    again = cli("secrets", "encrypt", repo / "charts/api/secrets/prod.secrets.yaml")
    assert again.code == 2
    assert "already encrypted" in again.err
    (repo / "notes.yaml").write_text("a: b\n")
    norule = cli("secrets", "encrypt", repo / "notes.yaml")
    assert norule.code == 2
    assert "no creation rule in .sops.yaml matches it" in norule.err
    existing = cli("secrets", "keygen", clone["key"])
    assert existing.code == 2
    assert "already exists" in existing.err


def test_edit_through_the_cli(cli: Any, clone: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                              tmp_path: Path) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import pathlib, sys\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('tok-Zk81', 'tok-NEW1'))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(clone["key"]))
    path = clone["repo"] / "charts/api/secrets/prod.secrets.yaml"
    result = cli("secrets", "edit", path)
    assert result.code == 0, result.err
    assert "encrypted again" in result.err
    assert "tok-NEW1" not in result.out + result.err
    assert "tok-NEW1" not in path.read_text()
    assert "API_TOKEN: tok-NEW1-only-in-memory" in cli("secrets", "decrypt", path).out


@pytest.mark.helm_binary
def test_the_helm_binary_gets_decrypted_values_on_stdin(cli: Any, helm_binary: str) -> None:
    sdk = cli("render", VIGO, "-o", "json", "--show-secrets", "--app", "checkout-*")
    binary = cli("render", VIGO, "-o", "json", "--show-secrets", "--app", "checkout-*",
                 "--helm-binary", helm_binary)
    assert sdk.code == binary.code == 0, binary.err
    assert json.loads(sdk.out)["applications"] == json.loads(binary.out)["applications"]
    secret = secret_of(json.loads(binary.out), "checkout-vn-production")
    assert secret["stringData"]["PAYMENT_API_KEY"] == "demo-only-payment-key-vn-production"

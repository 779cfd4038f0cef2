"""Phase secrets: plaintext secrets in Git become encrypted, and no value is ever printed.

- Helm values that a chart renders into a Secret move out of the value files into
  `secrets.yaml` (`<env>/secrets.yaml` once there are environments), SOPS-encrypted for age
  recipients and read as `secrets://`. Every environment keeps the values it has.
- `secrets://` files that are not encrypted are encrypted in place.
- A plain Secret manifest can only be sealed (Argo CD cannot decrypt SOPS manifests without
  a plugin): with `--sealed` it becomes a SealedSecret for the controller's certificate.

The plaintext goes to sops on stdin; argoplane writes only ciphertext. The proof renders the
result with the age identity, so the Secrets must come out exactly as they were.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections import defaultdict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argoplane.assess.inventory import AppInfo
from argoplane.assess.proposal import _secret_keys
from argoplane.assess.secret_usage import provided_secrets, referenced_secrets
from argoplane.core import yamlio
from argoplane.core.errors import ArgoplaneError, InputError
from argoplane.layout.migrate import servicesets as sets
from argoplane.layout.migrate.model import PhasePlan, Skip
from argoplane.layout.migrate.servicesets import ServiceSet
from argoplane.layout.migrate.state import State
from argoplane.layout.migrate.valuefiles import LeafPath, leaves, lookup, nested, remove_leaves
from argoplane.layout.roundtrip import Document
from argoplane.layout.yamltext import block
from argoplane.render.helm.values import SECRETS_SCHEME
from argoplane.render.model import Resource
from argoplane.secrets import age, sealed, sealing
from argoplane.secrets.sops import SOPS_CONFIG, KeySources, Sops

SEALED_HEADER = """\
# Sealed by `argoplane migrate --phase secrets --sealed`: only the Sealed Secrets controller
# that holds the certificate's private key can read it. Reseal with `argoplane secrets seal`.
"""


@dataclass
class Secrets:
    """What the phase needs from outside the repository."""

    keys: KeySources  # age identities: the proof decrypts what the phase encrypts
    recipients: tuple[str, ...] = ()  # --age, else the identity's own
    encrypt: dict[str, str] = field(default_factory=dict, repr=False)  # path -> plaintext


def _secret_values(r: Resource) -> dict[str, str]:
    out: dict[str, str] = {}
    data = r.manifest.get("data")
    if isinstance(data, Mapping):
        for key, value in data.items():
            try:
                out[str(key)] = base64.b64decode(str(value), validate=True).decode("utf-8")
            except (binascii.Error, ValueError, UnicodeDecodeError):
                continue
    string_data = r.manifest.get("stringData")
    if isinstance(string_data, Mapping):
        out.update({str(k): str(v) for k, v in string_data.items() if v is not None})
    return {k: v for k, v in out.items() if v}


def _is_secret(r: Resource) -> bool:
    return r.kind == "Secret" and r.api_version == "v1"


def _plain_layers(info: AppInfo) -> list[Any]:
    return [layer for layer in info.layers if layer.kind in ("chart", "file")
            and layer.data is not None and not layer.secrets and layer.file]


def _secret_paths(info: AppInfo) -> tuple[set[LeafPath], list[str]]:
    """Leaves of the value files that the app's Secrets show, and the Secret keys whose value
    no value file holds (written in a template, or read from an encrypted file)."""
    wanted: dict[str, str] = {}
    for r in info.app.resources:
        if _is_secret(r):
            wanted.update({f"{r.name}.{k}": v for k, v in _secret_values(r).items()})
    found: set[LeafPath] = set()
    seen: set[str] = set()
    for layer in _plain_layers(info):
        for path, value in leaves(layer.data):
            text = value if isinstance(value, str) else (
                str(value) if isinstance(value, int | float) and not isinstance(value, bool)
                else None)
            if text and text in wanted.values():
                found.add(path)
                seen.add(text)
    encrypted = any(layer.encrypted or layer.secrets for layer in info.layers)
    missing = [] if encrypted else sorted(k for k, v in wanted.items() if v not in seen)
    return found, missing


def plan(state: State, secrets: Secrets) -> PhasePlan:
    p = PhasePlan("secrets")
    done: list[str] = []
    for s in state.sets:
        if _chart_values(state, p, s, secrets):
            done.append(f"Helm values of ApplicationSet {s.name}")
    for a in state.individual_services():
        if a.source_type == "helm" and _secret_paths(a)[0]:
            p.skipped.append(Skip(a.name, "its Helm values feed a Secret in plaintext; they move "
                                  "into secrets:// files once the service is generated by an "
                                  "ApplicationSet (the appsets phase comes first)"))
    files = _plaintext_files(state, p, secrets)
    if files:
        done.append(f"{files} secrets:// file{'s' if files != 1 else ''}")
    count = _manifests(state, p)
    if count:
        done.append(f"{count} Secret manifest{'s' if count != 1 else ''} sealed")
    if secrets.encrypt:
        if not secrets.keys.available():
            raise InputError(
                "the secrets phase proves its work by rendering the files it encrypts, so it "
                "needs their age identity: --age-key-file FILE, SOPS_AGE_KEY_FILE or "
                "secrets.ageKeyFile in .argoplane.yaml")
        _encrypt(state, p, secrets)
    _by_hand(state, p)
    if done:
        p.title = "encrypted in Git: " + "; ".join(done)
    elif not p.skipped:
        p.notes.insert(0, "no plaintext secret value in Git")
    return p


# -- Helm values --------------------------------------------------------------------------------
def _chart_values(state: State, p: PhasePlan, s: ServiceSet, secrets: Secrets) -> bool:
    points: list[Mapping[str, Any] | None] = list(s.axis) if s.axis else [None]
    envs = s.envs or [""]
    entry = "secrets://{{env}}/secrets.yaml" if s.axis else "secrets://secrets.yaml"
    per_service: dict[str, dict[str, dict[str, Any]]] = {}  # service -> env -> values
    removals: dict[str, set[LeafPath]] = defaultdict(set)
    problems: list[Skip] = []
    for svc in s.services:
        chart = str(svc["path"])
        per_env: dict[str, dict[str, Any]] = {}
        for point in points:
            name = s.app_name(svc, point)
            info = state.info(name)
            if info is None:
                continue
            paths, missing = _secret_paths(info)
            if missing:
                problems.append(Skip(name, f"Secret key {missing[0]}: its value is not in the "
                                     "chart's value files (written in a template?); move it "
                                     "into the values first"))
                continue
            env = str(point.get("env")) if point else ""
            values: dict[str, Any] = per_env.setdefault(env, {})
            for path in sorted(paths):
                winner = None
                for layer in info.layers:
                    found, value = lookup(layer.data or {}, path)
                    if found:
                        winner = (layer, value)
                if winner is None or winner[0].kind not in ("chart", "file") or winner[0].secrets:
                    problems.append(Skip(name, f"{'.'.join(path)} comes from the Application "
                                         "(inline values or parameters), not a value file"))
                    continue
                key = ".".join(path)
                if key in values and values[key] != winner[1]:
                    problems.append(Skip(name, f"{key} differs between the regions of {env}; "
                                         "one secrets file per environment cannot hold both"))
                values[key] = winner[1]
                for layer in _plain_layers(info):
                    if lookup(layer.data, path)[0]:
                        if not str(layer.file).startswith(chart + "/"):
                            problems.append(Skip(name, f"{key} is also set in {layer.file}, "
                                                 "which other charts may read"))
                        removals[str(layer.file)].add(path)
        if any(per_env.values()):
            per_service[str(svc["name"])] = per_env
    if not per_service and not problems:
        return False
    names = [s.app_name(svc, points[0]) for svc in s.services]
    if entry in s.value_files or any(SECRETS_SCHEME.match(f) for f in s.value_files):
        problems += [Skip(n, f"ApplicationSet {s.name} reads a secrets:// file already; add "
                          "the values to it with `argoplane secrets edit`") for n in names]
    if not secrets.recipients and not state.exists(SOPS_CONFIG):
        problems += [Skip(n, "SOPS needs an age recipient: --age RECIPIENT, --age-key-file, "
                          f"or a creation rule in {SOPS_CONFIG}") for n in names]
    targets = {f"{svc['path']}/{env}/secrets.yaml" if env else f"{svc['path']}/secrets.yaml"
               for svc in s.services for env in envs}
    problems += [Skip(n, f"{t} exists already") for t in sorted(targets) if state.exists(t)
                 for n in names[:1]]
    if problems:
        p.skipped += problems
        return False
    for file, paths in sorted(removals.items()):
        text = state.text(file) or ""
        p.add(file, "update", remove_leaves(text, file, sorted(paths)),
              "moved to secrets: " + ", ".join(".".join(x) for x in sorted(paths)))
    for svc in s.services:
        per_env = per_service.get(str(svc["name"]), {})
        for env in envs:
            target = f"{svc['path']}/{env}/secrets.yaml" if env else f"{svc['path']}/secrets.yaml"
            values = per_env.get(env, {})
            data = nested([(tuple(k.split(".")), v) for k, v in values.items()])
            secrets.encrypt[target] = block(data) if data else "{}\n"
            keys = ", ".join(values) or "no value yet"
            p.add(target, "create", "", f"SOPS-encrypted ({keys})")
    doc = Document(state.text(s.file) or "", s.file)
    sets.value_files(doc.data).append(entry)
    p.add(s.file, "update", doc.text(), f"valueFiles: + {entry}")
    return True


def _plaintext_files(state: State, p: PhasePlan, secrets: Secrets) -> int:
    """`secrets://` files that hold plaintext: encrypted in place."""
    seen: set[str] = set()
    for info in state.inventory.apps:
        for layer in info.layers:
            if not layer.secrets or layer.encrypted or not layer.file or layer.file in seen:
                continue
            seen.add(layer.file)
            if not secrets.recipients and not state.exists(SOPS_CONFIG):
                p.skipped.append(Skip(info.name, f"{layer.file} is read as secrets:// in "
                                      "plaintext; encrypting it needs an age recipient "
                                      f"(--age, --age-key-file or {SOPS_CONFIG})"))
                continue
            secrets.encrypt[layer.file] = state.text(layer.file) or ""
            p.add(layer.file, "update", "", "SOPS-encrypted in place")
    return len([f for f in seen if f in secrets.encrypt])


def _encrypt(state: State, p: PhasePlan, secrets: Secrets) -> None:
    """Run sops for every file the phase encrypts (a few side by side); the plaintext goes
    on stdin and only the ciphertext comes back into the plan."""
    root = state.snapshot.root
    sops = Sops(root, secrets.keys)
    if secrets.recipients and not state.exists(SOPS_CONFIG):
        rule = {"creation_rules": [{"path_regex": r"(^|/)secrets\.yaml$",
                                    "age": ",".join(secrets.recipients)}]}
        p.add(SOPS_CONFIG, "create",
              "# SOPS: secrets.yaml files are encrypted for these age recipients (written by\n"
              "# `argoplane migrate --phase secrets`)\n" + block(rule), "creation rule for "
              "secrets.yaml")

    def run(item: tuple[str, str]) -> tuple[str, str]:
        rel, plaintext = item
        return rel, sops.encrypt(plaintext, root / rel, recipients=secrets.recipients)

    with ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2))) as pool:
        done = dict(pool.map(run, sorted(secrets.encrypt.items())))
    p.changes = [replace(c, content=done[c.path]) if c.path in done else c for c in p.changes]
    secrets.encrypt.clear()


# -- Secret manifests ---------------------------------------------------------------------------
def _manifests(state: State, p: PhasePlan) -> int:
    opts = state.options
    found: list[tuple[AppInfo, Resource]] = []
    for info in state.inventory.apps:
        if info.source_type != "directory":
            continue
        for r in info.app.resources:
            if _is_secret(r) and _secret_values(r) and state.exists(r.origin):
                found.append((info, r))
    if not found:
        return 0
    if not opts.sealed:
        p.skipped += [Skip(info.name, f"{r.origin}: a plain Secret manifest; Argo CD cannot "
                           "decrypt SOPS-encrypted manifests without a plugin, so it can only "
                           "be sealed: --sealed --cert CERT.pem") for info, r in found]
        return 0
    try:
        public_key, _ = sealing.certificate(opts.cert, opts.cluster, state.snapshot.root,
                                            state.snapshot.config, datetime.now(UTC))
    except ArgoplaneError as exc:
        p.skipped += [Skip(info.name, f"{r.origin}: cannot seal it: {exc}") for info, r in found]
        return 0
    count = 0
    for info, r in found:
        text = state.text(r.origin) or ""
        docs = yamlio.load_all(text, r.origin)
        if len(docs) != 1:
            p.skipped.append(Skip(info.name, f"{r.origin} holds other manifests besides the "
                                  "Secret; move the Secret into a file of its own"))
            continue
        request = sealed.SealRequest.from_secret(docs[0], r.origin, namespace=r.namespace)
        manifest = sealed.seal(request, public_key)
        p.add(r.origin, "update", SEALED_HEADER + block(manifest),
              f"Secret {r.name} sealed (keys: {', '.join(sorted(request.items))})")
        p.sealed.add((r.namespace, r.name))
        count += 1
    return count


def _by_hand(state: State, p: PhasePlan) -> None:
    """Secrets the workloads read that nothing in Git creates: names and keys, no values."""
    provided = provided_secrets(state.inventory)
    needed: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in state.inventory.workloads:
        for r in a.app.resources:
            for name in referenced_secrets(r.manifest):
                if (r.namespace, name) not in provided:
                    needed[(r.namespace, name)] |= _secret_keys(r.manifest, name)
    if needed:
        shown = [f"{ns}/{name} ({', '.join(sorted(keys)) or 'all keys'})"
                 for (ns, name), keys in sorted(needed.items())]
        more = f" and {len(shown) - 6} more" if len(shown) > 6 else ""
        p.notes.append(f"{len(needed)} Secrets are created by hand outside Git, so there is "
                       f"nothing to encrypt for them: {'; '.join(shown[:6])}{more}. Bring them "
                       "into Git with `argoplane secrets seal` or a secrets:// file")


def secrets_for(keys: KeySources, recipients: tuple[str, ...], key_file: Path | None
                ) -> Secrets:
    """The phase's outside inputs: recipients from --age, else from the identity file."""
    if not recipients and key_file is not None:
        recipients = tuple(age.recipients_of_file(key_file))
    return Secrets(keys, recipients)

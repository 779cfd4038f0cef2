"""Secrets lint rules AP020-AP029, as pure functions over data.

Inputs are plain records (the repository's text files, the value files Applications
reference, the SealedSecrets the rendered tree deploys, the certificates' key sizes); each
function returns Findings. `argoplane secrets check` runs them all; `argoplane lint` can
register them one by one (see RULES). No finding ever quotes a secret value.
"""

from __future__ import annotations

import math
import posixpath
import re
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from argoplane.core.errors import YAMLError
from argoplane.secrets import age, sealed, sopsfile
from argoplane.secrets.yamllines import Document, documents

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    rule: str  # AP020..AP029
    level: Level
    file: str | None
    line: int | None
    message: str
    app: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "level": self.level, "app": self.app, "file": self.file,
                "line": self.line, "message": self.message}


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    level: Level  # the default level
    title: str


RULES: dict[str, RuleInfo] = {r.id: r for r in (
    RuleInfo("AP020", "secrets-plaintext", "error",
             "a *.secrets.yaml or secrets:// value file is not SOPS-encrypted"),
    RuleInfo("AP021", "secrets-file-missing", "error",
             "a secrets:// value file does not exist"),
    RuleInfo("AP022", "sops-metadata-missing", "error",
             "ENC[...] values without the sops metadata block: they can never be decrypted"),
    RuleInfo("AP023", "sops-cleartext-secret", "warning",
             "a secret-looking key left in clear text inside a SOPS file"),
    RuleInfo("AP024", "decrypted-leftover", "error",
             "a decrypted copy of a secrets file (*.dec) in the repository"),
    RuleInfo("AP025", "private-key-committed", "error",
             "a private key, age identity or sealed-secrets key backup in the repository"),
    RuleInfo("AP026", "sealed-scope-annotation", "error",
             "a Sealed Secrets scope annotation that is not exactly \"true\", or that differs "
             "between the SealedSecret and its template"),
    RuleInfo("AP027", "sealed-malformed", "error",
             "malformed encryptedData: bad base64, inconsistent length prefix, or an RSA part "
             "that does not match the cluster's certificate"),
    RuleInfo("AP028", "sealed-placement", "error",
             "a SealedSecret deployed where it cannot be unsealed: another namespace, fanned "
             "out into several namespaces, or renamed per Application"),
    RuleInfo("AP029", "plain-credential", "warning",
             "a high-entropy literal or a known token format in a plain values file"),
)}


def finding(rule: str, file: str | None, line: int | None, message: str, *,
            app: str | None = None, level: Level | None = None) -> Finding:
    return Finding(rule, level or RULES[rule].level, file, line, message, app)


# -- inputs -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RepoFile:
    path: str  # repository-relative, POSIX
    text: str | None = field(default=None, repr=False)  # None: binary, unreadable or too big


@dataclass(frozen=True)
class ValueFileRef:
    """A value file an Application's Helm source references."""

    app: str
    entry: str  # as written in valueFiles
    file: str | None  # repository-relative path (None when it could not be resolved)
    exists: bool
    secrets: bool  # referenced through secrets:// (helm-secrets)
    optional: bool = False  # ignoreMissingValueFiles


@dataclass(frozen=True)
class DeployedSealedSecret:
    """A SealedSecret as an Application deploys it."""

    app: str
    origin: str  # the repository file or chart template it came from
    manifest: Mapping[str, Any] = field(repr=False)
    namespace: str  # where it lands (its own, else the destination's)
    destination_namespace: str
    cluster: str  # destination name (or server)
    generated_by: str | None = None  # the ApplicationSet that generated the Application


# -- helpers ----------------------------------------------------------------------------------
SECRETS_FILE = re.compile(r"^(?:.+\.secrets|secrets\..+)\.(?:ya?ml|json)$")
VALUES_FILE = re.compile(r"^(?:values|.+[.-]values|values[.-].+)\.ya?ml$")
LEFTOVER = re.compile(r"(?:\.dec|\.dec\.(?:ya?ml|json|env)|\.decrypted(?:\.[a-z0-9]+)?)$")
PRIVATE_KEY = re.compile(r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY)-----")
ACK_MARKER = "argoplane:allow-committed-key"
SECRET_KEY = re.compile(
    r"(?i)(pass(word|wd|phrase)?|secret|token|api[_-]?key|apikey|private[_-]?key|credential|"
    r"access[_-]?key|signing[_-]?key|client[_-]?secret|auth[_-]?key|dsn|connection[_-]?string)")
# keys that name a secret rather than hold one (existingSecret, secretName, passwordKey, ...)
SECRET_REFERENCE_KEY = re.compile(
    r"(?i)(existing|ref$|name$|names$|key(name|ref)?s?$|file$|path$|enabled$|mount|ttl$|"
    r"length$|policy$|type$|annotations?$|labels?$|provider$|store$)")
K8S_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
TEMPLATED = re.compile(r"\{\{|\$\{|\$\(|^<.*>$")
TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,})\b")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b")),
    ("a Stripe live key", re.compile(r"\b[rs]k_live_[A-Za-z0-9]{20,}\b")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a JSON Web Token",
     re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("an age identity", re.compile(r"AGE-SECRET-KEY-1[0-9A-Z]{58}")),
    ("a URL with a password", re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@{}$]+:[^/\s@{}$]+@")),
)
DIGEST = re.compile(r"^(?:sha(?:1|256|512):)?[0-9a-f]{40,128}$")
# an image reference, a host with a path, a file path: lowercase names joined by `/`
REFERENCE = re.compile(r"^/?[a-z0-9][a-z0-9._-]*(?:/[a-z0-9._-]+)+(?::[\w.-]+)?"
                       r"(?:@sha256:[0-9a-f]{64})?$")
RSA_SIZES = frozenset(range(128, 2049, 64))  # modulus bytes of 1024- to 16384-bit keys


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(text)
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def credential_kind(key: str, value: str) -> str | None:
    """Why a plain value looks like a credential (never the value itself), or None."""
    for kind, pattern in TOKENS:
        if pattern.search(value):
            return kind
    if TEMPLATED.search(value) or any(c.isspace() for c in value):
        return None
    if DIGEST.match(value) or K8S_NAME.match(value) or REFERENCE.match(value) or "://" in value:
        return None
    classes = sum(bool(re.search(p, value)) for p in ("[a-z]", "[A-Z]", "[0-9]", "[+/=_-]"))
    if len(value) >= 24 and classes >= 3 and entropy(value) >= 4.2:
        return "a high-entropy literal"
    if (SECRET_KEY.search(key) and not SECRET_REFERENCE_KEY.search(key) and len(value) >= 12
            and classes >= 2 and entropy(value) >= 3.3):
        return f"a high-entropy literal under a secret-looking key ({key})"
    return None


def _key(path: tuple[Any, ...]) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return ""


_PARSED: weakref.WeakKeyDictionary[RepoFile, list[Document] | None] = \
    weakref.WeakKeyDictionary()  # several rules read a file: it is parsed once


def _docs(file: RepoFile) -> list[Document] | None:
    if file.text is None:
        return None
    if file in _PARSED:
        return _PARSED[file]
    try:
        docs: list[Document] | None = documents(file.text)
    except YAMLError:
        docs = None
    _PARSED[file] = docs
    return docs


def _is_yaml(path: str) -> bool:
    return path.endswith((".yaml", ".yml", ".json"))


def _in_chart_templates(path: str) -> bool:
    return "/templates/" in f"/{path}"


def _is_manifest(data: Any) -> bool:
    return isinstance(data, Mapping) and "apiVersion" in data and "kind" in data


def _has_value(data: Any) -> bool:
    return any(v not in (None, "", {}, []) for _p, v in sopsfile.leaves(data))


# -- file rules -------------------------------------------------------------------------------
def check_plaintext_secrets_file(file: RepoFile, docs: Sequence[Document]) -> Iterator[Finding]:
    """AP020 for a `*.secrets.yaml` (helm-secrets naming) that holds values in clear text."""
    name = posixpath.basename(file.path)
    if not SECRETS_FILE.match(name) or _in_chart_templates(file.path):
        return
    for doc in docs:
        if (_is_manifest(doc.data) or sopsfile.is_encrypted(doc.data)
                or sopsfile.has_enc_values(doc.data)):  # encrypted, metadata lost: AP022
            continue
        if isinstance(doc.data, Mapping) and _has_value(doc.data):
            yield finding("AP020", file.path, doc.line,
                          f"{name} is named as a secrets file but is not SOPS-encrypted: its "
                          "values are in Git in plaintext (run `argoplane secrets encrypt`)")
            return


def check_sops_metadata(file: RepoFile, docs: Sequence[Document]) -> Iterator[Finding]:
    """AP022: ENC[...] values in a document without the sops block."""
    for doc in docs:
        if sopsfile.is_encrypted(doc.data):
            continue
        encrypted = [p for p, v in sopsfile.leaves(doc.data) if sopsfile.is_enc_value(v)]
        if encrypted:
            yield finding("AP022", file.path, doc.line_of(encrypted[0]),
                          f"{len(encrypted)} ENC[...] value{'s' if len(encrypted) != 1 else ''}"
                          " but no sops metadata block: nothing can decrypt them (the block "
                          "was lost in an edit or a merge; restore it from Git history)")


def check_sops_cleartext(file: RepoFile, docs: Sequence[Document]) -> Iterator[Finding]:
    """AP023: secret-looking keys whose values sops left in clear text."""
    for doc in docs:
        if not sopsfile.is_encrypted(doc.data):
            continue
        for path, value in sopsfile.leaves(doc.data):
            key = _key(path)
            if not isinstance(value, str) or not value or sopsfile.is_enc_value(value):
                continue
            if not SECRET_KEY.search(key) or SECRET_REFERENCE_KEY.search(key):
                continue
            if TEMPLATED.search(value):
                continue
            yield finding("AP023", file.path, doc.line_of(path),
                          f"{sopsfile.dotted(path)} looks like a secret but is in clear text in "
                          "this SOPS file (excluded by its encrypted_regex/unencrypted_suffix "
                          "rules)")


def check_leftover(file: RepoFile, docs: Sequence[Document] | None) -> Iterator[Finding]:
    """AP024: a decrypted copy next to the encrypted file (helm-secrets writes `*.dec`)."""
    name = posixpath.basename(file.path)
    if not LEFTOVER.search(name):
        return
    if docs and any(sopsfile.is_encrypted(d.data) for d in docs):
        return
    yield finding("AP024", file.path, None,
                  f"{name} looks like a decrypted copy of a secrets file; delete it, rotate what "
                  "it holds, and ignore *.dec in .gitignore")


def check_private_keys(file: RepoFile, docs: Sequence[Document] | None) -> Iterator[Finding]:
    """AP025: private keys, age identities and sealed-secrets key backups."""
    if file.text is None:
        return
    kinds: list[str] = []
    if m := PRIVATE_KEY.search(file.text):
        kinds.append(f"a {m.group(1).lower()}")
    if age.IDENTITY.search(file.text):
        kinds.append("an age identity (AGE-SECRET-KEY)")
    for doc in docs or ():
        data = doc.data
        if not isinstance(data, Mapping):
            continue
        items = data.get("items") if data.get("kind") == "List" else [data]
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, Mapping) or item.get("kind") != "Secret":
                continue
            meta = item.get("metadata")
            labels = (meta.get("labels") if isinstance(meta, Mapping) else None) or {}
            data_map = item.get("data") or {}
            if (isinstance(labels, Mapping) and "sealedsecrets.bitnami.com/sealed-secrets-key"
                    in labels) or (isinstance(data_map, Mapping) and "tls.key" in data_map):
                kinds.append("a sealed-secrets key backup (tls.key)")
                break
    if not kinds:
        return
    what = " and ".join(dict.fromkeys(kinds))
    if ACK_MARKER in file.text:
        yield finding("AP025", file.path, None,
                      f"holds {what}, acknowledged as demo-only ({ACK_MARKER}); never use it "
                      "for real secrets", level="info")
        return
    yield finding("AP025", file.path, None,
                  f"holds {what}: anyone who can read the repository can decrypt what it "
                  "protects; remove it, rotate the key, and keep keys outside Git")


def check_plain_values(file: RepoFile, docs: Sequence[Document]) -> Iterator[Finding]:
    """AP029: credentials in a plain (not encrypted) values file."""
    for doc in docs:
        if sopsfile.is_encrypted(doc.data) or _is_manifest(doc.data):
            continue
        for path, value in sopsfile.leaves(doc.data):
            if not isinstance(value, str) or not value:
                continue
            kind = credential_kind(_key(path), value)
            if kind is not None:
                yield finding("AP029", file.path, doc.line_of(path),
                              f"{sopsfile.dotted(path)} holds {kind} in a plain values file; "
                              "move it to a SOPS-encrypted secrets:// file or a SealedSecret")


# -- SealedSecret rules (per manifest) --------------------------------------------------------
def _annotations(meta: Any) -> Mapping[str, Any]:
    annotations = meta.get("annotations") if isinstance(meta, Mapping) else None
    return annotations if isinstance(annotations, Mapping) else {}


def sealed_annotation_problems(manifest: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """AP026: (field path, message) for scope annotations the controller reads differently
    from how they look."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    places = ((("metadata", "annotations"), manifest.get("metadata")),
              (("spec", "template", "metadata", "annotations"), sealed.template_meta(manifest)))
    for where, meta in places:
        for name in sealed.SCOPE_ANNOTATIONS:
            value = _annotations(meta).get(name)
            if value is not None and value != "true":
                problems.append(((*where, name),
                                 f"{name} is {value!r} in {'.'.join(where[:-1])}: only the exact "
                                 "string \"true\" counts, so the controller treats this "
                                 "SealedSecret as if the annotation were absent"))
    own = sealed.scope_of(_annotations(manifest.get("metadata")))
    template = sealed.scope_of(_annotations(sealed.template_meta(manifest)))
    if own is not template and not problems:
        problems.append((("metadata", "annotations"),
                         f"metadata.annotations make it {own} but spec.template.metadata says "
                         f"{template}; the controller unseals with the SealedSecret's own "
                         "annotations"))
    return problems


def malformed_items(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """AP027: (item, message) for encryptedData items that are not sealed values at all."""
    out: list[tuple[str, str]] = []
    for key, text in sealed.encrypted_data(manifest).items():
        try:
            parts = sealed.split(sealed.decode(text))
        except sealed.MalformedItem as exc:
            out.append((str(key), f"encryptedData.{key} {exc}"))
            continue
        if len(parts.wrapped_key) not in RSA_SIZES:
            out.append((str(key), f"encryptedData.{key} has a {len(parts.wrapped_key)}-byte RSA "
                                  "part, which no RSA key size gives (its length prefix is "
                                  "wrong)"))
    return out


def size_mismatches(manifest: Mapping[str, Any], size: int) -> list[tuple[str, str]]:
    """AP027: (item, message) for items sealed with a key of another size than `size` bytes
    (the certificate's modulus)."""
    out: list[tuple[str, str]] = []
    for key, text in sealed.encrypted_data(manifest).items():
        try:
            parts = sealed.split(sealed.decode(text))
        except sealed.MalformedItem:
            continue
        got = len(parts.wrapped_key)
        if got in RSA_SIZES and got != size:
            out.append((str(key), f"encryptedData.{key} was sealed with a {got * 8}-bit key, but "
                                  f"the configured certificate is {size * 8}-bit: it was sealed "
                                  "for another controller"))
    return out


def check_sealed_documents(file: RepoFile, docs: Sequence[Document],
                           key_size: int | None = None) -> Iterator[Finding]:
    """AP026 and AP027 for the SealedSecrets written in a repository file; `key_size` is the
    certificate's modulus in bytes, when one certificate applies."""
    for doc in docs:
        if not sealed.is_sealed_secret(doc.data):
            continue
        for path, message in sealed_annotation_problems(doc.data):
            yield finding("AP026", file.path, doc.line_of(path), message)
        problems = malformed_items(doc.data)
        if key_size:
            problems += size_mismatches(doc.data, key_size)
        for key, message in problems:
            yield finding("AP027", file.path, doc.line_of(("spec", "encryptedData", key)),
                          message)


def _needs_documents(file: RepoFile, name: str) -> bool:
    """Whether a rule below looks inside this file's documents (the others read its text)."""
    if LEFTOVER.search(name):
        return True
    if not _is_yaml(file.path) or file.text is None:
        return False
    text = file.text
    return bool(SECRETS_FILE.match(name) or VALUES_FILE.match(name)
                or sopsfile.ENC_PREFIX in text or sealed.KIND in text
                or "tls.key" in text or "sealed-secrets-key" in text)


def check_file(file: RepoFile, key_size: int | None = None) -> list[Finding]:
    """Every file rule for one repository file."""
    name = posixpath.basename(file.path)
    docs = _docs(file) if _needs_documents(file, name) else None
    out = [*check_leftover(file, docs), *check_private_keys(file, docs)]
    if docs is None:
        return out
    out += check_plaintext_secrets_file(file, docs)
    if file.text is not None and sopsfile.ENC_PREFIX in file.text:
        out += check_sops_metadata(file, docs)
        out += check_sops_cleartext(file, docs)
    if VALUES_FILE.match(name) and not _in_chart_templates(file.path):
        out += check_plain_values(file, docs)
    if file.text is not None and sealed.KIND in file.text:
        out += check_sealed_documents(file, docs, key_size)
    return out


# -- value-file references --------------------------------------------------------------------
def check_value_refs(refs: Sequence[ValueFileRef], files: Mapping[str, RepoFile]
                     ) -> list[Finding]:
    """AP021 (missing secrets:// files), AP020 for secrets:// targets that are not encrypted
    (whatever their name) and AP029 for referenced plain values files with other names."""
    out: list[Finding] = []
    for ref in refs:
        if ref.secrets and not ref.exists:
            out.append(finding(
                "AP021", ref.file, None,
                f"{ref.entry}: the secrets:// file does not exist"
                + (" (ignoreMissingValueFiles hides it: the Application renders without these "
                   "secrets)" if ref.optional else ""),
                app=ref.app, level="warning" if ref.optional else None))
            continue
        file = files.get(ref.file or "")
        if file is None or file.text is None:
            continue
        docs = _docs(file)
        if docs is None:
            continue
        name = posixpath.basename(file.path)
        if ref.secrets and not any(sopsfile.is_encrypted(d.data) for d in docs):
            if any(isinstance(d.data, Mapping) and _has_value(d.data) for d in docs):
                out.append(finding("AP020", file.path, 1,
                                   f"{ref.entry} is read through secrets:// but the file is not "
                                   "SOPS-encrypted: helm-secrets passes it through, and its "
                                   "values are in Git in plaintext", app=ref.app))
        elif not ref.secrets and not VALUES_FILE.match(name):
            out += list(check_plain_values(file, docs))
    return out


# -- SealedSecrets as deployed ----------------------------------------------------------------
def _identity(manifest: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), str(v)) for k, v in sealed.encrypted_data(manifest).items()))


def _meta(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = manifest.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def check_deployed_sealed(deployed: Sequence[DeployedSealedSecret],
                          cert_sizes: Mapping[str, int],
                          lines: Mapping[tuple[str, str], int] | None = None) -> list[Finding]:
    """AP026, AP027 (against each cluster's certificate) and AP028 for the SealedSecrets the
    Applications deploy. `cert_sizes`: cluster -> RSA modulus bytes; `lines`: (file, name) ->
    the line of that SealedSecret in a repository file."""
    lines = lines or {}
    out: list[Finding] = []

    def where(d: DeployedSealedSecret) -> int | None:
        return lines.get((d.origin, str(_meta(d.manifest).get("name") or "")))

    for d in deployed:
        line = where(d)
        if line is None:  # not in a repository file (a chart template): check it here
            for _path, message in sealed_annotation_problems(d.manifest):
                out.append(finding("AP026", d.origin, None, message))
            for _key, message in malformed_items(d.manifest):
                out.append(finding("AP027", d.origin, None, message))
        size = cert_sizes.get(d.cluster)
        for _key, message in size_mismatches(d.manifest, size) if size else []:
            out.append(finding("AP027", d.origin, line, f"{message} (cluster {d.cluster})"))
        explicit = str(_meta(d.manifest).get("namespace") or "")
        if explicit and d.destination_namespace and explicit != d.destination_namespace:
            out.append(finding(
                "AP028", d.origin, where(d),
                f"SealedSecret {_meta(d.manifest).get('name')} is deployed to namespace "
                f"{explicit}, not the Application's destination namespace "
                f"{d.destination_namespace}", app=d.app, level="warning"))
    # the same sealed values deployed under several labels: at most one of them unseals
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[DeployedSealedSecret]] = {}
    for d in deployed:
        if sealed.encrypted_data(d.manifest):
            groups.setdefault((d.origin, _identity(d.manifest)), []).append(d)
    fanned: set[int] = set()
    for (origin, _ident), members in groups.items():
        scope = sealed.sealed_scope(members[0].manifest)
        if scope is sealed.Scope.CLUSTER_WIDE:
            continue
        names = sorted({str(_meta(m.manifest).get("name") or "") for m in members})
        spaces = sorted({m.namespace for m in members})
        apps = sorted({m.app for m in members})
        appsets = sorted({m.generated_by for m in members if m.generated_by})
        by = f" by ApplicationSet {', '.join(appsets)}" if appsets else ""
        if len(spaces) > 1:
            out.append(finding(
                "AP028", origin, where(members[0]),
                f"the same {scope} SealedSecret {names[0]} is deployed into {len(spaces)} "
                f"namespaces ({', '.join(spaces)}){by} (Applications {', '.join(apps)}): it can "
                "be unsealed in at most one; seal it once per namespace"
                + (" or cluster-wide" if scope is sealed.Scope.NAMESPACE_WIDE else "")))
            fanned.update(id(m) for m in members)
        elif scope is sealed.Scope.STRICT and len(names) > 1:
            out.append(finding(
                "AP028", origin, where(members[0]),
                f"the same strict SealedSecret is deployed under {len(names)} names "
                f"({', '.join(names)}){by}: a strict SealedSecret unseals only under the name it "
                "was sealed for; seal one per name, or seal it namespace-wide"))
            fanned.update(id(m) for m in members)
    for d in deployed:
        if id(d) in fanned:
            continue
        recorded = sealed.template_meta(d.manifest)
        scope = sealed.sealed_scope(d.manifest)
        name = str(_meta(d.manifest).get("name") or "")
        sealed_ns = str(recorded.get("namespace") or "")
        sealed_name = str(recorded.get("name") or "")
        if scope is sealed.Scope.CLUSTER_WIDE:
            continue
        wrong_ns = bool(sealed_ns) and sealed_ns != d.namespace
        wrong_name = scope is sealed.Scope.STRICT and bool(sealed_name) and sealed_name != name
        if wrong_ns or wrong_name:
            was = f"{sealed_ns}/{sealed_name}" if scope is sealed.Scope.STRICT else sealed_ns
            now = f"{d.namespace}/{name}" if scope is sealed.Scope.STRICT else d.namespace
            out.append(finding(
                "AP028", d.origin, where(d),
                f"{scope} SealedSecret was sealed for {was} (its template says so) but is "
                f"deployed as {now}: the controller will not unseal it", app=d.app))
    return out


# -- running them -----------------------------------------------------------------------------
def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Unique findings, by file, line, rule."""
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=lambda f: (f.file or "", f.line or 0, f.rule, f.app or "",
                                         f.message))


def check_all(files: Sequence[RepoFile], refs: Sequence[ValueFileRef] = (),
              deployed: Sequence[DeployedSealedSecret] = (),
              cert_sizes: Mapping[str, int] | None = None) -> list[Finding]:
    """Every secrets rule over a repository's files, references and deployed SealedSecrets.

    `cert_sizes` maps cluster names to their certificate's RSA modulus (bytes). A deployed
    SealedSecret is held to its own cluster's certificate; one that no Application deploys, to
    the configured certificate when there is exactly one.
    """
    cert_sizes = cert_sizes or {}
    sizes = set(cert_sizes.values())
    only = next(iter(sizes)) if len(sizes) == 1 else None
    deployed_files = {d.origin for d in deployed}
    out: list[Finding] = []
    lines: dict[tuple[str, str], int] = {}
    for file in files:
        out += check_file(file, None if file.path in deployed_files else only)
        if file.text is not None and sealed.KIND in file.text and _is_yaml(file.path):
            for doc in _docs(file) or []:
                if sealed.is_sealed_secret(doc.data):
                    lines[(file.path, str(_meta(doc.data).get("name") or ""))] = doc.line
    out += check_value_refs(refs, {f.path: f for f in files})
    out += check_deployed_sealed(deployed, cert_sizes, lines)
    return sort_findings(out)

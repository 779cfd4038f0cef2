"""AP021-AP029: how secrets are stored, SOPS files and Sealed Secrets.

The rules live in `argoplane.secrets.checks` (they also run alone as `argoplane secrets
check`); this family hands their findings to lint. AP020 (a plaintext `*.secrets.yaml` or
`secrets://` file) is AP009's job in lint, so it is not repeated here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from argoplane.checks.context import LintContext
from argoplane.checks.model import Hit, Rule
from argoplane.secrets import checks as secret_checks
from argoplane.secrets.scan import check_repository

EXPLANATIONS: dict[str, str] = {
    "AP021": "A value file is referenced as secrets:// but does not exist, so helm-secrets "
             "fails and Argo CD cannot render the Application. Create the file (argoplane "
             "secrets encrypt) or fix the path in the ApplicationSet.",
    "AP022": "The file holds ENC[...] values but no `sops` block: the metadata that says how "
             "to decrypt them was lost (usually a bad merge or copy). Restore the block from "
             "Git history or re-create the file and encrypt it again with sops.",
    "AP023": "A key that looks secret (password, token, key) is left in clear text inside a "
             "SOPS file, usually because of an `unencrypted_suffix` or `encrypted_regex` in "
             ".sops.yaml. Rename the key or widen the encryption rule, then re-encrypt.",
    "AP024": "A decrypted copy of a secrets file (helm-secrets writes *.dec) is in the "
             "repository. Delete it, ignore *.dec in .gitignore, and rotate the values if it "
             "was ever pushed.",
    "AP025": "A private key, age identity or Sealed Secrets key backup is committed: whoever "
             "reads the repository can decrypt every secret. Remove it from the repository "
             "and its history, and rotate the key.",
    "AP026": "The Sealed Secrets controller only honours the scope annotations "
             "(sealedsecrets.bitnami.com/namespace-wide, cluster-wide) when their value is "
             "exactly \"true\", and the template must carry the same ones. Fix the value, or "
             "re-seal with the intended --scope.",
    "AP027": "encryptedData items must be base64 of a 2-byte length, an RSA-OAEP wrapped "
             "session key of the certificate's size and AES-GCM ciphertext. This one is not: "
             "it was damaged or sealed for another cluster. Re-seal it with that cluster's "
             "certificate.",
    "AP028": "A strict or namespace-wide SealedSecret decrypts only under the name and "
             "namespace it was sealed for. Deployed into another namespace, fanned out by an "
             "ApplicationSet, or renamed per Application, it never decrypts. Seal one per "
             "destination, or use --scope cluster-wide deliberately.",
    "AP029": "A plain values file holds what looks like a credential (a known token format "
             "or a high-entropy literal). Move it into an encrypted secrets:// file "
             "(argoplane secrets encrypt) and rotate it.",
}


def _findings(ctx: LintContext) -> list[secret_checks.Finding]:
    found = ctx.memo.get("secret_storage")
    if found is None:
        found = ctx.memo["secret_storage"] = check_repository(ctx.snapshot, ctx.tree)
    return found


def _check(rule_id: str) -> Callable[[LintContext], Iterator[Hit]]:
    def check(ctx: LintContext) -> Iterator[Hit]:
        apps = {a.name: a for a in ctx.tree.apps}
        for f in _findings(ctx):
            if f.rule == rule_id:
                yield Hit(f.message, apps.get(f.app or ""), f.file, f.line, level=f.level)

    return check


RULES = [
    Rule(info.id, info.name, info.title, info.level, EXPLANATIONS[info.id], _check(info.id))
    for info in secret_checks.RULES.values() if info.id != "AP020"
]
